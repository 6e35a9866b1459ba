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
            f"duplicate measurement for {row['region']}, {row['indicator']}, {row['period']},"
            f" {row['population']} ({_row(int(lines[position]), hidden[0])}; also at"
            f" {_row(int(lines[earlier]), hidden[1])}): a hidden row is read as data;"
            " delete the row that is not meant, or unhide it",
            int(lines[position]),
            table.first_column,
            table.sheet,
        )
    return result[~drop].reset_index(drop=True)


def _row(number: int, hidden: bool) -> str:
    return f"row {number}, hidden" if hidden else f"row {number}"


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
    word = table.rows_word()
    span = f"{word} {int(lines[originals[0]])}–{int(lines[originals[-1]])}"
    again = f"{word} {int(lines[copies[0]])}–{int(lines[copies[-1]])}"
    hidden = sum(int(lines[c]) in table.hidden_rows for c in copies)
    notes = []
    if hidden:
        notes.append("hidden" if hidden == len(copies) else f"{hidden} of them hidden")
    if differ.any():
        at = int(lines[copies[np.flatnonzero(differ)[0]]])
        notes.append(f"{int(differ.sum())} of them with other numbers, first at {word[:-1]} {at}")
    said = f" ({'; '.join(notes)})" if notes else ""
    what = "the rows of " if word == "lines" else "the "
    problems.error(
        table.shown,
        f"{what}{span} repeat at {again}{said}: the export pasted twice? Delete one copy",
        int(lines[copies[0]]),
        table.first_column if table.sheet else None,
        table.sheet,
    )
