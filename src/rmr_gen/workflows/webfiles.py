"""The files a built web edition links to, as the preview serves them: read only, by
URL path, from the project's ``output/`` and nothing else.

The preview shows a report's page at the path it has below ``output/``
(``/<id>/web/index.html``), so its links (``../../index.html``, a release's
``../<X.Y>/<id>-<X.Y>.pdf`` and ``manifest.json``) resolve as they do on disk.
Only the kinds of file the web edition links to are served: the project's
``index.html``, the web pages and their fonts, a working draft's PDF beside them, a
release's PDFs and manifest.
A URL is taken apart before it is decoded; each part, decoded, must be a plain
name (no ``..``, no slash or backslash, nothing hidden), no folder on the way
from the project may be a symbolic link, and the file must be a regular file
inside ``output/``, opened without following a link.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from rmr_gen.core.confine import Refused, no_links_below, read_bytes
from rmr_gen.core.project import REPORT_ID, Project
from rmr_gen.inputs.config import parse_version
from rmr_gen.workflows.releases import MANIFEST

#: One decoded part of a URL path: a plain file or folder name.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
WEB = "web"
FONTS = "fonts"
LICENCE = "OFL.txt"


@dataclass(frozen=True)
class Served:
    content: bytes
    content_type: str


def parts_of(url_path: str) -> list[str] | None:
    """The decoded names of an absolute URL path, or None when any is not a plain name."""
    if not url_path.startswith("/"):
        return None
    try:
        parts = [unquote(p, errors="strict") for p in url_path[1:].split("/")]
    except UnicodeDecodeError:
        return None
    return parts if all(_NAME.fullmatch(p) for p in parts) else None


def content_type(parts: list[str]) -> str | None:
    """The content type of a file the web edition links to, or None for any other file."""
    match parts:
        case ["index.html"]:
            return "text/html; charset=utf-8"
        case [report_id, "web", page] if REPORT_ID.match(report_id) and page.endswith(".html"):
            return "text/html; charset=utf-8"
        case [report_id, "web", "fonts", font] if REPORT_ID.match(report_id):
            if font.endswith(".woff2"):
                return "font/woff2"
            return "text/plain; charset=utf-8" if font == LICENCE else None
        case [report_id, name] if REPORT_ID.match(report_id) and name.endswith(".pdf"):
            # a working draft beside its web folder: the page's "Utkastet som PDF"
            if name == f"{report_id}.pdf" or name.startswith(f"{report_id}-"):
                return "application/pdf"
        case [report_id, version, name] if REPORT_ID.match(report_id) and parse_version(version):
            if name == MANIFEST:
                return "application/json"
            if name.startswith(f"{report_id}-") and name.endswith(f"-{version}.pdf"):
                return "application/pdf"
    return None


def output_file(project: Project, url_path: str) -> Served | None:
    """The file of ``output/`` at ``url_path`` if the web edition may link to it and it is
    a regular file inside ``output/`` reached without a symbolic link; else None."""
    parts = parts_of(url_path)
    kind = content_type(parts) if parts else None
    if parts is None or kind is None:
        return None
    path = project.output_dir.joinpath(*parts)
    try:
        no_links_below(project.root, path)
        output = Path(os.path.realpath(project.output_dir, strict=True))
        return Served(read_bytes(path, [output]), kind)
    except (Refused, OSError):
        return None
