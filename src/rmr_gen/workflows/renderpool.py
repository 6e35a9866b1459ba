"""Rendering jobs: each in a child process killed at ``limits.max_seconds``, many at once
in a pool of worker processes."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.content.compute import is_suppressed
from rmr_gen.content.markdown import preload as preload_markdown
from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.i18n import M
from rmr_gen.core.project import Project
from rmr_gen.output.archive import Attachment, document_info, source_attachments
from rmr_gen.output.assemble import Assembler
from rmr_gen.output.guard import (
    DeadlineWorker,
    TimeLimitExceeded,
    WorkDied,
    origin_of,
    run_with_deadline,
    time_limit,
)
from rmr_gen.output.pdf import hard_deadline, report_pdf, warm_up
from rmr_gen.output.pdf import preload as preload_pdf
from rmr_gen.output.pdfua import preload as preload_pikepdf
from rmr_gen.output.render import Block, check_templates, read_stylesheets
from rmr_gen.output.web import Edition, render_page
from rmr_gen.output.webfonts import WebFont
from rmr_gen.workflows.planning import Job, cache_for
from rmr_gen.workflows.renderers import Renderers, warm_pool, warm_serial


@dataclass(frozen=True)
class WebRequest:
    """What a job's web page needs besides the job: its version state and fonts."""

    edition: Edition
    fonts: tuple[WebFont, ...]
    key: str  # the web page's inputs, for skipping it next time


@dataclass(frozen=True)
class Rendered:
    job: Job
    html: str = ""
    pdf: bytes = b""
    pages: int = 0
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    web: str = ""  # the web page, when one was asked for


def sources_of(job: Job, project: Project) -> tuple[Attachment, ...]:
    """What the PDF embeds for archives: report.toml and the data rows it prints.
    A suppressed row (too few cases) is not printed, so it is not embedded either."""
    minimum = job.report.min_denominator
    printed = [m for m in job.data.values() if not is_suppressed(m, minimum)]
    return source_attachments(job.report, printed, project.root)


_WORKER_WORK: dict[Path, Assembler] = {}


_PROCESS_WORKER: list[DeadlineWorker] = []


def render_job(
    project_root: Path,
    job: Job,
    make_pdf: bool = True,
    web: WebRequest | None = None,
    worker: DeadlineWorker | None = None,
) -> Rendered:
    """HTML and PDF (and web page) of one job, in a child process killed at
    ``limits.max_seconds`` (whatever the template or WeasyPrint does, the limit binds)."""
    project = Project(project_root)
    if worker is None:  # in a pool's worker process: one child for its lifetime
        if not _PROCESS_WORKER:
            from multiprocessing import util

            _PROCESS_WORKER.append(DeadlineWorker())
            # ended and waited for when the worker process ends: no orphan, and its
            # CPU time counts in the build's (resource.RUSAGE_CHILDREN)
            util.Finalize(_PROCESS_WORKER[0], _PROCESS_WORKER[0].close, exitpriority=10)
        worker = _PROCESS_WORKER[0]
        # in a pool worker: loaded before its child forks, which then shares it
        _prepare_process(project, job)
    limits = job.report.limits
    try:
        return worker.call(
            hard_deadline(limits.max_seconds), _render_in_child, project_root, job, make_pdf, web
        )
    except (TimeLimitExceeded, WorkDied, MemoryError) as exc:
        return Rendered(job, problems=(_overrun(project, job, exc),))


def _overrun(project: Project, job: Job, exc: Exception) -> Problem:
    """What a rendering child that overran its time or memory limit means for the user."""
    if isinstance(exc, TimeLimitExceeded):
        limit = job.report.limits.max_seconds
        message = M(
            "build.render-too-slow",
            "rendering took longer than limits.max_seconds = {limit} s",
            limit=limit,
        )
    else:
        message = M(
            "build.render-out-of-memory",
            "rendering ran out of memory (or was killed); the input is too large",
        )
    return Problem(Location(project.shown(job.report.folder / "report.toml")), message)


