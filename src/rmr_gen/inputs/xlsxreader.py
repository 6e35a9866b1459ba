"""Read a sheet of an ``.xlsx`` workbook into cells of text, through openpyxl.

The first visible sheet with the data columns, or a named one; the header row
found below title rows, in any column; every cell as the text the editor sees
(percent-formatted cells × 100), numbered as in the sheet.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.inputs.config import suggest
from rmr_gen.inputs.numberformat import is_percent
from rmr_gen.inputs.sheetlayout import sheet_layout
from rmr_gen.inputs.table import HEADER_ROWS, Table


def _cell_text(value: Any, number_format: str) -> str:
    """A spreadsheet cell as the text an editor sees (percent-formatted cells × 100)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        percent = is_percent(number_format, value)
        if percent:
            value = round(value * 100, 10)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = repr(value) if isinstance(value, float) else str(value)
        return text + "%" if percent else text
    if hasattr(value, "isoformat"):
        if hasattr(value, "hour") and not (value.hour or value.minute or value.second):
            value = value.date()  # a date cell: as Excel shows it, without 00:00:00
        return str(value.isoformat())
    return str(value)


def _sheet_rows(worksheet: Any) -> list[tuple[int, dict[int, str]]]:
    """Non-empty rows as (row number, {column number: text}), numbered as in the sheet."""
    rows = []
    for cells in worksheet.iter_rows(min_row=1, min_col=1):
        texts = {}
        number = None
        for cell in cells:
            if getattr(cell, "row", None) is None or cell.value is None:
                continue  # an empty cell of a read-only sheet has no position
            text = _cell_text(cell.value, getattr(cell, "number_format", ""))
            if text.strip():
                texts[cell.column] = text
                number = cell.row
        if number is not None:
            rows.append((number, texts))
    return rows


def read_xlsx(
    path: Path, shown: str, problems: Problems, sheet: str = "", known: Collection[str] = ()
) -> Table | None:
    """The cells of the first (or the named) sheet of a workbook.

    The header is the first row with two or more of the ``known`` column names
    (title rows above it are skipped, with a note), else the first non-empty
    row; the table may start in any column. Columns keep their sheet numbers.
    """
    import zipfile

    import pandas as pd
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        problems.error(
            shown, M("xlsx.unreadable", "not an Excel workbook (.xlsx) that can be read")
        )
        return None
    try:
        names = workbook.sheetnames
        if sheet and sheet not in names:
            problems.error(
                shown,
                M(
                    "xlsx.no-such-sheet",
                    "no sheet '{sheet}' in the workbook{hint}; sheets: {sheets}",
                    sheet=sheet,
                    hint=suggest(sheet, names),
                    sheets=", ".join(names),
                ),
            )
            return None
        name = sheet or _first_visible(workbook, shown, problems, known)
        if name is None:
            return None
        rows = _sheet_rows(workbook[name])
    finally:
        workbook.close()
    if not rows:
        problems.error(
            shown, M("xlsx.empty-sheet", "empty sheet (a header row is expected)"), sheet=name
        )
        return None

    def is_header(texts: dict[int, str]) -> bool:
        return sum(t.strip().lower() in known for t in texts.values()) >= 2

    at = next((i for i, (_, texts) in enumerate(rows) if is_header(texts)), 0)
    header_row, header_cells = rows[at]
    if at:
        problems.note(
            shown,
            M(
                "xlsx.title-rows-skipped",
                "rows above the header (row {row}) were skipped",
                row=header_row,
            ),
            header_row,
            min(header_cells),
            sheet=name,
        )
    layout = sheet_layout(path, name)
    body = _filled(rows[at + 1 :], layout.merged)
    if body and _sub_header(body[0], header_row, header_cells, known):
        header_cells = {**header_cells, **body[0][1]}
        problems.note(
            shown,
            M(
                "xlsx.sub-header",
                "row {row} is read as part of the header (the names below a merged cell)",
                row=body[0][0],
            ),
            body[0][0],
            min(body[0][1], default=None),
            sheet=name,
        )
        body = body[1:]
    first, last = min(header_cells), max(header_cells)
    headers = tuple(header_cells.get(c, "").strip() for c in range(first, last + 1))
    data: list[list[str]] = []
    lines: list[int] = []
    outside: dict[int, list[tuple[int, str]]] = {}
    for number, texts in body:
        for column, text in sorted(texts.items()):
            if not first <= column <= last:
                outside.setdefault(column, []).append((number, text))
        data.append([texts.get(c, "") for c in range(first, last + 1)])
        lines.append(number)
    for column, cells in sorted(outside.items()):
        (number, text), more = cells[0], len(cells) - 1
        message = (
            M(
                "xlsx.values-without-header",
                "value '{value}' is in a column without a header, and {more} more cells of"
                " this column (rows {first}–{last})",
                value=text,
                more=more,
                first=number,
                last=cells[-1][0],
            )
            if more
            else M(
                "xlsx.value-without-header",
                "value '{value}' is in a column without a header",
                value=text,
            )
        )
        problems.error(
            shown,
            message,
            number,
            column,
            name,
        )
    if any(len(texts) < last - first + 1 for _, texts in body) and _unsaved_formulas(
        path, name, {n for n, _ in body}, rows, first, last, shown, problems
    ):
        return None
    columns = [f"c{c}" for c in range(first, last + 1)]
    frame = pd.DataFrame(data or None, columns=columns, dtype=str)
    frame["_line"] = lines
    if frame.empty:
        problems.error(
            shown,
            M("data.no-data-rows", "no data rows below the header"),
            header_row,
            first,
            name,
        )
        return None
    return Table(
        frame,
        headers,
        shown,
        name,
        header_row,
        first,
        layout.hidden_rows,
        layout.hidden_columns,
        layout.merged,
    )


