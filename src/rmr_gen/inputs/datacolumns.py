"""Which column of a data file is which of rmr-gen's columns.

By its header (``indicator``, ``region``, ``period``, ``population``, ``value`` or
``numerator`` and ``denominator``), or by the export's own header named in a report's
``[data.columns]``; a missing or repeated column is named, with the header it may be.
"""

from __future__ import annotations

import difflib
from typing import Any

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.inputs.config import normalise_period
from rmr_gen.inputs.table import Table

REQUIRED = ("indicator", "region", "period", "population")
OPTIONAL = ("value", "numerator", "denominator")
KNOWN = REQUIRED + OPTIONAL


def find_columns(
    table: Table,
    problems: Problems,
    mapping: tuple[tuple[str, str], ...] = (),
    population: str | None = None,
) -> dict[str, int] | None:
    """Known column → its position (from 1); problems for missing or repeated ones.

    ``mapping`` is the report's ``[data.columns]`` (rmr-gen's column, the export's
    header); with a ``population``, a file without a population column is read as that
    population's."""
    found: dict[str, int] = {}
    ok = True
    unknown: list[tuple[str, int]] = []
    at: dict[str, Any] = {"line": table.header_line, "sheet": table.sheet}
    mapped = {header.strip().casefold(): name for name, header in mapping}
    for position, header in enumerate(table.headers, start=table.first_column):
        name = mapped.get(header.strip().casefold()) or header.strip().lower()
        if name in KNOWN:
            if name in found:
                problems.error(
                    table.shown,
                    M(
                        "columns.twice",
                        "column '{name}' appears twice (also column {other})",
                        name=name,
                        other=found[name],
                    ),
                    column=position,
                    **at,
                )
                ok = False
            else:
                found[name] = position
        else:
            unknown.append((header.strip(), position))
    for name, header in mapping:
        if name not in found:
            problems.error(
                table.shown,
                M(
                    "columns.mapped-header-missing",
                    "data.columns names the header '{header}' for '{name}', but the file has no"
                    " such column (its headers: {headers})",
                    header=header,
                    name=name,
                    headers=", ".join(h.strip() for h in table.headers),
                ),
                **at,
            )
            ok = False
    suggested: set[str] = set()

    def hint(name: str) -> M:
        headers = [u for u, _ in unknown if u]
        close = difflib.get_close_matches(name, headers, n=1, cutoff=0.6)
        close = close or difflib.get_close_matches(
            COLUMN_WORDS.get(name, name), headers, n=1, cutoff=0.6
        )
        suggested.update(close)
        if not close:
            return M(
                "columns.hint-map",
                ' (name the export\'s header in report.toml: [data.columns] {name} = "…")',
                name=name,
            )
        return M(
            "columns.hint-rename-or-map",
            " (is it the column '{header}'? Rename that header, or map it in report.toml:"
            ' [data.columns] {name} = "{header}")',
            header=close[0],
            name=name,
        )

    periods = [name for name, _ in unknown if normalise_period(name)]
    for name in REQUIRED:
        if name == "period" and name not in found and periods:
            problems.error(
                table.shown,
                M(
                    "columns.periods-as-columns",
                    "missing column 'period': the periods are columns here ({periods});"
                    " rmr-gen reads one row per measurement, with its period in a column"
                    " 'period' and its number in 'value'",
                    periods=", ".join(periods),
                ),
                **at,
            )
            ok = False
        elif name == "population" and name not in found and population is not None:
            continue  # every row is the report's one population
        elif name not in found:
            problems.error(
                table.shown,
                M("columns.missing", "missing column '{name}'{hint}", name=name, hint=hint(name)),
                **at,
            )
            ok = False
    if "value" not in found and not {"numerator", "denominator"} <= set(found):
        alone = [n for n in ("numerator", "denominator") if n in found]
        if alone:
            other = "denominator" if alone == ["numerator"] else "numerator"
            message = M(
                "columns.needs-other",
                "column '{name}' needs a column '{other}' too",
                name=alone[0],
                other=other,
            )
        else:
            message = M(
                "columns.missing-value",
                "missing column 'value' (or 'numerator' and 'denominator'){hint}",
                hint=hint("value"),
            )
        problems.error(table.shown, message, **at)
        ok = False
    for name, position in unknown:
        if name in suggested:
            continue
        text = (
            M("columns.unused", "column '{name}' is not used and was ignored", name=name)
            if name
            else M(
                "columns.no-header",
                "column {position} has no header and was ignored",
                position=position,
            )
        )
        problems.note(table.shown, text, column=position, **at)
    return found if ok else None


#: The Swedish words registers head rmr-gen's columns with: to suggest [data.columns].
COLUMN_WORDS = {
    "indicator": "indikator",
    "region": "region",
    "period": "period",
    "population": "diagnosgrupp",
    "value": "värde",
    "numerator": "täljare",
    "denominator": "nämnare",
}
