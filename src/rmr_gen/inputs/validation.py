"""The schema of indicator data (long format), checked column by column.

A declarative schema in the spirit of pandera, small enough to keep every
message exact: each column has a parser from the text of a cell to its value
or a message (:mod:`rmr_gen.inputs.cellparse`; the columns found by
:mod:`rmr_gen.inputs.datacolumns`, rows that are not data left out by
:mod:`rmr_gen.inputs.rowfilters`), applied once per *distinct* cell text (a national file has a few
dozen regions and indicators but a million rows), then spread back to the rows
with numpy. Checks across columns (numerator ≤ denominator, value agrees with
the counts) are vectorised; only rows that fail are looked at one by one, to
word their messages. Problems come out sorted by line and column: names and
periods one line per distinct text (with its count of rows), other cells one
line per row, and a kind of problem in more than LIMIT rows of a column as one
line that summarises them, after the others. Values that look like fractions
of 1 (0,514 for 51,4 %) are refused unless the file is declared to hold them.

Not pandera itself: its lazy failure cases would have to be translated back
into these messages cell by cell, and the text-to-number step, where most
editors' mistakes are, is ours either way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rmr_gen.core.errors import Problems
from rmr_gen.core.models import Key
from rmr_gen.core.names import visible
from rmr_gen.inputs.cellparse import (
    Flaw,
    Parse,
    choice_parser,
    count_parser,
    decimals_of,
    is_marker,
    parse_count,
    parse_number,
    period_cell,
    population_cell,
    read_period,
    value_parser,
    whole,
)
from rmr_gen.inputs.config import Reference, normalise_period
from rmr_gen.inputs.datacolumns import COLUMN_WORDS, KNOWN, OPTIONAL, REQUIRED, find_columns
from rmr_gen.inputs.readers import Table, codes_and_texts
from rmr_gen.inputs.repeats import without_repeats
from rmr_gen.inputs.rowfilters import without_text_rows, without_totals
from rmr_gen.inputs.sheetchecks import hidden_columns, hidden_rows, merged_cells

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: What other modules and tests take from here: the columns and the cells' parsers.
__all__ = [
    "KNOWN",
    "OPTIONAL",
    "REQUIRED",
    "Valid",
    "is_marker",
    "parse_number",
    "read_period",
    "validate",
    "whole",
]


LIMIT = 10  # rows worded one by one per kind of problem; more are summarised on one line


#: The plural of each kind of problem, for the line that summarises many of them.
GROUPS = {
    "not a number": "values that are not numbers",
    "outside": "values outside 0–100",
    "negative": "values below 0",
    "not whole": "counts (antal) that are not whole numbers",
    "unit": "rows that give counts for an indicator not in percent",
    "fraction": "values that look like fractions of 1",
    "over one": "values greater than 1 in a file of fractions",
    "count": "counts that are not whole numbers ≥ 0",
    "no value": "rows without a value",
    "half": "rows with only one of numerator and denominator",
    "zero": "rows with denominator 0",
    "over": "rows with numerator greater than denominator",
    "disagree": "values that do not match numerator/denominator",
}


@dataclass(frozen=True)
class Column:
    """One column of the schema: how a cell's text becomes a value, or a message.

    ``named`` columns (names and periods) get one message per distinct text; the
    other columns one per row, grouped by the kind of problem when there are many.
    """

    name: str
    parse: Parse
    numeric: bool = False
    named: bool = False


def schema(reference: Reference, fractions: bool = False) -> tuple[Column, ...]:
    """The columns of indicator data, checked against the shared reference data.
    With ``fractions`` a value without ``%`` is a fraction of 1 (0,514 = 51,4 %)."""
    return (
        Column("indicator", choice_parser("indicator", reference.indicator_names), named=True),
        Column("region", choice_parser("region", reference.region_names), named=True),
        Column("period", period_cell, named=True),
        Column("population", population_cell, named=True),
        Column("value", value_parser(fractions), numeric=True),
        Column("numerator", count_parser("numerator"), numeric=True),
        Column("denominator", count_parser("denominator"), numeric=True),
    )


@dataclass(frozen=True)
class Valid:
    """The rows that passed, normalised; and the keys of rows whose value failed.

    ``frame`` has ``indicator``, ``region``, ``period``, ``population`` (text),
    ``value``, ``numerator``, ``denominator`` (floats; NaN where not given) and
    ``_line``. ``invalid`` keeps a readable key whose value is wrong from being
    reported a second time as missing.
    """

    frame: pd.DataFrame
    invalid: set[Key]
    sheet: str | None = None  # the sheet the rows come from, in a workbook
    has_population: bool = True  # the file has a population column


@dataclass
class _Cells:
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

    def message(self, row: int) -> str:
        return str(self.messages[self.codes[row]])

    def numbers(self) -> np.ndarray:
        """``values`` of a column of numbers (only those have them)."""
        assert self.values is not None, "not a column of numbers"
        return self.values


def _apply(series: pd.Series, column: Column) -> _Cells:
    """Parse every distinct text once, then spread the results back over the rows."""
    import numpy as np

    codes, texts = codes_and_texts(series)
    results = [column.parse(visible(str(text))) for text in texts]
    parsed = [r[0] for r in results]
    messages = np.array([r[1] for r in results] + [None], dtype=object)
    bad_u = np.array([r[1] is not None for r in results] + [False], dtype=bool)
    empty_u = np.array([not str(t).strip() for t in texts] + [True], dtype=bool)
    values = None
    if column.numeric:
        values = np.array([*parsed, np.nan], dtype=float)[codes]
    return _Cells(values, bad_u[codes], empty_u[codes], messages, codes, texts, parsed)


def _categories(cell: _Cells, rows: np.ndarray) -> pd.Categorical:
    """The normalised texts of ``rows`` as categories (no string per row is made)."""
    import numpy as np
    import pandas as pd

    codes, categories = pd.factorize(pd.Series(cell.parsed, dtype=object), use_na_sentinel=True)
    mapping = np.append(codes, -1)  # a code of -1 (no text) stays -1
    return pd.Categorical.from_codes(mapping[cell.codes[rows]], categories=categories)


def _absent(n: int) -> _Cells:
    import numpy as np

    return _Cells(
        np.full(n, np.nan),
        np.zeros(n, dtype=bool),
        np.ones(n, dtype=bool),
        np.array([None], dtype=object),
        np.full(n, -1),
        np.array([], dtype=object),
        [],
    )


class _Found:
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
        self.single: list[tuple[int, int, str]] = []
        self.grouped: list[tuple[int, int, str]] = []

    def rows(self, mask: np.ndarray, name: str, message: Callable[[int], str], kind: str) -> None:
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
        what = GROUPS.get(kind, "rows with this problem")
        self.grouped.append(
            (
                first,
                column,
                f"{len(rows)} {what} in column '{self.headers.get(name, name)}',"
                f" lines {first}–{last}; first: {message(int(rows[0]))}",
            )
        )

    def cells(self, name: str, cell: _Cells) -> None:
        """The bad cells of a column: per distinct text for names, else per kind."""
        import numpy as np

        if not cell.bad.any():
            return
        if name in self.named:
            bad_codes = cell.codes[cell.bad]
            rows = np.flatnonzero(cell.bad)
            distinct, first_at, counts = np.unique(bad_codes, return_index=True, return_counts=True)
            last_at = len(bad_codes) - 1 - np.unique(bad_codes[::-1], return_index=True)[1]
            by_message: dict[str, list[int]] = {}
            for code, first, last, count in zip(distinct, first_at, last_at, counts, strict=True):
                entry = by_message.setdefault(str(cell.messages[code]), [0, len(rows), -1])
                entry[0] += int(count)
                entry[1] = min(entry[1], int(first))
                entry[2] = max(entry[2], int(last))
            column = self.positions.get(name, 0)
            for message, (count, first, last) in by_message.items():
                line = int(self.lines[rows[first]])
                if count > 1:
                    message += f": {count} rows, lines {line}–{int(self.lines[rows[last]])}"
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
        for line, column, message in [*sorted(self.single), *sorted(self.grouped)]:
            problems.error(shown, message, line, column or None, sheet)


def _ambiguous_thousands(name: str, cell: _Cells) -> None:
    """``1,000`` is 1000 unless the column also writes ``,`` as a decimal mark (``12,0``):
    then it may be 1, and the count is refused rather than guessed."""
    import numpy as np

    decimal = {
        mark
        for text in map(str, cell.texts)
        if not parse_count(text)[1]
        for mark in ",."
        if mark in text and parse_count(text)[0] is not None
    }
    if not decimal:
        return
    example = next(
        str(t).strip() for t in cell.texts if not parse_count(str(t))[1] and decimal & set(str(t))
    )
    for code, text in enumerate(map(str, cell.texts)):
        mark = next((m for m in ",." if m in text), "")
        number, separated = parse_count(text)
        if separated and number is not None and mark in decimal:
            cell.messages[code] = Flaw(
                f"{name} '{text.strip()}' may be {text.strip().replace(mark, '')} or"
                f" {_comma(number / 1000)}: this column also has '{example}', with"
                f" '{mark}' as the decimal mark (write counts without separators)",
                "count",
            )
            cell.parsed[code] = math.nan
    bad = np.array([m is not None for m in cell.messages], dtype=bool)
    cell.bad = bad[cell.codes]
    if cell.values is not None:
        cell.values = np.where(cell.bad, np.nan, cell.values)


def _thousands_notes(
    table: Table, cells: dict[str, _Cells], positions: dict[str, int], problems: Problems
) -> None:
    """Say where a count was read with a thousands separator: ``3,000`` as 3000."""
    import numpy as np

    lines = table.frame["_line"].to_numpy()
    for name in ("numerator", "denominator"):
        cell = cells[name]
        marked = (
            np.array([parse_count(str(t))[1] for t in cell.texts] + [False], dtype=bool)[cell.codes]
            & ~cell.bad
        )
        rows = np.flatnonzero(marked)
        if not len(rows):
            continue
        example = str(cell.texts[cell.codes[rows[0]]]).strip()
        reading = f"'{example}' as {int(cell.numbers()[rows[0]])}"
        if len(rows) == 1:
            message = f"{name} {reading}: a thousands separator (counts are whole numbers)"
        else:
            message = (
                f"{len(rows)} {name}s with a thousands separator read as whole numbers"
                f" ({reading}), lines {int(lines[rows[0]])}–{int(lines[rows[-1]])}"
            )
        problems.note(table.shown, message, int(lines[rows[0]]), positions[name], table.sheet)


def _text(cell: _Cells, row: int) -> str:
    return str(cell.texts[cell.codes[row]]).strip()


def _comma(number: float) -> str:
    """``51.4`` → ``51,4``, as the editor writes it."""
    return f"{number:g}".replace(".", ",")


def _span(low: float, high: float) -> str:
    return f"is {_comma(low)}" if low == high else f"are {_comma(low)}–{_comma(high)}"


def _fractions(
    table: Table,
    cells: dict[str, _Cells],
    positions: dict[str, int],
    found: _Found,
    scope: np.ndarray,
) -> np.ndarray:
    """Rows whose value looks like a fraction of 1 (0,514 for 51,4 %): the whole column
    (every value between 0 and 1, some with decimals); every value of one indicator
    while other indicators' values are percentages; or a value more than ten times
    below the other values of its indicator in the file (values written with ``%``,
    or in cells formatted as percent, are percentages and count among the others)."""
    import numpy as np
    import pandas as pd

    value = cells["value"]
    n = len(value.codes)
    percent = np.array([str(t).strip().endswith("%") for t in value.texts] + [False])
    given: np.ndarray = ~(value.empty | value.bad)
    plain: np.ndarray = given & ~percent[value.codes] & scope  # percentages only
    if not plain.any():
        return np.zeros(n, dtype=bool)
    values = value.numbers()
    small = plain & (values > 0) & (values < 1)
    if not small.any():
        return np.zeros(n, dtype=bool)
    column = positions["value"]
    header = table.headers[column - table.first_column]
    advice = (
        "fractions of 1, not percentages (0,514 is 51,4 %)? Write percentages, or list the"
        " file in data.fractions in report.toml (a value really below 1 % is written 0,5 %)"
    )
    if (values[plain] <= 1).all() and not (given & ~plain & scope).any():
        found.single.append(
            (
                table.header_line,
                column,
                f"every value in column '{header}' is between 0 and 1: {advice}",
            )
        )
        return plain
    indicator = cells["indicator"]
    ids = pd.Series([*indicator.parsed, None], dtype=object).to_numpy()[indicator.codes]
    # percentages to compare with: above 1, or written as percentages
    others = given & scope & ~(plain & (values <= 1))
    frame = pd.DataFrame({"id": ids[others], "value": values[others]})
    spans = frame.groupby("id", sort=False)["value"].agg(["min", "max"])
    low = spans["min"].reindex(ids).to_numpy(dtype=float)
    high = spans["max"].reindex(ids).to_numpy(dtype=float)
    alone = plain & np.isnan(low)  # an indicator whose every value is between 0 and 1
    lines = found.lines
    for name in dict.fromkeys(ids[alone & small]):
        rows = np.flatnonzero(alone & (ids == name))
        first, last = int(lines[rows[0]]), int(lines[rows[-1]])
        where = f"line {first}" if len(rows) == 1 else f"{len(rows)} rows, lines {first}–{last}"
        found.single.append(
            (
                first,
                column,
                f"every value of {name} in column '{header}' is between 0 and 1 ({where}),"
                f" while other indicators' values are percentages: fractions of 1 (0,514 is"
                " 51,4 %)? Write them as percentages (a value really below 1 % is written 0,5 %)",
            )
        )
    flagged = alone & np.isin(ids, ids[alone & small])
    with np.errstate(invalid="ignore"):
        looks: np.ndarray = small & ~alone & (values * 10 < low)
    found.rows(
        looks,
        "value",
        lambda row: (
            f"value {_text(value, row)} looks like a fraction of 1"
            f" ({_comma(values[row] * 100)} %?): the other values of {ids[row]} in this file"
            f" {_span(low[row], high[row])}; write the percentage"
            f" ({_text(value, row)} % if below 1 % is meant)"
        ),
        "fraction",
    )
    result: np.ndarray = looks | flagged
    return result


def _half(numerator: _Cells, denominator: _Cells, found: _Found) -> np.ndarray:
    """Rows with one count but not the other."""
    half: np.ndarray = numerator.empty != denominator.empty
    found.rows(
        half & numerator.empty,
        "numerator",
        lambda row: f"numerator is empty (denominator {_text(denominator, row)} given)",
        "half",
    )
    found.rows(
        half & denominator.empty,
        "denominator",
        lambda row: f"denominator is empty (numerator {_text(numerator, row)} given)",
        "half",
    )
    return half


def _disagreeing(
    value: _Cells,
    both: np.ndarray,
    from_counts: np.ndarray,
    cells: dict[str, _Cells],
    found: _Found,
    fractions: bool,
) -> np.ndarray:
    """Rows whose value and counts are both given and do not agree within the value's
    own precision (the last decimal written, as a percentage or a fraction)."""
    import numpy as np

    if not both.any():
        return np.zeros(len(both), dtype=bool)
    n_, d_ = cells["numerator"].numbers(), cells["denominator"].numbers()
    shift = 2 if fractions else 0
    tolerance = np.array(
        [
            0.5 * 10.0 ** -(decimals_of(str(t)) - (0 if "%" in str(t) else shift)) + 1e-9
            for t in value.texts
        ]
        + [0.0]
    )[value.codes]
    disagree: np.ndarray = both & (np.abs(value.numbers() - from_counts) > tolerance)
    found.rows(
        disagree,
        "value",
        lambda row: (
            f"value {_text(value, row)} does not match numerator/denominator"
            f" {n_[row]:g}/{d_[row]:g} = {from_counts[row]:.1f} %"
        ),
        "disagree",
    )
    return disagree


def _suppressed(cells: dict[str, _Cells]) -> np.ndarray:
    """Rows a register suppressed: a marker (``<5``, ``*``, ``..``) in the value or a count.
    Their other number cells are not read (a denominator beside ``<5`` gives no value)."""
    import numpy as np

    mask = np.zeros(len(cells["value"].codes), dtype=bool)
    for name in ("value", "numerator", "denominator"):
        cell = cells[name]
        marks = np.array([is_marker(visible(str(t))) for t in cell.texts] + [False], dtype=bool)
        mask |= marks[cell.codes]
    for name in ("value", "numerator", "denominator"):
        cell = cells[name]
        cell.empty = cell.empty | mask
        cell.bad = cell.bad & ~mask
    return mask


def _units(indicator: _Cells, reference: Reference) -> np.ndarray:
    """Per row, its indicator's unit (``procent`` where the indicator is unknown)."""
    import numpy as np

    per_text = [
        reference.indicators[i].unit if i in reference.indicators else "procent"
        for i in indicator.parsed
    ]
    units: np.ndarray = np.array([*per_text, "procent"], dtype=object)[indicator.codes]
    return units


