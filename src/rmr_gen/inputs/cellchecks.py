"""The checks of a data file's numbers, vectorised over its rows, and their messages.

The checks of a column after parsing (:class:`~rmr_gen.inputs.cellproblems.Cells`):
units and ranges, counts that are only half given or do not agree with the value,
thousands separators, suppression markers; their problems go to a
:class:`~rmr_gen.inputs.cellproblems.Found`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.names import visible
from rmr_gen.inputs.cellparse import (
    COUNT_NAMES,
    COUNT_PLURALS,
    Flaw,
    decimals_of,
    is_marker,
    parse_count,
)
from rmr_gen.inputs.cellproblems import Cells, Found, cell_text
from rmr_gen.inputs.config import Reference
from rmr_gen.inputs.table import Table

if TYPE_CHECKING:
    import numpy as np


def ambiguous_thousands(name: str, cell: Cells) -> None:
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
                "count",
                M(
                    "value.ambiguous-thousands",
                    "{name} '{text}' may be {whole} or {decimal}: this column also has '{example}',"
                    " with '{mark}' as the decimal mark (write counts without separators)",
                    name=COUNT_NAMES[name],
                    text=text.strip(),
                    whole=text.strip().replace(mark, ""),
                    decimal=comma(number / 1000),
                    example=example,
                    mark=mark,
                ),
            )
            cell.parsed[code] = math.nan
    bad = np.array([m is not None for m in cell.messages], dtype=bool)
    cell.bad = bad[cell.codes]
    if cell.values is not None:
        cell.values = np.where(cell.bad, np.nan, cell.values)


def thousands_notes(
    table: Table, cells: dict[str, Cells], positions: dict[str, int], problems: Problems
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
        number = int(cell.numbers()[rows[0]])
        if len(rows) == 1:
            message = M(
                "value.thousands-read",
                "{name} '{example}' as {number}: a thousands separator (counts are whole numbers)",
                name=COUNT_NAMES[name],
                example=example,
                number=number,
            )
        else:
            message = M(
                "value.thousands-read-rows",
                "{count} {names} with a thousands separator read as whole numbers"
                " ('{example}' as {number}), lines {first}–{last}",
                count=len(rows),
                names=COUNT_PLURALS[name],
                example=example,
                number=number,
                first=int(lines[rows[0]]),
                last=int(lines[rows[-1]]),
            )
        problems.note(table.shown, message, int(lines[rows[0]]), positions[name], table.sheet)


def comma(number: float) -> str:
    """``51.4`` → ``51,4``, as the editor writes it."""
    return f"{number:g}".replace(".", ",")


def span(low: float, high: float) -> M:
    """``is 51,4`` or ``are 40–60``: what other values are."""
    if low == high:
        return M("value.others-one", "is {value}", value=comma(low))
    return M("value.others-span", "are {low}–{high}", low=comma(low), high=comma(high))


def half_counts(numerator: Cells, denominator: Cells, found: Found) -> np.ndarray:
    """Rows with one count but not the other."""
    half: np.ndarray = numerator.empty != denominator.empty
    found.rows(
        half & numerator.empty,
        "numerator",
        lambda row: M(
            "value.numerator-empty",
            "numerator is empty (denominator {denominator} given)",
            denominator=cell_text(denominator, row),
        ),
        "half",
    )
    found.rows(
        half & denominator.empty,
        "denominator",
        lambda row: M(
            "value.denominator-empty",
            "denominator is empty (numerator {numerator} given)",
            numerator=cell_text(numerator, row),
        ),
        "half",
    )
    return half


def disagreeing(
    value: Cells,
    both: np.ndarray,
    from_counts: np.ndarray,
    cells: dict[str, Cells],
    found: Found,
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
        lambda row: M(
            "value.disagrees",
            "value {value} does not match numerator/denominator"
            " {numerator}/{denominator} = {computed} %",
            value=cell_text(value, row),
            numerator=format(n_[row], "g"),
            denominator=format(d_[row], "g"),
            computed=format(from_counts[row], ".1f"),
        ),
        "disagree",
    )
    return disagree


def suppressed_rows(cells: dict[str, Cells]) -> np.ndarray:
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


def units_of(indicator: Cells, reference: Reference) -> np.ndarray:
    """Per row, its indicator's unit (``procent`` where the indicator is unknown)."""
    import numpy as np

    per_text = [
        reference.indicators[i].unit if i in reference.indicators else "procent"
        for i in indicator.parsed
    ]
    units: np.ndarray = np.array([*per_text, "procent"], dtype=object)[indicator.codes]
    return units


def unit_ranges(
    value: Cells, units: np.ndarray, indicator: Cells, fractions: bool, found: Found
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
        lambda row: M(
            "value.outside-percent",
            "value {value} is outside 0–100 (a percentage)",
            value=cell_text(value, row),
        ),
        "outside",
    )
    found.rows(
        negative,
        "value",
        lambda row: M(
            "value.negative",
            "value {value} is below 0 ({unit} of {indicator})",
            value=cell_text(value, row),
            unit=units[row],
            indicator=indicator.value(row),
        ),
        "negative",
    )
    found.rows(
        fractional,
        "value",
        lambda row: M(
            "value.not-whole",
            "value {value} is not a whole number (antal of {indicator})",
            value=cell_text(value, row),
            indicator=indicator.value(row),
        ),
        "not whole",
    )
    found.rows(
        not_percent,
        "value",
        lambda row: M(
            "value.fractions-not-percent",
            "{indicator} is measured in {unit}, but data.fractions says this"
            " file holds fractions of 1: put it in a file of its own",
            indicator=indicator.value(row),
            unit=units[row],
        ),
        "unit",
    )
    result: np.ndarray = outside | negative | fractional | not_percent
    return result
