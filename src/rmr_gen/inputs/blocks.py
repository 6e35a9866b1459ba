"""report.toml's blocks: ``[tables.ID]``, ``[charts.ID]`` and ``contents`` in reading order,
with ``{period}``-style placeholders filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rmr_gen.core.i18n import M, english
from rmr_gen.core.models import (
    CHART_TYPES,
    TABLE_TYPES,
    ChartSpec,
    ContentItem,
    TableSpec,
    TargetRow,
)
from rmr_gen.inputs import schema
from rmr_gen.inputs.checker import Checker, suggest
from rmr_gen.inputs.datafiles import file_in
from rmr_gen.inputs.reference import Reference
from rmr_gen.inputs.targets import parse_target

PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


TABLE_KEYS = schema.TABLE.names


ROW_KEYS = schema.TARGET_ROW.names


CHART_KEYS = schema.CHART.names


def substitute(check: Checker, text: str, values: dict[str, str], *where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            check.error(
                where,
                M(
                    "report.unknown-placeholder",
                    "unknown placeholder '{placeholder}'{hint}; known: {known}",
                    placeholder="{" + name + "}",
                    hint=suggest(name, values),
                    known=", ".join("{" + v + "}" for v in values),
                ),
            )
            return match.group(0)
        return values[name]

    return PLACEHOLDER.sub(replace, text)


def _declared(
    check: Checker, data: dict[str, Any], noun: str, values: dict[str, str]
) -> Iterator[tuple[str, dict[str, Any], str, str]]:
    """Each valid ``[tables.ID]`` / ``[charts.ID]``: id, entry, type and caption."""
    keys, types = (TABLE_KEYS, TABLE_TYPES) if noun == "table" else (CHART_KEYS, CHART_TYPES)
    for item_id, entry in check.table(data, f"{noun}s").items():
        where = (f"{noun}s", item_id)
        if not isinstance(entry, dict):
            check.error(
                where,
                M("report.table-not-a-table", "table '{id}' must be a table", id=item_id)
                if noun == "table"
                else M("report.chart-not-a-table", "chart '{id}' must be a table", id=item_id),
            )
            continue
        check.unknown_keys(entry, keys, *where)
        item_type = check.string(entry, "type", *where, required=True)
        if item_type and item_type not in types:
            hint = suggest(item_type, types)
            check.error(
                (*where, "type"),
                M(
                    "report.unknown-table-type",
                    "unknown table type '{type}'{hint}",
                    type=item_type,
                    hint=hint,
                )
                if noun == "table"
                else M(
                    "report.unknown-chart-type",
                    "unknown chart type '{type}'{hint}",
                    type=item_type,
                    hint=hint,
                ),
            )
        caption = check.string(entry, "caption", *where, required=True)
        yield item_id, entry, item_type, substitute(check, caption, values, *where)


def read_tables(
    check: Checker, data: dict[str, Any], reference: Reference, values: dict[str, str]
) -> dict[str, TableSpec]:
    tables = {}
    for table_id, entry, table_type, caption in _declared(check, data, "table", values):
        where = ("tables", table_id)
        rows = []
        for i, row in enumerate(entry.get("rows", [])):
            row_where = (*where, "rows", i)
            if not isinstance(row, dict):
                check.error(row_where, M("report.row-not-a-table", "each row must be a table"))
                continue
            check.unknown_keys(row, ROW_KEYS, *row_where)
            ind_id = check.string(row, "indicator", *row_where) or None
            if ind_id and ind_id not in reference.indicators:
                check.error(
                    (*row_where, "indicator"),
                    M(
                        "indicators.unknown",
                        "unknown indicator '{indicator}'{hint}",
                        indicator=ind_id,
                        hint=suggest(ind_id, reference.indicators),
                    ),
                )
            label = check.string(row, "label", *row_where)
            if not label and ind_id in reference.indicators:
                label = reference.indicators[ind_id].label
            if not label:
                check.error(
                    row_where, M("report.row-label", "a row needs a 'label' or an 'indicator'")
                )
            indicator = reference.indicators.get(ind_id or "")
            target = parse_target(check, row.get("target"), indicator, *row_where, "target")
            if label and target:
                unit = indicator.unit if indicator else "procent"
                rows.append(TargetRow(label, target, ind_id, unit))
        if table_type == "targets" and not rows:
            check.error(
                where,
                M(
                    "report.targets-rows",
                    "table '{id}' of type 'targets' needs [[rows]]",
                    id=table_id,
                ),
            )
        tables[table_id] = TableSpec(
            id=table_id,
            type=table_type,
            caption=caption,
            note=substitute(check, check.string(entry, "note", *where), values, *where),
            rows=tuple(rows),
        )
    return tables


def read_charts(
    check: Checker, data: dict[str, Any], values: dict[str, str]
) -> dict[str, ChartSpec]:
    charts = {}
    for chart_id, _, chart_type, caption in _declared(check, data, "chart", values):
        charts[chart_id] = ChartSpec(chart_id, chart_type, caption)
    return charts


def read_contents(
    check: Checker,
    data: dict[str, Any],
    folder: Path,
    tables: dict[str, TableSpec],
    charts: dict[str, ChartSpec],
) -> tuple[ContentItem, ...]:
    items = []
    entries = check.strings(data, "contents")
    if not entries and "contents" not in data:
        check.error(
            (),
            M(
                "report.contents-required",
                "'contents' is required: the texts, tables and charts in reading order",
            ),
        )
    listed = data.get("contents")
    raw: list[Any] = listed if isinstance(listed, list) else []
    for i, entry in enumerate(entries):
        if entry in entries[:i]:
            first = entries.index(entry)
            check.error_at(
                ("contents",),
                M(
                    "report.contents-twice",
                    "contents lists '{entry}' twice (items {first} and {second}): each text,"
                    " table and chart is placed once; remove one",
                    entry=entry,
                    first=first + 1,
                    second=i + 1,
                ),
                raw[i],
                raw[:i].count(raw[i]),
            )
            continue
        kind, _, ref = entry.partition(":")
        if entry in ("changes", "history"):
            items.append(ContentItem(entry, ""))
        elif kind in ("table", "chart") and ref:
            known = tables if kind == "table" else charts
            if ref not in known:
                check.error(
                    ("contents",),
                    M(
                        "report.contents-undefined",
                        "contents names {kind} '{ref}' but no [{kind}s.{ref}] is defined{hint}",
                        kind=kind,
                        ref=ref,
                        hint=suggest(ref, known),
                    ),
                )
                continue
            items.append(ContentItem(kind, ref))
        elif entry.endswith(".md"):
            file, why = file_in(folder, entry, folder.parent.parent)
            shown = entry if len(entry) <= 200 else entry[:200] + "…"
            reason = english(why)  # the same in every language, to compare
            if file is None and reason.startswith("is outside"):
                check.error(
                    ("contents",),
                    M(
                        "report.text-outside",
                        "text '{text}' is outside the report folder",
                        text=shown,
                    ),
                )
            elif file is None and reason == "not found":
                check.error(
                    ("contents",),
                    M(
                        "report.text-not-found",
                        "text '{text}' not found in {folder}/",
                        text=shown,
                        folder=folder.name,
                    ),
                )
            elif file is None:
                check.error(
                    ("contents",),
                    M("report.text-refused", "text '{text}': {reason}", text=shown, reason=why),
                )
            else:
                items.append(ContentItem("text", entry))
        else:
            check.error(
                ("contents",),
                M(
                    "report.contents-entry",
                    "contents entry '{entry}' must be a Markdown file (*.md),"
                    " 'table:ID', 'chart:ID', 'changes' or 'history'",
                    entry=entry,
                ),
            )
    placed = {(item.kind, item.ref) for item in items}
    for kind, known in (("table", tables), ("chart", charts)):
        for ref in known:
            if (kind, ref) not in placed and f"{kind}:{ref}" not in entries:
                check.warning_at(
                    (f"{kind}s", ref),
                    M(
                        "report.not-in-contents",
                        "[{kind}s.{ref}] is defined but not in contents: it is not printed"
                        ' (add "{kind}:{ref}" to contents where it belongs, or remove it)',
                        kind=kind,
                        ref=ref,
                    ),
                )
    return tuple(items)