def warm_process(project_root: str) -> None:
    """Load what every PDF of the project needs (WeasyPrint and its fonts, pikepdf, the
    Markdown parser, the compiled templates) before the first job: in a process started
    early, while the main process plans. It is only a speed-up: whatever goes wrong here
    is left for the jobs to report (a pool's initializer that raised would break the pool)."""
    try:
        with time_limit(int(DeadlineWorker.WARM_UP_SECONDS)):  # a pool has no deadline child
            preload_pdf()
            preload_pikepdf()
            preload_markdown()
            warm_up()
            project = Project(Path(project_root))
            check_templates(project.template_dirs, project.root)
            _assembler(project)
    except Exception:  # reported by the job that meets it
        return


def _assembler(project: Project) -> Assembler:
    """This process's assembler for ``project`` (its compiled templates, cached charts)."""
    work = _WORKER_WORK.get(project.root)
    if work is None:
        work = _WORKER_WORK[project.root] = Assembler(project, cache_for(project))
    return work


def _prepare_process(project: Project, job: Job) -> Assembler:
    """This process's assembler for ``project``, and the fonts of the job's stylesheets."""
    work = _assembler(project)
    with contextlib.suppress(InputError):
        warm_up(
            read_stylesheets(project.template_dirs, job.report.kind, project.root),
            project.templates_dir,
            project.readable_roots,
        )
    return work


def _render_in_child(
    project_root: Path, job: Job, make_pdf: bool, web: WebRequest | None
) -> Rendered:
    project = Project(project_root)
    work = _prepare_process(project, job)
    started = time.perf_counter()
    try:
        html, blocks = work.render(job.report, job.data)
        page = ""
        if web is not None:
            page = render_page(project, job.report, blocks, job.data, web.edition, web.fonts)
        if not make_pdf:
            work.cache.flush()
            return Rendered(job, html, web=page, seconds=time.perf_counter() - started)
        sources = [
            *sorted(job.report.folder.rglob("*")),
            *(p for p in project.template_files().values() if p.suffix in (".j2", ".css")),
        ]
        # the HTML as laid out (after the hyphen-run fix): --html writes what became the PDF
        pdf, pages, html = report_pdf(
            project,
            job.report,
            html,
            document_info(job.report),
            sources_of(job, project),
            origin=lambda url: origin_of(url, (p for p in sources if p.is_file()), project.root),
        )
    except InputError as exc:
        return Rendered(job, problems=exc.problems)
    work.cache.flush()  # the charts of a PDF that rendered are worth keeping
    return Rendered(job, html, pdf, pages, time.perf_counter() - started, web=page)


#: A job to render: whether its PDF is wanted, and its web page's request if that is.
Task = tuple[Job, bool, WebRequest | None]


def render_all(
    project: Project, jobs: list[Task], workers: int, started: Renderers | None = None
) -> Iterator[Rendered]:
    """Render ``jobs``, in the processes ``started`` early when they fit the work."""
    started = started or Renderers()
    if workers <= 1 or len(jobs) <= 1:
        with started.serial or warm_serial(project) as worker:
            for job, make_pdf, web in jobs:
                yield render_job(project.root, job, make_pdf, web, worker)
        return
    from concurrent.futures import as_completed

    with started.pool or warm_pool(project, min(workers, len(jobs))) as pool:
        futures = [pool.submit(render_job, project.root, *task) for task in jobs]
        for future in as_completed(futures):
            yield future.result()


def bounded_render(project: Project, work: Assembler, job: Job) -> tuple[str, list[Block]]:
    """:meth:`Assembler.render` in a child process killed at ``limits.max_seconds``."""
    limits = job.report.limits
    try:
        return run_with_deadline(
            hard_deadline(limits.max_seconds), work.render, job.report, job.data
        )
    except (TimeLimitExceeded, WorkDied, MemoryError) as exc:
        raise InputError([_overrun(project, job, exc)]) from None
