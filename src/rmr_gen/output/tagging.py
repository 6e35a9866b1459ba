"""The one place rmr-gen reaches into WeasyPrint's private internals.

WeasyPrint builds the structure tree of a tagged PDF page by page and forgets
which HTML element each structure element came from. :mod:`rmr_gen.output.structtree`
needs that to merge the pieces of an element split by a page break, to read a
``<th>``'s scope and to tell page headers from footers, so while a PDF is written
:func:`node_marks` wraps ``weasyprint.pdf.tags._build_box_tree`` (reading
``AbsolutePlaceholder._box``) and marks each element with an index into a list
of :class:`~rmr_gen.output.structtree.Node`. It also remembers
``pydyf.PDF.page_references``, which pydyf rebuilds for every structure element
(a speed-up only).

Written for WeasyPrint 70 (:data:`WRITTEN_FOR`): any other version, or a 70.x
that has moved one of these names, stops the build with an internal error
instead of writing a PDF whose structure tree is silently worse. pyproject.toml
pins ``weasyprint>=70,<71`` to match.

This module can go when WeasyPrint keeps one structure element per HTML element
across page breaks, https://github.com/Kozea/WeasyPrint/issues/2903 (tables,
lists and paragraphs split into separate structure elements at page breaks);
``scope`` and the margin boxes would then be read from the finished tree.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rmr_gen.output.structtree import NODE_KEY, Node

#: The WeasyPrint major version whose internals this module was written against.
WRITTEN_FOR = "70"
_LOCK = threading.Lock()


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the one this module's internals are for."""


def check_version(version: str) -> None:
    """Refuse any WeasyPrint but :data:`WRITTEN_FOR`.x, naming what to do."""
    if version.split(".")[0] != WRITTEN_FOR:
        raise UnsupportedWeasyPrint(
            f"rmr-gen's PDF tagging (rmr_gen.output.tagging) is written for WeasyPrint"
            f" {WRITTEN_FOR}.x, but {version} is installed: install"
            f" 'weasyprint>={WRITTEN_FOR},<{int(WRITTEN_FOR) + 1}'"
        )


def _internals() -> tuple[Any, Any, Any, Any]:
    """WeasyPrint's and pydyf's private names used here; an error if one has moved."""
    import pydyf

    from rmr_gen.output.weasyprint_loader import import_weasyprint

    weasyprint = import_weasyprint()
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    check_version(weasyprint.__version__)
    missing = [
        name
        for name, present in (
            ("weasyprint.pdf.tags._build_box_tree", hasattr(tags, "_build_box_tree")),
            ("weasyprint.formatting_structure.boxes.MarginBox", hasattr(boxes, "MarginBox")),
            ("pydyf.PDF.page_references", isinstance(
                getattr(pydyf.PDF, "page_references", None), property
            )),
        )
        if not present
    ]  # fmt: skip
    if missing:
        raise UnsupportedWeasyPrint(
            f"WeasyPrint {weasyprint.__version__} has moved {', '.join(missing)};"
            " rmr_gen.output.tagging must be updated for it"
        )
    return pydyf, boxes, AbsolutePlaceholder, tags


@contextmanager
def node_marks(nodes: list[Node]) -> Iterator[None]:
    """While a PDF is written (under a lock), mark each structure element WeasyPrint
    makes with its HTML element: an index into ``nodes`` under :data:`NODE_KEY`."""
    pydyf, boxes, placeholder, tags = _internals()
    original = tags._build_box_tree
    index: dict[int, int] = {}
    margins: list[str] = []

    def build(box: Any, *args: Any) -> Iterator[Any]:
        real = box._box if isinstance(box, placeholder) else box
        if isinstance(real, boxes.MarginBox):
            margins.append(real.at_keyword)
            try:
                yield from original(box, *args)
            finally:
                margins.pop()
            return
        for element in original(box, *args):
            html = real.element
            if NODE_KEY[1:] in element:
                pass
            elif html is None and margins:  # generated content of a margin box
                element[NODE_KEY[1:]] = len(nodes)
                nodes.append(Node("", "", margins[-1]))
            elif html is not None:
                key = id(html)
                if key not in index:
                    index[key] = len(nodes)
                    nodes.append(
                        Node(
                            real.element_tag or "",
                            html.get("scope", "") if real.element_tag == "th" else "",
                            margins[-1] if margins else "",
                        )
                    )
                element[NODE_KEY[1:]] = index[key]
            yield element

    # WeasyPrint asks pydyf for a page's reference once per structure element, and
    # pydyf rebuilds the list of all pages each time: remembered here, tagging a
    # six-page document costs a tenth of what it did.
    page_references = pydyf.PDF.page_references

    def remembered(pdf: Any) -> Any:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_rmr_gen_pages")
        if cached is None or cached[0] != count:
            cached = pdf.__dict__["_rmr_gen_pages"] = (count, page_references.fget(pdf))
        return cached[1]

    with _LOCK:
        tags._build_box_tree = build
        pydyf.PDF.page_references = property(remembered)
        try:
            yield
        finally:
            tags._build_box_tree = original
            pydyf.PDF.page_references = page_references