def _unit_ranges(
    value: _Cells, units: np.ndarray, indicator: _Cells, fractions: bool, found: _Found
) -> np.ndarray:
    """Values outside their unit's range: a percentage 0–100; days and counts ≥ 0, counts
    whole. A file of fractions (data.fractions) holds percentages only."""
    import numpy as np

    values = value.numbers()
    given = ~(value.empty | value.bad)
    percent = units == "procent"
    with np.errstate(invalid="ignore"):
        outside = given & percent & ((values < 0) | (values > 100))
        negative = given & ~percent & (values < 0)
        fractional = given & (units == "antal") & ~negative & (values != np.round(values))
    not_percent = given & ~percent & fractions
    found.rows(
        outside,
        "value",
        lambda row: f"value {_text(value, row)} is outside 0–100 (a percentage)",
        "outside",
    )
    found.rows(
        negative,
        "value",
        lambda row: (
            f"value {_text(value, row)} is below 0 ({units[row]} of {indicator.value(row)})"
        ),
        "negative",
    )
    found.rows(
        fractional,
        "value",
        lambda row: (
            f"value {_text(value, row)} is not a whole number (antal of {indicator.value(row)})"
        ),
        "not whole",
    )
    found.rows(
        not_percent,
        "value",
        lambda row: (
            f"{indicator.value(row)} is measured in {units[row]}, but data.fractions says this"
            " file holds fractions of 1: put it in a file of its own"
        ),
        "unit",
    )
    result: np.ndarray = outside | negative | fractional | not_percent
    return result


