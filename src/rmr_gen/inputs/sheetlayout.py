"""What a workbook's sheet does not show as cells: hidden rows and columns, merged ranges.

openpyxl's read-only mode (the one that reads a large sheet without loading it
whole) does not give them, so they are read from the sheet's XML in the workbook's
zip: the ``<col hidden="1">`` and ``<row hidden="1">`` elements and ``<mergeCell>``,
found by the sheet's name through the workbook's relationships. A sheet whose XML
cannot be found has none (the cells were read; nothing is made up).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_TRUE = {"1", "true"}


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
                for event, element in _iterparse(source, ("start", "end")):  # type: ignore[attr-defined]
                    tag = _local(element.tag)
                    if event == "start":
                        if tag == "row":
                            number = element.get("r")
                            row = int(number) if number and number.isdigit() else row + 1
                            if element.get("hidden", "").lower() in _TRUE:
                                rows.add(row)
                        continue
                    if tag == "col" and element.get("hidden", "").lower() in _TRUE:
                        low, high = int(element.get("min", "0")), int(element.get("max", "0"))
                        columns.update(range(low, min(high, 16384) + 1))
                    elif tag == "mergeCell":
                        found = _range(element.get("ref", ""))
                        if found is not None:
                            merged.append(found)
                    elif tag == "row":
                        element.clear()
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, SyntaxError):
        return Layout()  # the cells were read; what cannot be found here is not guessed
    return Layout(frozenset(rows), frozenset(columns), tuple(merged))
