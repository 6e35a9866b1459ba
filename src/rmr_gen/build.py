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

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rmr_gen import __version__
from rmr_gen import web as web_page
from rmr_gen.archive import Attachment, DocumentInfo, document_info, source_attachments
from rmr_gen.cache import Cache, code_digest
from rmr_gen.cache import key as cache_key
from rmr_gen.charts import Chart, change_chart
from rmr_gen.compute import is_suppressed, summary_groups
from rmr_gen.config import Reference, load_reference, load_report
from rmr_gen.confine import Refused, read_bytes
from rmr_gen.data import Key, decode_used, encode_used, load_report_data, select, validate_file
from rmr_gen.errors import InputError, Location, Problem, Problems
from rmr_gen.files import (
    atomic_write,
    digest_files,
    file_digest,
    files_below,
    refuse_links,
    remove_stale_temporaries,
)
from rmr_gen.guard import (
    DeadlineWorker,
    TimeLimitExceeded,
    WorkDied,
    origin_of,
    run_with_deadline,
)
from rmr_gen.limits import LimitExceeded, check_csv_rows, check_xlsx
from rmr_gen.models import Limits, Measurement, Report, SummaryGroup
from rmr_gen.params import expand
from rmr_gen.pdf import forget_images, hard_deadline, html_to_pdf, preload, warm_up
from rmr_gen.project import REPORT_ID, Project
from rmr_gen.releases import MANIFEST, draft_differs, release_pdf, untrusted_previous, versions
from rmr_gen.render import (
    Block,
    check_templates,
    read_stylesheets,
    render_report,
    svg_data_uri,
    text_block,
)
from rmr_gen.validation import Valid
from rmr_gen.web import Edition, render_page
from rmr_gen.webfonts import WebFont, web_fonts


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
            roots=project.readable_roots,
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
                files_below(report.folder),
                self.project.root,
                roots=(report.folder,),
                max_bytes=report.limits.max_data_mb * 1_000_000,
            )
        rows = sorted((*key, repr(m.value)) for key, m in data.items())
        return cache_key(self.shared, self._folders[report.folder], report.name, json.dumps(rows))


