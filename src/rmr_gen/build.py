"""Plan, render in parallel, write atomically.

1. *Plan* (main process): load and validate every report, expand parameterised
   reports into one job per PDF, read the data each job uses (parsed data is
   cached by content) and hash everything that goes into its PDF. A report with
   a problem gets no job; its problems are collected, the other reports go on.
2. *Render* (worker processes with ``--jobs``): text blocks, charts (cached by
   content), HTML, PDF.
3. *Write* (main process): each PDF replaces the old one atomically, only
   after it rendered completely; unchanged jobs are skipped and touch no file.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.archive import Attachment, DocumentInfo, document_info, source_attachments
from rmr_gen.cache import Cache, code_digest
from rmr_gen.cache import key as cache_key
from rmr_gen.charts import Chart, change_chart
from rmr_gen.compute import is_suppressed, summary_groups
from rmr_gen.config import Reference, load_reference, load_report
from rmr_gen.data import from_cache, load_report_data, read_measurements, to_cache
from rmr_gen.errors import InputError, Problem, Problems
from rmr_gen.files import (
    atomic_write,
    digest_files,
    files_below,
    refuse_links,
    remove_stale_temporaries,
)
from rmr_gen.guard import origin_of
from rmr_gen.models import Key, Limits, Measurement, Report, SummaryGroup
from rmr_gen.params import expand
from rmr_gen.pdf import forget_images, html_to_pdf, preload
from rmr_gen.project import REPORT_ID, Project
from rmr_gen.render import Block, check_templates, render_report, svg_data_uri, text_block


@dataclass(frozen=True)
class Job:
    """One PDF to make: a report (or one value of a parameterised report) and its data."""

    report: Report
    data: dict[Key, Measurement]
    inputs: str  # content hash of everything that goes into this PDF


@dataclass(frozen=True)
class Prepared:
    """A job's report and the HTML it renders to."""

    report: Report
    html: str | None
    inputs: str  # content hash of everything that goes into the PDF
    blocks: tuple[Block, ...] = ()  # the computed body, for comparing versions
    attachments: tuple[Attachment, ...] = ()  # source files embedded in the PDF
    info: DocumentInfo | None = None


@dataclass(frozen=True)
class Outcome:
    report_id: str
    name: str  # output file stem
    status: str  # "built" | "skipped" | "failed"
    pdf: Path
    pages: int = 0
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def problems(self) -> list[Problem]:
        return [p for o in self.outcomes for p in o.problems]


def pdf_path(project: Project, report: Report | str) -> Path:
    report_id, name = (report, report) if isinstance(report, str) else (report.id, report.name)
    return project.output_folder(report_id) / f"{name}.pdf"


def stamp_path(project: Project, report: Report | str) -> Path:
    report_id, name = (report, report) if isinstance(report, str) else (report.id, report.name)
    return project.output_folder(report_id) / f".build-{name}.json"


def font_files(project: Project) -> list[Path]:
    fonts = project.template_files()
    return sorted(
        p for name, p in fonts.items() if name.startswith("fonts/") and name.endswith(".ttf")
    )


class _Inputs:
    """Hashes of the inputs shared by many jobs, computed once per build."""

    def __init__(self, project: Project, reference: Reference) -> None:
        self.project = project
        self.shared = digest_files(
            [*reference.files, *project.template_files().values()],
            project.root,
            # SOURCE_DATE_EPOCH dates a report that has no date of its own
            salt=f"rmr-gen {__version__} {code_digest().hex()} "
            + os.environ.get("SOURCE_DATE_EPOCH", ""),
        )
        self._folders: dict[Path, str] = {}

    def digest(self, report: Report, data: dict[Key, Measurement]) -> str:
        """Report folder, shared inputs, parameter value and exactly the data rows used:
        changing one region's numbers rebuilds only the PDFs that print them."""
        if report.folder not in self._folders:
            self._folders[report.folder] = digest_files(
                files_below(report.folder), self.project.root
            )
        rows = sorted((*key, repr(m.value)) for key, m in data.items())
        return cache_key(self.shared, self._folders[report.folder], report.name, json.dumps(rows))