def _filled(
    body: list[tuple[int, dict[int, str]]], merged: tuple[tuple[int, int, int, int], ...]
) -> list[tuple[int, dict[int, str]]]:
    """The rows below the header, each cell of a merged range of one column holding the
    text of its first cell, as the sheet shows it (validation says they are merged)."""
    down = [(r1, c1, r2) for r1, c1, r2, c2 in merged if c1 == c2 and r2 > r1]
    if not down:
        return body
    texts_of = dict(body)
    for r1, column, r2 in down:
        text = texts_of.get(r1, {}).get(column)
        if text is None:
            continue
        for number, texts in body:
            if r1 < number <= r2:
                texts.setdefault(column, text)
    return body


def _has_header(worksheet: Any, known: Collection[str]) -> bool:
    """Whether one of the sheet's first rows has two or more of the ``known`` column names."""
    for cells in worksheet.iter_rows(max_row=HEADER_ROWS, values_only=True):
        if sum(isinstance(v, str) and v.strip().lower() in known for v in cells) >= 2:
            return True
    return False


def _sub_header(
    row: tuple[int, dict[int, str]],
    header_row: int,
    header_cells: dict[int, str],
    known: Collection[str],
) -> bool:
    """Whether the row right below the header holds only column names, under cells of
    the header that are blank or not column names (``Antal`` merged over
    ``numerator`` and ``denominator``)."""
    number, texts = row
    return (
        number == header_row + 1
        and all(t.strip().lower() in known for t in texts.values())
        and all(header_cells.get(c, "").strip().lower() not in known for c in texts)
    )


def _first_visible(
    workbook: Any, shown: str, problems: Problems, known: Collection[str] = ()
) -> str | None:
    """The sheet read when none is named: the visible sheet with the data columns, else
    the first visible one (a hidden sheet holds what the editor does not see, such as
    last year's numbers), said in a note when the workbook has other sheets. Two
    visible sheets with the data columns (preliminary and final numbers, one sheet a
    year) are refused: which one the document prints is the editor's choice."""
    sheets = workbook.worksheets
    visible = [ws.title for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        problems.error(
            shown,
            M(
                "xlsx.all-sheets-hidden",
                "every sheet of the workbook is hidden: name one (file.xlsx#Sheet)",
            ),
        )
        return None
    with_data = [ws.title for ws in sheets if ws.title in visible and _has_header(ws, known)]
    if len(with_data) > 1:
        quoted = [f"'{title}'" for title in with_data]
        values = {
            "sheets": ", ".join(quoted[:-1]),
            "last": quoted[-1],
            "example": f"{Path(shown).name}#{with_data[-1]}",
        }
        if len(quoted) == 2:
            message = M(
                "xlsx.two-sheets-with-data",
                "sheets {sheets} and {last} both have the data columns: name the sheet to read"
                ' in data.files ("{example}"; list each one to read several)',
                **values,
            )
        else:
            message = M(
                "xlsx.sheets-with-data",
                "sheets {sheets} and {last} all have the data columns: name the sheet to read"
                ' in data.files ("{example}"; list each one to read several)',
                **values,
            )
        problems.error(shown, message)
        return None
    name = with_data[0] if with_data else visible[0]
    which = (
        M("xlsx.first-visible-sheet", "the first visible one")
        if name == visible[0]
        else M("xlsx.sheet-with-data", "the visible one with the data columns")
    )
    others: list[str | M] = [
        f"'{ws.title}'"
        if ws.title in visible
        else M("xlsx.hidden-sheet", "'{sheet}' (hidden)", sheet=ws.title)
        for ws in sheets
        if ws.title != name
    ]
    if others:
        problems.note(
            shown,
            M(
                "xlsx.sheet-read",
                "read sheet '{sheet}', {which}; the workbook also has"
                " {others} (name a sheet with file.xlsx#Sheet in data.files)",
                sheet=name,
                which=which,
                others=_listed(others),
            ),
            sheet=name,
        )
    return str(name)


def _listed(items: list[str | M]) -> str | M:
    """``a, b, c``: each item worded when the message is printed."""
    if all(isinstance(item, str) for item in items):
        return ", ".join(str(item) for item in items)
    first, *rest = items
    return first if not rest else M("xlsx.list", "{first}, {rest}", first=first, rest=_listed(rest))


def _unsaved_formulas(
    path: Path,
    sheet: str,
    data_rows: set[int],
    rows: list[tuple[int, dict[int, str]]],
    first: int,
    last: int,
    shown: str,
    problems: Problems,
) -> bool:
    """Whether empty cells of the table are formulas whose value was never saved (a
    workbook written by a program, not opened in Excel since): then say so once."""
    from openpyxl import load_workbook

    filled = {(number, column) for number, texts in rows for column in texts}
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        found = [
            (cell.row, cell.column, str(cell.value))
            for cells in workbook[sheet].iter_rows(min_col=first, max_col=last)
            for cell in cells
            if getattr(cell, "row", None) in data_rows
            and isinstance(cell.value, str)
            and cell.value.startswith("=")
            and (cell.row, cell.column) not in filled
        ]
    finally:
        workbook.close()
    if not found:
        return False
    row, column, formula = found[0]
    more = (
        M("xlsx.more-formulas", " (and {count} more cells like it)", count=len(found) - 1)
        if len(found) > 1
        else ""
    )
    problems.error(
        shown,
        M(
            "xlsx.formula-not-saved",
            "formula {formula} has no saved value{more}: open the workbook in Excel or"
            " LibreOffice and save it, so that the values are stored with the formulas",
            formula=formula,
            more=more,
        ),
        row,
        column,
        sheet,
    )
    return True