class _Work:
    """Data reading and chart drawing, reusing cached results."""

    def __init__(self, project: Project, cache: Cache, reference: Reference | None = None):
        self.project = project
        self.reference = reference
        self.cache = cache
        self.reference_key = (
            digest_files(reference.files, project.root, roots=project.readable_roots)
            if reference
            else ""
        )
        self.fonts = font_files(project)
        self.fonts_key = digest_files(self.fonts, project.root, roots=project.readable_roots)
        self._checked: dict[tuple[Path, int, int], str] = {}
        self._failed: dict[tuple[Path, str], str] = {}
        self._digests: dict[Path, str] = {}
        # reads data files in a child killed at limits.max_seconds; the child keeps
        # the files it parsed, so that each is parsed once per build
        self._reader = DeadlineWorker()

    def measurements(
        self, path: Path, problems: Problems, report: Report, sheet: str = ""
    ) -> tuple[list[Measurement], set[Key]]:
        """A data file's measurements (those ``report`` uses, and repeated rows), read
        once per build. The ``report``'s ``[data.rename]`` and ``data.fractions`` apply.

        The limits are checked while streaming over the file, before it is parsed,
        and the parsing runs in a child process killed at ``limits.max_seconds``."""
        limits = report.limits
        renames = report.renames
        fractions = path in report.fraction_files
        shown = self.project.shown(path)
        size = path.stat().st_size
        if size > limits.max_data_mb * 1_000_000:
            problems.error(
                shown,
                f"data file is {size / 1e6:.0f} MB,"
                f" more than limits.max_data_mb = {limits.max_data_mb}",
            )
            return [], set()
        why = self._over_limits(path, limits)
        if why:
            problems.error(shown, why)
            return [], set()
        if (path, sheet) in self._failed:
            problems.error(shown, self._failed[(path, sheet)])
            return [], set()
        assert self.reference is not None
        ids = tuple(item.indicator.id for item in report.indicators)
        periods = (report.period, report.previous_period)
        why = ""
        try:
            selected, invalid, file_problems, rows = self._reader.call(
                hard_deadline(limits.max_seconds),
                _select_rows,
                path,
                shown,
                self.reference,
                sheet,
                renames,
                fractions,
                ids,
                tuple(report.regions),
                periods,
            )
        except TimeLimitExceeded:
            why = f"reading took longer than limits.max_seconds = {limits.max_seconds} s"
        except (WorkDied, MemoryError):
            why = "reading ran out of memory: the file is too large or too complex"
        if why:
            self._failed[(path, sheet)] = why
            problems.error(shown, why)
            return [], set()
        problems.extend(file_problems)
        if selected is None:
            return [], set()
        if rows > limits.max_rows:
            problems.error(shown, f"{rows} rows, more than limits.max_rows = {limits.max_rows}")
            return [], set()
        return selected, invalid

    def _over_limits(self, path: Path, limits: Limits) -> str:
        """Why the file is over a limit (checked without parsing it), or ""."""
        key = (path, limits.max_data_mb, limits.max_rows)
        if key not in self._checked:
            try:
                if path.suffix.lower() in (".xlsx", ".xlsm"):
                    check_xlsx(path, limits.max_data_mb * 1_000_000, limits.max_rows)
                else:
                    check_csv_rows(path, limits.max_rows)
                self._checked[key] = ""
            except LimitExceeded as exc:
                self._checked[key] = str(exc)
        return self._checked[key]

    def forget_files(self) -> None:
        """Let the parsed data files go (before rendering, which needs memory of its own)."""
        self._reader.close()

    def _digest(self, path: Path) -> str:
        """The file's bytes, hashed once per build (in chunks: a big file is not held).
        A file that cannot be hashed (too big, not a regular file) gets no digest:
        reading it reports why, and a report with errors is not cached."""
        if path not in self._digests:
            try:
                self._digests[path] = file_digest(path).hex()
            except InputError:
                self._digests[path] = ""
        return self._digests[path]

    def _data_key(self, report: Report) -> str:
        """Everything the data a report uses depends on: the data files' bytes (not
        their parsed rows: deciding that nothing changed must not parse a big file),
        the reference data, and the report's [data] settings."""
        settings = (
            [(i.indicator.id, i.populations) for i in report.indicators],
            report.regions,
            report.period,
            report.previous_period,
            report.population,
            report.renames,
            [self.project.shown(p) for p in report.fraction_files],
            [self.project.shown(p) for p in report.previous_data_files],
            report.limits.max_rows,
            report.limits.max_data_mb,
        )
        files = [
            (self.project.shown(path), sheet, self._digest(path))
            for path, sheet in _with_previous(report).data_sources
        ]
        return cache_key("report-data", self.reference_key, json.dumps([settings, files]))

    def report_data(self, report: Report, problems: Problems) -> dict[Key, Measurement]:
        """The measurements the report uses, from the cache when the data files' bytes,
        the reference data and the report's [data] settings are unchanged."""
        if not report.needs_data:
            return {}
        digest = self._data_key(report)
        hit = self.cache.get("report-data", digest)
        if hit is not None:
            try:
                used, notes = decode_used(hit)
            except (ValueError, TypeError, KeyError, IndexError):  # not ours: a miss
                pass
            else:
                problems.extend(notes)
                return used
        found = Problems()
        where = self.project.shown(report.data_files[0])
        used = load_report_data(
            _with_previous(report),
            lambda path, sheet: _period_rows(
                report, path, self.measurements(path, found, report, sheet)
            ),
            where,
            found,
        )
        problems.extend(found)
        if not found:
            self.cache.put("report-data", digest, encode_used(used, found.notes))
        return used

    def chart(self, report: Report, groups: tuple[SummaryGroup, ...], kind: str) -> Chart:
        args = (groups, report.period, report.previous_period, report.target_year)
        options = (report.decimals, report.min_denominator, kind, report.population)
        digest = cache_key("chart", repr(args), repr(options), self.fonts_key)
        hit = self.cache.get("chart", digest)
        if hit is not None:
            alt, _, svg = hit.partition(b"\0")
            with contextlib.suppress(UnicodeDecodeError):  # else not ours: a miss
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
                        report.folder / item.ref,
                        self.project.root,
                        report.limits.max_image_mb,
                        report.folder,
                        report.limits.max_image_pixels,
                    )
                )
            elif item.kind == "table":
                table = report.tables[item.ref]
                rows = groups if table.type == "indicator-summary" else table.rows
                blocks.append(Block("table", spec=table, rows=rows))
            elif item.kind in ("changes", "history"):
                blocks.append(Block(item.kind))
            else:
                spec = report.charts[item.ref]
                chart = self.chart(report, groups, spec.type)
                blocks.append(
                    Block(
                        "chart",
                        spec=spec,
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


#: In the reading child: each data file's validated rows, kept between calls.
_VALID: dict[tuple[Any, ...], tuple[Valid | None, list[Problem]]] = {}


def _select_rows(
    path: Path,
    shown: str,
    reference: Reference,
    sheet: str,
    renames: tuple[tuple[str, str], ...],
    fractions: bool,
    ids: tuple[str, ...],
    regions: tuple[str, ...],
    periods: tuple[str, ...],
) -> tuple[list[Measurement] | None, set[Key], list[Problem], int]:
    """In the reading child: the rows of one data file a report uses (see
    :func:`select`), its invalid keys, its problems and its number of rows.
    The file is parsed on the first call and kept for the next reports."""
    memo = (path, sheet, renames, fractions)
    if memo not in _VALID:
        found = Problems()
        try:
            valid = validate_file(
                path, shown, reference.with_renames(renames), found, sheet, fractions
            )
        except (MemoryError, RecursionError):
            found.error(shown, "reading ran out of memory: the file is too large or too complex")
            valid = None
        _VALID[memo] = (valid, list(found))
    valid, problems = _VALID[memo]
    if valid is None:
        return None, set(), problems, 0
    rows = len(valid.frame) + len(valid.invalid)
    return select(valid, shown, ids, regions, periods), valid.invalid, problems, rows


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
    try:
        for report_id in report_ids:
            report_problems = Problems()
            report = load_report(project, report_id, reference, report_problems)
            if report is not None and (untrusted := untrusted_previous(project, report)):
                report_problems.extend(untrusted)
                report = None
            jobs = []
            if report is not None:
                for variant in expand(report, reference):
                    data = work.report_data(variant, report_problems)
                    try:
                        jobs.append(Job(variant, data, inputs.digest(variant, data)))
                    except InputError as exc:
                        report_problems.extend(exc.problems)
                        break
            if report_problems:
                result.failed[report_id] = list(report_problems)
            else:
                result.jobs.extend(jobs)
                result.notes.extend(report_problems)
    finally:
        work.forget_files()  # the jobs hold the rows they use; the reading child can go
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
        content = read_bytes(stamp, (stamp.parent.resolve(),), 1_000_000)
        return bool(json.loads(content).get("inputs") == inputs)
    except (Refused, OSError, ValueError, AttributeError):  # unreadable or not ours: rebuild
        return False


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


_WORKER_WORK: dict[Path, _Work] = {}


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
    if worker is None:  # in a pool's worker process: one child for its lifetime
        if not _PROCESS_WORKER:
            _PROCESS_WORKER.append(DeadlineWorker())
        worker = _PROCESS_WORKER[0]
    project = Project(project_root)
    if project_root not in _WORKER_WORK:  # made before the fork: children share it
        _WORKER_WORK[project_root] = _Work(project, cache_for(project))
    with contextlib.suppress(InputError):
        warm_up(
            read_stylesheets(project.template_dirs, job.report.kind, project.root),
            project.templates_dir,
            project.readable_roots,
        )
    limits = job.report.limits
    try:
        return worker.call(
            hard_deadline(limits.max_seconds), _render_in_child, project_root, job, make_pdf, web
        )
    except TimeLimitExceeded:
        message = f"rendering took longer than limits.max_seconds = {limits.max_seconds} s"
    except (WorkDied, MemoryError):
        message = "rendering ran out of memory (or was killed); the input is too large"
    where = Location(project.shown(job.report.folder / "report.toml"))
    return Rendered(job, problems=(Problem(where, message),))


def _render_in_child(
    project_root: Path, job: Job, make_pdf: bool, web: WebRequest | None
) -> Rendered:
    project = Project(project_root)
    work = _WORKER_WORK.get(project_root)
    if work is None:
        work = _WORKER_WORK[project_root] = _Work(project, cache_for(project))
    started = time.perf_counter()
    try:
        html, blocks = work.render(job)
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
    return Rendered(job, html, pdf, pages, time.perf_counter() - started, web=page)


#: A job to render: whether its PDF is wanted, and its web page's request if that is.
Task = tuple[Job, bool, WebRequest | None]


def _render_all(project: Project, jobs: list[Task], workers: int) -> Iterator[Rendered]:
    if workers <= 1 or len(jobs) <= 1:
        with DeadlineWorker() as worker:
            for job, make_pdf, web in jobs:
                yield render_job(project.root, job, make_pdf, web, worker)
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
        futures = [pool.submit(render_job, project.root, *task) for task in jobs]
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
    write_web: bool = False,
    jobs: int | None = None,
    shard: tuple[int, int] | None = None,
    progress: Callable[[Outcome], None] | None = None,
    planned: Callable[[int], None] | None = None,
    problems: Problems | None = None,
) -> Summary:
    """Build the PDFs of ``report_ids`` (all reports when empty).

    ``shard=(K, N)`` builds only every N-th PDF, from the K-th, in the order of their
    file names: N machines given 1/N … N/N build every PDF once, the same bytes as one.

    Raises InputError only for problems shared by every report (reference data,
    templates, unknown ids); a report's own problems make it "failed" in the summary.
    ``write_web`` also writes each report's web page (see :mod:`rmr_gen.web`).
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
        for rendered in _render_all(project, todo, jobs or default_jobs()):
            report(_write(project, rendered, write_html, requests.get(rendered.job.report.name)))
    if write_web:
        write_indexes(project, the_plan, summary, requests, complete=not report_ids)
    return summary


def _write(
    project: Project, rendered: Rendered, write_html: bool, web: WebRequest | None
) -> Outcome:
    """Put a rendered job's files in place: PDF (if it was made), web page (if asked for)."""
    job = rendered.job
    target = pdf_path(project, job.report)
    if rendered.problems:
        return Outcome(job.report.id, job.report.name, "failed", target, problems=rendered.problems)
    pages = rendered.pages
    if rendered.pdf:
        atomic_write(target, rendered.pdf)
        if write_html:
            atomic_write(target.with_suffix(".html"), rendered.html.encode("utf-8"))
        else:  # an older HTML beside it would no longer be the one this PDF came from
            target.with_suffix(".html").unlink(missing_ok=True)
        stamp = {"inputs": job.inputs, "rmr_gen": __version__, "pages": pages}
        atomic_write(stamp_path(project, job.report), json.dumps(stamp).encode())
    else:
        pages = _stamped_pages(project, job.report)
    if rendered.web and web is not None:
        folder = web_page.web_folder(project, job.report.id)
        web_page.write_fonts(folder, web.fonts, project.template_file("fonts/OFL.txt"))
        atomic_write(web_page.page_path(project, job.report), rendered.web.encode("utf-8"))
        stamp = {"inputs": web.key, "rmr_gen": __version__}
        atomic_write(web_page.stamp_path(project, job.report), json.dumps(stamp).encode())
    return Outcome(job.report.id, job.report.name, "built", target, pages, rendered.seconds)


def _stamped_pages(project: Project, report: Report) -> int:
    try:
        return int(json.loads(stamp_path(project, report).read_text()).get("pages", 0))
    except (OSError, ValueError, AttributeError, TypeError):
        return 0


def edition(project: Project, report: Report, reference: Reference) -> Edition:
    """The draft is "released" only when its inputs are exactly those of the release
    of its own version; otherwise it is a draft, linking to the latest release."""
    released = [] if report.parameter else versions(project, report.id)
    if not released:
        return Edition(report.version, draft=True)
    latest = released[-1]
    pdf = release_pdf(project, report.id, latest).name
    same = report.version == latest and not draft_differs(project, report, reference, latest)
    folder = f"../{latest}"
    return Edition(report.version, not same, latest, f"{folder}/{pdf}", f"{folder}/{MANIFEST}")


def web_requests(project: Project, the_plan: Plan, cache: Cache) -> dict[str, WebRequest]:
    """Each job's web request (by output name): its release state and the fonts."""
    assert the_plan.reference is not None
    web_page.check_templates(project)
    folders = [web_page.web_folder(project, i) for i in {j.report.id for j in the_plan.jobs}]
    refuse_links(
        [*folders, *(f / web_page.FONTS for f in folders), project.output_dir / "index.html"],
        project.root,
        "builds",
    )
    fonts = tuple(web_fonts(font_files(project), cache))
    editions: dict[str, Edition] = {}
    requests = {}
    for job in the_plan.jobs:
        if job.report.id not in editions:
            editions[job.report.id] = edition(project, job.report, the_plan.reference)
        the_edition = editions[job.report.id]
        key = web_page.web_key(job.inputs, the_edition, fonts)
        requests[job.report.name] = WebRequest(the_edition, fonts, key)
    return requests


def write_indexes(
    project: Project,
    the_plan: Plan,
    summary: Summary,
    requests: dict[str, WebRequest],
    complete: bool,
) -> None:
    """A parameterised report's list of pages; with every report built, the project's."""
    failed = {o.report_id for o in summary.outcomes if o.status == "failed"}
    by_report: dict[str, list[Job]] = {}
    for job in the_plan.jobs:
        by_report.setdefault(job.report.id, []).append(job)
    fonts: tuple[WebFont, ...] = ()
    failed_pages = {o.name for o in summary.outcomes if o.status == "failed"}
    listed = []
    for report_id in sorted({*by_report, *the_plan.failed}):
        variants = by_report.get(report_id, [])
        if not variants:
            listed.append(web_page.Listed(report_id, "", report_id=report_id))
            continue
        first = variants[0].report
        request = requests[first.name]
        fonts = request.fonts
        title = first.title
        if first.parameter:
            title = web_page.title_of_all(first)
            entries = [
                web_page.Listed(
                    v.report.parameter_value,
                    ""
                    if v.report.name in failed_pages
                    else web_page.page_path(project, v.report).name,
                    version=v.report.version,
                    edition=request.edition,
                )
                for v in variants
            ]
            page = web_page.render_index(
                project, title, entries, fonts, home="../../index.html", column=first.parameter
            )
            folder = web_page.web_folder(project, report_id)
            web_page.write_if_changed(folder / "index.html", page.encode("utf-8"))
            web_page.remove_other_pages(folder, {f"{v.report.name}.html" for v in variants})
        listed.append(
            web_page.Listed(
                title,
                "" if report_id in failed else f"{report_id}/{web_page.WEB}/index.html",
                first.kind,
                first.version,
                request.edition,
                tuple(versions(project, report_id)),
                report_id,
            )
        )
    if complete and listed:
        regular = tuple(f for f in fonts if f.style == "normal")
        page = web_page.render_index(project, "Rapporter", listed, regular, fonts_at=None)
        web_page.write_if_changed(project.output_dir / "index.html", page.encode("utf-8"))


def bounded_render(project: Project, work: _Work, job: Job) -> tuple[str, list[Block]]:
    """:meth:`_Work.render` in a child process killed at ``limits.max_seconds``."""
    limits = job.report.limits
    try:
        return run_with_deadline(hard_deadline(limits.max_seconds), work.render, job)
    except TimeLimitExceeded:
        message = f"rendering took longer than limits.max_seconds = {limits.max_seconds} s"
    except (WorkDied, MemoryError):
        message = "rendering ran out of memory (or was killed); the input is too large"
    where = Location(project.shown(job.report.folder / "report.toml"))
    raise InputError([Problem(where, message)])


def prepare(
    project: Project, report_ids: Sequence[str], problems: Problems, cache: Cache | None = None
) -> list[Prepared]:
    """Validate every report and render the HTML of each job; problems are collected."""
    # Releases, verify and diff never trust the cache: a tampered entry in
    # output/.cache must not change a number in a released PDF.
    the_plan = plan(project, report_ids, Cache.untrusted(cache or cache_for(project)))
    for report_problems in the_plan.failed.values():
        problems.extend(report_problems)
    assert the_plan.work is not None
    prepared = []
    for job in the_plan.jobs:
        try:
            html, blocks = bounded_render(project, the_plan.work, job)
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
            html, _ = bounded_render(project, the_plan.work, job)
            prepared.append(Prepared(job.report, html, job.inputs))
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return prepared