def _period_notes(
    table: Table, period: _Cells, lines: np.ndarray, position: int, problems: Problems
) -> None:
    """A note for each period read from another way of writing it (``helår 2022–2023``)."""
    import numpy as np

    for code, text in enumerate(period.texts):
        read = period.parsed[code]
        if read is None or normalise_period(visible(str(text))) == read:
            continue
        rows = np.flatnonzero(period.codes == code)
        if not len(rows):
            continue
        count = "" if len(rows) == 1 else f" ({len(rows)} rows)"
        problems.note(
            table.shown,
            f"period '{str(text).strip()}' read as {read}{count}",
            int(lines[rows[0]]),
            position,
            table.sheet,
        )


def validate(
    table: Table,
    reference: Reference,
    problems: Problems,
    fractions: bool = False,
    columns: tuple[tuple[str, str], ...] = (),
    population: str | None = None,
) -> Valid | None:
    """Check every cell of ``table``; the rows that passed, or ``None`` if the columns
    are wrong. Every problem found is added to ``problems``. With ``fractions`` the
    values are fractions of 1 (the report lists the file in ``data.fractions``);
    ``columns`` maps rmr-gen's columns to the export's headers (``[data.columns]``);
    with ``population`` a file without a population column is that population's."""
    import numpy as np
    import pandas as pd

    positions = find_columns(table, problems, columns, population)
    if positions is None or hidden_columns(table, positions, COLUMN_WORDS, problems):
        return None
    merged_cells(table, positions, problems)
    frame = without_totals(table, positions["region"], problems, reference)
    if "population" not in positions:  # one population: a column of it, numbered 0
        frame = frame.assign(c0=population)
        positions = {**positions, "population": 0}
    frame = without_text_rows(table, frame, positions, reference, problems)
    n = len(frame)
    lines = frame["_line"].to_numpy()
    spec = schema(reference, fractions)
    cells: dict[str, _Cells] = {
        column.name: _apply(frame[f"c{positions[column.name]}"], column)
        if column.name in positions
        else _absent(n)
        for column in spec
    }
    _period_notes(table, cells["period"], lines, positions["period"], problems)
    suppressed = _suppressed(cells)
    headers = {
        name: table.headers[position - table.first_column] for name, position in positions.items()
    }
    found = _Found(lines, positions, headers, {c.name for c in spec if c.named})
    for name in ("numerator", "denominator"):
        _ambiguous_thousands(name, cells[name])
    for name, cell in cells.items():
        found.cells(name, cell)
    _thousands_notes(table, cells, positions, problems)

    value, numerator, denominator = cells["value"], cells["numerator"], cells["denominator"]
    units = _units(cells["indicator"], reference)
    percent_rows = units == "procent"
    if "value" in positions and not fractions:
        value.bad = value.bad | _fractions(table, cells, positions, found, percent_rows)
    value.bad = value.bad | _unit_ranges(value, units, cells["indicator"], fractions, found)
    counted = ~percent_rows & ~(numerator.empty & denominator.empty)
    found.rows(
        counted,
        "numerator",
        lambda row: (
            f"{cells['indicator'].value(row)} is measured in {units[row]}: numerator and"
            " denominator give a percentage; give its value instead"
        ),
        "unit",
    )
    assert value.values is not None and numerator.values is not None  # numeric columns
    assert denominator.values is not None
    nothing = value.empty & numerator.empty & denominator.empty & ~suppressed
    where = "value" if "value" in positions else "numerator"
    found.rows(nothing, where, lambda row: "no value (empty cell)", "no value")
    half = _half(numerator, denominator, found)
    counts = ~(numerator.empty | numerator.bad | denominator.empty | denominator.bad)
    n_, d_ = numerator.values, denominator.values
    with np.errstate(invalid="ignore", divide="ignore"):
        zero = counts & (d_ == 0)
        over = counts & ~zero & (n_ > d_)
        found.rows(zero, "denominator", lambda row: "denominator is 0", "zero")
        found.rows(
            over,
            "numerator",
            lambda row: f"numerator {n_[row]:g} is greater than denominator {d_[row]:g}",
            "over",
        )
        usable = counts & ~zero & ~over
        from_counts = np.where(usable, 100.0 * n_ / np.where(usable, d_, 1.0), np.nan)
        given = ~(value.empty | value.bad)
        disagree = _disagreeing(value, given & usable, from_counts, cells, found, fractions)

    key_ok = ~(
        cells["indicator"].bad | cells["region"].bad | cells["period"].bad | cells["population"].bad
    )
    value_ok = ~(
        nothing
        | half
        | value.bad
        | numerator.bad
        | denominator.bad
        | zero
        | over
        | disagree
        | counted
    )
    ok = key_ok & value_ok
    result = pd.DataFrame(
        {
            **{name: _categories(cells[name], ok) for name in REQUIRED},
            "value": np.where(given, value.values, from_counts)[ok],
            "numerator": np.where(usable, n_, np.nan)[ok],
            "denominator": np.where(usable, d_, np.nan)[ok],
            "suppressed": suppressed[ok],
            "_line": lines[ok],
        }
    )
    invalid: set[Key] = set()
    failed = key_ok & ~value_ok
    for row in np.flatnonzero(failed):
        invalid.add(tuple(str(cells[name].value(row)) for name in REQUIRED))  # type: ignore[arg-type]
    found.report(problems, table.shown, table.sheet)
    result = without_repeats(result, table, list(REQUIRED), problems)
    hidden_rows(table, result["_line"].tolist(), problems)
    return Valid(
        result, invalid, table.sheet, "population" in positions and positions["population"] > 0
    )
