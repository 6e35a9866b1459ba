"""Tables compared: cells as printed, rows, targets; rows paired by what they stand for.

A row of Tabell 1 or a target list is paired with its other side by its
indicator id, not by its label: a row whose label and target both changed is a
rename and a target change, not a row removed and a row added; a new indicator
is one entry with its target, not a row per region.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rmr_gen.content.tabletypes import TABLES
from rmr_gen.workflows.build import Prepared
from rmr_gen.workflows.diffmodel import CellChange, RowChange, TargetChange


def table_name(caption: str, table_id: str, kind: str = "tabellen") -> str:
    """``Tabell 1`` from its caption, else the caption as printed (the id if it has none)."""
    match = re.match(r"\s*((?:Tabell|Figur)\s+\d+)", caption)
    if match:
        return match.group(1)
    caption = " ".join(caption.split())
    if not caption:
        return f"{kind} {table_id}"
    short = caption if len(caption) <= 70 else caption[:67].rsplit(" ", 1)[0] + " …"
    return f"{kind} ”{short}”"


@dataclass
class _Table:
    """One side of a table, keyed by what its labels stand for."""

    name: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # key → label as printed
    targets: dict[str, str] = field(default_factory=dict)  # key → target as printed
    cells: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (region, key, printed)


def _tables(item: Prepared) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    for block in item.blocks:
        if block.kind != "table":
            continue
        spec = block.spec
        found = TABLES[spec.type].cells(block.rows, item.report.decimals, item.report.population)
        counts = Counter(found.keys.values())

        def key(
            label: str, keys: dict[str, str] = found.keys, counts: Counter[str] = counts
        ) -> str:
            value = keys.get(label, label)
            return value if counts[value] <= 1 else label  # a shared id: the label then

        table = _Table(table_name(spec.caption, spec.id))
        for label, target in found.targets.items():
            table.labels[key(label)] = label
            table.targets[key(label)] = target
        for (region, column), text in found.cells.items():
            table.cells[(region, key(column))] = (column, text)
        for printed, region in found.rows:
            label = printed.removeprefix(f"{region}, ") if region else printed
            table.labels.setdefault(key(label), label)
            table.rows.append((region, key(label), printed))
        tables[spec.id] = table
    return tables


def _renamed_in_place(
    before: _Table, after: _Table, gone: list[str], came: list[str]
) -> dict[str, str]:
    """``{new key: old key}``: a row known only by its label that changed in place
    (same position, same target), e.g. a goal without an indicator: a rename."""
    order_before = [k for _, k, _ in before.rows]
    order_after = [k for _, k, _ in after.rows]
    pairs: dict[str, str] = {}
    for old in (k for k in gone if before.labels.get(k) == k):  # keyed by label only
        for new in (k for k in came if after.labels.get(k) == k):
            if (
                new not in pairs
                and order_after.index(new) == order_before.index(old)
                and before.targets.get(old) == after.targets.get(new)
            ):
                pairs[new] = old
                break
    return pairs


def table_changes(
    old: Prepared, new: Prepared
) -> tuple[list[CellChange], list[RowChange], list[TargetChange]]:
    """Every cell, row and target that differs between the two sides' tables."""
    old_tables, new_tables = _tables(old), _tables(new)
    cells: list[CellChange] = []
    rows: list[RowChange] = []
    targets: list[TargetChange] = []
    for table_id in dict.fromkeys([*new_tables, *old_tables]):
        before = old_tables.get(table_id, _Table())
        after = new_tables.get(table_id, _Table())
        name = after.name or before.name
        came_keys = [k for k in after.labels if k not in before.labels]
        gone_keys = [k for k in before.labels if k not in after.labels]
        renamed = _renamed_in_place(before, after, gone_keys, came_keys)
        label_of = renamed  # new key → old key, where they differ
        for key, label in after.labels.items():
            old_key = label_of.get(key, key)
            was = before.labels.get(old_key)
            if was is not None and was != label:
                rows.append(RowChange(name, label, "renamed", "", was))
            was_target = before.targets.get(old_key)
            now_target = after.targets.get(key)
            if was_target is not None and now_target is not None and was_target != now_target:
                targets.append(TargetChange(name, label, was_target, now_target))
        for (region, key), (column, value) in after.cells.items():
            old_cell = before.cells.get((region, label_of.get(key, key)))
            if old_cell is not None and old_cell[1] != value:
                cells.append(CellChange(name, region, column, old_cell[1], value))
        new_keys = [k for k in came_keys if k not in renamed]
        old_keys = [k for k in gone_keys if k not in renamed.values()]
        for key in new_keys:  # a new indicator or goal: one entry, with its target
            rows.append(
                RowChange(name, after.labels[key], "added", target=after.targets.get(key, ""))
            )
        for key in old_keys:
            rows.append(
                RowChange(name, before.labels[key], "removed", target=before.targets.get(key, ""))
            )
        had = {(g, k) for g, k, _ in before.rows}
        has = {(g, k) for g, k, _ in after.rows}
        for region, key, printed in after.rows:
            if region and key not in new_keys and (region, label_of.get(key, key)) not in had:
                rows.append(RowChange(name, printed, "added", region))
        back = {o: n for n, o in renamed.items()}
        for region, key, printed in before.rows:
            if region and key not in old_keys and (region, back.get(key, key)) not in has:
                rows.append(RowChange(name, printed, "removed", region))
    return cells, rows, targets
