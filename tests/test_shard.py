"""``build --shard K/N``: N machines build every PDF exactly once, the same bytes as one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.small_project import small_project


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rmr_gen", "--project", str(project), "build", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"CI": "1", "PATH": "", "SOURCE_DATE_EPOCH": "1700000000"},
    )


def pdfs(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "output").glob("*/*.pdf")}


def test_shards_build_each_pdf_once_with_the_bytes_of_one_build(tmp_path: Path) -> None:
    whole = small_project(tmp_path / "whole")
    assert build(whole, "--jobs", "1").returncode == 0
    expected = pdfs(whole)
    assert len(expected) == 3

    shards = []
    for k in (1, 2):
        machine = small_project(tmp_path / f"shard-{k}")
        result = build(machine, "--shard", f"{k}/2", "--jobs", "1")
        assert result.returncode == 0, result.stderr
        assert re.search(rf"^{len(pdfs(machine))} built, 0 skipped, 0 failed", result.stdout, re.M)
        shards.append(pdfs(machine))
    assert [sorted(s) for s in shards] == [
        ["liten-per-sjukvardsregion-stockholm-gotland.pdf", "liten-processmal.pdf"],
        ["liten-per-sjukvardsregion-vastra-sjukvardsregionen.pdf"],
    ]
    assert shards[0] | shards[1] == expected  # byte for byte


def test_a_shard_larger_than_the_build_builds_nothing(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    result = build(project, "liten-processmal", "--shard", "2/2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0 built, 0 skipped, 0 failed\n"
    assert pdfs(project) == {}


def test_a_bad_shard_is_a_usage_error(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    for value in ("3/2", "0/2", "1", "a/b", "1/0", "-1/2"):
        result = build(project, "--shard", value)
        assert result.returncode == 2, value
        assert "Invalid value for '--shard'" in result.stderr
        assert "is not K/N with 1 ≤ K ≤ N, e.g. 1/4" in result.stderr
        assert not (project / "output").exists()
