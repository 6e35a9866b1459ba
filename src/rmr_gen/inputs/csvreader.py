"""Read a CSV file into cells of text, in every dialect Excel writes.

``,`` or ``;`` (or tab) separators, Excel's ``sep=`` line, title lines above the
header, CRLF, LF or old Mac line ends: all detected, never asked (the encoding in
:mod:`rmr_gen.inputs.csvtext`). The common case, a well-formed file, is read by
pandas' C parser in one go; field counts are checked with numpy over the raw bytes.
Only a file with quotes or with broken rows is read row by row, to name every
broken line.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.inputs.csvtext import (
    NOT_CP1252,
    decode_lenient,
    decode_or_report,
    dos_message,
    dos_text,
    is_mac_roman,
    mixed,
)
from rmr_gen.inputs.table import HEADER_ROWS, Table, drop_empty_rows

if TYPE_CHECKING:
    import pandas as pd


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
        problems.error(
            shown, M("csv.cannot-read", "cannot read data file: {why}", why=exc.strerror)
        )
        return None
    if not raw or raw.isspace():
        problems.error(shown, M("csv.empty-file", "empty data file (a header line is expected)"), 1)
        return None
    if raw.startswith(b"PK\x03\x04"):
        problems.error(
            shown,
            M(
                "csv.is-a-workbook",
                "this is an Excel workbook, not CSV: give it the name *.xlsx",
            ),
        )
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(shown, M("csv.utf-16", "UTF-16 text is not read: save as CSV (UTF-8)"))
        return None
    binary, newlines = _scan(raw)
    if binary:
        problems.error(shown, M("csv.not-text", "not a text file (CSV expected)"))
        return None
    if not newlines:
        raw = raw.replace(b"\r", b"\n")  # old Mac line ends
        newlines = raw.count(b"\n")
    dos = dos_text(raw)
    if dos is not None:  # before Mac Roman: DOS's Ä and ü are Mac Roman's é and Å
        line, word = dos
        problems.error(shown, dos_message(word), line)
        return None
    if is_mac_roman(raw):
        raw = raw.decode("mac_roman").encode("utf-8")
        problems.note(
            shown,
            M(
                "csv.mac-roman",
                'read as Mac Roman text (Excel for Mac\'s "CSV (Macintosh)"); save as'
                " CSV UTF-8 to be sure of å, ä and ö",
            ),
        )
    skipped = 0
    declared = _SEP_LINE.match(raw)
    if declared:  # Excel's "sep=;" line names the separator; the header is below it
        skipped = 1
        raw = raw[declared.end() :]
        newlines -= 1
        if not raw.strip():
            problems.error(
                shown, M("csv.no-header-below-sep", "no header line below the 'sep=' line"), 2
            )
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
            shown,
            M(
                "csv.title-lines-skipped",
                "lines above the header (line {line}) were skipped",
                line=skipped + 1,
            ),
            skipped + 1,
        )
    end = raw.find(b"\n")
    header_text = decode_lenient(raw[: end if end >= 0 else len(raw)])
    if not header_text.strip():
        problems.error(
            shown,
            M("csv.first-line-empty", "the first line is empty (a header line is expected)"),
            1 + skipped,
        )
        return None
    sep = declared.group(1).decode() if declared else _separator(header_text)
    headers = tuple(h.strip() for h in header_text.rstrip("\r").split(sep))
    table = None
    if b'"' not in raw:
        table = _read_fast(raw, newlines, sep, headers, shown, skipped)
    if table is None:
        text = decode_or_report(raw, shown, problems, skipped)
        if text is None:
            return None
        table = _read_rows(text, sep, shown, problems, skipped)
    if table is not None and table.frame.empty:
        problems.error(shown, M("data.no-data-rows", "no data rows below the header"), 1 + skipped)
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
            if mixed(raw) or any(byte in raw for byte in NOT_CP1252):
                return None  # not Windows-1252 (throughout) either: the slow path says where
            frame = _read_chunks(raw, "cp1252", options)
    except pd.errors.ParserError:
        return None
    if len(frame) != lines - 1:
        return None
    frame["_line"] = range(2 + skipped, len(frame) + 2 + skipped)
    return Table(drop_empty_rows(frame), headers, shown, header_line=1 + skipped)


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
    broken: list[tuple[int, M]] = []
    headers: tuple[str, ...] = ()
    start = 1
    try:
        for record in reader:
            line, start = start + skipped, reader.line_num + 1
            if _runs_on(record, len(headers) or len(record), sep):
                end = reader.line_num + skipped
                problems.error(
                    shown,
                    M(
                        "csv.quote-not-closed",
                        'a quote (") opened on this line is not closed on it (the field runs'
                        " on to line {end}): close it or remove it",
                        end=end,
                    ),
                    line,
                )
                return None
            if not headers:
                headers = tuple(" ".join(h.split()) for h in record)  # Alt+Enter: one line
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != len(headers):
                broken.append((line, _field_count(record, len(headers), sep)))
                continue
            rows.append(record)
            lines.append(line)
    except csv.Error as exc:
        problems.error(
            shown,
            M("csv.cannot-parse", "cannot read CSV: {why}", why=str(exc)),
            reader.line_num + skipped,
        )
        return None
    if len(broken) > NAMED_ROWS:
        (first, message), last = broken[0], broken[-1][0]
        problems.error(
            shown,
            M(
                "csv.field-counts",
                "{count} lines with another number of fields than the header's"
                " {fields}, lines {first}–{last}; first: {message}",
                count=len(broken),
                fields=len(headers),
                first=first,
                last=last,
                message=message,
            ),
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
    return Table(drop_empty_rows(frame), headers, shown, header_line=1 + skipped)


def _runs_on(record: list[str], width: int, sep: str) -> bool:
    """Whether a quoted field runs over line breaks because its quote is not closed: a
    line break inside a field (Excel's Alt+Enter) is text when the record has the
    header's number of fields and no line of the field looks like a row of its own."""
    multiline = [field for field in record if "\n" in field or "\r" in field]
    if not multiline:
        return False
    if len(record) != width:
        return True
    return any(
        line.count(sep) >= max(width - 1, 1) for field in multiline for line in field.splitlines()
    )


NAMED_ROWS = 10  # broken lines named one by one; more are one line


def _field_count(record: list[str], expected: int, sep: str) -> M:
    """``expected 5 fields, found 6``, and the likely cause when a number with a decimal
    comma was split in two by the separator."""
    split = any(a.strip().isdigit() and b.strip().isdigit() for a, b in itertools.pairwise(record))
    if sep == "," and len(record) > expected and split:
        return M(
            "csv.field-count-decimal-comma",
            "expected {expected} fields, found {found} (a decimal comma in a file separated by"
            " commas? Save it as CSV separated by semicolons, or put the numbers in quotes)",
            expected=expected,
            found=len(record),
        )
    return M(
        "csv.field-count",
        "expected {expected} fields, found {found}",
        expected=expected,
        found=len(record),
    )
