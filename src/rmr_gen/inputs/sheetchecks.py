"""What a workbook hides from the editor, checked against the columns a report reads.

A hidden column is read only when no visible column could be meant (a hidden
``value`` with old numbers beside a visible ``Värde`` is refused: the document
would print numbers nobody sees); hidden rows that are read are said in a note;
cells merged down a column that is read are named as merged, not as empty cells.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

from rmr_gen.core.errors import Problems, column_letters
from rmr_gen.core.i18n import M
from rmr_gen.inputs.table import Table


def _near(header: str, names: Collection[str]) -> bool:
    written = header.strip().casefold()
    return bool(written) and any(
        difflib.get_close_matches(written, [name.casefold()], n=1, cutoff=0.6) for name in names
    )


def hidden_columns(
    table: Table,
    positions: Mapping[str, int],
    words: Mapping[str, str],
    problems: Problems,
    mapping: tuple[tuple[str, str], ...] = (),
) -> bool:
    """Whether a hidden column is read while a visible one with a near name (``Värde`` for
    ``value``, or near the header ``[data.columns]`` names) is ignored: then an error
    each; a hidden column read with nothing else to mean is said in a note. ``words`` are
    the Swedish headers of rmr-gen's columns, ``mapping`` the report's
    ``[data.columns]``."""
    if not table.hidden_columns:
        return False
    used = set(positions.values())
    ignored = [
        (header, position)
        for position, header in enumerate(table.headers, start=table.first_column)
        if position not in used and position not in table.hidden_columns
    ]
    refused = False
    for name, position in sorted(positions.items(), key=lambda item: item[1]):
        if position not in table.hidden_columns:
            continue
        header = table.headers[position - table.first_column]
        meant = (name, words.get(name, name), *(h for n, h in mapping if n == name))
        near = [(h, p) for h, p in ignored if _near(h, meant)]
        at = (table.header_line, position, table.sheet)
        # rmr-gen's own column names (datacolumns.KNOWN): plain words, quoted as '…'
        read = (
            ""
            if header.strip().casefold() == name
            else M("xlsx.read-as", " as '{name}'", name=name)
        )
        if not near:
            problems.note(
                table.shown,
                M(
                    "xlsx.hidden-column-read",
                    "column '{header}' is hidden in the workbook: read{read},"
                    " as no visible column could be meant",
                    header=header,
                    read=read,
                ),
                *at,
            )
            continue
        visible, where = near[0]
        problems.error(
            table.shown,
            M(
                "xlsx.hidden-column-read-visible-ignored",
                "column '{header}' is hidden in the workbook but is the one read{read}, while"
                " the visible column '{visible}' ({letter}) is ignored:"
                " delete the hidden column if '{visible}' holds the numbers (and map it in"
                ' report.toml: [data.columns] {name} = "{visible}"), or unhide it if it is meant',
                header=header,
                read=read,
                visible=visible,
                letter=column_letters(where),
                name=name,
            ),
            *at,
        )
        refused = True
    return refused


def hidden_rows(table: Table, lines: Collection[int], problems: Problems) -> None:
    """A note for the hidden rows of the sheet that are read as data: the document
    prints them though the editor does not see them."""
    read = sorted(set(lines) & table.hidden_rows)
    if not read:
        return
    if len(read) == 1:
        message = M(
            "xlsx.hidden-row-read",
            "row {row} is hidden in the workbook but read as data: the document prints"
            " it (unhide it to see what is printed)",
            row=read[0],
        )
    else:
        message = M(
            "xlsx.hidden-rows-read",
            "{count} rows ({rows}) are hidden in the workbook but read as data: the document"
            " prints them (unhide them to see what is printed)",
            count=len(read),
            rows=_rows(read),
        )
    problems.note(
        table.shown,
        message,
        read[0],
        table.first_column,
        table.sheet,
    )


def _rows(numbers: list[int]) -> str | M:
    if numbers[-1] - numbers[0] + 1 == len(numbers):
        return f"{numbers[0]}–{numbers[-1]}"
    shown = ", ".join(map(str, numbers[:3]))
    return _and_more(shown, len(numbers) - 3) if len(numbers) > 3 else shown


def _and_more(listed: str, more: int) -> M:
    return M("xlsx.and-more", "{listed} and {count} more", listed=listed, count=more)


MERGED_NAMED = 2  # merged ranges named in the message; more are counted


def merged_cells(table: Table, positions: Mapping[str, int], problems: Problems) -> None:
    """An error per column read that has cells merged down it below the header: a merged
    range shows its text in every row but holds it in its first cell only."""
    by_column: dict[int, list[tuple[int, int, int, int]]] = {}
    used = sorted(set(positions.values()))
    for merged in table.merged:
        r1, c1, r2, c2 = merged
        if r2 <= r1 or r1 <= table.header_line:
            continue  # a row's cells merged across, or the header's own
        column = next((c for c in used if c1 <= c <= c2), None)
        if column is not None:
            by_column.setdefault(column, []).append(merged)
    for column, ranges in sorted(by_column.items()):
        ranges.sort()
        names = [f"{column_letters(c1)}{r1}:{column_letters(c2)}{r2}" for r1, c1, r2, c2 in ranges]
        listed: str | M = ", ".join(names[:MERGED_NAMED])
        if len(names) > MERGED_NAMED:
            listed = _and_more(", ".join(names[:MERGED_NAMED]), len(names) - MERGED_NAMED)
        first, last = ranges[0][0], max(r2 for _, _, r2, _ in ranges)
        header = table.headers[column - table.first_column]
        problems.error(
            table.shown,
            M(
                "xlsx.merged-cells",
                "merged cells in column '{header}': {ranges} (rows {first}–{last}); a merged"
                " cell holds its text in its first row only: unmerge them and fill every row",
                header=header,
                ranges=listed,
                first=first,
                last=last,
            ),
            first,
            ranges[0][1],
            table.sheet,
        )
