"""The rmr-gen script ends its process without interpreter teardown: what it printed
and wrote must still all be there, with the right exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rmr_gen import __version__
from tests.small_project import small_project


def rmr_gen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rmr_gen", "--project", str(project), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"CI": "1", "PATH": ""},
    )


def test_output_to_a_pipe_is_complete_and_files_are_written(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    built = rmr_gen(project, "build", "--jobs", "2", "--html")
    assert built.returncode == 0, built.stderr
    lines = built.stdout.splitlines()
    assert len(lines) == 4 and lines[-1].startswith("3 built, 0 skipped, 0 failed; ")
    for pdf in (project / "output").glob("*/*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
        assert pdf.with_suffix(".html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    listed = rmr_gen(project, "list")
    assert listed.returncode == 0
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "liten-per-sjukvardsregion",
        "liten-processmal",
    ]


def test_exit_codes_and_messages(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    unknown = rmr_gen(project, "build", "finns-inte")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("reports/finns-inte: error: unknown report 'finns-inte'")
    assert unknown.stderr.endswith("0 built, 0 skipped, 1 failed\n")
    usage = rmr_gen(project, "build", "--finns-inte")
    assert usage.returncode == 2
    assert "No such option: --finns-inte" in usage.stderr
    version = rmr_gen(project, "--version")
    assert (version.returncode, version.stdout) == (0, f"rmr-gen {__version__}\n")