class _Work:
    """Data reading and chart drawing, reusing cached results."""

    def __init__(self, project: Project, cache: Cache, reference: Reference | None = None):
        self.project = project
        self.reference = reference
        self.cache = cache
        self.reference_key = digest_files(reference.files, project.root) if reference else ""
        self.fonts = font_files(project)
        self.fonts_key = digest_files(self.fonts, project.root)
        self._files: dict[tuple[Path, str], tuple[list[Measurement], set[Key], list[Problem]]] = {}

    def measurements(
        self, path: Path, problems: Problems, limits: Limits | None = None, sheet: str = ""
    ) -> tuple[list[Measurement], set[Key]]:
        """A data file's measurements, parsed once per build and cached by content."""
        limits = limits or Limits()
        shown = self.project.shown(path)
        size = path.stat().st_size
        if size > limits.max_data_mb * 1_000_000:
            problems.error(
                shown,
                f"data file is {size / 1e6:.0f} MB,"
                f" more than limits.max_data_mb = {limits.max_data_mb}",
            )
            return [], set()
        if (path, sheet) not in self._files:
            self._files[(path, sheet)] = self._read(path, sheet)
        found, invalid, file_problems = self._files[(path, sheet)]
        problems.extend(file_problems)
        if len(found) + len(invalid) > limits.max_rows:
            problems.error(
                shown,
                f"{len(found) + len(invalid)} rows, more than limits.max_rows = {limits.max_rows}",
            )
            return [], set()
        return found, invalid

    def _read(self, path: Path, sheet: str) -> tuple[list[Measurement], set[Key], list[Problem]]:
        assert self.reference is not None
        shown = self.project.shown(path)
        digest = cache_key("data", shown, sheet, path.read_bytes(), self.reference_key)
        hit = self.cache.get("data", digest)
        if hit is not None:
            result, notes = from_cache(hit, shown)
            return result, set(), list(notes)
        found: Problems = Problems()
        invalid: set[Key] = set()
        result = read_measurements(path, shown, self.reference, found, invalid, sheet)
        if not found:
            self.cache.put("data", digest, to_cache(result, found))
        return result, invalid, list(found)

    def report_data(self, report: Report, problems: Problems) -> dict[Key, Measurement]:
        if not report.needs_data:
            return {}
        where = self.project.shown(report.data_files[0])
        return load_report_data(
            _with_previous(report),
            lambda path, sheet: _period_rows(
                report, path, self.measurements(path, problems, report.limits, sheet)
            ),
            where,
            problems,
        )

    def chart(self, report: Report, groups: tuple[SummaryGroup, ...]) -> Chart:
        args = (groups, report.period, report.previous_period, report.target_year)
        options = (report.decimals, report.min_denominator)
        digest = cache_key("chart", repr(args), repr(options), self.fonts_key)
        hit = self.cache.get("chart", digest)
        if hit is not None:
            alt, _, svg = hit.partition(b"\0")
            return Chart(svg, alt.decode())
        chart = change_chart(*args, self.fonts, *options)
        self.cache.put("chart", digest, chart.alt.encode() + b"\0" + chart.svg)
        return chart

    def blocks(self, report: Report, data: dict[Key, Measurement]) -> list[Block]:
        groups = summary_groups(report, data) if report.indicators and data else ()
        blocks = []
        for item in report.contents:
            if item.kind == "text":
                blocks.append(
                    text_block(
                        report.folder / item.ref, self.project.root, report.limits.max_image_mb
                    )
                )
            elif item.kind == "table":
                spec = report.tables[item.ref]
                rows = groups if spec.type == "indicator-summary" else spec.rows
                blocks.append(Block("table", spec=spec, rows=rows))
            elif item.kind in ("changes", "history"):
                blocks.append(Block(item.kind))
            else:
                chart = self.chart(report, groups)
                blocks.append(
                    Block(
                        "chart",
                        spec=report.charts[item.ref],
                        image=svg_data_uri(chart.svg),
                        alt=chart.alt,
                    )
                )
        return blocks

    def html(self, job: Job) -> str:
        return self.render(job)[0]

    def render(self, job: Job) -> tuple[str, list[Block]]:
        """The job's HTML and the computed blocks it was made from."""
        blocks = self.blocks(job.report, job.data)
        html = render_report(job.report, blocks, self.project.template_dirs, self.project.root)
        return html, blocks


