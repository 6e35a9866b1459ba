"""WeasyPrint's structure tree of a tagged PDF, fixed in place (uses pikepdf).

WeasyPrint builds the tree page by page, so the pieces of an element split by a
page break are merged back into one (:meth:`Structure._merge`) and a table's
header row repeated on the next page becomes an artifact; page headers and
footers (margin boxes), tagged but left out of the tree, become /Artifact
/Pagination Header/Footer; TH /Scope and TD /Headers are set from the HTML's
scope attributes, on an HTML grid of the table's cells (:meth:`Structure._tables`),
with the /IDTree; a Figure's /BBox goes from CSS pixels to PDF points
(:meth:`Structure._figures`). tagging.py marks every structure element WeasyPrint
makes with the HTML element it came from (:data:`NODE_KEY`, an index into
``nodes``); the key is removed here. :mod:`rmr_gen.output.pdfua` calls this as
one step of its finish.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pikepdf import Object, Page, Pdf

NODE_KEY = "/RmrGenNode"
PX = 0.75  # PDF points per CSS pixel


@dataclass(frozen=True)
class Node:
    """The HTML element a structure element was made from."""

    tag: str
    scope: str = ""  # a <th>'s scope attribute
    margin: str = ""  # the page-margin box it was drawn in ("@top-center"), if any


def _kids(elem: Object) -> list[Object]:
    import pikepdf

    kids = elem.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]


def _is_elem(obj: Object) -> bool:
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def _node(elem: Object) -> int | None:
    value = elem.get(NODE_KEY)
    return None if value is None else int(value)


def _same_page(a: Object, b: Object) -> bool:
    pa, pb = a.get("/Pg"), b.get("/Pg")
    return pa is not None and pb is not None and pa.objgen == pb.objgen


class Structure:
    """The structure tree, fixed in place."""

    def __init__(self, pdf: Pdf, nodes: Sequence[Node]) -> None:
        self.pdf = pdf
        self.nodes = nodes
        self.root = pdf.Root.StructTreeRoot
        self.survivor: dict[tuple[int, int], Object] = {}  # merged-away element -> the one kept
        self.tree: list[Object] = []  # every element in reading order, once merged

    def walk(self) -> Iterator[Object]:
        stack = list(reversed(_kids(self.root)))
        while stack:
            elem = stack.pop()
            if _is_elem(elem):
                yield elem
                stack.extend(reversed(_kids(elem)))

    def _adopt(self, target: Object, kids: list[Object], page: Object | None) -> list[Object]:
        """``kids`` of another element, as kids of ``target``: MCIDs keep their page."""
        import pikepdf

        own = target.get("/Pg")
        moved = page is not None and (own is None or own.objgen != page.objgen)
        adopted = []
        for kid in kids:
            if isinstance(kid, int) and moved:
                kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=kid)
            elif _is_elem(kid):
                kid.P = target
            adopted.append(kid)
        return adopted

    def _merge(self, elem: Object, artifacts: list[Object]) -> None:
        """Merge the per-page pieces of one HTML element back into one element.

        Two neighbours from the same HTML element with the same type on different
        pages are one element split by a page break; a child from the same HTML
        element as its parent (an anonymous box: NonStruct, or Caption in Caption)
        adds nothing and is dissolved; a THead/TFoot seen before in the same
        parent is a header repeated on a new page and becomes an artifact.
        """
        import pikepdf

        queue = _kids(elem)
        out: list[Object] = []
        seen_heads: set[tuple[int, str]] = set()
        i = 0
        while i < len(queue):
            kid = queue[i]
            i += 1
            node = _node(kid) if _is_elem(kid) else None
            if node is None:
                out.append(kid)
                continue
            kind = str(kid.S)
            if node == _node(elem) and kind in ("/NonStruct", str(elem.S)):
                queue[i:i] = self._adopt(elem, _kids(kid), kid.get("/Pg"))
                self.survivor[kid.objgen] = elem
                continue
            last = out[-1] if out else None
            if (
                last is not None
                and _is_elem(last)
                and _node(last) == node
                and str(last.S) == kind
                and not _same_page(last, kid)
            ):
                last.K = pikepdf.Array(_kids(last) + self._adopt(last, _kids(kid), kid.get("/Pg")))
                self.survivor[kid.objgen] = last
                continue
            if kind in ("/THead", "/TFoot"):
                if (node, kind) in seen_heads:
                    artifacts.append(kid)
                    continue
                seen_heads.add((node, kind))
            out.append(kid)
        elem.K = pikepdf.Array(out)
        for kid in out:
            if _is_elem(kid):
                self._merge(kid, artifacts)

    def _tables(self) -> None:
        """TH /Scope and TD /Headers from the HTML's scope attributes, and the /IDTree."""
        import pikepdf

        for table in [e for e in self.tree if e.S == "/Table"]:
            cells = _table_cells(table)
            for index, cell in enumerate(cells):
                if cell.elem.S != "/TH":
                    continue
                if "/ID" not in cell.elem:
                    cell.elem.ID = pikepdf.String(f"th-{table.objgen[0]}-{index}")
                node = _node(cell.elem)
                scope = self.nodes[node].scope if node is not None else ""
                if not scope:
                    scope = "col" if cell.section == "/THead" else "row"
                cell.scope = scope
                _attributes(cell.elem).Scope = pikepdf.Name(
                    "/Column" if scope in ("col", "colgroup") else "/Row"
                )
            ths = [cell for cell in cells if cell.scope]
            for cell in cells:
                headers = [h.elem.ID for h in ths if h is not cell and _heads(h, cell)]
                if headers or cell.elem.S == "/TD":
                    _attributes(cell.elem).Headers = pikepdf.Array(headers)
        ids = sorted(((bytes(e.ID), e) for e in self.tree if "/ID" in e), key=lambda p: p[0])
        if ids:
            names = pikepdf.Array()
            for key, elem in ids:
                names.append(pikepdf.String(key))
                names.append(elem)
            self.root.IDTree = self.pdf.make_indirect(pikepdf.Dictionary(Names=names))

    def _figures(self) -> None:
        """Figure /BBox from CSS pixels (y down from the top) to PDF points (y up)."""
        import pikepdf

        for elem in self.tree:
            attributes = elem.get("/A")
            if elem.S != "/Figure" or not isinstance(attributes, pikepdf.Dictionary):
                continue
            box, page = attributes.get("/BBox"), elem.get("/Pg")
            if box is None or page is None:
                continue
            height = float(page.MediaBox[3])
            x1, y1, x2, y2 = (float(v) for v in box)
            attributes.BBox = pikepdf.Array(
                [round(v, 3) for v in (x1 * PX, height - y2 * PX, x2 * PX, height - y1 * PX)]
            )

    def _margin(self, elem: Object | None) -> str:
        """``Header`` or ``Footer`` for an element drawn in a page-margin box."""
        seen = 0
        while elem is not None and _is_elem(elem) and seen < 64:
            node = _node(elem)
            if node is not None and self.nodes[node].margin:
                return "Header" if self.nodes[node].margin.startswith("@top") else "Footer"
            elem = elem.get("/P")
            seen += 1
        return ""

    def _artifacts(self, repeated: list[Object]) -> None:
        """Content that is marked but not in the tree becomes an artifact.

        The page header and footer (margin boxes), and table headers repeated on
        a new page: their MCIDs are rewritten to /Artifact in the page content,
        and their /ParentTree entries emptied.
        """
        import pikepdf

        reachable = {e.objgen for e in self.tree}
        repeated_ids = set()
        for head in repeated:
            stack = [head]
            while stack:
                elem = stack.pop()
                repeated_ids.add(elem.objgen)
                stack.extend(k for k in _kids(elem) if _is_elem(k))
        nums = self.root.ParentTree.Nums
        pages = list(self.pdf.pages)
        changes: dict[int, dict[int, str]] = {}
        for index in range(0, len(nums), 2):
            key, value = int(nums[index]), nums[index + 1]
            if not isinstance(value, pikepdf.Array):  # an annotation's StructParent
                nums[index + 1] = self._kept(value)
                continue
            for mcid in range(len(value)):
                elem = self._kept(value[mcid])
                if elem is None or not _is_elem(elem):
                    continue
                if elem.objgen in reachable and elem.objgen not in repeated_ids:
                    value[mcid] = elem
                    continue
                if key < len(pages):
                    changes.setdefault(key, {})[mcid] = self._margin(elem)
                value[mcid] = None
        for page_index, mcids in changes.items():
            _rewrite_marks(self.pdf, pages[page_index], mcids)

    def _kept(self, elem: Object) -> Any:
        seen = 0
        while elem is not None and _is_elem(elem) and elem.objgen in self.survivor and seen < 64:
            elem = self.survivor[elem.objgen]
            seen += 1
        return elem

    def fix(self) -> None:
        repeated: list[Object] = []
        for top in _kids(self.root):
            if _is_elem(top):
                self._merge(top, repeated)
        self.tree = list(self.walk())
        self._artifacts(repeated)
        self._tables()
        self._figures()
        for elem in self.tree:
            if NODE_KEY in elem:
                del elem[NODE_KEY]


