"""The marks around a redline's changes: a bar in the margin of each changed block and
its number (an anchor, a PDF bookmark)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<[^>]+>|[^<]+")


def _tag_name(tag: str) -> tuple[str, bool]:
    match = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
    return (match.group(1).lower() if match else ""), tag.startswith("</")


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "caption", "figcaption", "pre"}
_BLOCKS |= {"dt", "dd", "blockquote"}


def change_bars(html: str) -> str:
    """Mark each block that holds a change (``data-diff``), for a bar in the margin."""
    parts = _TOKEN.findall(html)
    stack: list[int] = []
    marked: set[int] = set()
    for index, part in enumerate(parts):
        if not part.startswith("<"):
            continue
        name, closing = _tag_name(part)
        if name in _BLOCKS:
            if closing:
                if stack:
                    stack.pop()
            elif not part.endswith("/>"):
                stack.append(index)
        elif (
            not closing
            and stack
            and (name in ("ins", "del") or 'class="moved"' in part or "diff-format" in part)
        ):
            marked.add(stack[-1])
    for index in marked:
        tag = parts[index]
        parts[index] = tag[:-1] + ' data-diff="1">'
    return "".join(parts)


_CHANGED_BLOCK = re.compile(r'(<([a-zA-Z0-9]+)\b[^>]*\bdata-diff="1"[^>]*>)(\s*<t[hd]\b[^>]*>)?')


def number_changes(html: str) -> tuple[str, int]:
    """Number each changed block (``Ändring N``, an anchor and a PDF bookmark)."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        anchor = f'<a class="diff-no" id="andring-{count}">{count}</a>'
        return (
            match.group(0) + anchor
            if match.group(2).lower() != "tr" or match.group(3)
            else (match.group(0))
        )

    return _CHANGED_BLOCK.sub(number, html), count


_ROW_GROUP = re.compile(r"(<tbody\b[^>]*>)(.*?)(</tbody>)", re.S)
_ROWSPAN = re.compile(r'(<t[dh]\b[^>]*\browspan=")(\d+)(")')


def fit_rowspans(html: str) -> str:
    """A row group's spanning cell (Tabell 1's target) over all of the group's rows,
    the struck ones too: a removed region's rows stay under their indicator's target."""

    def fit(match: re.Match[str]) -> str:
        body = match.group(2)
        spans = _ROWSPAN.findall(body)
        first_row = body.split("</tr>", 1)[0]
        if len(spans) != 1 or not _ROWSPAN.search(first_row):
            return match.group(0)
        rows = len(re.findall(r"<tr\b", body))
        body = _ROWSPAN.sub(lambda m: f"{m.group(1)}{rows}{m.group(3)}", body, count=1)
        return match.group(1) + body + match.group(3)

    return _ROW_GROUP.sub(fit, html)