def _with_previous(report: Report) -> Report:
    """With ``previous`` set, the previous plan's released data is read as well."""
    if not report.previous_data_files:
        return report
    return replace(report, data_files=report.data_files + report.previous_data_files)


def _period_rows(
    report: Report, path: Path, found: tuple[list[Measurement], set[Key]]
) -> tuple[list[Measurement], set[Key]]:
    """With ``previous`` set, the previous period comes only from the release's snapshot."""
    if not report.previous_data_files:
        return found
    rows, invalid = found
    from_release = path in report.previous_data_files
    keep = [m for m in rows if (m.period == report.previous_period) == from_release]
    return keep, {k for k in invalid if (k[2] == report.previous_period) == from_release}


def cache_for(project: Project) -> Cache:
    return Cache(project.output_dir / ".cache")


@dataclass
class Plan:
    jobs: list[Job]
    failed: dict[str, list[Problem]]  # report id -> its problems
    work: _Work | None = None
    reference: Reference | None = None
    notes: list[Problem] = field(default_factory=list)  # of the reports that are fine


def plan(project: Project, report_ids: Sequence[str], cache: Cache) -> Plan:
    """Validate every report and make its jobs. Problems in shared inputs
    (reference data, templates) fail everything; a report's own fail only it."""
    problems = Problems()
    reference = load_reference(project, problems)
    problems.extend(check_templates(project.template_dirs, project.root))
    problems.raise_if_any()
    work = _Work(project, cache, reference)
    inputs = _Inputs(project, reference)
    result = Plan([], {}, work, reference)
    for report_id in report_ids:
        report_problems = Problems()
        report = load_report(project, report_id, reference, report_problems)
        jobs = []
        if report is not None:
            for variant in expand(report, reference):
                data = work.report_data(variant, report_problems)
                jobs.append(Job(variant, data, inputs.digest(variant, data)))
        if report_problems:
            result.failed[report_id] = list(report_problems)
        else:
            result.jobs.extend(jobs)
            result.notes.extend(report_problems)
    return result


def is_current(
    project: Project, report: Report | str, inputs: str, want_html: bool = False
) -> bool:
    """Whether the draft PDF was built from exactly these inputs."""
    stamp = stamp_path(project, report)
    pdf = pdf_path(project, report)
    if not (stamp.is_file() and pdf.is_file()):
        return False
    if want_html and not pdf.with_suffix(".html").is_file():
        return False
    try:
        return bool(json.loads(stamp.read_text()).get("inputs") == inputs)
    except (OSError, ValueError, AttributeError):  # unreadable or not ours: rebuild
        return False


@dataclass(frozen=True)
class Rendered:
    job: Job
    html: str = ""
    pdf: bytes = b""
    pages: int = 0
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()


def sources_of(job: Job, project: Project) -> tuple[Attachment, ...]:
    """What the PDF embeds for archives: report.toml and the data rows it prints.
    A suppressed row (too few cases) is not printed, so it is not embedded either."""
    minimum = job.report.min_denominator
    printed = [m for m in job.data.values() if not is_suppressed(m, minimum)]
    return source_attachments(job.report, printed, project.root)


_WORKER_WORK: dict[Path, _Work] = {}


def render_job(project_root: Path, job: Job) -> Rendered:
    """HTML and PDF of one job; runs in a worker process (or in-process)."""
    started = time.perf_counter()
    project = Project(project_root)
    work = _WORKER_WORK.get(project_root)
    if work is None:
        work = _WORKER_WORK[project_root] = _Work(project, cache_for(project))
    try:
        html = work.html(job)
        sources = [
            *sorted(job.report.folder.rglob("*")),
            *(p for p in project.template_files().values() if p.suffix in (".j2", ".css")),
        ]
        pdf, pages = html_to_pdf(
            html,
            project.templates_dir,
            project.readable_roots,
            project.shown(job.report.folder / "report.toml"),
            document=document_info(job.report),
            attachments=sources_of(job, project),
            limits=job.report.limits,
            origin=lambda url: origin_of(url, (p for p in sources if p.is_file()), project.root),
        )
    except InputError as exc:
        return Rendered(job, problems=exc.problems)
    work.cache.flush()  # the charts of a PDF that rendered are worth keeping
    return Rendered(job, html, pdf, pages, time.perf_counter() - started)


