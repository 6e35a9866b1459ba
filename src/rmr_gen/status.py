"""What ``rmr-gen list`` shows: each report and whether its draft is current."""

from __future__ import annotations

from dataclasses import dataclass

from rmr_gen.build import input_digest, is_current, pdf_path
from rmr_gen.config import load_reference, load_report
from rmr_gen.errors import Problems
from rmr_gen.project import Project


@dataclass(frozen=True)
class ReportStatus:
    report_id: str
    kind: str
    version: str
    title: str
    status: str  # "up to date" | "changed" | "not built" | "invalid (run rmr-gen check)"


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
        rows.append(ReportStatus(report_id, report.kind, report.version, report.title, status))
    return rows
