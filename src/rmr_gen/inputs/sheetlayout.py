"""What a workbook's sheet does not show as cells: hidden rows and columns, merged ranges.

openpyxl's read-only mode (the one that reads a large sheet without loading it
whole) does not give them, so they are read from the sheet's XML in the workbook's
zip, found by the sheet's name through the workbook's relationships: the start tags
``<col hidden="1">``, ``<row hidden="1">`` and ``<mergeCell>``, scanned as bytes (XML
allows no ``<`` inside a tag), not parsed again. A sheet whose XML cannot be found
has none (the cells were read; nothing is made up).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_TRUE = {b"1", b"true"}


@dataclass(frozen=True)
class Layout:
    """A sheet's hidden rows and columns (numbers from 1), and its merged ranges as
    (first row, first column, last row, last column)."""

    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    merged: tuple[tuple[int, int, int, int], ...] = field(default=())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _iterparse(source: IO[bytes], events: tuple[str, ...]) -> object:
    """openpyxl's iterparse: defusedxml's when installed, the standard library's else."""
    from openpyxl.xml.functions import iterparse

    return iterparse(source, events=events)


def _sheet_path(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip entry of the sheet called ``name``, through xl/workbook.xml's relationships."""
    ids = {}
    with archive.open("xl/workbook.xml") as source:
        for _, element in _iterparse(source, ("end",)):  # type: ignore[attr-defined]
            if _local(element.tag) == "sheet":
                rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
                ids[element.get("name")] = rid
    target = None
    with archive.open("xl/_rels/workbook.xml.rels") as source:
        for _, element in _iterparse(source, ("end",)):  # type: ignore[attr-defined]
            if _local(element.tag) == "Relationship" and element.get("Id") == ids.get(name):
                target = element.get("Target")
    if not target:
        return None
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return posixpath.normpath(path)


def _range(ref: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (low_col, low_row, high_col, high_row):
        return None
    return int(low_row), int(low_col), int(high_row), int(high_col)


#: A start tag of a row, a column's format or a merged range: XML allows no ``<`` inside a
#: tag, so the sheet is scanned as bytes, a chunk at a time, cut before its last ``<``.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|col|mergeCell)\b([^>]*)>")
_ATTRIBUTE = re.compile(
    rb"""(?:^|\s)(?:[A-Za-z_][\w.-]*:)?(r|hidden|min|max|ref)\s*=\s*["']([^"']*)["']"""
)
CHUNK = 1 << 20


def sheet_layout(path: Path, name: str) -> Layout:
    """The hidden rows and columns and the merged ranges of the sheet ``name``."""
    rows: set[int] = set()
    columns: set[int] = set()
    merged: list[tuple[int, int, int, int]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            entry = _sheet_path(archive, name)
            if entry is None or entry not in archive.namelist():
                return Layout()
            with archive.open(entry) as source:
                row = 0
                rest = b""
                while True:
                    chunk = source.read(CHUNK)
                    text = rest + chunk
                    cut = text.rfind(b"<") if chunk else len(text)
                    cut = cut if cut > 0 else (0 if chunk else len(text))
                    for match in _TAG.finditer(text, 0, cut):
                        tag = match.group(1)
                        attributes = dict(_ATTRIBUTE.findall(match.group(2)))
                        hidden = attributes.get(b"hidden", b"").lower() in _TRUE
                        if tag == b"row":
                            number = attributes.get(b"r", b"")
                            row = int(number) if number.isdigit() else row + 1
                            if hidden:
                                rows.add(row)
                        elif tag == b"col" and hidden:
                            low = int(attributes.get(b"min", b"0") or 0)
                            high = int(attributes.get(b"max", b"0") or 0)
                            columns.update(range(low, min(high, 16384) + 1))
                        elif tag == b"mergeCell":
                            found = _range(attributes.get(b"ref", b"").decode("ascii", "replace"))
                            if found is not None:
                                merged.append(found)
                    rest = text[cut:]
                    if not chunk:
                        break
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, SyntaxError):
        return Layout()  # the cells were read; what cannot be found here is not guessed
    return Layout(frozenset(rows), frozenset(columns), tuple(merged))
