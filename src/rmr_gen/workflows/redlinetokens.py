"""The redline's HTML as tokens: tags, words and spaces (a table cell's text and a
number with digit groups each one token), each paragraph, heading, list item and
table row grouped into one block token, and whether a run of tokens opens and closes
its tags in balance. :mod:`rmr_gen.workflows.redline` compares these.
"""

from __future__ import annotations

import html as htmlmod
import re


def plain(fragment: str) -> str:
    return htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment))


_TOKEN = re.compile(r"<[^>]+>|[^<]+")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_CELL_OPEN = re.compile(r"<t[dh][\s>]")
_ALIGN = re.compile(r"</?data\b[^>]*>")


def tokens(html: str) -> list[str]:
    """Tags, words and spaces; a table cell's whole text is one token (it changes as one)."""
    html = _ALIGN.sub("", html)  # Tabell 1's digit-alignment boxes: a cell stays one text
    raw = _TOKEN.findall(html)
    result = []
    for i, part in enumerate(raw):
        if part.startswith("<") or (
            i > 0
            and _CELL_OPEN.match(raw[i - 1])
            and i + 1 < len(raw)
            and raw[i + 1].startswith("</t")
        ):
            result.append(part)
        else:
            result.extend(_WORD.findall(part))
    return result


#: A number with digit groups (``15 000``) is one word, so it changes as one.
_WORD = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?=\s|$|[^\w])|\s+|\S+")


#: Elements compared as whole blocks first: a paragraph, heading, list item or
#: table row is added, removed, moved or changed as one, never run into its neighbour.
_GROUPED = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "caption",
    "figcaption",
    "dt",
    "dd",
}
_OPEN = re.compile(r"<([a-zA-Z0-9]+)[\s>/]")


def block_name(part: str) -> str:
    """The element name when ``part`` is a whole grouped element, else ""."""
    match = _OPEN.match(part)
    if (
        match
        and match.group(1).lower() in _GROUPED
        and part.rstrip().endswith(f"</{match.group(1)}>")
    ):
        return match.group(1).lower()
    return ""


def is_row(part: str) -> bool:
    return block_name(part) != ""


def group_rows(parts: list[str]) -> list[str]:
    """Each paragraph, heading, list item and table row as one token (see ``_GROUPED``)."""
    result: list[str] = []
    group: list[str] = []
    name = ""
    depth = 0
    for part in parts:
        if not group and result and block_name(result[-1]) and not part.strip():
            result[-1] += part  # the line break after a block belongs to it: never an anchor
            continue
        if not group:
            match = _OPEN.match(part) if part.startswith("<") else None
            if match and match.group(1).lower() in _GROUPED and not part.endswith("/>"):
                group, name, depth = [part], match.group(1).lower(), 1
            else:
                result.append(part)
            continue
        group.append(part)
        if part.startswith("<"):
            tag, closing = tag_name(part)
            if tag == name:
                depth += -1 if closing else 1
                if depth == 0:
                    result.append("".join(group))
                    group = []
    result.extend(group)
    return result


def flatten_rows(parts: list[str]) -> list[str]:
    return [t for p in parts for t in (tokens(p) if is_row(p) else [p])]


def tag_name(tag: str) -> tuple[str, bool]:
    match = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
    return (match.group(1).lower() if match else ""), tag.startswith("</")


def balanced(parts: list[str]) -> bool:
    stack: list[str] = []
    for part in parts:
        if not part.startswith("<") or part.startswith("<!") or is_row(part):
            continue
        name, closing = tag_name(part)
        if name in _VOID or part.endswith("/>"):
            continue
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack
