"""Releases as a publisher sees them: immutable folders, refusals, verification."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import NORR, normalise, own_template, pdf_pages_text
from tests.test_cli import assert_refused, replace_in
from tests.test_processmal_norr import tabell_1_parts

TOML = Path("reports") / NORR / "report.toml"
CSV = Path("data") / "palliativ-norr.csv"
MOTIVERING = Path("reports") / NORR / "motivering.md"


def release_dir(project: Path, version: str) -> Path:
    return project / "output" / NORR / version


def release_pdf(project: Path, version: str) -> Path:
    return release_dir(project, version) / f"{NORR}-{version}.pdf"


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its sha256: what 'nothing touched' compares."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def norrbotten_tackningsgrad(pdf: Path) -> str:
    rows = [row for part in tabell_1_parts(pdf) for row in part[1:]]
    return next(row[1] for row in rows if row[0] == "Norrbotten")


def make_1_1(project: Path) -> None:
    """One data value and one sentence change; the version moves on."""
    replace_in(
        project / CSV,
        "tackningsgrad;Norrbotten;2022–2023;cancer;55",
        "tackningsgrad;Norrbotten;2022–2023;cancer;60",
    )
    replace_in(project / MOTIVERING, "som används som utvärdering", "som används för utvärdering")
    replace_in(project / TOML, 'version = "1.0"', 'version = "1.1"')


@pytest.fixture
def released_1_0(project: Path, run) -> Path:
    result = run(project, "release", NORR, "--version", "1.0")
    assert result.exit_code == 0, result.output
    return project


def test_release_writes_pdf_snapshot_and_manifest(released_1_0: Path) -> None:
    folder = release_dir(released_1_0, "1.0")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["report"] == NORR
    assert manifest["version"] == "1.0"
    assert manifest["rmr_gen"]
    assert manifest["released"].endswith("Z")
    files = manifest["files"]
    assert f"source/reports/{NORR}/report.toml" in files
    assert f"source/reports/{NORR}/motivering.md" in files
    assert "source/data/palliativ-norr.csv" in files
    assert "source/data/indicators.toml" in files
    assert "source/templates/base.html.j2" in files
    assert {k: v for k, v in tree(folder).items() if k != "manifest.json"} == files
    for path in folder.rglob("*"):
        if path.is_file():
            assert path.stat().st_mode & 0o222 == 0, path
    text = normalise(" ".join(pdf_pages_text(release_pdf(released_1_0, "1.0"))))
    assert "Version 1.0" in text
    assert "2025-06-04" in text


def test_release_1_1_recomputes_and_leaves_1_0_untouched(released_1_0: Path, run) -> None:
    project = released_1_0
    before = tree(release_dir(project, "1.0"))
    assert norrbotten_tackningsgrad(release_pdf(project, "1.0")) == "55 (-2)"
    make_1_1(project)
    result = run(project, "release", NORR, "--version", "1.1")
    assert result.exit_code == 0, result.output
    assert f"released {NORR} 1.1" in result.stdout
    assert tree(release_dir(project, "1.0")) == before
    assert norrbotten_tackningsgrad(release_pdf(project, "1.1")) == "60 (+3)"
    text = normalise(" ".join(pdf_pages_text(release_pdf(project, "1.1"))))
    assert "Version 1.1" in text and "som används för utvärdering" in text
    for version in ("1.0", "1.1"):
        result = run(project, "verify", NORR, version)
        assert result.exit_code == 0, result.output
        assert f"verified {NORR} {version}" in result.stdout
    assert "released 1.0, 1.1 (draft same as 1.1)" in run(project, "list").stdout
    replace_in(project / MOTIVERING, "Valda mål", "Valda  mål")
    assert "released 1.0, 1.1 (draft differs from 1.1)" in run(project, "list").stdout


def test_rereleasing_a_version_is_refused_and_touches_nothing(released_1_0: Path, run) -> None:
    before = tree(released_1_0 / "output")
    result = run(released_1_0, "release", NORR, "--version", "1.0")
    assert_refused(
        result, f"output/{NORR}/1.0: error: version 1.0 of {NORR} exists; releases never change"
    )
    assert tree(released_1_0 / "output") == before


def test_lower_version_is_refused(released_1_0: Path, run) -> None:
    replace_in(released_1_0 / TOML, 'version = "1.0"', 'version = "0.9"')
    before = tree(released_1_0 / "output")
    result = run(released_1_0, "release", NORR, "--version", "0.9")
    assert_refused(
        result,
        f"output/{NORR}/0.9: error: version 0.9 is not greater than the latest release 1.0",
    )
    assert tree(released_1_0 / "output") == before
    assert not release_dir(released_1_0, "0.9").exists()


@pytest.mark.parametrize("version", ["1", "v1.0", "1.0/../../x", "01.0", "1.0.0", ".."])
def test_bad_version_is_refused_before_it_becomes_a_path(project: Path, run, version: str) -> None:
    result = run(project, "release", NORR, "--version", version)
    assert_refused(
        result,
        f"--version: error: '{version}' is not a release version: use major.minor, e.g. 1.0 or 2.3",
    )
    assert not (project / "output").exists()


def test_bad_report_id_is_refused(project: Path, run) -> None:
    result = run(project, "release", "../reports", "--version", "1.0")
    assert result.exit_code == 2
    assert "is not a report id" in result.stderr
    assert not (project / "output").exists()


def test_version_must_match_report_toml(project: Path, run) -> None:
    result = run(project, "release", NORR, "--version", "2.0")
    assert_refused(
        result,
        f'reports/{NORR}/report.toml:9: error: version is "1.0" but the release is 2.0: set '
        'version = "2.0" so the document prints the version it is released as',
    )
    assert not (project / "output").exists()


def test_symlink_in_release_path_is_refused(project: Path, run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "output").mkdir()
    (project / "output" / NORR).symlink_to(elsewhere, target_is_directory=True)
    result = run(project, "release", NORR, "--version", "1.0")
    assert_refused(result, f"output/{NORR}: error: is a symbolic link; releases refuse links")
    assert list(elsewhere.iterdir()) == []


def test_a_release_in_progress_wins(project: Path, run) -> None:
    """Two releases of one version: the one holding the lock wins, the other is refused."""
    import fcntl

    folder = project / "output" / NORR
    folder.mkdir(parents=True)
    with (folder / ".release-1.0.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run(project, "release", NORR, "--version", "1.0")
    assert result.exit_code == 2
    assert "another release of" in result.stderr
    assert not (folder / "1.0").exists()


def test_a_killed_release_does_not_block_the_next(project: Path, run) -> None:
    """What a killed release leaves (its lock file, its staging folder) is cleared."""
    folder = project / "output" / NORR
    (folder / ".release-1.0-abc123" / "source").mkdir(parents=True)
    (folder / ".release-1.0.lock").write_text("")
    result = run(project, "release", NORR, "--version", "1.0")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["1.0"]


def test_verify_finds_a_changed_file(released_1_0: Path, run) -> None:
    text = release_dir(released_1_0, "1.0") / "source" / MOTIVERING
    text.chmod(0o644)
    text.write_text(text.read_text(encoding="utf-8") + "\nTillägg.\n", encoding="utf-8")
    result = run(released_1_0, "verify", NORR, "1.0")
    assert_refused(
        result,
        f"output/{NORR}/1.0/source/{MOTIVERING.as_posix()}: error: changed since the release (sha256 differs)",
    )


def test_verify_unknown_version(released_1_0: Path, run) -> None:
    result = run(released_1_0, "verify", NORR, "2.0")
    assert_refused(result, f"output/{NORR}/2.0: error: no release 2.0 of {NORR} (released: 1.0)")


NEXT = "processmal-palliativ-norr-2026-2029"


def add_next_year_rows(csv: Path) -> None:
    """The 2023–2024 export: every 2022–2023 row again, one point higher."""
    lines = csv.read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines[1:]:
        indicator, region, period, population, value = line.split(";")
        if period == "2022–2023":
            rows.append(f"{indicator};{region};2023–2024;{population};{min(int(value) + 1, 100)}")
    csv.write_text("\n".join([*lines, *rows]) + "\n", encoding="utf-8")


def test_next_years_plan_reads_the_previous_period_from_the_release(
    released_1_0: Path, run
) -> None:
    project = released_1_0
    result = run(project, "new", NEXT, "--from", NORR)
    assert result.exit_code == 0, result.output
    toml = (project / "reports" / NEXT / "report.toml").read_text(encoding="utf-8")
    assert f'previous = "{NORR}@1.0"' in toml
    assert 'period = "2023–2024"' in toml and 'previous_period = "2022–2023"' in toml
    assert 'version = "1.0"' in toml
    assert "previous_period_assumed" not in toml  # now the released plan's own period
    assert (project / "reports" / NEXT / "motivering.md").read_bytes() == (
        project / "reports" / NORR / "motivering.md"
    ).read_bytes()
    add_next_year_rows(project / CSV)
    # The working data's old period is edited after the release: the plan must not see it.
    replace_in(
        project / CSV,
        "tackningsgrad;Norrbotten;2022–2023;cancer;55",
        "tackningsgrad;Norrbotten;2022–2023;cancer;10",
    )
    result = run(project, "release", NEXT, "--version", "1.0")
    assert result.exit_code == 0, result.output
    pdf = project / "output" / NEXT / "1.0" / f"{NEXT}-1.0.pdf"
    assert norrbotten_tackningsgrad(pdf) == "56 (+1)"  # 56 − 55 from the 1.0 snapshot, not − 10
    manifest = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    assert f"source/output/{NORR}/1.0/source/data/palliativ-norr.csv" in manifest["files"]
    result = run(project, "verify", NEXT, "1.0")
    assert result.exit_code == 0, result.output


def test_new_refuses_an_existing_report_or_no_release(project: Path, run) -> None:
    result = run(project, "new", NEXT, "--from", NORR)
    assert_refused(
        result,
        f"output/{NORR}: error: '{NORR}' has no release to carry over"
        f" (release it first: rmr-gen release {NORR} --version X.Y)",
    )
    assert not (project / "reports" / NEXT).exists()
    result = run(project, "new", NORR, "--from", NORR)
    assert_refused(result, f"reports/{NORR}: error: report '{NORR}' exists")


def test_previous_must_name_a_release(project: Path, run) -> None:
    replace_in(project / TOML, 'version = "1.0"', f'version = "1.0"\nprevious = "{NORR}@0.9"')
    result = run(project, "check")
    assert_refused(
        result,
        f"reports/{NORR}/report.toml:10: error: no release 0.9 of '{NORR}' with data"
        f" (release it first: rmr-gen release {NORR} --version 0.9)",
    )


def test_a_release_verifies_wherever_the_project_is_copied(
    released_1_0: Path, run, tmp_path: Path
) -> None:
    """Nothing in the PDF depends on where the project lies: a clone verifies too."""
    import shutil

    clone = tmp_path / "elsewhere" / "clone"
    shutil.copytree(released_1_0, clone)
    result = run(clone, "verify", NORR, "1.0")
    assert result.exit_code == 0, result.output


def test_concurrent_releases_of_one_version_cannot_both_win(project: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "rmr_gen", "--project", str(project), "release", NORR]
    processes = [
        subprocess.Popen(
            [*command, "--version", "1.0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = sorted(p.wait() for p in processes)
    errors = " ".join(p.stderr.read() for p in processes)
    assert outcomes == [0, 2], errors
    assert "releases never change" in errors or "in progress" in errors
    assert [p.name for p in (project / "output" / NORR).iterdir()] == ["1.0"]


def test_a_failed_release_leaves_nothing(project: Path, run) -> None:
    """A problem found while making the PDF in staging leaves no folder or lock behind."""
    replace_in(
        own_template(project, "processmal/report.html.j2"),
        "{% block page_header %}",
        '{% block page_header %}<img src="saknas.png" alt="">',
    )
    assert run(project, "check").exit_code == 0  # only the PDF step can find it
    result = run(project, "release", NORR, "--version", "1.0")
    assert result.exit_code == 2, result.output
    assert "resource" in result.stderr
    assert not (project / "output").exists()
