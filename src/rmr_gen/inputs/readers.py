"""Read indicator data files into cells of text, as editors' exports arrive.

CSV with ``,`` or ``;`` (or tab) separators, UTF-8 with or without BOM or
Windows-1252 (Swedish Excel's "CSV (semikolonavgränsad)"), CRLF or LF: all
detected, never asked. ``.xlsx`` through openpyxl, the first sheet or a named
one. Every cell stays text so that validation can quote what the editor wrote,
and every row keeps the line (or spreadsheet row) it came from.

The common case, a well-formed CSV file, is read by pandas' C parser in one
go; field counts are checked with numpy over the raw bytes. Only a file with
quotes or with broken rows is read row by row, to name every broken line.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmr_gen.core.errors import Problems
from rmr_gen.inputs.config import suggest
from rmr_gen.inputs.numberformat import is_percent

if TYPE_CHECKING:
    import pandas as pd

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # bytes Windows-1252 leaves undefined
_UTF8_LETTER = re.compile(rb"[\xc3\xc5][\x80-\xbf]")  # å ä ö é ü …, and Š š Ž ž in UTF-8


@dataclass(frozen=True)
class Table:
    """The cells of one data file or sheet, as text.

    ``frame`` has one column per header field (named ``c1``, ``c2``, … by
    column number, since editors' headers may repeat or be blank) and ``_line``,
    the row's line in the file or its row in the sheet. ``headers`` are the
    header cells as written, stripped.
    """

    frame: pd.DataFrame
    headers: tuple[str, ...]
    shown: str
    sheet: str | None = None
    header_line: int = 1
    first_column: int = 1  # the column number of headers[0] (a table may start in column B)


def read_table(
    path: Path, shown: str, problems: Problems, sheet: str = "", known: Collection[str] = ()
) -> Table | None:
    """The file's cells; ``None`` (with a problem recorded) when it cannot be read at all.

    ``known`` column names help find the header row below a title in a workbook.
    """
    excel = path.suffix.lower() in EXCEL_SUFFIXES
    try:
        with path.open("rb") as file:
            other = other_spreadsheet(file.read(OPENDOCUMENT_HEAD))
    except OSError:
        other = ""  # the reader says why it cannot be read
    if other:
        named = other.endswith(f"({path.suffix.lower()})")
        what = "an Excel workbook (.xlsx)" if excel else "CSV"
        said = f"{other} is not read" if named else f"this is {other}, not {what}"
        problems.error(shown, f"{said}: {SAVE_AS[other]}")
        return None
    if excel:
        return read_xlsx(path, shown, problems, sheet, known)
    return read_csv(path, shown, problems, known)


ODS = "a LibreOffice/OpenDocument spreadsheet (.ods)"
XLS = "an Excel 97–2003 workbook (.xls)"
#: What to do with a spreadsheet that is not read.
SAVE_AS = {
    ODS: "save it as Excel 2007–365 (.xlsx) or as CSV (UTF-8), and name that file in data.files",
    XLS: "open it in Excel and save it as Excel Workbook (.xlsx), and name that file in data.files",
}
OPENDOCUMENT_HEAD = 100  # bytes: the zip's first entry, 'mimetype', stored as it is


def other_spreadsheet(head: bytes) -> str:
    """:data:`ODS` or :data:`XLS` when the file's first bytes are one, else ``""``:
    an OpenDocument file starts with its uncompressed ``mimetype`` entry, an old
    Excel workbook with the OLE2 signature."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return XLS
    opendocument = head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype"
    return ODS if opendocument and b"opendocument.spreadsheet" in head[38:] else ""


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _scan(raw: bytes) -> tuple[bool, int]:
    """Whether there are control characters other than tab and line breaks (then it
    is not text), and how many line feeds: one numpy pass over the bytes."""
    import numpy as np

    data = np.frombuffer(raw, dtype=np.uint8)
    controls = data[data < 32]
    newlines = int(np.count_nonzero(controls == 10))
    other = int(np.count_nonzero((controls != 13) & (controls != 9))) - newlines
    return other > 0, newlines


def read_csv(
    path: Path, shown: str, problems: Problems, known: Collection[str] = ()
) -> Table | None:
    """A CSV file's cells, or ``None`` with the reason it cannot be read.

    Title lines above the header (a register's name and date of the export) are
    skipped, with a note, when a line below them has the ``known`` column names."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(shown, f"cannot read data file: {exc.strerror}")
        return None
    if not raw or raw.isspace():
        problems.error(shown, "empty data file (a header line is expected)", 1)
        return None
    if raw.startswith(b"PK\x03\x04"):
        problems.error(shown, "this is an Excel workbook, not CSV: give it the name *.xlsx")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(shown, "UTF-16 text is not read: save as CSV (UTF-8)")
        return None
    binary, newlines = _scan(raw)
    if binary:
        problems.error(shown, "not a text file (CSV expected)")
        return None
    if not newlines:
        raw = raw.replace(b"\r", b"\n")  # old Mac line ends
        newlines = raw.count(b"\n")
    if is_mac_roman(raw):
        raw = raw.decode("mac_roman").encode("utf-8")
        problems.note(
            shown,
            'read as Mac Roman text (Excel for Mac\'s "CSV (Macintosh)"); save as'
            " CSV UTF-8 to be sure of å, ä and ö",
        )
    skipped = 0
    declared = _SEP_LINE.match(raw)
    if declared:  # Excel's "sep=;" line names the separator; the header is below it
        skipped = 1
        raw = raw[declared.end() :]
        newlines -= 1
        if not raw.strip():
            problems.error(shown, "no header line below the 'sep=' line", 2)
            return None
    titles = _title_lines(raw, known)
    if titles:
        offset = 0
        for _ in range(titles):
            offset = raw.index(b"\n", offset) + 1
        raw = raw[offset:]
        newlines -= titles
        skipped += titles
        problems.note(
            shown, f"lines above the header (line {skipped + 1}) were skipped", skipped + 1
        )
    end = raw.find(b"\n")
    header_text = decode_lenient(raw[: end if end >= 0 else len(raw)])
    if not header_text.strip():
        problems.error(shown, "the first line is empty (a header line is expected)", 1 + skipped)
        return None
    sep = declared.group(1).decode() if declared else _separator(header_text)
    headers = tuple(h.strip() for h in header_text.rstrip("\r").split(sep))
    table = None
    if b'"' not in raw:
        table = _read_fast(raw, newlines, sep, headers, shown, skipped)
    if table is None:
        text = _decode_or_report(raw, shown, problems, skipped)
        if text is None:
            return None
        table = _read_rows(text, sep, shown, problems, skipped)
    if table is not None and table.frame.empty:
        problems.error(shown, "no data rows below the header", 1 + skipped)
        return None
    return table


def _title_lines(raw: bytes, known: Collection[str]) -> int:
    """How many lines stand above the header: 0 when the first line has two or more of
    the ``known`` column names, or when none of the first lines has."""

    def is_header(line: bytes) -> bool:
        text = decode_lenient(line).strip("\r")
        fields = text.split(_separator(text))
        return sum(f.strip().strip('"').lower() in known for f in fields) >= 2

    lines = raw.split(b"\n", HEADER_ROWS)[:HEADER_ROWS]
    if not known or is_header(lines[0]):
        return 0
    return next((i for i, line in enumerate(lines) if is_header(line)), 0)


_SEP_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?sep=([;,\t|])[ \t]*\r?\n", re.IGNORECASE)
_ASCII = bytes(range(0x80))
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_SWEDISH = frozenset("åäöÅÄÖéü–")


def is_mac_roman(raw: bytes) -> bool:
    """Text from Excel for Mac's "CSV (Macintosh)": not UTF-8, and its bytes above
    ASCII are more often Swedish letters (and en dashes) read as Mac Roman than read
    as Windows-1252 (where Mac Roman's ä, ö, å are Š, š, Œ)."""
    high = raw.translate(None, _ASCII)
    if not high or _UTF8_SEQUENCE.search(raw):
        return False  # ASCII, or (partly) UTF-8: read, or reported, as such

    def swedish(codec: str) -> int:
        return sum(c in _SWEDISH for c in high.decode(codec, errors="replace"))

    return swedish("mac_roman") > swedish("cp1252")


def _mixed(raw: bytes) -> bool:
    """UTF-8 letters (``ä`` is C3 A4) in a file that is not UTF-8 throughout: rows
    were added in another program, and Windows-1252 would turn them into ``Ã¤``."""
    return _UTF8_LETTER.search(raw) is not None


def _decode_or_report(raw: bytes, shown: str, problems: Problems, skipped: int = 0) -> str | None:
    """The text of the file, or ``None`` with the line where it stops being readable."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1 + skipped
        if _mixed(raw):
            problems.error(
                shown,
                "the file mixes UTF-8 and Windows-1252 text: this line is not UTF-8"
                " (save the whole file again as CSV UTF-8)",
                line,
            )
            return None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        problems.error(
            shown,
            f"cannot read the text: byte 0x{raw[exc.start]:02X} is neither UTF-8 nor"
            " Windows-1252 (save as CSV UTF-8)",
            raw[: exc.start].count(b"\n") + 1 + skipped,
        )
        return None


def decode_lenient(raw: bytes) -> str:
    """The header line, to find the separator; unreadable bytes are found later."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_NUMBER_COLUMNS = frozenset({"value", "numerator", "denominator"})


def _read_fast(
    raw: bytes, newlines: int, sep: str, headers: tuple[str, ...], shown: str, skipped: int = 0
) -> Table | None:
    """Well-formed CSV without quotes, straight through pandas' C parser, every column
    as categories (distinct texts and codes); ``None`` if a line is not well-formed.

    Every line has as many separators as the header exactly when none has more and
    the total is right: pandas refuses lines with more fields, except the first data
    line (it would take it as an index), which is checked here.
    """
    import pandas as pd

    sep_byte = sep.encode()
    lines = newlines + (0 if raw.endswith(b"\n") else 1)
    expected = len(headers) - 1
    if raw.count(sep_byte) != expected * lines:
        return None
    first_end = raw.find(b"\n")
    second_end = raw.find(b"\n", first_end + 1)
    second = raw[first_end + 1 : second_end if second_end >= 0 else len(raw)]
    if lines > 1 and second.count(sep_byte) != expected:
        return None
    names = [f"c{i}" for i in range(1, len(headers) + 1)]
    options: dict[str, Any] = {
        "sep": sep,
        "header": 0,
        "names": names,
        # Categories: each distinct text is checked once. But a column that looks
        # numeric would get float categories, and "1e1" or "33" must reach the parser
        # as written: the number columns are read as text first.
        "dtype": {
            name: str if header.strip().lower() in _NUMBER_COLUMNS else "category"
            for name, header in zip(names, headers, strict=True)
        },
        "na_filter": False,
        "skip_blank_lines": False,
        "quoting": 3,  # csv.QUOTE_NONE: there are no quotes in the text
        "engine": "c",
    }
    try:
        try:
            # Plain "utf-8" keeps pandas on its C decoder ("utf-8-sig" goes through
            # Python's); a BOM only touches the header row, which is replaced by names.
            frame = _read_chunks(raw, "utf-8", options)
        except UnicodeDecodeError:
            if _mixed(raw) or any(byte in raw for byte in _NOT_CP1252):
                return None  # not Windows-1252 (throughout) either: the slow path says where
            frame = _read_chunks(raw, "cp1252", options)
    except pd.errors.ParserError:
        return None
    if len(frame) != lines - 1:
        return None
    frame["_line"] = range(2 + skipped, len(frame) + 2 + skipped)
    return Table(_drop_empty_rows(frame), headers, shown, header_line=1 + skipped)


CHUNK = 200_000  # rows read at a time: the number columns' texts of a chunk are objects


def _read_chunks(raw: bytes, encoding: str, options: dict[str, Any]) -> pd.DataFrame:
    """``pandas.read_csv`` a chunk at a time, each made categories at once, so that
    only one chunk's number texts are ever Python strings (a million rows would
    take three million of them)."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    chunks = [
        chunk.astype("category")
        for chunk in pd.read_csv(io.BytesIO(raw), encoding=encoding, chunksize=CHUNK, **options)
    ]
    if len(chunks) == 1:
        return chunks[0]
    return pd.DataFrame(
        {
            name: union_categoricals([chunk[name] for chunk in chunks], ignore_order=True)
            for name in options["names"]
        }
    )


def _read_rows(
    text: str, sep: str, shown: str, problems: Problems, skipped: int = 0
) -> Table | None:
    """Row by row with the csv module: quoted fields, and every line with too few or
    too many fields named."""
    import csv

    import pandas as pd

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list[str]] = []
    lines: list[int] = []
    broken: list[tuple[int, str]] = []
    headers: tuple[str, ...] = ()
    start = 1
    try:
        for record in reader:
            line, start = start + skipped, reader.line_num + 1
            if any("\n" in field or "\r" in field for field in record):
                end = reader.line_num + skipped
                problems.error(
                    shown,
                    f'a quote (") opened on this line is not closed on it (the field runs'
                    f" on to line {end}): close it or remove it",
                    line,
                )
                return None
            if not headers:
                headers = tuple(h.strip() for h in record)
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != len(headers):
                broken.append((line, _field_count(record, len(headers), sep)))
                continue
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        problems.error(shown, f"cannot read CSV: {exc}", reader.line_num + skipped)
        return None
    if len(broken) > NAMED_ROWS:
        (first, message), last = broken[0], broken[-1][0]
        problems.error(
            shown,
            f"{len(broken)} lines with another number of fields than the header's"
            f" {len(headers)}, lines {first}–{last}; first: {message}",
            first,
        )
    else:
        for line, message in broken:
            problems.error(shown, message, line)
    if broken and not rows:
        return None  # every row is broken: that is the cause, not "no data rows"
    names = [f"c{i}" for i in range(1, len(headers) + 1)]
    frame = pd.DataFrame(rows, columns=names, dtype=str) if rows else pd.DataFrame(columns=names)
    frame["_line"] = lines
    return Table(_drop_empty_rows(frame), headers, shown, header_line=1 + skipped)


NAMED_ROWS = 10  # broken lines named one by one; more are one line


def _field_count(record: list[str], expected: int, sep: str) -> str:
    """``expected 5 fields, found 6``, and the likely cause when a number with a decimal
    comma was split in two by the separator."""
    message = f"expected {expected} fields, found {len(record)}"
    split = any(a.strip().isdigit() and b.strip().isdigit() for a, b in itertools.pairwise(record))
    if sep == "," and len(record) > expected and split:
        message += (
            " (a decimal comma in a file separated by commas? Save it as CSV separated by"
            " semicolons, or put the numbers in quotes)"
        )
    return message


def codes_and_texts(series: pd.Series) -> tuple[Any, Any]:
    """Per row the code of its text, and the distinct texts: categories are used as
    they are, other columns are factorised once."""
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        texts = np.asarray(series.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(series, sort=False)
        texts = np.asarray(uniques, dtype=object)
    return codes, texts


def _drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose every cell is blank (``;;;;`` from Excel) are not data."""
    import numpy as np

    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        if name == "_line":
            continue
        codes, texts = codes_and_texts(frame[name])
        blank &= np.array([not str(t).strip() for t in texts] + [True], dtype=bool)[codes]
        if not blank.any():
            return frame
    return frame[~blank].reset_index(drop=True)


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
        problems.error(shown, "not an Excel workbook (.xlsx) that can be read")
        return None
    try:
        names = workbook.sheetnames
        if sheet and sheet not in names:
            problems.error(
                shown,
                f"no sheet '{sheet}' in the workbook{suggest(sheet, names)};"
                f" sheets: {', '.join(names)}",
            )
            return None
        name = sheet or _first_visible(workbook, shown, problems, known)
        if name is None:
            return None
        rows = _sheet_rows(workbook[name])
    finally:
        workbook.close()
    if not rows:
        problems.error(shown, "empty sheet (a header row is expected)", sheet=name)
        return None

    def is_header(texts: dict[int, str]) -> bool:
        return sum(t.strip().lower() in known for t in texts.values()) >= 2

    at = next((i for i, (_, texts) in enumerate(rows) if is_header(texts)), 0)
    header_row, header_cells = rows[at]
    if at:
        problems.note(
            shown,
            f"rows above the header (row {header_row}) were skipped",
            header_row,
            min(header_cells),
            sheet=name,
        )
    body = rows[at + 1 :]
    if body and _sub_header(body[0], header_row, header_cells, known):
        header_cells = {**header_cells, **body[0][1]}
        problems.note(
            shown,
            f"row {body[0][0]} is read as part of the header (the names below a merged cell)",
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
        rest = f", and {more} more cells of this column (rows {number}–{cells[-1][0]})"
        problems.error(
            shown,
            f"value '{text}' is in a column without a header{rest if more else ''}",
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
        problems.error(shown, "no data rows below the header", header_row, first, name)
        return None
    return Table(frame, headers, shown, name, header_row, first)


HEADER_ROWS = 20  # rows of a sheet looked at for the header row


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
        problems.error(shown, "every sheet of the workbook is hidden: name one (file.xlsx#Sheet)")
        return None
    with_data = [ws.title for ws in sheets if ws.title in visible and _has_header(ws, known)]
    if len(with_data) > 1:
        quoted = [f"'{title}'" for title in with_data]
        listed = f"{', '.join(quoted[:-1])} and {quoted[-1]}"
        problems.error(
            shown,
            f"sheets {listed} {'both' if len(quoted) == 2 else 'all'} have the data columns:"
            " name the sheet to read in data.files"
            f' ("{Path(shown).name}#{with_data[-1]}"; list each one to read several)',
        )
        return None
    name = with_data[0] if with_data else visible[0]
    which = (
        "the first visible one" if name == visible[0] else "the visible one with the data columns"
    )
    others = [
        f"'{ws.title}'" + ("" if ws.title in visible else " (hidden)")
        for ws in sheets
        if ws.title != name
    ]
    if others:
        problems.note(
            shown,
            f"read sheet '{name}', {which}; the workbook also has"
            f" {', '.join(others)} (name a sheet with file.xlsx#Sheet in data.files)",
            sheet=name,
        )
    return str(name)


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
    more = f" (and {len(found) - 1} more cells like it)" if len(found) > 1 else ""
    problems.error(
        shown,
        f"formula {formula} has no saved value{more}: open the workbook in Excel or"
        " LibreOffice and save it, so that the values are stored with the formulas",
        row,
        column,
        sheet,
    )
    return True
