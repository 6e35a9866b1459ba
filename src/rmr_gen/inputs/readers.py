"""Read indicator data files into cells of text, as editors' exports arrive.

CSV in every dialect Excel writes (:mod:`rmr_gen.inputs.csvreader`, its encodings in
:mod:`rmr_gen.inputs.csvtext`) and ``.xlsx`` workbooks
(:mod:`rmr_gen.inputs.xlsxreader`); other spreadsheets are refused with what to do.
Every cell stays text so that validation can quote what the editor wrote, and every
row keeps the line (or spreadsheet row) it came from.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.inputs.csvreader import read_csv
from rmr_gen.inputs.table import Table, codes_and_texts
from rmr_gen.inputs.xlsxreader import read_xlsx

__all__ = ["Table", "codes_and_texts", "other_spreadsheet", "read_table"]


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


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
        if other.endswith(f"({path.suffix.lower()})"):
            message = M(
                "data.spreadsheet-not-read",
                "{format} is not read: {advice}",
                format=FORMAT_NAMES[other],
                advice=SAVE_AS[other],
            )
        else:
            message = M(
                "data.spreadsheet-in-disguise",
                "this is {format}, not {expected}: {advice}",
                format=FORMAT_NAMES[other],
                expected=M("data.expected-xlsx", "an Excel workbook (.xlsx)") if excel else "CSV",
                advice=SAVE_AS[other],
            )
        problems.error(shown, message)
        return None
    if excel:
        return read_xlsx(path, shown, problems, sheet, known)
    return read_csv(path, shown, problems, known)


_ODS = M("data.ods-name", "a LibreOffice/OpenDocument spreadsheet (.ods)")
_XLS = M("data.xls-name", "an Excel 97–2003 workbook (.xls)")
ODS = _ODS.english
XLS = _XLS.english

#: A spreadsheet that is not read, as a message names it.
FORMAT_NAMES = {ODS: _ODS, XLS: _XLS}

#: What to do with a spreadsheet that is not read.
SAVE_AS = {
    ODS: M(
        "data.save-ods-as",
        "save it as Excel 2007–365 (.xlsx) or as CSV (UTF-8), and name that file in data.files",
    ),
    XLS: M(
        "data.save-xls-as",
        "open it in Excel and save it as Excel Workbook (.xlsx), and name that file in data.files",
    ),
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
