"""Rows that repeat other rows of the same file: a whole export pasted twice, and rows a
workbook hides.

Two rows for one cell are an error either way (the later one is reported by
:func:`rmr_gen.inputs.data.report_duplicates`); this module words the two cases an
editor cannot see in a list of duplicates: a run of rows that repeats an earlier run
row for row is one line ("the rows of lines 2–35 repeat at lines 37–70"), not one per
row, and a duplicate in a hidden row says that it is hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.inputs.table import Table

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: A run of at least this many rows, each repeating the row as far above it as the
#: others, is a copy of the rows above (pasted twice); shorter runs are single duplicates.
BLOCK = 3
NUMBERS = ("value", "numerator", "denominator")


def without_repeats(
    result: pd.DataFrame, table: Table, keys: list[str], problems: Problems
) -> pd.DataFrame:
    """``result`` (the valid rows of ``table``) without the rows that repeat a run of
    earlier rows or that are hidden duplicates, each reported; the other duplicates stay
    to be reported one by one."""
    import numpy as np

    repeated = result.duplicated(subset=keys, keep="first").to_numpy()
    if not repeated.any():
        return result
    group = result.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    first_of = np.full(group.max() + 1, -1)
    groups, at = np.unique(group, return_index=True)
    first_of[groups] = at
    first = first_of[group]  # per row, the position of the first row with its key
    lines = result["_line"].to_numpy()
    drop = np.zeros(len(result), dtype=bool)
    for start, end in _runs(repeated, first):
        drop[start : end + 1] = True
        _report_run(result, table, lines, first, start, end, problems)
    for found in np.flatnonzero(repeated & ~drop):
        position, earlier = int(found), int(first[found])
        hidden = [int(lines[p]) in table.hidden_rows for p in (position, earlier)]
        if not any(hidden):
            continue
        drop[position] = True
        row = result.iloc[position]
        problems.error(
            table.shown,
            M(
                "rows.hidden-duplicate",
                "duplicate measurement for {region}, {indicator}, {period}, {population}"
                " ({row}; also at {other}): a hidden row is read as data;"
                " delete the row that is not meant, or unhide it",
                region=row["region"],
                indicator=row["indicator"],
                period=row["period"],
                population=row["population"],
                row=_row(int(lines[position]), hidden[0]),
                other=_row(int(lines[earlier]), hidden[1]),
            ),
            int(lines[position]),
            table.first_column,
            table.sheet,
        )
    return result[~drop].reset_index(drop=True)


def _row(number: int, hidden: bool) -> M:
    if hidden:
        return M("rows.row-hidden", "row {row}, hidden", row=number)
    return M("rows.row", "row {row}", row=number)


def _runs(repeated: np.ndarray, first: np.ndarray) -> list[tuple[int, int]]:
    """Runs of :data:`BLOCK` or more repeating rows, each the row after the one before
    it repeats (positions ``start``–``end``, inclusive)."""
    import numpy as np

    runs = []
    start = previous = -2
    for found in [*np.flatnonzero(repeated).tolist(), len(repeated) + 1]:
        going = (
            found == previous + 1 and first[found] == first[previous] + 1 and first[found] < start
        )
        if going:
            previous = found
            continue
        if start >= 0 and previous - start + 1 >= BLOCK:
            runs.append((start, previous))
        start = previous = found
    return runs


def _report_run(
    result: pd.DataFrame,
    table: Table,
    lines: np.ndarray,
    first: np.ndarray,
    start: int,
    end: int,
    problems: Problems,
) -> None:
    """One line for a run of rows that repeats an earlier run, with how many of them
    give other numbers and how many are hidden."""
    import numpy as np

    copies = np.arange(start, end + 1)
    originals = first[copies]
    differ = np.zeros(len(copies), dtype=bool)
    for name in NUMBERS:
        a = result[name].to_numpy(dtype=float)[copies]
        b = result[name].to_numpy(dtype=float)[originals]
        differ |= ~((a == b) | (np.isnan(a) & np.isnan(b)))
    differ |= result["suppressed"].to_numpy()[copies] != result["suppressed"].to_numpy()[originals]
    in_sheet = bool(table.sheet)  # a sheet's rows, a CSV file's lines
    hidden = sum(int(lines[c]) in table.hidden_rows for c in copies)
    notes: list[M] = []
    if hidden:
        notes.append(
            M("rows.all-hidden", "hidden")
            if hidden == len(copies)
            else M("rows.some-hidden", "{count} of them hidden", count=hidden)
        )
    if differ.any():
        at = int(lines[copies[np.flatnonzero(differ)[0]]])
        count = int(differ.sum())
        notes.append(
            M(
                "rows.other-numbers-row",
                "{count} of them with other numbers, first at row {at}",
                count=count,
                at=at,
            )
            if in_sheet
            else M(
                "rows.other-numbers-line",
                "{count} of them with other numbers, first at line {at}",
                count=count,
                at=at,
            )
        )
    said: str | M = ""
    if len(notes) == 2:
        said = M("rows.two-remarks", " ({first}; {second})", first=notes[0], second=notes[1])
    elif notes:
        said = M("rows.one-remark", " ({remark})", remark=notes[0])
    numbers = {
        "first": int(lines[originals[0]]),
        "last": int(lines[originals[-1]]),
        "again_first": int(lines[copies[0]]),
        "again_last": int(lines[copies[-1]]),
        "said": said,
    }
    if in_sheet:
        message = M(
            "rows.repeat-rows",
            "the rows {first}–{last} repeat at rows {again_first}–{again_last}{said}:"
            " the export pasted twice? Delete one copy",
            **numbers,
        )
    else:
        message = M(
            "rows.repeat-lines",
            "the rows of lines {first}–{last} repeat at lines {again_first}–{again_last}{said}:"
            " the export pasted twice? Delete one copy",
            **numbers,
        )
    problems.error(
        table.shown,
        message,
        int(lines[copies[0]]),
        table.first_column if table.sheet else None,
        table.sheet,
    )
