"""The table types a report's ``[tables.ID] type`` names, each in one place: the rows
the table shows and the cells a reviewer's diff compares.

A new table type is an entry in :data:`TABLES` (its name also in
``models.TABLE_TYPES``, which report.toml is checked against) and its template
``templates/partials/table-<type>.html.j2``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rmr_gen.core import formatting
from rmr_gen.core.models import (
    TABLE_TYPES,
    SummaryGroup,
    TableSpec,
    Target,
    TargetRow,
    other_population,
    population_name,
)

#: A table's rows as its template receives them.
Rows = tuple[SummaryGroup, ...] | tuple[TargetRow, ...]


@dataclass(frozen=True)
class Cells:
    """What a diff compares in a table: the cells, the targets and the rows."""

    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (row, column) → text
    targets: dict[str, str] = field(default_factory=dict)  # indicator or goal → target
    rows: list[tuple[str, str]] = field(default_factory=list)  # (row, region)
    #: a label as printed (of a row, column or target) → what it stands for (the
    #: indicator id): a diff pairs rows by it, so a renamed row keeps its target
    keys: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableType:
    """How a table of this type is made and read back."""

    rows: Callable[[TableSpec, tuple[SummaryGroup, ...]], Rows]  # from the spec and Tabell 1
    #: its rows, decimals and the report's population → what a diff reads
    cells: Callable[[Sequence[object], int, str], Cells]


def target_text(target: Target | None, decimals: int, unit: str = "procent") -> str:
    return formatting.target_text(target, decimals, unit)


def _summary_cells(rows: Sequence[object], decimals: int, population: str) -> Cells:
    """Per region and indicator the printed value, and the indicator's target; a cell
    of the second column is named by its population (the one the report's is not)."""
    found = Cells()
    second = population_name(other_population(population))
    for group in rows:
        assert isinstance(group, SummaryGroup)
        label = group.indicator.label
        unit = group.indicator.unit
        found.targets[label] = target_text(group.indicator.target, decimals, unit)
        found.keys[label] = group.indicator.indicator.id
        found.keys[f"{label} ({second})"] = f"{group.indicator.indicator.id} ({second})"
        for row in (*group.rows, *group.reference):
            found.rows.append((f"{row.region}, {label}", row.region))
            found.cells[(row.region, label)] = formatting.summary_cell(row, decimals)
            if row.current_all is not None or row.all_suppressed:
                found.cells[(row.region, f"{label} ({second})")] = formatting.all_diagnoses_cell(
                    row, decimals
                )
    return found


def _target_cells(rows: Sequence[object], decimals: int, population: str) -> Cells:
    """Per goal its target."""
    found = Cells()
    for row in rows:
        assert isinstance(row, TargetRow)
        found.rows.append((row.label, ""))
        found.targets[row.label] = target_text(row.target, decimals, row.unit)
        found.keys[row.label] = row.indicator_id or row.label
    return found


TABLES: dict[str, TableType] = {
    "indicator-summary": TableType(lambda spec, groups: groups, _summary_cells),
    "targets": TableType(lambda spec, groups: spec.rows, _target_cells),
}
assert tuple(TABLES) == TABLE_TYPES, "models.TABLE_TYPES names the types of TABLES"