@dataclass
class _Cell:
    elem: Object
    row: int
    col: int
    rows: int
    cols: int
    section: str
    group: int
    scope: str = ""


def _attributes(elem: Object) -> Any:
    import pikepdf

    attributes = elem.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
        elem.A = attributes
    return attributes


def _table_cells(table: Object) -> list[_Cell]:
    """Every TH/TD of a table with its row, column and spans, as on an HTML grid."""
    sections: list[tuple[str, list[Object]]] = []
    for kid in _kids(table):
        if not _is_elem(kid):
            continue
        if kid.S in ("/THead", "/TBody", "/TFoot"):
            sections.append((str(kid.S), [r for r in _kids(kid) if _is_elem(r) and r.S == "/TR"]))
        elif kid.S == "/TR":
            sections.append(("/TBody", [kid]))
    taken: set[tuple[int, int]] = set()
    cells: list[_Cell] = []
    row = 0
    for group, (section, rows) in enumerate(sections):
        for tr in rows:
            col = 0
            for cell in _kids(tr):
                if not _is_elem(cell) or cell.S not in ("/TH", "/TD"):
                    continue
                while (row, col) in taken:
                    col += 1
                attributes: Any = cell.get("/A") or {}
                rows_spanned = int(attributes.get("/RowSpan", 1))
                cols_spanned = int(attributes.get("/ColSpan", 1))
                for dr in range(rows_spanned):
                    for dc in range(cols_spanned):
                        taken.add((row + dr, col + dc))
                cells.append(_Cell(cell, row, col, rows_spanned, cols_spanned, section, group))
                col += cols_spanned
            row += 1
    return cells


