"""A data file's column after parsing and the problems found in its rows, worded and
ordered: :class:`Cells` holds per row its code and per distinct text its value and
message; :class:`Found` collects the problems of one file (up to ``LIMIT`` rows of a kind
each on its own line, more summarised on one line) and reports them by line, column and
English words, single rows first, then the summaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rmr_gen.core.errors import MAX_MESSAGE, Problems
from rmr_gen.core.i18n import M

if TYPE_CHECKING:
    import numpy as np


LIMIT = 10  # rows worded one by one per kind of problem; more are summarised on one line


#: The plural of each kind of problem, for the line that summarises many of them.
GROUPS = {
    "not a number": M("cell.many-not-a-number", "values that are not numbers"),
    "outside": M("cell.many-outside", "values outside 0–100"),
    "negative": M("cell.many-negative", "values below 0"),
    "not whole": M("cell.many-not-whole", "counts (antal) that are not whole numbers"),
    "unit": M("cell.many-unit", "rows that give counts for an indicator not in percent"),
    "fraction": M("cell.many-fraction", "values that look like fractions of 1"),
    "over one": M("cell.many-over-one", "values greater than 1 in a file of fractions"),
    "count": M("cell.many-count", "counts that are not whole numbers ≥ 0"),
    "no value": M("cell.many-no-value", "rows without a value"),
    "half": M("cell.many-half", "rows with only one of numerator and denominator"),
    "zero": M("cell.many-zero", "rows with denominator 0"),
    "over": M("cell.many-over", "rows with numerator greater than denominator"),
    "disagree": M("cell.many-disagree", "values that do not match numerator/denominator"),
}
OTHERS = M("cell.many-other", "rows with this problem")


def where(first: int, last: int, count: int) -> M:
    """``line 7``, or ``3 rows, lines 7–12``."""
    if count == 1:
        return M("cell.at-line", "line {line}", line=first)
    return M(
        "cell.rows-at-lines",
        "{count} rows, lines {first}–{last}",
        count=count,
        first=first,
        last=last,
    )


def _short(message: M) -> M:
    """``message`` with its cell texts cut, as a value of another message: a problem cuts
    only its own values, and a 50 MB cell is not echoed whole."""
    return message.shortened(MAX_MESSAGE // 2)


def _order(item: tuple[int, int, M]) -> tuple[int, int, str]:
    """Problems by line, column and English words: the same order in every language."""
    line, column, message = item
    return line, column, message.english


@dataclass
class Cells:
    """One column after parsing: per row (``values`` for numbers only, ``bad``,
    ``empty``, ``codes``) and per distinct text (``texts``, ``parsed``, ``messages``)."""

    values: np.ndarray | None
    bad: np.ndarray  # the cell has a message
    empty: np.ndarray
    messages: np.ndarray  # per distinct text, and None for code -1
    codes: np.ndarray
    texts: np.ndarray  # distinct texts
    parsed: list[Any]  # per distinct text: its value, None (or NaN) if bad

    def value(self, row: int) -> Any:
        return self.parsed[self.codes[row]]

    def message(self, row: int) -> M:
        message: M = self.messages[self.codes[row]]
        return message

    def numbers(self) -> np.ndarray:
        """``values`` of a column of numbers (only those have them)."""
        assert self.values is not None, "not a column of numbers"
        return self.values


class Found:
    """The problems of one file, worded: single rows, then summaries of many."""

    def __init__(
        self,
        lines: np.ndarray,
        positions: dict[str, int],
        headers: dict[str, str],
        named: set[str],
    ) -> None:
        self.lines = lines
        self.positions = positions
        self.headers = headers
        self.named = named  # columns worded per distinct text
        self.single: list[tuple[int, int, M]] = []
        self.grouped: list[tuple[int, int, M]] = []

    def rows(self, mask: np.ndarray, name: str, message: Callable[[int], M], kind: str) -> None:
        """Each row of ``mask`` on its own line; more than LIMIT on one line together."""
        import numpy as np

        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        column = self.positions.get(name, 0)
        if len(rows) <= LIMIT:
            self.single.extend((int(self.lines[r]), column, message(int(r))) for r in rows)
            return
        first, last = int(self.lines[rows[0]]), int(self.lines[rows[-1]])
        self.grouped.append(
            (
                first,
                column,
                M(
                    "cell.many",
                    "{count} {what} in column '{column}', lines {first}–{last}; first: {message}",
                    count=len(rows),
                    what=GROUPS.get(kind, OTHERS),
                    column=self.headers.get(name, name),
                    first=first,
                    last=last,
                    message=_short(message(int(rows[0]))),
                ),
            )
        )

    def cells(self, name: str, cell: Cells) -> None:
        """The bad cells of a column: per distinct text for names, else per kind."""
        import numpy as np

        if not cell.bad.any():
            return
        if name in self.named:
            bad_codes = cell.codes[cell.bad]
            rows = np.flatnonzero(cell.bad)
            distinct, first_at, counts = np.unique(bad_codes, return_index=True, return_counts=True)
            last_at = len(bad_codes) - 1 - np.unique(bad_codes[::-1], return_index=True)[1]
            by_message: dict[str, tuple[M, list[int]]] = {}
            for code, first, last, count in zip(distinct, first_at, last_at, counts, strict=True):
                said: M = cell.messages[code]
                _, entry = by_message.setdefault(said.english, (said, [0, len(rows), -1]))
                entry[0] += int(count)
                entry[1] = min(entry[1], int(first))
                entry[2] = max(entry[2], int(last))
            column = self.positions.get(name, 0)
            for message, (count, first, last) in by_message.values():
                line = int(self.lines[rows[first]])
                if count > 1:
                    at = where(line, int(self.lines[rows[last]]), count)
                    message = M(
                        "cell.in-rows", "{message}: {where}", message=_short(message), where=at
                    )
                self.single.append((line, column, message))
            return
        kinds = np.array([getattr(m, "kind", "") for m in cell.messages], dtype=object)
        row_kinds = kinds[cell.codes]
        for kind in dict.fromkeys(kinds[np.unique(cell.codes[cell.bad])]):
            self.rows(
                cell.bad & (row_kinds == kind),
                name,
                cell.message,
                kind,
            )

    def report(self, problems: Problems, shown: str, sheet: str | None) -> None:
        for line, column, message in [
            *sorted(self.single, key=_order),
            *sorted(self.grouped, key=_order),
        ]:
            problems.error(shown, message, line, column or None, sheet)


def cell_text(cell: Cells, row: int) -> str:
    return str(cell.texts[cell.codes[row]]).strip()
