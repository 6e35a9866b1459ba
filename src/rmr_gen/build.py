"""Gather everything, then write: validate and render every report, write at the end.

If any report has a problem nothing is written, so a failed run never leaves a
mix of new and old files behind.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.cache import Cache, code_digest
from rmr_gen.cache import key as cache_key
from rmr_gen.charts import Chart, change_chart
from rmr_gen.compute import summary_groups
from rmr_gen.config import Reference, load_reference, load_report
from rmr_gen.data import Key, from_cache, load_report_data, read_measurements, to_cache
from rmr_gen.errors import InputError, Problems
from rmr_gen.files import atomic_write, digest_files, files_below
from rmr_gen.models import Measurement, Report, SummaryGroup
from rmr_gen.pdf import html_to_pdf
from rmr_gen.project import Project
from rmr_gen.render import Block, check_templates, render_report, svg_data_uri, text_block


@dataclass(frozen=True)
class Prepared:
    """A validated report and the HTML it renders to (``None`` when it is skipped)."""

    report: Report
    html: str | None
    inputs: str  # content hash of everything that goes into the PDF


@dataclass(frozen=True)
class Outcome:
    report_id: str
    status: str  # "built" | "skipped"
    pdf: Path
    pages: int = 0
    seconds: float = 0.0


def pdf_path(project: Project, report_id: str) -> Path:
    return project.output_folder(report_id) / f"{report_id}.pdf"


def stamp_path(project: Project, report_id: str) -> Path:
    return project.output_folder(report_id) / f".build-{report_id}.json"


def font_files(project: Project) -> list[Path]:
    return sorted((project.templates_dir / "fonts").glob("*.ttf"))


def input_digest(project: Project, report: Report, reference: Reference) -> str:
    """Hash of the report folder, its data, reference data, templates and rmr-gen."""
    paths = [
        *files_below(report.folder),
        *report.data_files,
        *reference.files,
        *files_below(project.templates_dir),
    ]
    return digest_files(paths, project.root, salt=f"rmr-gen {__version__} {code_digest().hex()}")


class _Work:
    """Data reading and chart drawing for one build, reusing cached results."""

    def __init__(self, project: Project, reference: Reference, cache: Cache) -> None:
        self.project = project
        self.reference = reference
        self.cache = cache
        self.reference_key = digest_files(reference.files, project.root)
        self.fonts = font_files(project)
        self.fonts_key = digest_files(self.fonts, project.root)

    def measurements(
        self, path: Path, sheet: str, problems: Problems
    ) -> tuple[list[Measurement], set[Key]]:
        shown = self.project.shown(path)
        digest = cache_key("data", shown, sheet, path.read_bytes(), self.reference_key)
        hit = self.cache.get("data", digest)
        if hit is not None:
            result, notes = from_cache(hit, shown)
            problems.extend(notes)
            return result, set()
        found: Problems = Problems()
        invalid: set[Key] = set()
        result = read_measurements(path, shown, self.reference, found, invalid, sheet)
        problems.extend(found)
        if not found:
            self.cache.put("data", digest, to_cache(result, found))
        return result, invalid

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

    def blocks(self, report: Report, problems: Problems) -> list[Block]:
        data = {}
        if report.needs_data:
            where = self.project.shown(report.data_files[0])
            data = load_report_data(
                report,
                lambda path, sheet: self.measurements(path, sheet, problems),
                where,
                problems,
            )
        if problems:
            return []
        groups = summary_groups(report, data) if report.indicators and data else ()
        blocks = []
        for item in report.contents:
            if item.kind == "text":
                blocks.append(text_block(report.folder / item.ref))
            elif item.kind == "table":
                spec = report.tables[item.ref]
                rows = groups if spec.type == "indicator-summary" else spec.rows
                blocks.append(Block("table", spec=spec, rows=rows))
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


def cache_for(project: Project) -> Cache:
    return Cache(project.output_dir / ".cache")


def prepare(
    project: Project,
    report_ids: Sequence[str],
    problems: Problems,
    cache: Cache,
    is_current: Callable[[Report, str], bool] | None = None,
) -> list[Prepared]:
    """Validate and render the HTML of every report; problems are collected, not raised."""
    reference = load_reference(project, problems)
    if problems:
        return []
    template_problems = check_templates(project.templates_dir, project.root)
    problems.extend(template_problems)
    work = _Work(project, reference, cache)
    prepared = []
    for report_id in report_ids:
        report_problems = Problems()
        report = load_report(project, report_id, reference, report_problems)
        if report is not None:
            digest = input_digest(project, report, reference)
            if is_current is not None and is_current(report, digest):
                prepared.append(Prepared(report, None, digest))
                continue
            blocks = work.blocks(report, report_problems)
            if not report_problems and not template_problems:
                try:
                    html = render_report(report, blocks, project.templates_dir, project.root)
                except InputError as exc:
                    report_problems.extend(exc.problems)
                else:
                    prepared.append(Prepared(report, html, digest))
        problems.extend(report_problems)
    return prepared


def is_current(project: Project, report_id: str, inputs: str, want_html: bool = False) -> bool:
    """Whether the draft PDF was built from exactly these inputs."""
    stamp = stamp_path(project, report_id)
    pdf = pdf_path(project, report_id)
    if not (stamp.is_file() and pdf.is_file()):
        return False
    if want_html and not pdf.with_suffix(".html").is_file():
        return False
    try:
        return json.loads(stamp.read_text()).get("inputs") == inputs
    except (OSError, ValueError):
        return False


def build(
    project: Project,
    report_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    write_html: bool = False,
    progress: Callable[[Outcome], None] | None = None,
    problems: Problems | None = None,
) -> list[Outcome]:
    """Build the PDFs of ``report_ids`` (all reports when empty).

    ``problems`` collects what was found; after a successful build it holds the
    notes (ignored columns and the like) for the caller to show.
    """
    ids = list(report_ids or project.report_ids())
    problems = Problems() if problems is None else problems
    cache = cache_for(project)

    def current(report: Report, inputs: str) -> bool:
        return not force and is_current(project, report.id, inputs, write_html)

    prepared = prepare(project, ids, problems, cache, current)
    problems.raise_if_any()

    outcomes: list[Outcome] = []
    rendered: list[tuple[Prepared, bytes, int, float]] = []
    for item in prepared:
        if item.html is None:
            outcome = Outcome(item.report.id, "skipped", pdf_path(project, item.report.id))
            outcomes.append(outcome)
            if progress:
                progress(outcome)
            continue
        started = time.perf_counter()
        try:
            pdf, pages = html_to_pdf(
                item.html,
                project.templates_dir,
                project.readable_roots,
                project.shown(item.report.folder / "report.toml"),
            )
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        rendered.append((item, pdf, pages, time.perf_counter() - started))
    problems.raise_if_any()

    for item, pdf, pages, seconds in rendered:
        target = pdf_path(project, item.report.id)
        if write_html:
            atomic_write(target.with_suffix(".html"), item.html.encode("utf-8"))
        atomic_write(target, pdf)
        stamp = {"inputs": item.inputs, "rmr_gen": __version__, "pages": pages}
        atomic_write(stamp_path(project, item.report.id), json.dumps(stamp).encode())
        outcome = Outcome(item.report.id, "built", target, pages, seconds)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    cache.flush()
    return outcomes


def check(
    project: Project, report_ids: Sequence[str] | None = None, problems: Problems | None = None
) -> list[Prepared]:
    """Validate everything a build would use; write nothing. Notes go to ``problems``."""
    problems = Problems() if problems is None else problems
    ids = list(report_ids or project.report_ids())
    prepared = prepare(project, ids, problems, cache_for(project))
    problems.raise_if_any()
    return prepared
