"""The data files report.toml's ``data.files`` names: each entry resolved to a regular file
inside data/ (and its sheet, for a workbook), or refused with a message that says why
(listed twice, outside data/, not found, a format that is not read and what to save it as).
``file_in`` is the confined lookup the other folders of a project use too."""

from __future__ import annotations

from pathlib import Path

from rmr_gen.core.confine import Refused, real_root, regular_file
from rmr_gen.core.i18n import M, english, reason_of
from rmr_gen.core.project import Project
from rmr_gen.inputs.checker import Checker

#: Formats a data file may arrive in that are not read: what to do instead.
OTHER_FORMATS = {
    ".xls": M(
        "data.format-xls",
        "an Excel 97–2003 workbook (.xls): open it in Excel and save it as Excel Workbook (.xlsx)",
    ),
    ".ods": M(
        "data.format-ods",
        "a LibreOffice/OpenDocument spreadsheet (.ods): save it as Excel 2007–365 (.xlsx)"
        " or as CSV (UTF-8),",
    ),
    ".numbers": M("data.format-numbers", "a Numbers spreadsheet: export it as Excel (.xlsx)"),
}


DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def file_in(folder: Path, name: str, project_root: Path) -> tuple[Path | None, str | M]:
    """``folder/name`` resolved, if it is a regular file inside ``folder``; else why not
    (a coded message, or text: compare it with :func:`english`, never as printed)."""
    try:
        root = real_root(folder, project_root)
        return regular_file(folder / name, (root,)), ""
    except Refused as exc:
        return None, reason_of(exc)


def read_data_files(
    check: Checker, entries: tuple[str, ...], project: Project
) -> tuple[list[Path], list[str]]:
    """Each entry of ``data.files`` as a file inside data/ and its sheet ("" for none)."""
    data_files, data_sheets = [], []
    for i, entry in enumerate(entries):
        if entry in entries[:i]:
            check.error(
                ("data", "files"),
                M(
                    "data.file-twice",
                    "data file '{file}' is listed twice in data.files:"
                    " each row would be read twice",
                    file=entry,
                ),
            )
            continue
        name, sheet = entry, ""
        if "#" in entry and entry.partition("#")[0].lower().endswith((".xlsx", ".xlsm")):
            name, _, sheet = entry.partition("#")
        file, why = file_in(project.data_dir, name, project.root)
        shown = name if len(name) <= 200 else name[:200] + "…"
        if file is None and english(why).startswith("is outside"):
            check.error(
                ("data", "files"),
                M("data.file-outside", "data file '{file}' is outside data/", file=shown),
            )
        elif file is None and "#" in name:
            check.error(
                ("data", "files"),
                M(
                    "data.file-sheet-not-xlsx",
                    "data file '{file}': a sheet is named only for .xlsx files (file.xlsx#Sheet)",
                    file=shown,
                ),
            )
        elif Path(name).suffix.lower() in OTHER_FORMATS:
            check.error(
                ("data", "files"),
                M(
                    "data.file-other-format",
                    "data file '{file}' is {format} and name that file here",
                    file=shown,
                    format=OTHER_FORMATS[Path(name).suffix.lower()],
                ),
            )
        elif file is None and english(why) == "not found":
            check.error(
                ("data", "files"),
                M("data.file-not-found", "data file '{file}' not found in data/", file=shown),
            )
        elif file is None:
            check.error(
                ("data", "files"),
                M("data.file-refused", "data file '{file}': {why}", file=shown, why=why),
            )
        elif file.suffix.lower() not in DATA_SUFFIXES:
            check.error(
                ("data", "files"),
                M(
                    "data.file-not-csv-or-xlsx",
                    "data file '{file}' is not CSV or .xlsx (save it as one of those)",
                    file=name,
                ),
            )
        else:
            data_files.append(file)
            data_sheets.append(sheet)
    return data_files, data_sheets
