"""The draft files in ``output/<id>/``: where they are, the stamp that says what they were
made from, and putting a rendered job's files in place atomically."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rmr_gen import __version__
from rmr_gen.core.confine import Refused, read_bytes
from rmr_gen.core.errors import Problem
from rmr_gen.core.files import atomic_write, remove
from rmr_gen.core.models import Report
from rmr_gen.core.project import Project
from rmr_gen.output import web as web_page
from rmr_gen.workflows.renderpool import Rendered, WebRequest

T = TypeVar("T")


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


def write(
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
            remove(target.with_suffix(".html"))
        stamp = {
            "inputs": job.inputs,
            "rmr_gen": __version__,
            "pages": pages,
            "seconds": round(rendered.seconds, 3),  # the order of the next parallel build
        }
        atomic_write(stamp_path(project, job.report), json.dumps(stamp).encode())
    else:
        pages = stamped(project, job.report, "pages", int)
    if rendered.web and web is not None:
        folder = web_page.web_folder(project, job.report.id)
        web_page.write_fonts(folder, web.fonts, project.template_file("fonts/OFL.txt"))
        atomic_write(web_page.page_path(project, job.report), rendered.web.encode("utf-8"))
        stamp = {"inputs": web.key, "rmr_gen": __version__}
        atomic_write(web_page.stamp_path(project, job.report), json.dumps(stamp).encode())
    return Outcome(job.report.id, job.report.name, "built", target, pages, rendered.seconds)


def stamped(project: Project, report: Report, name: str, kind: Callable[[Any], T]) -> T:
    """A figure from the report's last stamp (its pages, its render seconds), else 0."""
    try:
        return kind(json.loads(stamp_path(project, report).read_text()).get(name, 0))
    except (OSError, ValueError, AttributeError, TypeError):
        return kind(0)
