"""Releases that stay true: the manifest's own fields, the ledger, snapshots used by others."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rmr_gen.cli import app
from tests.conftest import NORR, copy_project

GIT = [
    "git",
    "-c",
    "user.name=Redaktör",
    "-c",
    "user.email=r@example.org",
    "-c",
    "commit.gpgsign=false",
]


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        [*GIT, "-C", str(project), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def cli(project: Path, *args: str):
    return CliRunner().invoke(app, ["--project", str(project), *args])


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git project with Norr released as 1.0 and the release committed."""
    project = copy_project(tmp_path_factory.mktemp("trust") / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Texter och data")
    result = cli(project, "release", NORR, "--version", "1.0")
    assert result.exit_code == 0, result.output
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Version 1.0")
    return project


@pytest.fixture
def project(committed: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(committed, copy, symlinks=True)
    return copy


def release_folder(project: Path, version: str = "1.0") -> Path:
    return project / "output" / NORR / version


def writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def edit_manifest(project: Path, change) -> None:
    folder = release_folder(project)
    writable(folder)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def refused(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    for needle in needles:
        assert needle in result.output, result.output
    return result.output


def test_an_intact_committed_release_verifies_without_notes(project: Path) -> None:
    result = cli(project, "verify", NORR, "1.0")
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("version", "9.9"),
        ("report", "annan-rapport"),
        ("title", "En annan titel"),
        ("date", "2020-01-01"),
        ("released", "2020-01-01T00:00:00Z"),
        ("pages", 99),
        ("pdf", "x.pdf"),
    ],
)
def test_verify_checks_the_manifests_own_fields(project: Path, key: str, value: object) -> None:
    edit_manifest(project, lambda m: m.__setitem__(key, value))
    refused(cli(project, "verify", NORR, "1.0"), f"'{key}'")


def test_verify_checks_the_git_commit(project: Path) -> None:
    edit_manifest(project, lambda m: m["git"].__setitem__("commit", "0" * 40))
    refused(cli(project, "verify", NORR, "1.0"), "git.commit", "not a commit of this repository")


def test_a_missing_or_renamed_file_is_exit_2_with_its_name(project: Path) -> None:
    folder = release_folder(project)
    writable(folder)
    pdf = folder / f"{NORR}-1.0.pdf"
    pdf.rename(folder / "x.pdf")
    refused(
        cli(project, "verify", NORR, "1.0"),
        f"{NORR}-1.0.pdf: error: listed in manifest.json but missing",
        "x.pdf",
    )


def test_a_path_outside_the_release_in_files_is_refused(project: Path) -> None:
    edit_manifest(project, lambda m: m["files"].__setitem__("../../../etc/passwd", "0" * 64))
    refused(cli(project, "verify", NORR, "1.0"), "not a file of the release")


def test_a_consistent_rewrite_is_caught_by_the_ledger(project: Path, tmp_path: Path) -> None:
    """Texts, PDF and manifest rewritten together: the release's own hashes agree."""
    other = copy_project(tmp_path / "other")
    text = other / "reports" / NORR / "motivering.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEtt tillägg.\n", encoding="utf-8")
    assert cli(other, "release", NORR, "--version", "1.0").exit_code == 0
    folder = release_folder(project)
    writable(folder)
    shutil.rmtree(folder)
    shutil.copytree(release_folder(other), folder)
    refused(cli(project, "verify", NORR, "1.0"), "output/releases.lock", "different manifest.json")


def test_a_removed_and_remade_release_is_refused(project: Path) -> None:
    folder = release_folder(project)
    writable(folder)  # as after a git clone
    shutil.rmtree(folder)
    text = project / "reports" / NORR / "motivering.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEtt tillägg.\n", encoding="utf-8")
    refused(cli(project, "release", NORR, "--version", "1.0"), "was released before")
    assert not folder.exists()
    # Removing the ledger entry as well does not help: git remembers it.
    (project / "output" / "releases.lock").write_text("", encoding="utf-8")
    refused(cli(project, "release", NORR, "--version", "1.0"), "was released before")
    assert not folder.exists()


def test_a_changed_ledger_entry_shows_in_its_history(project: Path, tmp_path: Path) -> None:
    other = copy_project(tmp_path / "other")
    text = other / "reports" / NORR / "motivering.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEtt tillägg.\n", encoding="utf-8")
    assert cli(other, "release", NORR, "--version", "1.0").exit_code == 0
    folder = release_folder(project)
    writable(folder)
    shutil.rmtree(folder)
    shutil.copytree(release_folder(other), folder)
    shutil.copyfile(other / "output" / "releases.lock", project / "output" / "releases.lock")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Ny 1.0")
    refused(cli(project, "verify", NORR, "1.0"), "the entry for", "was changed: commit")


def test_an_uncommitted_ledger_entry_is_a_note(project: Path) -> None:
    assert cli(project, "release", "rmr-palliativ-vard-vgr", "--version", "1.0").exit_code == 0
    result = cli(project, "verify", "rmr-palliativ-vard-vgr", "1.0")
    assert result.exit_code == 0, result.output
    assert "is not committed yet" in result.stderr


def test_a_release_missing_from_the_ledger_is_refused(project: Path) -> None:
    (project / "output" / "releases.lock").unlink()
    refused(cli(project, "verify", NORR, "1.0"), "has no entry for")


def edit_snapshot_csv(project: Path) -> None:
    data = release_folder(project) / "source" / "data"
    writable(release_folder(project))
    csv = next(data.glob("*.csv"))
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1][:-1] + ("9" if lines[-1][-1] != "9" else "8")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_new_refuses_an_edited_snapshot(project: Path) -> None:
    edit_snapshot_csv(project)
    refused(cli(project, "new", "nasta-plan", "--from", NORR), "changed since the release")
    assert not (project / "reports" / "nasta-plan").exists()


def test_previous_refuses_an_edited_snapshot(project: Path) -> None:
    from tests.test_release import add_next_year_rows

    assert cli(project, "new", "nasta-plan", "--from", NORR).exit_code == 0
    add_next_year_rows(project / "data" / "palliativ-norr.csv")
    result = cli(project, "check", "nasta-plan")
    assert result.exit_code == 0, result.output
    edit_snapshot_csv(project)
    refused(cli(project, "check", "nasta-plan"), f"the release {NORR}@1.0 is not intact")


def test_new_moves_the_target_year_on(project: Path) -> None:
    result = cli(project, "new", "nasta-plan", "--from", NORR)
    assert result.exit_code == 0, result.output
    toml = (project / "reports" / "nasta-plan" / "report.toml").read_text(encoding="utf-8")
    assert "target_year = 2029" in toml
    assert 'period = "2023–2024"' in toml
    assert "target_year 2028 → 2029" in result.stdout


def test_a_symlink_in_a_snapshot_names_the_release(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("Utanför projektet.\n", encoding="utf-8")
    folder = release_folder(project)
    writable(folder)
    text = folder / "source" / "reports" / NORR / "motivering.md"
    text.unlink()
    os.symlink(outside, text)
    output = refused(cli(project, "verify", NORR, "1.0"), "symbolic link inside release")
    assert "Utanför projektet" not in output
    refused(cli(project, "diff", NORR, "1.0"), "symbolic link inside release")
