"""HTML → PDF with WeasyPrint (the only module that imports it).

A document may read nothing but ``data:`` URLs and files inside the project's
reports/, templates/ and data/ folders: rmr-gen's own URL fetcher refuses the
rest and stops the build, rather than letting WeasyPrint log and carry on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from rmr_gen.errors import InputError, Location, Problem


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


def _fetcher(roots: Sequence[Path], refused: list[str]) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = resolve_local(url, roots)
            except ResourceRefused as exc:
                refused.append(str(exc))
                raise FatalURLFetchingError(str(exc)) from exc
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return ProjectFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


class _WarningCollector(logging.Handler):
    """WeasyPrint only logs some failures (e.g. a broken image); collect them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(word in message for word in ("Failed to load", "Error fetching", "not allowed")):
            self.messages.append(message)


def html_to_pdf(
    html: str,
    base_dir: Path,
    roots: Sequence[Path],
    source: str,
    variant: str | None = "pdf/ua-1",
) -> tuple[bytes, int]:
    """Render ``html`` to PDF bytes and a page count; resources resolve against ``base_dir``.

    ``source`` names what the HTML was made from, for error messages.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    refused: list[str] = []
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(
            string=html, base_url=base_dir.as_uri() + "/", url_fetcher=_fetcher(roots, refused)
        ).render(pdf_variant=variant)
        pages = len(document.pages)
        pdf = document.write_pdf(
            pdf_variant=variant,
            pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode(),
            uncompressed_pdf=False,
        )
    except FatalURLFetchingError as exc:
        reason = refused[-1] if refused else str(exc)
        raise InputError([Problem(Location(source), f"resource refused: {reason}")]) from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise InputError(
            [Problem(Location(source), f"resource failed: {m}") for m in collector.messages]
        )
    return bytes(pdf), pages
