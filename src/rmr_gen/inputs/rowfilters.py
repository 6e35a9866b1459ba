"""Rows of an export that are not measurements: left out, each kind with a note.

A register's total (``Riket``, ``Totalt``) and a sjukvårdsregion's subtotal, unless the
report prints it as a reference row; the header repeated where two exports were pasted
together; and text below or inside the table (``Källa: …``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.names import key as name_key
from rmr_gen.core.names import visible
from rmr_gen.inputs.config import Reference
from rmr_gen.inputs.datacolumns import REQUIRED
from rmr_gen.inputs.table import Table, codes_and_texts

if TYPE_CHECKING:
    import pandas as pd


#: What registers call the row of the whole country (or of all regions): not a region.
TOTALS = frozenset(
    {"riket", "totalt", "total", "summa", "sverige", "hela riket", "hela landet",
     "samtliga regioner", "alla regioner"}
)  # fmt: skip


def without_totals(
    table: Table, position: int, problems: Problems, reference: Reference
) -> pd.DataFrame:
    """The rows of ``table`` but the totals (``Riket``, ``Totalt``) and a sjukvårdsregion's
    subtotal: a register's row for the whole country or a sjukvårdsregion is not a region,
    so it is left out, with a note per name; unless the report prints it as a reference
    row (``[data] reference``: then it is a name of ``reference``)."""
    import numpy as np

    frame = table.frame
    codes, texts = codes_and_texts(frame[f"c{position}"])
    subtotals = {name_key(h) for h in reference.healthcare_regions}
    kinds: dict[int, M] = {}
    for i, text in enumerate(texts):
        written = name_key(str(text))
        if reference.region_names.find(str(text)) is not None:
            continue  # a region, or a reference row the report prints
        if written in TOTALS:
            kinds[i] = M("rows.kind-total", "a total, not a region")
        elif written in subtotals:
            kinds[i] = M("rows.kind-subtotal", "a sjukvårdsregion's total, not a region")
    if not kinds:
        return frame
    lines = frame["_line"].to_numpy()
    for code, kind in kinds.items():
        rows = np.flatnonzero(codes == code)
        if not len(rows):
            continue
        first, last = int(lines[rows[0]]), int(lines[rows[-1]])
        name = str(texts[code]).strip()
        if len(rows) == 1:
            message = M(
                "rows.total-left-out",
                "'{name}' is {kind}: its row is left out"
                ' (to print it for comparison: [data] reference = ["{name}"])',
                name=name,
                kind=kind,
            )
        else:
            message = M(
                "rows.totals-left-out",
                "'{name}' is {kind}: its {count} rows (lines {first}–{last}) are left out"
                ' (to print it for comparison: [data] reference = ["{name}"])',
                name=name,
                kind=kind,
                count=len(rows),
                first=first,
                last=last,
            )
        problems.note(
            table.shown,
            message,
            first,
            position,
            table.sheet,
        )
    return frame[~np.isin(codes, list(kinds))].reset_index(drop=True)


def without_text_rows(
    table: Table,
    frame: pd.DataFrame,
    positions: dict[str, int],
    reference: Reference,
    problems: Problems,
) -> pd.DataFrame:
    """The rows of ``frame`` but the header repeated (two exports pasted together) and
    text below or inside the table with nothing in the other cells (``Källa: …``): each
    is left out with a note, so that it is not one error per cell."""
    import numpy as np

    columns = [c for c in frame.columns if c not in ("_line", "c0")]  # c0: not in the file
    same = np.ones(len(frame), dtype=bool)
    for name in (n for n in REQUIRED if positions[n] > 0):  # 0: no such column in the file
        codes, texts = codes_and_texts(frame[f"c{positions[name]}"])
        same &= np.array([name_key(str(t)) == name for t in texts] + [False])[codes]
    others_blank = np.ones(len(frame), dtype=bool)
    for column in columns[1:]:
        codes, texts = codes_and_texts(frame[column])
        others_blank &= np.array([not visible(str(t)).strip() for t in texts] + [True])[codes]
    codes, texts = codes_and_texts(frame[columns[0]])
    is_indicator = f"c{positions['indicator']}" == columns[0]
    text_only = np.array(
        [
            bool(visible(str(t)).strip())
            and not (is_indicator and reference.indicator_names.find(str(t)) is not None)
            for t in texts
        ]
        + [False]
    )[codes]
    lines = frame["_line"].to_numpy()
    for row in np.flatnonzero(same | (others_blank & text_only)):
        text = visible(str(texts[codes[row]])).strip()
        problems.note(
            table.shown,
            M("rows.header-again", "the header again (files pasted together?): left out")
            if same[row]
            else M(
                "rows.text-row",
                "text, not a row of the table ('{text}'): left out",
                text=text[:60] + ("…" if len(text) > 60 else ""),
            ),
            int(lines[row]),
            table.first_column if table.sheet else None,  # a workbook's cell, a CSV's line
            sheet=table.sheet,
        )
    keep = ~(same | (others_blank & text_only))
    return frame if keep.all() else frame[keep].reset_index(drop=True)
