"""Values that look like fractions of 1 (0,514 for 51,4 %), refused unless the file is
declared to hold them (``data.fractions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmr_gen.core.i18n import M
from rmr_gen.inputs.cellchecks import comma, span
from rmr_gen.inputs.cellproblems import Cells, Found, cell_text, where
from rmr_gen.inputs.table import Table

if TYPE_CHECKING:
    import numpy as np


def fractions_of_one(
    table: Table,
    cells: dict[str, Cells],
    positions: dict[str, int],
    found: Found,
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
    if (values[plain] <= 1).all() and not (given & ~plain & scope).any():
        found.single.append(
            (
                table.header_line,
                column,
                M(
                    "value.all-fractions",
                    "every value in column '{header}' is between 0 and 1: fractions of 1, not"
                    " percentages (0,514 is 51,4 %)? Write percentages, or list the file in"
                    " data.fractions in report.toml (a value really below 1 % is written 0,5 %)",
                    header=header,
                ),
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
        found.single.append(
            (
                first,
                column,
                M(
                    "value.indicator-fractions",
                    "every value of {indicator} in column '{header}' is between 0 and 1"
                    " ({where}), while other indicators' values are percentages: fractions of 1"
                    " (0,514 is 51,4 %)? Write them as percentages (a value really below 1 % is"
                    " written 0,5 %)",
                    indicator=name,
                    header=header,
                    where=where(first, last, len(rows)),
                ),
            )
        )
    flagged = alone & np.isin(ids, ids[alone & small])
    with np.errstate(invalid="ignore"):
        looks: np.ndarray = small & ~alone & (values * 10 < low)
    found.rows(
        looks,
        "value",
        lambda row: M(
            "value.looks-like-fraction",
            "value {value} looks like a fraction of 1 ({percent} %?): the other values of"
            " {indicator} in this file {others}; write the percentage ({value} % if below 1 %"
            " is meant)",
            value=cell_text(value, row),
            percent=comma(values[row] * 100),
            indicator=ids[row],
            others=span(low[row], high[row]),
        ),
        "fraction",
    )
    result: np.ndarray = looks | flagged
    return result
