"""Editors' Markdown to HTML, safely: no raw HTML, only harmless links and images.

Texts come from many hands and are untrusted. Raw HTML is escaped (it prints
as text); links are limited to http, https, mailto and in-document anchors;
images must be files inside the report's folder (rewritten to their absolute
``file:`` URL, which the PDF layer checks again) and not too large.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from rmr_gen.core.formatting import prose
from rmr_gen.core.i18n import M, english, reason_of

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

ALLOWED_SCHEMES = ("http:", "https:", "mailto:")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


@dataclass(frozen=True)
class MarkdownProblem:
    line: int | None
    message: M


def is_allowed_link(url: str) -> bool:
    cleaned = "".join(url.split()).lower()
    return cleaned.startswith(ALLOWED_SCHEMES) or (cleaned.startswith("#") and len(cleaned) > 1)


def _is_allowed(url: str) -> bool:
    # Images are checked separately against the report folder, so a relative
    # path passes here; anything with a scheme must be a link we allow.
    cleaned = "".join(url.split()).lower()
    return is_allowed_link(url) or (
        ":" not in cleaned.split("/")[0] and not cleaned.startswith("//")
    )


def preload() -> None:
    """Make the parser now: a process started early loads it while the build plans."""
    _parser()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = _is_allowed  # type: ignore[method-assign]
    # print a URL as written, "%20" and all
    md.normalizeLinkText = str  # type: ignore[method-assign,assignment]
    md.renderer.rules["text"] = _swedish_text  # type: ignore[attr-defined]
    return md


def _check_image(
    src: str, folder: Path, max_bytes: int, max_pixels: int = 50_000_000
) -> tuple[str | None, M | None]:
    """The image's file URL, or None and why it is refused."""
    from rmr_gen.core.confine import Refused, regular_file
    from rmr_gen.core.limits import LimitExceeded, check_image

    shown = src if len(src) <= 200 else src[:200] + "…"
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("/"):
        return None, M(
            "text.image-not-a-file",
            "image '{image}' must be a file in the report folder",
            image=shown,
        )
    try:  # follows symlinks and '..': the file itself must be in the folder
        real = folder.resolve()
        path = regular_file(folder / unquote(parts.path), (real,))
    except Refused as exc:
        said = english(reason_of(exc))  # read in English: the words differ in Swedish
        if said.startswith("is outside"):
            return None, M(
                "text.image-outside", "image '{image}' is outside the report folder", image=shown
            )
        if said.startswith(("is ", "not ")):  # "image 'x' is a symbolic link loop"
            return None, M(
                "text.image-refused", "image '{image}' {why}", image=shown, why=reason_of(exc)
            )
        return None, M(
            "text.image-unreadable", "image '{image}': {why}", image=shown, why=reason_of(exc)
        )
    if path.suffix.lower() not in IMAGE_TYPES:
        return None, M(
            "text.image-type",
            "image '{image}' is not an image ({types})",
            image=shown,
            types=", ".join(IMAGE_TYPES),
        )
    size = path.stat().st_size
    if size > max_bytes:
        return None, M(
            "text.image-too-large",
            "image '{image}' is {size} MB, more than limits.max_image_mb",
            image=shown,
            size=format(size / 1e6, ".1f"),
        )
    try:
        check_image(path, max_pixels)
    except LimitExceeded as exc:
        return None, M(
            "text.image-unreadable", "image '{image}': {why}", image=shown, why=reason_of(exc)
        )
    return path.as_uri(), None


def render_markdown(
    text: str, folder: Path, max_image_bytes: int = 10_000_000, max_image_pixels: int = 50_000_000
) -> tuple[str, list[MarkdownProblem]]:
    """Render Markdown; the HTML is safe to insert into a template unescaped."""
    md = _parser()
    tokens = md.parse(text)
    problems: list[MarkdownProblem] = _footnotes(text, tokens)
    footnoted = {p.line for p in problems}
    for previous, block in zip([None, *tokens], tokens, strict=False):
        children = block.children or []
        if previous is not None and previous.type == "paragraph_open" and children:
            children[-1].meta["last"] = True  # the paragraph's (or list item's) end
        for token in _images(block.children or []):
            line = block.map[0] + 1 if block.map else None
            uri, why = _check_image(
                str(token.attrGet("src") or ""), folder, max_image_bytes, max_image_pixels
            )
            if uri is None:
                assert why is not None
                problems.append(MarkdownProblem(line, why))
                token.attrSet("src", "")
            else:
                token.attrSet("src", uri)
        for token in block.children or []:
            href = token.attrGet("href") if token.type == "link_open" else None
            line = block.map[0] + 1 if block.map else None
            if line in footnoted:
                continue  # the footnote's definition, read as a link target: said once
            if href is not None and not is_allowed_link(str(href)):
                problems.append(
                    MarkdownProblem(
                        line,
                        M(
                            "text.link-not-allowed",
                            "link '{href}': only http, https, mailto and #anchors are allowed",
                            href=str(href),
                        ),
                    )
                )
    return md.renderer.render(tokens, md.options, {}), problems


#: A footnote reference ``[^1]`` or definition ``[^1]: …`` (Markdown extensions that
#: CommonMark does not have: it would print the reference literally and read the
#: definition as a link target, so the note would vanish).
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _footnotes(text: str, tokens: Sequence[Token]) -> list[MarkdownProblem]:
    """Each line with a footnote, refused: a note must not print as ``[^1]`` or vanish."""
    code = {
        line
        for token in tokens
        if token.type in ("fence", "code_block") and token.map
        for line in range(token.map[0], token.map[1])
    }
    problems = []
    for number, line in enumerate(text.splitlines()):
        match = None if number in code else _FOOTNOTE.search(_CODE_SPAN.sub("", line))
        if match:
            problems.append(
                MarkdownProblem(
                    number + 1,
                    M(
                        "text.footnote",
                        "footnote '{footnote}': footnotes are not supported; write the note in"
                        " the text (in parentheses) or as a reference in a list",
                        footnote=match.group(0),
                    ),
                )
            )
    return problems


def _images(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        if token.type == "image":
            found.append(token)
        found.extend(_images(token.children or []))
    return found


_LAST_WORD = re.compile(r"(\S{8,})$")  # long enough to be hyphenated (base.css)


def _swedish_text(tokens: Sequence[Any], index: int, options: Any, env: Any) -> str:
    """Text runs (not code, not URLs) with Swedish number typography. The last word of
    a paragraph or list item is never hyphenated: its last line is never a fragment."""
    from markdown_it.common.utils import escapeHtml

    text = escapeHtml(prose(tokens[index].content))
    if tokens[index].meta.get("last"):
        text = _LAST_WORD.sub(r'<span class="last-word">\1</span>', text)
    return text
