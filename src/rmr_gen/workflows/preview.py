"""``rmr-gen preview``: the report's web page in a browser, rebuilt on every saved change.

The page is the one ``rmr-gen build --web`` writes (:mod:`rmr_gen.output.web`), so an
editor sees what readers get; the PDF is made from the print HTML on demand.
The page is served where it lies below ``output/`` (``/`` redirects to
``/<id>/web/index.html``), so its links to the project's list of reports and to
released PDFs and manifests resolve as they do on disk: those files are served
read only from ``output/`` (:mod:`rmr_gen.workflows.webfiles`); before a build
has written the list of reports, the preview makes one. The server is the
standard library's ``ThreadingHTTPServer`` on 127.0.0.1: one editor, one
machine, a few routes (the page, its fonts, a server-sent-events stream that
tells the page to reload, the PDF, the files the page links to:
:mod:`rmr_gen.workflows.previewserver`), so a web framework would add
dependencies and nothing else. File watching is
``watchfiles`` (inotify on Linux, debounced). Nothing is written to the
project: the PDF is made in memory.
"""

from __future__ import annotations

import contextlib
import html as html_escape
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from rmr_gen.core.errors import InputError, Location, Problem, Problems
from rmr_gen.core.i18n import M, language, tr
from rmr_gen.core.project import Project

if TYPE_CHECKING:
    from rmr_gen.core.models import Report
    from rmr_gen.output.archive import Attachment, DocumentInfo

EMPTY_PAGE = "<!doctype html><html><head><title>rmr-gen preview</title></head><body></body></html>"
RELOAD_SCRIPT = """<script>
new EventSource("/events").onmessage = function () { location.reload(); };
</script>"""


#: The limit named when a file is too large to serve.
PREVIEW_LIMIT = M("preview.size-limit", "the preview's size limit")


def allow_reload(page: str) -> str:
    """The page's Content-Security-Policy, widened by exactly what the preview adds: its
    reload script (by its hash) and the event stream it listens to."""
    import base64
    import hashlib

    from rmr_gen.output.webcheck import POLICY

    script = RELOAD_SCRIPT.removeprefix("<script>").removesuffix("</script>")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    widened = f"{POLICY}; script-src 'sha256-{digest}'; connect-src 'self'"
    return page.replace(f'content="{POLICY}"', f'content="{widened}"', 1)


@dataclass
class Rendering:
    """The last good HTML (kept while the inputs are wrong) and the latest problems."""

    generation: int = 0
    html: str = ""  # as for the PDF
    web: str = ""  # the web page readers get
    report: Report | None = None
    info: DocumentInfo | None = None
    attachments: tuple[Attachment, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)


def choose_report(project: Project, report_id: str | None) -> str:
    """The report to preview: the one named, or the project's only one."""
    ids = project.report_ids()
    if report_id is None:
        if len(ids) == 1:
            return ids[0]
        raise InputError(
            [
                Problem(
                    Location("REPORT"),
                    M(
                        "preview.name-the-report",
                        "name the report to preview, one of: {reports}",
                        reports=", ".join(ids),
                    ),
                )
            ]
        )
    if report_id not in ids:
        message = M("preview.unknown-report", "unknown report '{report_id}'", report_id=report_id)
        raise InputError([Problem(Location(report_id), message)])
    return report_id


