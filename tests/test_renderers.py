"""Rendering processes started before planning: only when a build will likely render,
never left behind, and a warm-up that fails or hangs costs nothing but a fresh child."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rmr_gen.core.project import Project
from rmr_gen.output.guard import DeadlineWorker
from rmr_gen.workflows import renderers
from rmr_gen.workflows.renderers import MANY, expected_pdfs
from tests.small_project import small_project

SINGLE, PER_REGION = "liten-processmal", "liten-per-sjukvardsregion"


def _children() -> list[int]:
    """Live child processes of this process (zombies excluded)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.append(int(entry))
    return found


def test_a_build_is_expected_to_render_until_its_pdfs_are_newer_than_every_input(
    tmp_path: Path, run
) -> None:
    project_dir = small_project(tmp_path / "project")
    project = Project(project_dir)
    assert expected_pdfs(project, [SINGLE, PER_REGION], force=False) == 1 + MANY
    assert run(project_dir, "build").exit_code == 0
    assert expected_pdfs(project, [SINGLE, PER_REGION], force=False) == 0
    assert expected_pdfs(project, [SINGLE, PER_REGION], force=True) == 1 + MANY

    text = next((project_dir / "reports" / SINGLE).glob("*.md"))
    later = time.time() + 5
    os.utime(text, (later, later))
    assert expected_pdfs(project, [SINGLE, PER_REGION], force=False) == 1
    data = next((project_dir / "data").glob("*.csv"))
    os.utime(data, (later, later))  # shared by every report
    assert expected_pdfs(project, [SINGLE, PER_REGION], force=False) == 1 + MANY


def test_nothing_is_started_for_a_build_with_nothing_to_do(tmp_path: Path, run) -> None:
    project_dir = small_project(tmp_path / "project")
    assert run(project_dir, "build").exit_code == 0
    with renderers.start(Project(project_dir), None, force=False, jobs=2) as started:
        assert (started.serial, started.pool) == (None, None)
        assert _children() == []


def test_early_processes_are_gone_when_every_report_fails(tmp_path: Path, run) -> None:
    project_dir = small_project(tmp_path / "project")
    for report in (SINGLE, PER_REGION):
        toml = project_dir / "reports" / report / "report.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + "\nunknown_key = 1\n", encoding="utf-8")
    for jobs in ("1", "2"):
        result = run(project_dir, "build", "--jobs", jobs)
        assert result.exit_code == 2, result.output
        assert "unknown_key" in result.output
        assert not list((project_dir / "output").rglob("*.pdf"))
        assert _children() == []


def test_a_build_with_early_processes_writes_the_same_bytes(tmp_path: Path, run) -> None:
    early = small_project(tmp_path / "early")
    assert run(early, "build", "--jobs", "2").exit_code == 0
    late = small_project(tmp_path / "late")
    project = Project(late)
    from rmr_gen.workflows.build import build

    assert build(project, force=True, jobs=2).count("built") == 3  # no early processes
    pdfs = {p.name: p.read_bytes() for p in (early / "output").rglob("*.pdf")}
    assert len(pdfs) == 3
    assert pdfs == {p.name: p.read_bytes() for p in (late / "output").rglob("*.pdf")}
    assert _children() == []


def fails(project_root: str = "") -> None:
    raise RuntimeError("no fonts here")


def dies(project_root: str = "") -> None:
    os._exit(3)


def hangs(project_root: str = "") -> None:
    time.sleep(60)


@pytest.mark.parametrize("warm_up", ["fails", "dies", "hangs"])
def test_a_failed_or_hung_warm_up_costs_only_a_fresh_child(
    warm_up: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DeadlineWorker, "WARM_UP_SECONDS", 1.0)
    started = time.monotonic()
    with DeadlineWorker() as worker:
        worker.prepare(f"{__name__}:{warm_up}")
        assert worker.call(10, os.getpid) != os.getpid()  # ran in a child
        assert worker.call(10, sum, (1, 2)) == 3
    assert time.monotonic() - started < 10
    assert _children() == []


def test_a_pool_whose_warm_up_fails_still_builds_every_pdf(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rmr_gen.workflows import renderpool

    def broken(*_: object) -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(renderpool, "preload_markdown", broken)
    project_dir = small_project(tmp_path / "project")
    result = run(project_dir, "build", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert len(list((project_dir / "output").rglob("*.pdf"))) == 3


@pytest.mark.parametrize(
    ("content", "parameterised"),
    [
        ('kind = "processmal"\n\n[parameter]\nby = "region"\n', True),
        ('kind = "processmal"\nparameter.by = "region"\n', True),
        ('kind = "processmal"\nparameter = { by = "region" }\n', True),
        ('kind = "processmal"\n# [parameter] is not used here\ntitle = "parameter"\n', False),
    ],
)
def test_the_guess_reads_a_parameter_table_in_any_toml_spelling(
    tmp_path: Path, content: str, parameterised: bool
) -> None:
    toml = tmp_path / "reports" / "rapport" / "report.toml"
    toml.parent.mkdir(parents=True)
    toml.write_text(content, encoding="utf-8")
    assert renderers._parameterised(Project(tmp_path), toml) is parameterised


def test_the_guess_never_reads_a_device_nor_waits_for_a_fifo(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    device = reports / "device.toml"
    device.symlink_to("/dev/zero")
    fifo = reports / "fifo.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert not renderers._parameterised(Project(tmp_path), device)
    assert not renderers._parameterised(Project(tmp_path), fifo)
    assert time.monotonic() - started < 1
