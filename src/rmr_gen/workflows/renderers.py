"""Rendering processes started before planning, when a build will likely render.

A process that renders first imports WeasyPrint, pikepdf, Jinja and Markdown and
loads its fonts: about 0.4 s, longer than planning a whole project. Started at
the beginning of ``build``, the processes do that while the main process reads,
validates and hashes the reports, instead of after it. This module is light on
purpose: the processes fork before the main process imports the build itself.

Whether a build will render is guessed from file times (a PDF older than its
inputs, or none): a wrong guess costs only the warm-up's CPU time, or loses only
the overlap; what is rendered is still decided by the plan's content hashes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.confine import Refused, head
from rmr_gen.core.project import REPORT_ID, Project
from rmr_gen.output.guard import DeadlineWorker, call_named

#: What a rendering process loads before its first job (see renderpool.warm_process).
WARM_UP = "rmr_gen.workflows.renderpool:warm_process"

#: A parameterised report makes one PDF per value; more than any machine's cores.
MANY = 1_000


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Renderers:
    """One warm child for a serial build, or a pool of warm workers (or neither)."""

    workers: int = 0
    serial: DeadlineWorker | None = None
    pool: ProcessPoolExecutor | None = None

    def close(self) -> None:
        """End the processes (a pool's workers finish the warm-up first)."""
        if self.serial is not None:
            self.serial.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.serial = self.pool = None

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start(
    project: Project, report_ids: Sequence[str] | None, *, force: bool, jobs: int | None
) -> Renderers:
    """Warm rendering processes for a build of ``report_ids``, if it will likely render."""
    expected = expected_pdfs(project, list(report_ids or project.report_ids()), force)
    if not expected:
        return Renderers()
    workers = min(jobs or default_jobs(), expected)
    if workers <= 1:
        return Renderers(1, serial=warm_serial(project))
    return Renderers(workers, pool=warm_pool(project, workers))


def warm_serial(project: Project) -> DeadlineWorker:
    """A rendering child, started now, warming up for ``project``."""
    worker = DeadlineWorker()
    worker.prepare(WARM_UP, str(project.root))
    return worker


def warm_pool(project: Project, workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` rendering processes, started now, each warming up first."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=call_named,
        initargs=(WARM_UP, str(project.root)),
    )
    pool.submit(os.getpid)  # starts the workers now
    return pool


def expected_pdfs(project: Project, report_ids: list[str], force: bool) -> int:
    """How many PDFs the build will likely render: 0 when every report's PDFs are
    newer than its inputs; :data:`MANY` for a parameterised report."""
    shared = _newest(project.own_templates_dir, project.data_dir)
    count = 0
    for report_id in report_ids:
        if not REPORT_ID.match(report_id):
            continue
        folder = project.reports_dir / report_id
        output = project.output_folder(report_id)
        pdfs = _pdf_times(output)
        if not force and pdfs and min(pdfs) >= max(shared, _newest(folder)):
            continue
        count += MANY if _parameterised(project, folder / "report.toml") else 1
    return count


#: A ``[parameter]`` table, or a ``parameter.by`` / ``parameter = {…}`` key, at a line's start.
PARAMETER = re.compile(rb"^[ \t]*(?:\[[ \t]*parameter[ \t]*\]|parameter[ \t]*[.=])", re.M)

#: How much of a report.toml the guess reads: the file is untrusted and not parsed here
#: (planning reads it with every check, and names what is wrong with it).
HEAD_BYTES = 64 * 1024


def _parameterised(project: Project, report_toml: Path) -> bool:
    """Whether the report seems parameterised: a guess from the first bytes of a regular
    file inside reports/, never blocking on a FIFO nor reading a device."""
    try:
        return PARAMETER.search(head(report_toml, [project.reports_dir], HEAD_BYTES)) is not None
    except (Refused, OSError):
        return False


def _pdf_times(folder: Path) -> list[float]:
    """The modification times of the PDFs in ``folder``: a file removed (or the folder
    swapped) while the guess looks is left out, never an error."""
    times = []
    try:
        for pdf in folder.glob("*.pdf"):
            try:
                times.append(pdf.stat().st_mtime)
            except OSError:
                continue
    except OSError:
        return []
    return times


def _newest(*folders: Path) -> float:
    """The latest modification time of a file in ``folders`` (0 if none)."""
    newest = 0.0
    for folder in folders:
        if not folder.is_dir():
            continue
        for root, _, files in os.walk(folder):
            for name in files:
                try:
                    newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
                except OSError:
                    continue
    return newest
