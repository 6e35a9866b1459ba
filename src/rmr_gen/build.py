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
from rmr_gen.charts import change_chart
from rmr_gen.compute import summary_groups
from rmr_gen.config import Reference, load_reference, load_report
from rmr_gen.data import load_report_data
from rmr_gen.errors import InputError, Problems
from rmr_gen.files import atomic_write, digest_files, files_below
from rmr_gen.models import Report
from rmr_gen.pdf import html_to_pdf
from rmr_gen.project import Project
from rmr_gen.render import Block, render_report, svg_data_uri, text_block


@dataclass(frozen=True)
class Prepared:
    """A validated report and the HTML it renders to."""

    report: Report
    html: str
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
    return digest_files(paths, project.root, salt=f"rmr-gen {__version__}")


def _blocks(
    project: Project, report: Report, reference: Reference, problems: Problems
) -> list[Block]:
    shown = {path: project.shown(path) for path in report.data_files}
    data = load_report_data(report, reference, shown, problems) if report.needs_data else {}
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
            spec = report.charts[item.ref]
            chart = change_chart(
                groups,
                report.period,
                report.previous_period,
                report.target_year,
                font_files(project),
                report.decimals,
            )
            blocks.append(Block("chart", spec=spec, image=svg_data_uri(chart.svg), alt=chart.alt))
    return blocks


def prepare(project: Project, report_ids: Sequence[str], problems: Problems) -> list[Prepared]:
    """Validate and render the HTML of every report; problems are collected, not raised."""
    reference = load_reference(project, problems)
    if problems:
        return []
    prepared = []
    for report_id in report_ids:
        report_problems = Problems()
        report = load_report(project, report_id, reference, report_problems)
        if report is not None:
            blocks = _blocks(project, report, reference, report_problems)
            if not report_problems:
                try:
                    html = render_report(report, blocks, project.templates_dir, project.root)
                except InputError as exc:
                    report_problems.extend(exc.problems)
                else:
                    digest = input_digest(project, report, reference)
                    prepared.append(Prepared(report, html, digest))
        problems.extend(report_problems)
    return prepared


def _is_current(project: Project, item: Prepared, want_html: bool) -> bool:
    stamp = stamp_path(project, item.report.id)
    pdf = pdf_path(project, item.report.id)
    if not (stamp.is_file() and pdf.is_file()):
        return False
    if want_html and not pdf.with_suffix(".html").is_file():
        return False
    try:
        return json.loads(stamp.read_text()).get("inputs") == item.inputs
    except (OSError, ValueError):
        return False


def build(
    project: Project,
    report_ids: Sequence[str] | None = None,
    *,
    force: bool = False,
    write_html: bool = False,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build the PDFs of ``report_ids`` (all reports when empty)."""
    ids = list(report_ids or project.report_ids())
    problems = Problems()
    prepared = prepare(project, ids, problems)
    problems.raise_if_any()

    outcomes: list[Outcome] = []
    rendered: list[tuple[Prepared, bytes, int, float]] = []
    for item in prepared:
        if not force and _is_current(project, item, write_html):
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
    return outcomes


def check(project: Project, report_ids: Sequence[str] | None = None) -> list[Prepared]:
    """Validate everything a build would use; write nothing."""
    problems = Problems()
    prepared = prepare(project, list(report_ids or project.report_ids()), problems)
    problems.raise_if_any()
    return prepared
