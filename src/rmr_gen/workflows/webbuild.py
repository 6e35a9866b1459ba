"""The web edition of a build: each page's release state and fonts, and the lists of pages."""

from __future__ import annotations

from rmr_gen.core.cache import Cache
from rmr_gen.core.files import BUILDS, refuse_links
from rmr_gen.core.models import Report
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import Reference
from rmr_gen.output import web as web_page
from rmr_gen.output.web import Edition
from rmr_gen.output.webfonts import WebFont, web_fonts
from rmr_gen.workflows.drafts import Summary
from rmr_gen.workflows.planning import Job, Plan
from rmr_gen.workflows.releases import MANIFEST, draft_differs, release_pdf, versions
from rmr_gen.workflows.renderpool import WebRequest


def edition(project: Project, report: Report, reference: Reference) -> Edition:
    """The draft is "released" only when its inputs are exactly those of the release
    of its own version; otherwise it is a draft, linking to the latest release."""
    released = versions(project, report.id)
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
        BUILDS,
    )
    fonts = tuple(web_fonts(project.font_files(), cache))
    editions: dict[str, Edition] = {}
    requests = {}
    for job in the_plan.jobs:
        if job.report.id not in editions:
            editions[job.report.id] = edition(project, job.report, the_plan.reference)
        the_edition = web_page.of_value(editions[job.report.id], project, job.report)
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
                    edition=requests[v.report.name].edition,
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
                bool(first.parameter),
            )
        )
    if complete:  # also with no report left: the list must not keep a removed one
        regular = tuple(f for f in fonts if f.style == "normal")
        page = web_page.render_index(project, "Rapporter", listed, regular, fonts_at=None)
        web_page.write_if_changed(project.output_dir / "index.html", page.encode("utf-8"))
