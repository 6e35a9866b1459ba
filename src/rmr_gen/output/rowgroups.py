"""Tabell 1's indicator groups kept on one page, the table's first group too.

The template asks for it (``tbody { break-inside: avoid }``) and WeasyPrint keeps a
group whole when it can break before it. It cannot before the first group after the
table's header row: it lays that group out as if the page were empty (so that a
header never stands alone at a page foot), and a first group that does not fit in
what is left of the page is split: its target cell and first regions on one page, the
other regions and Riket on the next, under an empty target cell.

:func:`keep_groups` reads the laid-out boxes (read only, as
:mod:`rmr_gen.output.pagefit` does) and, only when a group is split, starts the
table (or, for a later group, that group) on a new page and lays the document out
again. The break is written into the HTML, so ``build --html`` shows it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rmr_gen.output.pagefit import walk

#: Where a group is split: the class the template gives each indicator's ``tbody``.
GROUP_CLASS = "indicator-group"

#: Renderings at most, the first one included: each round starts one split group's
#: table (or the group) on a new page, which moves every group after it.
ROUNDS = 4

BREAK = ' style="break-before: page"'
_GROUP_TAG = re.compile(r'<tbody\b[^>]*\bclass="(?:[^"]*\s)?' + GROUP_CLASS + r'(?:\s[^"]*)?"')


def _is_group(element: Any) -> bool:
    return (
        element is not None
        and element.tag == "tbody"
        and GROUP_CLASS in (element.get("class") or "").split()
    )


def split_groups(rendered: Any) -> list[tuple[int, bool]]:
    """The groups laid out on more than one page, in document order: each as its
    index among the document's groups and whether it is its table's first group."""
    pages: dict[int, set[int]] = {}
    root = None
    for number, page in enumerate(rendered.pages):
        for box in walk(page._page_box):
            element = getattr(box, "element", None)
            if root is None and getattr(box, "element_tag", None) == "html":
                root = element
            if getattr(box, "element_tag", None) == "tbody" and _is_group(element):
                pages.setdefault(id(element), set()).add(number)
    if root is None or not any(len(on) > 1 for on in pages.values()):
        return []
    firsts = set()
    for table in root.iter("table"):
        groups = [child for child in table if _is_group(child)]
        if groups:
            firsts.add(id(groups[0]))
    order = [e for e in root.iter("tbody") if _is_group(e)]
    return [
        (index, id(element) in firsts)
        for index, element in enumerate(order)
        if len(pages.get(id(element), ())) > 1
    ]


def with_break(html: str, index: int, first: bool) -> str:
    """``html`` with a page break before the ``index``-th group, or before its table
    when it is the table's first; ``html`` itself when that tag is not found."""
    found = [m.start() for m in _GROUP_TAG.finditer(html)]
    if index >= len(found):
        return html
    at = found[index]
    if first:
        at = html.rfind("<table", 0, at)
        if at < 0:
            return html
        name = len("<table")
    else:
        name = len("<tbody")
    if html.startswith(BREAK, at + name):
        return html  # already broken there: the group is taller than a page
    return html[: at + name] + BREAK + html[at + name :]


def keep_groups(html: str, rendered: Any, render: Callable[[str], Any]) -> tuple[str, Any]:
    """``html`` and its rendering with no indicator group split over two pages where a
    page break before its table (or itself) mends it; ``rendered`` when none is."""
    if GROUP_CLASS not in html:
        return html, rendered
    for _ in range(ROUNDS - 1):
        split = split_groups(rendered)
        if not split:
            break
        mended = with_break(html, *split[0])
        if mended == html:
            break
        html, rendered = mended, render(mended)
    return html, rendered
