"""A parallel build starts the PDFs that took longest last time first, so that the
last PDF rendering alone is a short one; the bytes are those of a serial build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rmr_gen.core.project import Project
from rmr_gen.workflows import build as builder
from tests.small_project import small_project


def stamps(project: Project) -> dict[str, dict[str, object]]:
    return {
        p.name.removeprefix(".build-").removesuffix(".json"): json.loads(p.read_text())
        for p in sorted(project.output_dir.glob("*/.build-*.json"))
    }


def test_the_slowest_pdf_renders_first_and_bytes_do_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.open(small_project(tmp_path / "project"))
    summary = builder.build(project, jobs=1)
    assert summary.count("built") == 3
    serial = {p.name: p.read_bytes() for p in project.output_dir.glob("*/*.pdf")}
    found = stamps(project)
    assert sorted(found) == sorted(p.removesuffix(".pdf") for p in serial)
    assert all(isinstance(s["seconds"], float) and s["seconds"] > 0 for s in found.values())

    # the stamps say the first PDF in name order was the fastest, the last the slowest
    names = sorted(found)
    for rank, name in enumerate(names):
        path = next(project.output_dir.glob(f"*/.build-{name}.json"))
        path.write_text(json.dumps({**found[name], "seconds": float(rank + 1)}))
    started: list[str] = []
    render_all = builder.render_all

    def recorded(project_: Project, jobs: list, workers: int, *early):  # type: ignore[no-untyped-def]
        started.extend(job.report.name for job, _, _ in jobs)
        yield from render_all(project_, jobs, workers, *early)

    monkeypatch.setattr(builder, "render_all", recorded)
    summary = builder.build(project, force=True, jobs=2)
    assert summary.count("built") == 3
    assert started == names[::-1]
    assert {p.name: p.read_bytes() for p in project.output_dir.glob("*/*.pdf")} == serial
    assert all(s["seconds"] > 0 for s in stamps(project).values())


def test_an_unreadable_stamp_only_loses_the_order(tmp_path: Path) -> None:
    project = Project.open(small_project(tmp_path / "project"))
    builder.build(project, jobs=1)
    for stamp in project.output_dir.glob("*/.build-*.json"):
        stamp.write_text("[1, 2")  # not ours
    summary = builder.build(project, jobs=2)
    assert summary.count("built") == 3  # rebuilt (the stamp does not say it is current)
