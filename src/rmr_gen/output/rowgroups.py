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
from dataclasses import dataclass
from typing import Any

from rmr_gen.output.pagefit import walk

#: Where a group is split: the class the template gives each indicator's ``tbody``.
GROUP_CLASS = "indicator-group"

#: Renderings at most, the first one included: each round starts one split group's
#: table (or the group) on a new page, which moves every group after it.
ROUNDS = 4

BREAK = "break-before: page"
_GROUP_TAG = re.compile(r'<tbody\b[^>]*\bclass="(?:[^"]*\s)?' + GROUP_CLASS + r'(?:\s[^"]*)?"')
_HEADINGS = ("h1", "h2", "h3")  # kept with what follows them (base.css): they go along


@dataclass(frozen=True)
class Split:
    """A group laid out on more than one page, and where its page break goes."""

    index: int  # among the document's groups, in document order
    tag: str  # the element the break goes before: "tbody", "table" or a heading's tag
    nth: int  # that element's index among the document's elements of its tag


def _is_group(element: Any) -> bool:
    return (
        element is not None
        and element.tag == "tbody"
        and GROUP_CLASS in (element.get("class") or "").split()
    )


def _heading_before(table: Any, parents: dict[int, Any]) -> Any:
    """The heading right before ``table`` in the flow (an editor's "## Resultat" just
    above Tabell 1, perhaps the last thing in its section), or None."""
    element = table
    while (parent := parents.get(id(element))) is not None:
        siblings = list(parent)
        at = next(i for i, child in enumerate(siblings) if child is element)
        if at > 0:
            before = siblings[at - 1]
            while before.tag not in _HEADINGS and len(before):
                before = before[-1]
            return before if before.tag in _HEADINGS else None
        element = parent
    return None


def split_groups(rendered: Any) -> list[Split]:
    """The groups laid out on more than one page, in document order, each with the
    element its break goes before: the table for its first group (or the heading
    right above the table, which goes along), else the group itself."""
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
    parents = {id(child): parent for parent in root.iter() for child in parent}
    tables = {}
    for table in root.iter("table"):
        groups = [child for child in table if _is_group(child)]
        if groups:
            tables[id(groups[0])] = table
    order = [e for e in root.iter("tbody") if _is_group(e)]
    found = []
    for index, element in enumerate(order):
        if len(pages.get(id(element), ())) < 2:
            continue
        target = element
        if id(element) in tables:
            table = tables[id(element)]
            heading = _heading_before(table, parents)  # an Element with no children is falsy
            target = table if heading is None else heading
        same = [e for e in root.iter(target.tag) if target.tag != "tbody" or _is_group(e)]
        found.append(Split(index, target.tag, next(i for i, e in enumerate(same) if e is target)))
    return found


def with_break(html: str, split: Split) -> str:
    """``html`` with a page break before the element ``split`` names (found by its
    tag's place among the document's tags); ``html`` itself when that tag is not found
    or already has the break."""
    pattern = _GROUP_TAG if split.tag == "tbody" else re.compile(rf"<{split.tag}\b")
    found = [m.start() for m in pattern.finditer(html)]
    if split.nth >= len(found):
        return html
    at = found[split.nth]
    end = html.find(">", at)
    tag = html[at:end]
    if BREAK in tag:
        return html
    name = at + 1 + len(split.tag)
    style = re.search(r'\sstyle="', tag)
    if style:  # the template's own style stays: the break joins it
        insert = at + style.end()
        return html[:insert] + BREAK + "; " + html[insert:]
    return html[:name] + f' style="{BREAK}"' + html[name:]


def keep_groups(html: str, rendered: Any, render: Callable[[str], Any]) -> tuple[str, Any]:
    """``html`` and its rendering with no indicator group split over two pages where a
    page break before its table (or itself) mends it. A break that does not mend its
    group (one taller than a page) is not kept, and the next split group is tried."""
    if GROUP_CLASS not in html:
        return html, rendered
    tried: set[int] = set()
    split = split_groups(rendered)
    for _ in range(ROUNDS - 1):
        todo = [group for group in split if group.index not in tried]
        if not todo:
            break
        tried.add(todo[0].index)
        mended = with_break(html, todo[0])
        if mended == html:
            continue
        again = render(mended)
        split_again = split_groups(again)
        if any(group.index == todo[0].index for group in split_again):
            continue  # still split: taller than a page, and the break only moved it
        html, rendered, split = mended, again, split_again
    return html, rendered
