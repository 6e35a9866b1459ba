"""What ``rmr-gen list`` shows: each report, whether its draft is current, its releases."""

from __future__ import annotations

from dataclasses import dataclass

from rmr_gen.core.project import Project
from rmr_gen.workflows.drafts import is_current, pdf_path
from rmr_gen.workflows.planning import Job, cache_for, plan
from rmr_gen.workflows.releases import draft_differs, versions


@dataclass(frozen=True)
class ReportStatus:
    report_id: str
    kind: str
    version: str
    title: str
    status: str  # "up to date" | "changed" | "not built" | "invalid (run rmr-gen check)"
    outputs: int = 1  # PDFs: more than one for a parameterised report
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
    the_plan = plan(project, project.report_ids(), cache_for(project))
    assert the_plan.reference is not None  # plan() always loads it
    by_report: dict[str, list[Job]] = {}
    for job in the_plan.jobs:
        by_report.setdefault(job.report.id, []).append(job)
    rows = []
    for report_id in project.report_ids():
        jobs = by_report.get(report_id)
        if not jobs:
            rows.append(ReportStatus(report_id, "?", "?", "", "invalid (run rmr-gen check)", 0))
            continue
        if not all(pdf_path(project, job.report).is_file() for job in jobs):
            status = "not built"
        elif all(is_current(project, job.report, job.inputs) for job in jobs):
            status = "up to date"
        else:
            status = "changed"
        report = jobs[0].report
        title = report.title
        if report.parameter:
            title = f"{title.replace(report.parameter_value, '{value}')} ({len(jobs)} PDFs)"
        released = tuple(versions(project, report_id))
        differs = (
            draft_differs(project, report, the_plan.reference, released[-1]) if released else None
        )
        rows.append(
            ReportStatus(
                report_id, report.kind, report.version, title, status, len(jobs), released, differs
            )
        )
    return rows
