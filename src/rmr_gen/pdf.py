"""HTML → PDF with WeasyPrint's public API.

A document may read nothing but ``data:`` URLs and files inside the project's
reports/, templates/ and data/ folders: rmr-gen's own URL fetcher refuses the
rest and stops the build, rather than letting WeasyPrint log and carry on.

Every PDF is tagged PDF/A-3a from WeasyPrint, finished by :mod:`rmr_gen.pdfua`
into a file that is also PDF/UA-1, with its source files embedded. This module
and :mod:`rmr_gen.tagging` (WeasyPrint's private internals, version-checked) are
the only ones that import WeasyPrint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from rmr_gen.archive import Attachment, DocumentInfo
from rmr_gen.errors import InputError, Location, Problem
from rmr_gen.guard import TimeLimitExceeded, has_foreign_attachment, time_limit
from rmr_gen.models import Limits
from rmr_gen.pdfua import Node, finish
from rmr_gen.tagging import node_marks

#: Tagged PDF/A-3 (conformance a); pdfua.finish makes it PDF/UA-1 as well.
ARCHIVAL = "pdf/a-3a"


class ResourceRefused(Exception):
    """A document asked for a resource outside the project."""


def resolve_local(url: str, roots: Sequence[Path]) -> Path:
    """The file behind a ``file:`` URL, if it lies inside ``roots``; else raise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"'{url}' is not a file inside the project")
    path = Path(url2pathname(unquote(parts.path))).resolve()  # follows symlinks, '..'
    if not any(path.is_relative_to(root.resolve()) for root in roots):
        raise ResourceRefused(f"'{url}' is outside the project's reports/, templates/ and data/")
    if not path.is_file():
        raise ResourceRefused(f"'{url}' does not exist")
    return path


def _fetcher(roots: Sequence[Path], refused: list[tuple[str, str]]) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = resolve_local(url, roots)
            except ResourceRefused as exc:
                refused.append((url, str(exc)))
                raise FatalURLFetchingError(str(exc)) from exc
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ProjectFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


_shared: dict[str, Any] = {}


def _per_process() -> tuple[Any, dict[str, Any]]:
    """One font configuration and image cache per process, reused by every PDF it
    renders: loading the bundled fonts once saves about a quarter of the time of a
    small document, and the bytes are the same as with fresh ones."""
    if not _shared:
        from weasyprint.text.fonts import FontConfiguration

        _shared["fonts"] = FontConfiguration()
        _shared["images"] = {}
    return _shared["fonts"], _shared["images"]


def preload() -> None:
    """Import WeasyPrint now: worker processes forked after this share it."""
    import weasyprint  # noqa: F401


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
) -> tuple[bytes, int]:
    """Render ``html`` to PDF bytes and a page count; resources resolve against ``base_dir``.

    ``source`` names what the HTML was made from, for error messages; ``origin``
    finds the text or template that asked for a refused resource.
    ``document`` is the metadata, ``attachments`` the files to embed; with
    ``variant=None`` the PDF is plain (untagged, not archival), for comparison.
    """
    from weasyprint import HTML, __version__
    from weasyprint.urls import FatalURLFetchingError

    limits = limits or Limits()

    def fail(message: str, where: str = "") -> InputError:
        location = Location(where) if where else Location(source)
        return InputError([Problem(location, message)])

    if has_foreign_attachment(html):
        raise fail("rel=attachment is not allowed: rmr-gen attaches the source data itself")
    refused: list[tuple[str, str]] = []
    nodes: list[Node] = []
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        fonts, images = _per_process()
        with time_limit(limits.max_seconds):
            rendered = HTML(
                string=html,
                base_url=base_dir.as_uri() + "/",
                url_fetcher=_fetcher(roots, refused),
            ).render(pdf_variant=variant, font_config=fonts)
            pages = len(rendered.pages)
            if pages > limits.max_pages:
                raise fail(f"{pages} pages is more than limits.max_pages = {limits.max_pages}")
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
        raise fail(f"resource refused: {reason}", where) from None
    except TimeLimitExceeded:
        raise fail(
            f"rendering took longer than limits.max_seconds = {limits.max_seconds} s"
        ) from None
    finally:
        logger.removeHandler(collector)
    if refused:  # WeasyPrint swallows some fatal fetch errors (e.g. images inside SVG)
        url, reason = refused[0]
        where = origin(url) if origin else ""
        raise fail(f"resource refused: {reason}", where)
    if collector.messages:
        raise InputError(
            [Problem(Location(source), f"resource failed: {m}") for m in collector.messages]
        )
    if variant is None:
        return bytes(pdf), pages
    if document is None:
        metadata = rendered.metadata
        document = DocumentInfo(
            title=metadata.title or "",
            author=", ".join(metadata.authors),
            subject=metadata.description or "",
            keywords=tuple(metadata.keywords),
            language=metadata.lang or "sv-SE",
        )
    return finish(bytes(pdf), nodes, document, attachments, f"WeasyPrint {__version__}"), pages
