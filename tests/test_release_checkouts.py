"""A release verifies in every kind of checkout a project really has, and a tamper fails it.

One short RMR whose text has an image (tests/fixtures/checkouts), in a project made by
``rmr-gen init``, released once and committed; then a full clone, a shallow clone, a
``core.autocrlf=true`` clone, a copy without git and an editable install of rmr-gen
inside the project each run ``verify``: exit 0 untouched (with a note saying what
could not be checked), exit 2 naming the file once a snapshot file is changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

import rmr_gen
from rmr_gen.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "checkouts"
PACKAGE = Path(rmr_gen.__file__).resolve().parent  # the package under test
REPORT = "bild-rmr"
TEXT = f"output/{REPORT}/1.0/source/reports/{REPORT}/riktlinje.md"
GIT = ["git", "-c", "user.name=Redaktör", "-c", "user.email=r@example.org"]
GIT += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(where: Path, *args: str, autocrlf: str = "false") -> str:
    """git with a known configuration (``autocrlf="true"``: Git for Windows' default)."""
    command = [*GIT, "-c", f"core.autocrlf={autocrlf}", *args]
    done = subprocess.run(command, cwd=where, capture_output=True, text=True, check=True)
    return done.stdout


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cli(project: Path, *args: str):
    return CliRunner().invoke(app, ["--project", str(project), *args])


def made_by_init(target: Path) -> Path:
    """``rmr-gen init`` (its .gitignore and .gitattributes), with the fixture's report."""
    result = CliRunner().invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    shutil.copytree(FIXTURE / "reports" / REPORT, target / "reports" / REPORT)
    return target


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project with 1.0 released and committed, as a publisher keeps it; and what
    ``release`` said on stderr."""
    project = made_by_init(tmp_path_factory.mktemp("checkouts") / "origin")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Texter")
    result = cli(project, "release", REPORT, "--version", "1.0")
    assert result.exit_code == 0, result.output
    cli(project, "build", REPORT)  # a draft beside the release: git must ignore it
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Version 1.0")
    git(project, "commit", "-q", "--allow-empty", "-m", "Senare arbete")
    return project, result.stderr


@pytest.fixture(scope="module")
def origin(released: tuple[Path, str]) -> Path:
    return released[0]


def verifies(project: Path, *notes: str) -> str:
    result = cli(project, "verify", REPORT, "1.0")
    assert result.exit_code == 0, result.output
    assert "verified bild-rmr 1.0" in result.stdout
    for note in notes:
        assert note in result.stderr, result.stderr
    if not notes:
        assert "note:" not in result.stderr, result.stderr
    return result.stderr


def tampered_fails(project: Path) -> None:
    """One word of the released text changed: exit 2 naming the file, no traceback."""
    text = project / TEXT
    text.chmod(0o644)  # releases are read only
    text.write_bytes(text.read_bytes().replace(b"varje", b"vartannat"))
    result = cli(project, "verify", REPORT, "1.0")
    assert result.exit_code == 2, result.output
    assert f"{TEXT}: error: changed since the release (sha256 differs)" in result.stderr
    assert "Traceback" not in result.output


def test_init_ignores_drafts_only_so_the_release_is_committed(
    released: tuple[Path, str],
) -> None:
    origin, stderr = released
    assert f"note: commit output/{REPORT}/1.0/ and output/releases.lock now" in stderr, stderr
    tracked = git(origin, "ls-files", "output").split()
    assert "output/releases.lock" in tracked
    assert f"output/{REPORT}/1.0/manifest.json" in tracked
    assert f"output/{REPORT}/1.0/{REPORT}-1.0.pdf" in tracked
    assert f"output/{REPORT}/1.0/source/reports/{REPORT}/flode.png" in tracked
    assert (origin / "output" / REPORT / f"{REPORT}.pdf").is_file()
    assert f"output/{REPORT}/{REPORT}.pdf" not in tracked  # the draft
    assert not [name for name in tracked if name.startswith("output/.cache/")]


def test_a_report_with_an_image_verifies_right_after_release(origin: Path) -> None:
    verifies(origin)
    with pikepdf.open(origin / "output" / REPORT / "1.0" / f"{REPORT}-1.0.pdf") as pdf:
        images = [
            name
            for name, xobject in pdf.pages[0].Resources.XObject.items()
            if xobject.Subtype == "/Image"
        ]
    assert len(images) == 1, images


def test_a_full_clone_verifies_and_a_tamper_fails(origin: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", origin.as_uri(), "full")
    verifies(tmp_path / "full")
    tampered_fails(tmp_path / "full")


def test_a_shallow_clone_verifies_the_bytes_and_says_what_it_could_not_check(
    origin: Path, tmp_path: Path
) -> None:
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), "shallow")
    shallow = tmp_path / "shallow"
    stderr = verifies(shallow, "note: a shallow clone: git.commit", "git fetch --unshallow")
    assert stderr.startswith(f"output/{REPORT}/1.0/manifest.json: note:"), stderr
    tampered_fails(shallow)


def test_an_autocrlf_clone_keeps_the_release_bytes(origin: Path, tmp_path: Path) -> None:
    git(
        tmp_path,
        "clone",
        "-q",
        "-c",
        "core.autocrlf=true",
        origin.as_uri(),
        "crlf",
        autocrlf="true",
    )
    crlf = tmp_path / "crlf"
    assert b"\r\n" in (crlf / "reports" / REPORT / "riktlinje.md").read_bytes()  # a draft text
    assert b"\r\n" not in (crlf / TEXT).read_bytes()
    verifies(crlf)
    tampered_fails(crlf)


def test_line_endings_changed_by_git_are_named(origin: Path, tmp_path: Path) -> None:
    """Without the .gitattributes, an autocrlf checkout changes the release: exit 2, and
    the message says that only line endings differ and what to do."""
    bare = tmp_path / "utan-attribut"
    git(tmp_path, "clone", "-q", origin.as_uri(), bare.name)
    git(bare, "rm", "-q", ".gitattributes")
    git(bare, "commit", "-qm", "Utan .gitattributes")
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", bare.as_uri(), "crlf", autocrlf="true")
    result = cli(tmp_path / "crlf", "verify", REPORT, "1.0")
    assert result.exit_code == 2, result.output
    assert (
        f"{TEXT}: error: changed since the release (sha256 differs); only its line endings"
        " differ: git converted them (core.autocrlf)" in result.stderr
    ), result.stderr


def test_a_project_outside_git_verifies_with_a_note(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above
    copy = tmp_path / "utan-git"
    shutil.copytree(origin, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    verifies(copy, "output/releases.lock: note: not in a git repository")
    tampered_fails(copy)


def _in_repo(project: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """rmr-gen imported from ``project/src/rmr_gen``: an editable install inside the
    project, as scripts/setup.sh makes in this repository."""
    shutil.copytree(PACKAGE, project / "src" / "rmr_gen", ignore=shutil.ignore_patterns("__py*"))
    env = {**os.environ, "PYTHONPATH": str(project / "src")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rmr_gen", "--project", str(project), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )

    return run


def test_an_editable_install_inside_the_project_verifies(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    shutil.copytree(FIXTURE / "reports", project / "reports")
    rmr_gen = _in_repo(project)
    where = subprocess.run(
        [sys.executable, "-c", "import rmr_gen; print(rmr_gen.__file__)"],
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(project / "src")), where.stdout
    done = rmr_gen("release", REPORT, "--version", "1.0")
    assert done.returncode == 0, done.stderr
    source = project / "output" / REPORT / "1.0" / "source"
    assert (source / "data" / "organisations.toml").is_file()
    assert (source / "templates" / "base.css").is_file()
    assert not (source / "src").exists()
    done = rmr_gen("verify", REPORT, "1.0")
    assert done.returncode == 0, done.stderr
    assert "rebuilt from the snapshot byte for byte" in done.stdout
    done = rmr_gen("diff", REPORT, "1.0", "--format", "json")
    assert done.returncode == 0, done.stderr
    organisations = source / "data" / "organisations.toml"
    organisations.chmod(0o644)
    organisations.write_text(organisations.read_text("utf-8") + "# ändrad\n", "utf-8")
    done = rmr_gen("verify", REPORT, "1.0")
    assert done.returncode == 2, done.stderr
    assert f"output/{REPORT}/1.0/source/data/organisations.toml: error: changed" in done.stderr


def test_two_ledger_entries_for_one_version_fail_verify(origin: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dubbel"
    shutil.copytree(origin, copy, symlinks=True)
    ledger = copy / "output" / "releases.lock"
    text = ledger.read_text(encoding="utf-8")
    entry = text[text.index("[[release]]") :]
    ledger.write_text(text + "\n" + entry, encoding="utf-8")
    first = text[: text.index("[[release]]")].count("\n") + 1
    second = (text + "\n").count("\n") + 1
    result = cli(copy, "verify", REPORT, "1.0")
    assert result.exit_code == 2, result.output
    assert (
        f"output/releases.lock:{second}: error: 2 entries for {REPORT} 1.0"
        f" (lines {first}, {second})" in result.stderr
    ), result.stderr


def test_a_deleted_release_the_ledger_records_is_named(origin: Path, tmp_path: Path) -> None:
    copy = tmp_path / "borttagen"
    shutil.copytree(origin, copy, symlinks=True)
    folder = copy / "output" / REPORT / "1.0"
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)
    result = cli(copy, "verify", REPORT, "1.0")
    assert result.exit_code == 2, result.output
    assert (
        f"output/{REPORT}/1.0: error: no release 1.0 of {REPORT} (released: none);"
        f" but output/releases.lock records {REPORT} 1.0 (released " in result.stderr
    ), result.stderr
    assert f"restore output/{REPORT}/1.0/ from version control" in result.stderr


@pytest.mark.parametrize(
    ("setup", "note"),
    [
        ("ignored", "note: git ignores this release (.gitignore:1:output/)"),
        ("no git", "note: the project is not in a git repository: commit output/"),
    ],
)
def test_release_says_when_git_will_not_keep_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str, note: str
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above
    project = tmp_path / "projekt"
    shutil.copytree(FIXTURE / "reports", project / "reports")
    if setup == "ignored":
        (project / ".gitignore").write_text("output/\n", encoding="utf-8")
        git(project, "init", "-q")
    result = cli(project, "release", REPORT, "--version", "1.0")
    assert result.exit_code == 0, result.output
    assert note in result.stderr, result.stderr


def test_a_release_made_before_defaults_were_snapshotted_as_data_still_verifies(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Releases made by an editable install inside the project kept rmr-gen's defaults
    under ``source/src/rmr_gen/``; they verify as they are (they cannot be made again)."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    copy = tmp_path / "gammal"
    shutil.copytree(origin, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    folder = copy / "output" / REPORT / "1.0"
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    source, legacy = folder / "source", folder / "source" / "src" / "rmr_gen"
    legacy.mkdir(parents=True)
    (source / "templates").rename(legacy / "templates")
    (legacy / "data").mkdir()
    for name in ("organisations.toml", "indicators.toml", "regions.toml"):
        (source / "data" / name).rename(legacy / "data" / name)
    manifest_path = folder / "manifest.json"
    before = manifest_path.read_bytes()
    manifest = json.loads(before)
    manifest["files"] = {
        name.replace("source/templates/", "source/src/rmr_gen/templates/", 1).replace(
            "source/data/", "source/src/rmr_gen/data/", 1
        ): digest
        for name, digest in manifest["files"].items()
    }
    after = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    manifest_path.write_bytes(after)
    ledger = copy / "output" / "releases.lock"
    ledger.write_text(
        ledger.read_text("utf-8").replace(sha256(before), sha256(after)), encoding="utf-8"
    )
    verifies(copy, "output/releases.lock: note: not in a git repository")
