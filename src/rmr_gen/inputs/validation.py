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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Key
from rmr_gen.core.names import visible
from rmr_gen.inputs.cellchecks import (
    ambiguous_thousands,
    disagreeing,
    half_counts,
    suppressed_rows,
    thousands_notes,
    unit_ranges,
    units_of,
)
from rmr_gen.inputs.cellparse import (
    Parse,
    choice_parser,
    count_parser,
    is_marker,
    parse_number,
    period_cell,
    population_cell,
    read_period,
    value_parser,
    whole,
)
from rmr_gen.inputs.cellproblems import Cells, Found
from rmr_gen.inputs.config import Reference, normalise_period
from rmr_gen.inputs.datacolumns import COLUMN_WORDS, KNOWN, OPTIONAL, REQUIRED, find_columns
from rmr_gen.inputs.fractionvalues import fractions_of_one
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


def _apply(series: pd.Series, column: Column) -> Cells:
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
    return Cells(values, bad_u[codes], empty_u[codes], messages, codes, texts, parsed)


def _categories(cell: Cells, rows: np.ndarray) -> pd.Categorical:
    """The normalised texts of ``rows`` as categories (no string per row is made)."""
    import numpy as np
    import pandas as pd

    codes, categories = pd.factorize(pd.Series(cell.parsed, dtype=object), use_na_sentinel=True)
    mapping = np.append(codes, -1)  # a code of -1 (no text) stays -1
    return pd.Categorical.from_codes(mapping[cell.codes[rows]], categories=categories)


def _absent(n: int) -> Cells:
    import numpy as np

    return Cells(
        np.full(n, np.nan),
        np.zeros(n, dtype=bool),
        np.ones(n, dtype=bool),
        np.array([None], dtype=object),
        np.full(n, -1),
        np.array([], dtype=object),
        [],
    )


def _period_notes(
    table: Table, period: Cells, lines: np.ndarray, position: int, problems: Problems
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
        if len(rows) == 1:
            said = M(
                "period.read-as",
                "period '{text}' read as {read}",
                text=str(text).strip(),
                read=read,
            )
        else:
            said = M(
                "period.read-as-rows",
                "period '{text}' read as {read} ({count} rows)",
                text=str(text).strip(),
                read=read,
                count=len(rows),
            )
        problems.note(
            table.shown,
            said,
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
    if positions is None or hidden_columns(table, positions, COLUMN_WORDS, problems, columns):
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
    cells: dict[str, Cells] = {
        column.name: _apply(frame[f"c{positions[column.name]}"], column)
        if column.name in positions
        else _absent(n)
        for column in spec
    }
    _period_notes(table, cells["period"], lines, positions["period"], problems)
    suppressed = suppressed_rows(cells)
    headers = {
        name: table.headers[position - table.first_column] for name, position in positions.items()
    }
    found = Found(lines, positions, headers, {c.name for c in spec if c.named})
    for name in ("numerator", "denominator"):
        ambiguous_thousands(name, cells[name])
    for name, cell in cells.items():
        found.cells(name, cell)
    thousands_notes(table, cells, positions, problems)

    value, numerator, denominator = cells["value"], cells["numerator"], cells["denominator"]
    units = units_of(cells["indicator"], reference)
    percent_rows = units == "procent"
    if "value" in positions and not fractions:
        value.bad = value.bad | fractions_of_one(table, cells, positions, found, percent_rows)
    value.bad = value.bad | unit_ranges(value, units, cells["indicator"], fractions, found)
    counted = ~percent_rows & ~(numerator.empty & denominator.empty)
    found.rows(
        counted,
        "numerator",
        lambda row: M(
            "value.counts-not-percent",
            "{indicator} is measured in {unit}: numerator and denominator give a percentage;"
            " give its value instead",
            indicator=cells["indicator"].value(row),
            unit=units[row],
        ),
        "unit",
    )
    assert value.values is not None and numerator.values is not None  # numeric columns
    assert denominator.values is not None
    nothing = value.empty & numerator.empty & denominator.empty & ~suppressed
    where = "value" if "value" in positions else "numerator"
    found.rows(nothing, where, lambda row: M("value.empty", "no value (empty cell)"), "no value")
    half = half_counts(numerator, denominator, found)
    counts = ~(numerator.empty | numerator.bad | denominator.empty | denominator.bad)
    n_, d_ = numerator.values, denominator.values
    with np.errstate(invalid="ignore", divide="ignore"):
        zero = counts & (d_ == 0)
        over = counts & ~zero & (n_ > d_)
        found.rows(
            zero, "denominator", lambda row: M("value.denominator-zero", "denominator is 0"), "zero"
        )
        found.rows(
            over,
            "numerator",
            lambda row: M(
                "value.numerator-over",
                "numerator {numerator} is greater than denominator {denominator}",
                numerator=format(n_[row], "g"),
                denominator=format(d_[row], "g"),
            ),
            "over",
        )
        usable = counts & ~zero & ~over
        from_counts = np.where(usable, 100.0 * n_ / np.where(usable, d_, 1.0), np.nan)
        given = ~(value.empty | value.bad)
        disagree = disagreeing(value, given & usable, from_counts, cells, found, fractions)

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
