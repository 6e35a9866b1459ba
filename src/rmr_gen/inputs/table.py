"""A data file's cells as text, whatever it was read from (CSV or a workbook's sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Table:
    """The cells of one data file or sheet, as text.

    ``frame`` has one column per header field (named ``c1``, ``c2``, … by
    column number, since editors' headers may repeat or be blank) and ``_line``,
    the row's line in the file or its row in the sheet. ``headers`` are the
    header cells as written, stripped.
    """

    frame: pd.DataFrame
    headers: tuple[str, ...]
    shown: str
    sheet: str | None = None
    header_line: int = 1
    first_column: int = 1  # the column number of headers[0] (a table may start in column B)
    hidden_rows: frozenset[int] = frozenset()  # rows of the sheet hidden in the workbook
    hidden_columns: frozenset[int] = frozenset()  # columns of the sheet hidden in the workbook
    #: merged ranges of the sheet: (first row, first column, last row, last column)
    merged: tuple[tuple[int, int, int, int], ...] = ()


def codes_and_texts(series: pd.Series) -> tuple[Any, Any]:
    """Per row the code of its text, and the distinct texts: categories are used as
    they are, other columns are factorised once."""
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        texts = np.asarray(series.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(series, sort=False)
        texts = np.asarray(uniques, dtype=object)
    return codes, texts


def drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose every cell is blank (``;;;;`` from Excel) are not data."""
    import numpy as np

    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        if name == "_line":
            continue
        codes, texts = codes_and_texts(frame[name])
        blank &= np.array([not str(t).strip() for t in texts] + [True], dtype=bool)[codes]
        if not blank.any():
            return frame
    return frame[~blank].reset_index(drop=True)


HEADER_ROWS = 20  # rows of a sheet looked at for the header row
