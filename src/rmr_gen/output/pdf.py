"""HTML → PDF with WeasyPrint's public API.

A document may read nothing but ``data:`` URLs and files inside the project's
reports/, templates/ and data/ folders: rmr-gen's own URL fetcher
(:mod:`rmr_gen.output.urlfetcher`) refuses the rest and stops the build, rather
than letting WeasyPrint log and carry on.

Every PDF is tagged PDF/A-3a from WeasyPrint, finished by :mod:`rmr_gen.output.pdfua`
into a file that is also PDF/UA-1, with its source files embedded. Which modules
import WeasyPrint, and why, is the heavy-library table of docs/architecture.md;
only :mod:`rmr_gen.output.tagging` touches its private internals (version-checked).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from rmr_gen.content.markdown import is_allowed_link
from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Limits, Report
from rmr_gen.core.project import Project
from rmr_gen.output.archive import Attachment, DocumentInfo
from rmr_gen.output.guard import (
    DeadlineWorker,
    TimeLimitExceeded,
    WorkDied,
    run_with_deadline,
    time_limit,
)
from rmr_gen.output.hyphenruns import limit as limit_hyphens
from rmr_gen.output.pagefit import CHART, refit
from rmr_gen.output.pdfua import finish
from rmr_gen.output.rowgroups import keep_groups
from rmr_gen.output.structtree import Node
from rmr_gen.output.tagging import node_marks
from rmr_gen.output.urlfetcher import local_path, project_fetcher
from rmr_gen.output.weasyprint_loader import import_weasyprint

#: Tagged PDF/A-3 (conformance a); pdfua.finish makes it PDF/UA-1 as well.
ARCHIVAL = "pdf/a-3a"


def _too_slow(seconds: float) -> M:
    return M(
        "pdf.too-slow",
        "rendering took longer than limits.max_seconds = {seconds} s",
        seconds=seconds,
    )


_shared: dict[str, Any] = {}


def _per_process() -> tuple[Any, dict[str, Any]]:
    """One font configuration and image cache per process, reused by every PDF it
    renders: loading the bundled fonts once saves about a quarter of the time of a
    small document, and the bytes are the same as with fresh ones."""
    if not _shared:
        import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        _shared["fonts"] = FontConfiguration()
        _shared["images"] = {}
    return _shared["fonts"], _shared["images"]


def warm_up(
    stylesheets: Sequence[str] = (), base_dir: Path | None = None, roots: Sequence[Path] = ()
) -> None:
    """Load the fonts of ``stylesheets`` before forking, so that every child process
    starts with them (WeasyPrint loads each @font-face once per configuration)."""
    import hashlib

    fonts, _ = _per_process()
    if not stylesheets or base_dir is None:
        return
    key = hashlib.sha256("\0".join(stylesheets).encode()).hexdigest()
    done = _shared.setdefault("warm", set())
    if key in done:
        return
    done.add(key)
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    css = "".join(f"<style>{sheet}</style>" for sheet in stylesheets)
    try:
        with time_limit(10):
            HTML(
                string=f"<html><head>{css}</head><body><p>x</p></body></html>",
                base_url=base_dir.as_uri() + "/",
                url_fetcher=project_fetcher(roots, [], Limits()),
            ).render(font_config=fonts)
    except (Exception, FatalURLFetchingError):  # only a speed-up: the real render reports
        return


def preload() -> None:
    """Import WeasyPrint now: worker processes forked after this share it."""
    import_weasyprint()


def forget_images() -> None:
    """Images are cached by URL; a new build must see files edited since the last."""
    if _shared:
        _shared["images"] = {}


class _WarningCollector(logging.Handler):
    """WeasyPrint only logs some failures (e.g. a broken image); collect them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(word in message for word in ("Failed to", "Error fetching", "not allowed")):
            self.messages.append(message)


class PdfRendering(NamedTuple):
    """A rendered PDF, its page count and the HTML that became it: the HTML given, after
    the hyphen-run fix (:mod:`rmr_gen.output.hyphenruns`) kept some words whole."""

    pdf: bytes
    pages: int
    html: str