def _render_all(project: Project, jobs: list[Job], workers: int) -> Iterator[Rendered]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield render_job(project.root, job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork shares the already-imported modules (WeasyPrint is imported once, here,
    # not once per worker); the main process is single-threaded at this point.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        preload()
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = [pool.submit(render_job, project.root, job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(
    project: Project,
    report_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    write_html: bool = False,
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
    planned: Callable[[int], None] | None = None,
    problems: Problems | None = None,
) -> Summary:
    """Build the PDFs of ``report_ids`` (all reports when empty).

    Raises InputError only for problems shared by every report (reference data,
    templates, unknown ids); a report's own problems make it "failed" in the summary.
    ``problems``, if given, receives the notes (ignored columns and the like).
    """
    ids = list(report_ids or project.report_ids())
    refuse_links(
        [project.output_dir, *(project.output_folder(i) for i in ids if REPORT_ID.match(i))],
        project.root,
        "builds",
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
    todo = []
    for job in the_plan.jobs:
        if not force and is_current(project, job.report, job.inputs, write_html):
            report(
                Outcome(job.report.id, job.report.name, "skipped", pdf_path(project, job.report))
            )
        else:
            todo.append(job)
    if not todo:
        return summary
    cache.flush()  # parsed data, so that worker processes find it
    for folder in {pdf_path(project, job.report).parent for job in todo}:
        remove_stale_temporaries(folder)
    for rendered in _render_all(project, todo, jobs or default_jobs()):
        job = rendered.job
        target = pdf_path(project, job.report)
        if rendered.problems:
            report(
                Outcome(
                    job.report.id, job.report.name, "failed", target, problems=rendered.problems
                )
            )
            continue
        atomic_write(target, rendered.pdf)
        if write_html:
            atomic_write(target.with_suffix(".html"), rendered.html.encode("utf-8"))
        else:  # an older HTML beside it would no longer be the one this PDF came from
            target.with_suffix(".html").unlink(missing_ok=True)
        stamp = {"inputs": job.inputs, "rmr_gen": __version__, "pages": rendered.pages}
        atomic_write(stamp_path(project, job.report), json.dumps(stamp).encode())
        report(
            Outcome(
                job.report.id, job.report.name, "built", target, rendered.pages, rendered.seconds
            )
        )
    return summary


def prepare(
    project: Project, report_ids: Sequence[str], problems: Problems, cache: Cache | None = None
) -> list[Prepared]:
    """Validate every report and render the HTML of each job; problems are collected."""
    the_plan = plan(project, report_ids, cache or cache_for(project))
    for report_problems in the_plan.failed.values():
        problems.extend(report_problems)
    assert the_plan.work is not None
    prepared = []
    for job in the_plan.jobs:
        try:
            html, blocks = the_plan.work.render(job)
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
                )
            )
    return prepared


def check(
    project: Project, report_ids: Sequence[str] | None = None, problems: Problems | None = None
) -> list[Prepared]:
    """Validate everything a build would use, rendering the HTML of one job per report
    (templates are the same for every value of a parameter); write nothing.
    Notes go to ``problems``."""
    ids = list(report_ids or project.report_ids())
    the_plan = plan(project, ids, cache_for(project))
    notes = problems
    problems = Problems()
    if notes is not None:
        notes.extend(the_plan.notes)
    for report_problems in the_plan.failed.values():
        problems.extend(report_problems)
    assert the_plan.work is not None
    prepared, seen = [], set()
    for job in the_plan.jobs:
        if job.report.id in seen:
            continue
        seen.add(job.report.id)
        try:
            prepared.append(Prepared(job.report, the_plan.work.html(job), job.inputs))
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return prepared
