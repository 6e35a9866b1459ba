"""Which files a rendered document may read: rmr-gen's own URL fetcher for WeasyPrint.

A document may read nothing but ``data:`` URLs and files inside the project's
reports/, templates/ and data/ folders, each reached without a symbolic link and
under the size and pixel limits; anything else is refused with a coded message
(:class:`ResourceRefused`) and stops the build, rather than letting WeasyPrint
log and carry on. The web page embeds its texts' images through the same checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rmr_gen.core.confine import Refused, read_bytes, real_root
from rmr_gen.core.i18n import M
from rmr_gen.core.limits import LimitExceeded, image_bytes_pixels
from rmr_gen.core.models import Limits
from rmr_gen.output.weasyprint_loader import import_weasyprint


class ResourceRefused(Exception):
    """A document asked for a resource outside the project; the message is an :class:`M`."""

    def __init__(self, message: M) -> None:
        super().__init__(message)

    @property
    def message(self) -> M:
        return self.args[0]  # type: ignore[no-any-return]


def real_roots(roots: Sequence[Path]) -> tuple[Path, ...]:
    """The readable folders, each itself reached without a symbolic link (else dropped)."""
    found = []
    for root in roots:
        try:
            found.append(real_root(root, root.parent))
        except Refused:
            continue
    return tuple(found)


def read_local(url: str, roots: Sequence[Path], max_bytes: int) -> tuple[Path, bytes]:
    """The real path and content of the file behind a ``file:`` URL inside ``roots``."""
    import os

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(
            M("pdf.resource-not-a-file", "'{url}' is not a file inside the project", url=url)
        )
    try:  # follows symlinks, '..' and '%2e%2e'
        real = Path(os.path.realpath(local_path(parts.path), strict=True))
    except (OSError, ValueError):
        raise ResourceRefused(
            M("pdf.resource-missing", "'{url}' does not exist", url=url)
        ) from None
    if not any(real.is_relative_to(root) for root in roots):
        raise ResourceRefused(
            M(
                "pdf.resource-outside",
                "'{url}' is outside the project's reports/, templates/ and data/",
                url=url,
            )
        )
    try:
        what = M("limit.resource", "the size limit of a resource")
        return real, read_bytes(real, roots, max_bytes, what)
    except Refused as exc:
        raise ResourceRefused(
            M("pdf.resource-refused-why", "'{url}' {reason}", url=url, reason=exc.message)
        ) from None


def local_path(url_path: str) -> str:
    """The file path of a ``file:`` URL's path (urllib.request is imported only here:
    it brings http, ssl and email, which planning a build does not need)."""
    from urllib.request import url2pathname

    return url2pathname(unquote(url_path))


def project_fetcher(roots: Sequence[Path], refused: list[tuple[str, M]], limits: Limits) -> Any:
    """WeasyPrint's URL fetcher for one document: ``data:`` URLs and the files inside
    ``roots`` under ``limits``; each refusal is appended to ``refused``."""
    import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    readable = real_roots(roots)
    max_bytes = max(limits.max_image_mb, limits.max_data_mb) * 1_000_000

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                real, content = read_local(url, readable, max_bytes)
                image_bytes_pixels(content, limits.max_image_pixels)
            except (ResourceRefused, LimitExceeded) as exc:
                message = (
                    exc.message
                    if isinstance(exc, ResourceRefused)
                    else M("pdf.resource-limit", "'{url}': {reason}", url=url, reason=exc.message)
                )
                refused.append((url, message))
                raise FatalURLFetchingError(message.english) from exc
            return URLFetcherResponse(real.as_uri(), content)

    return ProjectFetcher(allowed_protocols=("data", "file"), allow_redirects=False)