def html_to_pdf(
    html: str,
    base_dir: Path,
    roots: Sequence[Path],
    source: str,
    variant: str | None = ARCHIVAL,
    *,
    document: DocumentInfo | None = None,
    attachments: Sequence[Attachment] = (),
    limits: Limits | None = None,
    origin: Callable[[str], str] | None = None,
    worker: DeadlineWorker | None = None,
) -> PdfRendering:
    """Render ``html`` to PDF bytes, a page count and the HTML as laid out; resources
    resolve against ``base_dir``.

    ``source`` names what the HTML was made from, for error messages; ``origin``
    finds the text or template that asked for a refused resource.
    ``document`` is the metadata, ``attachments`` the files to embed; with
    ``variant=None`` the PDF is plain (untagged, not archival), for comparison.
    Runs in a child process killed at ``limits.max_seconds`` (see :mod:`rmr_gen.output.guard`):
    a fresh one, or ``worker``'s, which keeps WeasyPrint and the fonts loaded from one
    PDF to the next (``origin`` must then be None: it is sent pickled).
    """
    limits = limits or Limits()
    args = (html, base_dir, roots, source, variant, document, attachments, limits, origin)
    try:
        if worker is not None:
            done = worker.call(hard_deadline(limits.max_seconds), _render_fresh, *args)
        else:
            done = run_with_deadline(hard_deadline(limits.max_seconds), _render_pdf, *args)
        return PdfRendering(*done)
    except TimeLimitExceeded:
        raise InputError([Problem(Location(source), _too_slow(limits.max_seconds))]) from None
    except (WorkDied, MemoryError):
        message = M(
            "pdf.killed",
            "rendering ran out of memory (or was killed); the input is too large",
        )
        raise InputError([Problem(Location(source), message)]) from None


def _render_fresh(*args: Any) -> tuple[bytes, int, str]:
    """:func:`_render_pdf` in a reused child: images are read again (they may have been
    edited since), fonts are kept."""
    forget_images()
    return _render_pdf(*args)


_FAILED_URL = re.compile(r"'(file:[^']+)'")


def report_pdf(
    project: Project,
    report: Report,
    html: str,
    document: DocumentInfo | None,
    attachments: Sequence[Attachment],
    origin: Callable[[str], str] | None = None,
    worker: DeadlineWorker | None = None,
) -> PdfRendering:
    """A report's archival PDF: :func:`html_to_pdf` with the project's templates as the
    base, its readable folders, the report's limits and its report.toml named in errors
    (``worker``: see :func:`html_to_pdf`)."""
    return html_to_pdf(
        html,
        project.templates_dir,
        project.readable_roots,
        project.shown(report.folder / "report.toml"),
        document=document,
        attachments=attachments,
        limits=report.limits,
        origin=origin,
        worker=worker,
    )


def _failed(message: str, source: str, origin: Callable[[str], str] | None) -> Problem:
    """A resource WeasyPrint could not use, named, at the text or template that uses it."""
    match = _FAILED_URL.search(message)
    if match is None:
        return Problem(
            Location(source), M("pdf.resource-failed", "resource failed: {reason}", reason=message)
        )
    url = match.group(1)
    path = Path(local_path(urlsplit(url).path))
    reason = message[match.end() :].strip(" :")
    where = origin(url) if origin else ""
    shown = path.name
    for parent in path.parents:
        if (parent / "reports").is_dir() and (parent / "templates").is_dir():
            shown = path.relative_to(parent).as_posix()
            break
    text = (
        M(
            "pdf.resource-unusable",
            "'{name}' could not be used: {reason}",
            name=shown,
            reason=reason,
        )
        if reason
        else M("pdf.resource-broken", "'{name}' could not be used (is it broken?)", name=shown)
    )
    return Problem(Location(where) if where else Location(source), text)


def hard_deadline(seconds: float) -> float:
    """When the child is killed: a little after the soft limit that gives a clean message."""
    return seconds * 1.25 + 0.5


def foreign_links(rendered: Any) -> list[M]:
    """Links and attachments in the laid-out document that rmr-gen does not allow.

    Decided on what WeasyPrint will write (its link annotations and attachment
    list), not on the HTML text: ``rel="&#97;ttachment"`` or ``title=">"`` tricks
    change nothing here. Each names what it links to as its value ``target``.
    """
    found = []
    for attachment in getattr(rendered.metadata, "attachments", None) or ():
        name = attachment.name or attachment.description or ""
        found.append(M("pdf.attachment-element", "<link rel=attachment> '{target}'", target=name))
    for page in rendered.pages:
        for link in page.links:
            kind, target = link[0], str(link[1])
            if kind == "attachment":
                found.append(M("pdf.attachment", "attachment '{target}'", target=target))
            elif kind == "external" and not is_allowed_link(target):
                found.append(M("pdf.link", "link '{target}'", target=target))
    return found