class Previewer:
    """Renders one report (its first document, for a parameterised one) on demand."""

    def __init__(self, project: Project, report_id: str) -> None:
        from rmr_gen.output.guard import DeadlineWorker
        from rmr_gen.workflows.planning import cache_for

        self.project = project
        self.report_id = report_id
        self.state = Rendering()
        # Kept for the session, in memory (the preview writes nothing): parsed data,
        # drawn charts and checked templates are reused while their inputs are the same.
        self.cache = cache_for(project)
        # The PDF is made in a child that keeps WeasyPrint and the fonts loaded; one
        # PDF at a time, the last one kept for its generation.
        self._pdf_worker = DeadlineWorker()
        self._pdf_lock = threading.Lock()
        self._pdf: tuple[int, bytes] | None = None
        self.web_fonts: list[Any] = []
        self.fonts: dict[str, bytes] = {}  # the web page's fonts by file name

    def watched(self) -> list[Path]:
        """The report folder, the project's data/ and templates/ (what an editor saves)."""
        folders = [
            self.project.reports_dir / self.report_id,
            self.project.data_dir,
            self.project.own_templates_dir,
        ]
        return [f for f in folders if f.is_dir()]

    def rebuild(self) -> list[Problem]:
        """Render again; on success replace the page, else keep it and show the problems."""
        from rmr_gen.output.archive import document_info
        from rmr_gen.workflows.planning import plan
        from rmr_gen.workflows.renderpool import sources_of

        problems = Problems()
        result = None
        try:
            the_plan = plan(self.project, [self.report_id], self.cache)
            for failed in the_plan.failed.values():
                problems.extend(failed)
            if the_plan.jobs and the_plan.assembler is not None and not problems.errors:
                job = the_plan.jobs[0]
                html, blocks = the_plan.assembler.render(job.report, job.data)
                result = (
                    html,
                    self._web_page(job, blocks, the_plan.reference, the_plan.assembler.cache),
                    job.report,
                    document_info(job.report),
                    sources_of(job, self.project),
                )
        except InputError as exc:
            problems.extend(exc.problems)
        errors = list(problems.errors) if result is None else []
        with self.state.changed:
            if result is not None:
                html, web, report, info, attachments = result
                self.state.html, self.state.web, self.state.report = html, web, report
                self.state.info, self.state.attachments = info, attachments
            self.state.problems = errors
            self.state.generation += 1
            self.state.changed.notify_all()
        return errors

    def _web_page(self, job: Any, blocks: list[Any], reference: Any, cache: Any) -> str:
        """The job's web page as ``build --web`` writes it, its fonts served from memory."""
        from rmr_gen.output import web
        from rmr_gen.output.webfonts import web_fonts
        from rmr_gen.workflows.webbuild import edition as build_edition

        if not self.web_fonts:  # subset once per preview (a build's cache may have them)
            self.web_fonts = web_fonts(self.project.font_files(), cache)
            self.fonts = {f.name: f.data for f in self.web_fonts}
        fonts = self.web_fonts
        edition = web.of_value(
            build_edition(self.project, job.report, reference), self.project, job.report
        )
        return web.render_page(self.project, job.report, blocks, job.data, edition, fonts)

    def page(self) -> str:
        """The last good web page, with the problems on top and a script that reloads it."""
        with self.state.changed:
            html, problems = self.state.web, self.state.problems
        banner = ""
        if problems:
            items = "".join(
                f"<li>{html_escape.escape(str(p))}</li>" for p in dict.fromkeys(problems)
            )
            # in the flow above the page, in the editor's language (as the problems are):
            # it pushes the page header down rather than cover it
            heading = tr(
                "rmr-gen: the last saved change has errors;"
                " the page shows the last version without errors."
            )
            banner = (
                f'<div id="rmr-gen-problems" role="alert" lang="{language()}"'
                ' style="position:static;'
                "margin:0;background:#fff0f0;border:2px solid #b00;color:#000;"
                'font:14px/1.4 monospace;padding:8px 12px;white-space:pre-wrap">'
                f"<strong>{html_escape.escape(heading)}</strong>"
                f"<ul>{items}</ul></div>"
            )
        if not html:
            html = EMPTY_PAGE
        body = re.search(r"<body\b[^>]*>", html)
        html = html[: body.end()] + banner + html[body.end() :] if body else banner + html
        return allow_reload(html).replace("</head>", RELOAD_SCRIPT + "</head>", 1)

    def pdf(self) -> bytes:
        """The PDF of the page now shown: made once per rendering (see :meth:`prerender`)."""
        from rmr_gen.output.pdf import report_pdf

        with self._pdf_lock:
            with self.state.changed:
                html, report = self.state.html, self.state.report
                info, attachments = self.state.info, self.state.attachments
                generation, problems = self.state.generation, self.state.problems
            if report is None:
                raise InputError(problems)
            if self._pdf is not None and self._pdf[0] == generation:
                return self._pdf[1]
            pdf = report_pdf(
                self.project, report, html, info, attachments, worker=self._pdf_worker
            ).pdf
            self._pdf = (generation, pdf)
            return pdf

    def prerender(self) -> None:
        """Make the PDF of the page just rendered, in the background: the page shows
        first, and ``/pdf`` is then ready (or waits for this one instead of starting
        another). A problem is left for ``/pdf`` to show."""

        def make() -> None:
            with contextlib.suppress(InputError):
                self.pdf()

        threading.Thread(target=make, daemon=True).start()

    def close(self) -> None:
        """End the PDF child."""
        with self._pdf_lock:
            self._pdf_worker.close()

    def draft_pdf_url(self) -> str:
        """Where the page's "Utkastet som PDF" link points (``../<name>.pdf`` beside the
        web folder): the preview serves its PDF there too, as ``/pdf``."""
        with self.state.changed:
            report = self.state.report
        name = report.name if report is not None else self.report_id
        return f"/{self.report_id}/{name}.pdf"

    def page_url(self) -> str:
        """Where the page is served: its path below ``output/``, as ``build --web``
        writes it (a parameterised report's first value once it has rendered)."""
        from rmr_gen.output.web import page_path

        with self.state.changed:
            report = self.state.report
        if report is None:
            return f"/{self.report_id}/web/index.html"
        return "/" + page_path(self.project, report).relative_to(self.project.output_dir).as_posix()

    def font(self, url_path: str) -> bytes | None:
        """A font of the web page (``fonts/<name>.woff2`` beside it), as build --web writes it."""
        for folder in ("/fonts/", f"/{self.report_id}/web/fonts/"):
            if url_path.startswith(folder):
                return self.fonts.get(unquote(url_path.removeprefix(folder)))
        return None

    def index(self) -> str:
        """The project's list of reports (``output/index.html``) until a build writes it:
        every report, the one shown linked to its page, the others to their built pages
        and each to its released PDFs (or manifests)."""
        from rmr_gen.output.web import screen_page
        from rmr_gen.workflows.releases import MANIFEST, release_pdf, versions

        esc = html_escape.escape
        with self.state.changed:
            report = self.state.report
        items = []
        for report_id in self.project.report_ids():
            if report_id == self.report_id:
                title = report.title if report is not None else report_id
                entry = f'<a href="{esc(self.page_url())}">{esc(title)}</a> (förhandsgranskas)'
            elif (self.project.output_folder(report_id) / "web" / "index.html").is_file():
                entry = f'<a href="/{esc(quote(report_id))}/web/index.html">{esc(report_id)}</a>'
            else:
                entry = f"{esc(report_id)} (ingen webbsida byggd)"
            released = []
            for version in versions(self.project, report_id):
                pdf = release_pdf(self.project, report_id, version)
                name, what = (pdf.name, "PDF") if pdf.is_file() else (MANIFEST, "manifest")
                href = esc(f"/{quote(report_id)}/{quote(version)}/{quote(name)}")
                released.append(f'<a href="{href}">{esc(version)} ({what})</a>')
            if released:
                entry += "; fastställda: " + ", ".join(released)
            items.append(f"<li>{entry}</li>")
        body = (
            "<h1>Rapporter</h1>"
            '<p class="edition draft">Förhandsgranskning: projektets lista över rapporter'
            " är inte byggd ännu (<code>rmr-gen build --web</code> skriver den)."
            " Här är projektets rapporter.</p>"
            f"<ul>{''.join(items)}</ul>"
        )
        regular = [f for f in self.web_fonts if f.style == "normal"]
        return screen_page(self.project, "Rapporter (förhandsgranskning)", body, regular)

    def static_file(self, url_path: str) -> bytes | None:
        """A font or CSS resource of the templates, or a file of the report folder, read
        as a build reads it: each decoded part of the URL a plain name, no folder a
        link, a link inside followed only when it stays in its folder, only a regular
        file, at most :data:`MAX_SERVED` bytes. Anything else is None (404)."""
        from rmr_gen.core.confine import Refused, read_bytes, real_root
        from rmr_gen.core.project import PACKAGE_TEMPLATES
        from rmr_gen.workflows.webfiles import parts_of

        parts = parts_of(url_path)
        if not parts:
            return None
        root = self.project.root
        try:
            if parts[0] == "report-files":
                folder = self.project.reports_dir / self.report_id
                roots = [real_root(folder, root)]
                path = folder.joinpath(*parts[1:])
            else:
                path = self.project.template_files().get("/".join(parts))  # type: ignore[assignment]
                if path is None:
                    return None
                own = self.project.own_templates_dir
                roots = [PACKAGE_TEMPLATES.resolve()]
                if own.is_relative_to(root) and path.is_relative_to(own):
                    roots = [real_root(own, root)]
            return read_bytes(path, roots, MAX_SERVED, PREVIEW_LIMIT)
        except (Refused, OSError, ValueError):
            return None

    def events(self, stop: threading.Event) -> Iterator[int]:
        """Yield each new generation as it is rendered, until ``stop``."""
        with self.state.changed:
            seen = self.state.generation
        while not stop.is_set():
            with self.state.changed:
                self.state.changed.wait(timeout=1.0)
                current = self.state.generation
            if current != seen:
                seen = current
                yield current
            else:
                yield -1  # a keep-alive: the client learns the server is still there


#: The largest template or report file the preview serves (a build refuses larger images).
MAX_SERVED = 50_000_000


def watch_and_rebuild(
    previewer: Previewer, stop: threading.Event, report: Callable[[list[Problem]], None]
) -> None:
    """Rebuild after each batch of saved changes until ``stop`` is set."""
    from watchfiles import watch

    for _changes in watch(*previewer.watched(), stop_event=stop, debounce=200, step=50):
        try:
            problems = previewer.rebuild()
            report(problems)
            if not problems:
                previewer.prerender()
        except Exception as exc:  # a bug in rmr-gen: say so, keep watching
            import traceback

            frame = traceback.extract_tb(exc.__traceback__)[-1]
            print(
                f"rmr-gen: internal error (this is a bug in rmr-gen, please report it): "
                f"{type(exc).__name__}: {exc} at {frame.filename}:{frame.lineno}",
                file=sys.stderr,
            )
