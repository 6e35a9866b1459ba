"""What ``rmr-gen list`` shows: each report, whether its draft is current, its releases."""

from __future__ import annotations

from dataclasses import dataclass

from rmr_gen.build import input_digest, is_current, pdf_path
from rmr_gen.config import load_reference, load_report
from rmr_gen.errors import Problems
from rmr_gen.project import Project
from rmr_gen.release import draft_differs, versions


@dataclass(frozen=True)
class ReportStatus:
    report_id: str
    kind: str
    version: str
    title: str
    status: str  # "up to date" | "changed" | "not built" | "invalid (run rmr-gen check)"
    versions: tuple[str, ...] = ()  # released versions, oldest first
    draft_differs: bool | None = None  # from the latest release; None when there is none

    @property
    def releases(self) -> str:
        """``released 1.0, 1.1 (draft differs from 1.1)`` or ``no release``."""
        if not self.versions:
            return "no release"
        state = "differs from" if self.draft_differs else "same as"
        return f"released {', '.join(self.versions)} (draft {state} {self.versions[-1]})"


def report_statuses(project: Project) -> list[ReportStatus]:
    problems = Problems()
    reference = load_reference(project, problems)
    problems.raise_if_any()
    rows = []
    for report_id in project.report_ids():
        report = load_report(project, report_id, reference, Problems())
        if report is None:
            rows.append(ReportStatus(report_id, "?", "?", "", "invalid (run rmr-gen check)"))
            continue
        if not pdf_path(project, report_id).is_file():
            status = "not built"
        elif is_current(project, report_id, input_digest(project, report, reference)):
            status = "up to date"
        else:
            status = "changed"
        released = tuple(versions(project, report_id))
        differs = draft_differs(project, report, reference, released[-1]) if released else None
        rows.append(
            ReportStatus(
                report_id, report.kind, report.version, report.title, status, released, differs
            )
        )
    return rows