def _render_pdf(
    html: str,
    base_dir: Path,
    roots: Sequence[Path],
    source: str,
    variant: str | None,
    document: DocumentInfo | None,
    attachments: Sequence[Attachment],
    limits: Limits,
    origin: Callable[[str], str] | None,
) -> tuple[bytes, int, str]:
    import_weasyprint()
    from weasyprint import HTML, __version__
    from weasyprint.urls import FatalURLFetchingError

    def fail(message: M, where: str = "") -> InputError:
        location = Location(where) if where else Location(source)
        return InputError([Problem(location, message)])

    refused: list[tuple[str, M]] = []
    nodes: list[Node] = []
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        fonts, images = _per_process()
        with time_limit(limits.max_seconds):
            fetcher = project_fetcher(roots, refused, limits)

            def source_of(text: str) -> Any:
                return HTML(string=text, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher)

            def render(text: str) -> Any:
                return source_of(text).render(pdf_variant=variant, font_config=fonts)

            # at most two hyphenated line ends in a row: their words kept whole
            laid_out, rendered = limit_hyphens(html, render(html), render)
            # Tabell 1's groups whole on a page, the first one too
            laid_out, rendered = keep_groups(laid_out, rendered, render)
            source_html = source_of(laid_out)
            if CHART in html:  # a chart may shrink rather than leave a page nearly empty
                rendered = refit(source_html, rendered, pdf_variant=variant, font_config=fonts)
            foreign = foreign_links(rendered)
            if foreign:
                target = foreign[0].values["target"]
                where = origin(target) if origin and target else ""
                raise fail(
                    M(
                        "pdf.link-not-allowed",
                        "{link} is not allowed: links may be http, https, mailto or"
                        " #anchors, and only rmr-gen attaches files",
                        link=foreign[0],
                    ),
                    where,
                )
            pages = len(rendered.pages)
            if pages > limits.max_pages:
                raise fail(
                    M(
                        "pdf.too-many-pages",
                        "{pages} pages is more than limits.max_pages = {max_pages}",
                        pages=pages,
                        max_pages=limits.max_pages,
                    )
                )
            if variant is None:
                pdf = rendered.write_pdf(uncompressed_pdf=False, cache=images)
            else:
                # Uncompressed and without /ID: pdfua.finish compresses every stream once
                # and derives /ID from the content (pydyf would compress all twice).
                with node_marks(nodes):
                    pdf = rendered.write_pdf(
                        pdf_variant=variant,
                        pdf_identifier=False,
                        uncompressed_pdf=True,
                        cache=images,
                    )
    except FatalURLFetchingError as exc:
        url, reason = refused[-1] if refused else ("", str(exc))
        where = origin(url) if origin and url else ""
        raise fail(_resource_refused(reason), where) from None
    except TimeLimitExceeded:
        raise fail(_too_slow(limits.max_seconds)) from None
    except (MemoryError, RecursionError) as exc:
        raise fail(
            M("pdf.out-of-memory", "rendering ran out of memory; the input is too large")
            if isinstance(exc, MemoryError)
            else M("pdf.too-deep", "rendering nested too deeply; the input is too large")
        ) from None
    finally:
        logger.removeHandler(collector)
    if refused:  # WeasyPrint swallows some fatal fetch errors (e.g. images inside SVG)
        url, reason = refused[0]
        where = origin(url) if origin else ""
        raise fail(_resource_refused(reason), where)
    if collector.messages:
        raise InputError([_failed(m, source, origin) for m in collector.messages])
    if variant is None:
        return bytes(pdf), pages, laid_out
    document = document or _document_of(rendered)
    finished = finish(bytes(pdf), nodes, document, attachments, f"WeasyPrint {__version__}")
    return finished, pages, laid_out


def _resource_refused(reason: str | M) -> M:
    return M("pdf.resource-refused", "resource refused: {reason}", reason=reason)


def _document_of(rendered: Any) -> DocumentInfo:
    """The metadata the HTML itself gives (a PDF made without rmr-gen's own)."""
    metadata = rendered.metadata
    return DocumentInfo(
        title=metadata.title or "",
        author=", ".join(metadata.authors),
        subject=metadata.description or "",
        keywords=tuple(metadata.keywords),
        language=metadata.lang or "sv-SE",
    )
