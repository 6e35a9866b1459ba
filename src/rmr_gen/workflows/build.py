"""``build``, ``check`` and the rendering that ``release``, ``verify`` and ``diff`` share:
plan, render in parallel, write atomically.

1. *Plan* (main process, :mod:`rmr_gen.workflows.planning`): load and validate every report,
   expand parameterised reports into one job per PDF, read the data each job uses
   (:mod:`rmr_gen.workflows.datacache`) and hash everything that goes into its PDF
   (:mod:`rmr_gen.workflows.digests`). A report with a problem gets no job; its problems are
   collected, the other reports go on.
2. *Render* (worker processes with ``--jobs``, :mod:`rmr_gen.workflows.renderpool`): text blocks,
   charts (cached by content), HTML (:mod:`rmr_gen.output.assemble`), PDF.
3. *Write* (main process, :mod:`rmr_gen.workflows.drafts`): each PDF replaces the old one
   atomically, only after it rendered completely; unchanged jobs are skipped and touch
   no file. With ``--web``, the web pages too (:mod:`rmr_gen.workflows.webbuild`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rmr_gen.core.cache import Cache
from rmr_gen.core.errors import InputError, Problems
from rmr_gen.core.files import BUILDS, refuse_links, remove_stale_temporaries
from rmr_gen.core.models import Key, Measurement, Report
from rmr_gen.core.project import REPORT_ID, Project
from rmr_gen.output import web as web_page
from rmr_gen.output.archive import Attachment, DocumentInfo, document_info
from rmr_gen.output.pdf import forget_images
from rmr_gen.output.render import Block
from rmr_gen.workflows.drafts import Outcome, Summary, is_current, pdf_path, stamped, write
from rmr_gen.workflows.planning import Plan, cache_for, plan
from rmr_gen.workflows.renderers import Renderers, default_jobs
from rmr_gen.workflows.renderpool import Task, bounded_render, render_all, sources_of
from rmr_gen.workflows.webbuild import web_requests, write_indexes


@dataclass(frozen=True)
class Prepared:
    """A job's report and the HTML it renders to."""

    report: Report
    html: str | None
    inputs: str  # content hash of everything that goes into the PDF
    blocks: tuple[Block, ...] = ()  # the computed body, for comparing versions
    attachments: tuple[Attachment, ...] = ()  # source files embedded in the PDF
    info: DocumentInfo | None = None
    #: the values it shows (a diff's screen page draws its charts from them)
    data: dict[Key, Measurement] | None = field(default=None, compare=False, repr=False)


def build(
    project: Project,
    report_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    write_html: bool = False,
    write_web: bool = False,
    jobs: int | None = None,
    shard: tuple[int, int] | None = None,
    progress: Callable[[Outcome], None] | None = None,
    planned: Callable[[int], None] | None = None,
    problems: Problems | None = None,
    renderers: Renderers | None = None,
) -> Summary:
    """Build the PDFs of ``report_ids`` (all reports when empty).

    ``shard=(K, N)`` builds only every N-th PDF, from the K-th, in the order of their
    file names: N machines given 1/N … N/N build every PDF once, the same bytes as one.

    Raises InputError only for problems shared by every report (reference data,
    templates, unknown ids); a report's own problems make it "failed" in the summary.
    ``write_web`` also writes each report's web page (see :mod:`rmr_gen.output.web`).
    ``problems``, if given, receives the notes (ignored columns and the like).
    ``renderers`` are rendering processes started before the build (see
    :mod:`rmr_gen.workflows.renderers`); the caller closes them.
    """
    ids = list(report_ids or project.report_ids())
    refuse_links(
        [project.output_dir, *(project.output_folder(i) for i in ids if REPORT_ID.match(i))],
        project.root,
        BUILDS,
    )
    cache = cache_for(project)
    the_plan = plan(project, ids, cache)
    if problems is not None:
        problems.extend(the_plan.notes)
    summary = Summary()
    forget_images()

    def report(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if progress:
            progress(outcome)

    if shard is not None:
        k, n = shard
        the_plan.jobs = sorted(the_plan.jobs, key=lambda job: job.report.name)[k - 1 :: n]
    if planned:
        planned(len(the_plan.jobs) + len(the_plan.failed))
    for report_id, failed in the_plan.failed.items():
        report(
            Outcome(
                report_id,
                report_id,
                "failed",
                pdf_path(project, report_id),
                problems=tuple(failed),
            )
        )
    requests = web_requests(project, the_plan, cache) if write_web else {}
    todo: list[Task] = []
    for job in the_plan.jobs:
        make_pdf = force or not is_current(project, job.report, job.inputs, write_html)
        web = requests.get(job.report.name)
        if web is not None and not force and web_page.is_current(project, job.report, web.key):
            web = None
        if make_pdf or web is not None:
            todo.append((job, make_pdf, web))
        else:
            report(
                Outcome(job.report.id, job.report.name, "skipped", pdf_path(project, job.report))
            )
    if todo:
        cache.flush()  # parsed data, so that worker processes find it
        for folder in {pdf_path(project, job.report).parent for job, _, _ in todo}:
            remove_stale_temporaries(folder)
            remove_stale_temporaries(folder / web_page.WEB)
        workers = jobs or default_jobs()
        if workers > 1:  # the slowest first: the last PDF to finish is then a short one
            todo.sort(key=lambda task: -stamped(project, task[0].report, "seconds", float))
        for rendered in render_all(project, todo, workers, renderers):
            report(write(project, rendered, write_html, requests.get(rendered.job.report.name)))
    if write_web:
        write_indexes(project, the_plan, summary, requests, complete=not report_ids)
    return summary


def _render_html(
    project: Project, the_plan: Plan, problems: Problems, one_per_report: bool
) -> list[Prepared]:
    """The HTML of the plan's jobs (with ``one_per_report``, of the first job of each
    report: the templates are the same for every value of a parameter), each rendered in
    a child process killed at ``limits.max_seconds``; every problem goes to ``problems``."""
    for report_problems in the_plan.failed.values():
        problems.extend(report_problems)
    assert the_plan.assembler is not None
    prepared, seen = [], set()
    for job in the_plan.jobs:
        if one_per_report and job.report.id in seen:
            continue
        seen.add(job.report.id)
        try:
            html, blocks = bounded_render(project, the_plan.assembler, job)
        except InputError as exc:
            problems.extend(exc.problems)
        else:
            prepared.append(
                Prepared(
                    job.report,
                    html,
                    job.inputs,
                    tuple(blocks),
                    sources_of(job, project),
                    document_info(job.report),
                    job.data,
                )
            )
    return prepared


def prepare(
    project: Project, report_ids: Sequence[str], problems: Problems, cache: Cache | None = None
) -> list[Prepared]:
    """Validate every report and render the HTML of each job; problems are collected."""
    # Releases, verify and diff never trust the cache: a tampered entry in
    # output/.cache must not change a number in a released PDF.
    the_plan = plan(project, report_ids, Cache.untrusted(cache or cache_for(project)))
    return _render_html(project, the_plan, problems, one_per_report=False)


def check(
    project: Project, report_ids: Sequence[str] | None = None, problems: Problems | None = None
) -> list[Prepared]:
    """Validate everything a build would use, rendering the HTML of one job per report;
    write nothing. Errors are raised; notes go to ``problems``."""
    the_plan = plan(project, list(report_ids or project.report_ids()), cache_for(project))
    if problems is not None:
        problems.extend(the_plan.notes)
    found = Problems()
    prepared = _render_html(project, the_plan, found, one_per_report=True)
    found.raise_if_any()
    return prepared