def _overlap(a: int, a_len: int, b: int, b_len: int) -> bool:
    return a < b + b_len and b < a + a_len


def _heads(header: _Cell, cell: _Cell) -> bool:
    """Whether ``header`` is a header of ``cell`` (HTML's scope rules)."""
    if header.scope in ("col", "colgroup"):
        return header.row < cell.row and _overlap(header.col, header.cols, cell.col, cell.cols)
    if header.scope == "rowgroup":
        return header.group == cell.group and header.row <= cell.row and header.col <= cell.col
    return header.col < cell.col and _overlap(header.row, header.rows, cell.row, cell.rows)


_MARK = re.compile(rb"/[A-Za-z0-9]+\s+<</MCID (\d+)>>\s*BDC")


def _rewrite_marks(pdf: Pdf, page: Page, mcids: dict[int, str]) -> None:
    """Turn the marked content with these MCIDs into pagination artifacts.

    WeasyPrint (pydyf) writes each mark as ``/Tag <</MCID n>> BDC`` (and text as hex
    strings), so the marks are found in the bytes; parsing every operator of a
    page with a chart on it would cost more than the whole tagging.
    """

    def artifact(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(1))
        if mcid not in mcids:
            return match.group(0)
        subtype = f" /Subtype /{mcids[mcid]}" if mcids[mcid] else ""
        return f"/Artifact <</Type /Pagination{subtype}>> BDC".encode()

    import pikepdf

    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    data = b"\n".join(stream.read_bytes() for stream in streams)
    page.obj.Contents = pdf.make_stream(_MARK.sub(artifact, data))
    missing = set(mcids) - {int(m) for m in _MARK.findall(data)}
    if missing:  # pydyf wrote marks another way: a header would stay tagged content
        raise RuntimeError(
            f"marked content {sorted(missing)} not found in the page stream: the PDF writer"
            " changed how it marks content (see rmr_gen.output.tagging for the versions supported)"
        )
