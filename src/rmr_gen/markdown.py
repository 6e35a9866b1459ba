"""Editors' Markdown to HTML, safely: no raw HTML, only harmless links.

Texts come from many hands and are untrusted. Raw HTML is escaped (it prints
as text), links are limited to http, https, mailto and in-document anchors,
and images are refused until they can be checked to live inside the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rmr_gen.formatting import prose

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


def is_allowed_link(url: str) -> bool:
    cleaned = "".join(url.split()).lower()
    return cleaned.startswith(ALLOWED_SCHEMES) or (cleaned.startswith("#") and len(cleaned) > 1)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    md.validateLink = is_allowed_link  # type: ignore[method-assign]
    md.normalizeLinkText = str  # print a URL as written, "%20" and all  # type: ignore[method-assign]
    md.renderer.rules["text"] = _swedish_text
    return md


def _swedish_text(tokens: Sequence[Any], index: int, options: Any, env: Any) -> str:
    """Text runs (not code, not URLs) with Swedish number typography."""
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(prose(tokens[index].content))


def to_html(text: str) -> str:
    """Render Markdown; the result is safe to insert into a template unescaped."""
    return _parser().render(text)
