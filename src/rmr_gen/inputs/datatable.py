"""report.toml's ``[data]`` table: the data files, the periods, the regions and how an
export is read (``[data.rename]``, ``[data.columns]``, reference rows, fractions)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmr_gen.core.i18n import M
from rmr_gen.core.models import POPULATIONS, ReportIndicator
from rmr_gen.inputs import schema
from rmr_gen.inputs.checker import Checker, choice, suggest, toml_type
from rmr_gen.inputs.reference import Reference

PERIOD = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$")


def normalise_period(text: str) -> str | None:
    """``2022-2023`` → ``2022–2023``; ``None`` when it is not a period."""
    match = PERIOD.match(text.strip())
    if not match:
        return None
    start, end = match.group(1), match.group(2)
    if end is None:
        return start
    if int(end) < int(start):
        return None
    return f"{start}–{end}"


@dataclass(frozen=True)
class DataSettings:
    """report.toml's ``[data]`` table, typed: its fields are the keys it may hold."""

    files: tuple[str, ...] = ()  # as written: "file.csv", "book.xlsx#Sheet"
    period: str = ""
    previous_period: str = ""
    previous_period_assumed: str = ""  # why the previous period is not from the source
    regions: tuple[str, ...] = ()
    decimals: int | None = None
    min_denominator: int | None = None
    population: str = "cancer"
    rename: tuple[tuple[str, str], ...] = ()
    columns: tuple[tuple[str, str], ...] = ()  # rmr-gen's column, the export's header
    reference: tuple[str, ...] = ()  # rows printed for comparison: "Riket"
    fractions: tuple[str, ...] = ()  # read after the indicators, see _fractions
    change_from: str = ""  # "rounded" | "unrounded"; "" when not set (unrounded)


DATA_KEYS = {f.name for f in dataclasses.fields(DataSettings)}


def read_data(
    check: Checker, data: dict[str, Any], reference: Reference
) -> tuple[DataSettings, dict[str, Any]]:
    """``[data]`` as read (but its fractions, read after the indicators), and the table."""
    table = check.table(data, "data")
    check.unknown_keys(table, DATA_KEYS, "data")
    period = read_period(check, table, "period")
    previous_period = read_period(check, table, "previous_period")
    assumed = check.string(table, "previous_period_assumed", "data")
    if assumed and previous_period:
        check.note(
            ("data", "previous_period_assumed"),
            M(
                "data.previous-period-assumed",
                "the previous period '{period}' is an assumption, not from the source: {why}",
                period=previous_period,
                why=assumed,
            ),
        )
    _period_order(check, period, previous_period)
    # NFC: a name typed on macOS (decomposed ä) is the same name
    regions = tuple(
        unicodedata.normalize("NFC", r) for r in check.strings(table, "regions", "data")
    )
    for i, region in enumerate(regions):
        if region in regions[:i]:
            check.error(
                ("data", "regions"),
                M(
                    "data.region-twice",
                    "region '{region}' is listed twice in data.regions ({first} and {second}):"
                    " Tabell 1 would print it twice",
                    region=region,
                    first=regions.index(region) + 1,
                    second=i + 1,
                ),
            )
        elif region not in reference.regions:
            meant = reference.region_names.find(region)
            hint = (
                M(
                    "data.region-as-printed",
                    " (did you mean '{name}'? report.toml names regions as tables print them)",
                    name=meant,
                )
                if meant
                else suggest(region, reference.regions)
            )
            check.error(
                ("data", "regions"),
                M(
                    "data.unknown-region",
                    "unknown region '{region}' in data.regions[{index}]{hint}",
                    region=region,
                    index=i + 1,
                    hint=hint,
                ),
            )
    decimals = check.integer(table, "decimals", "data")
    if decimals is not None and not 0 <= decimals <= 3:
        check.error(
            ("data", "decimals"),
            M("data.decimals-range", "'data.decimals' must be between 0 and 3"),
        )
    min_denominator = check.integer(table, "min_denominator", "data")
    if min_denominator is not None and min_denominator < 1:
        check.error(
            ("data", "min_denominator"),
            M("data.min-denominator-range", "'data.min_denominator' must be at least 1"),
        )
    population = check.string(table, "population", "data") or "cancer"
    if population not in POPULATIONS:
        check.error(
            ("data", "population"),
            M(
                "data.population-choice",
                "'data.population' must be 'cancer' or 'all'{hint}",
                hint=suggest(population, POPULATIONS),
            ),
        )
        population = "cancer"
    renames = _renames(check, table, reference)
    files = check.strings(table, "files", "data")
    columns = _columns(check, table)
    rows = _reference_rows(check, table, regions, reference)
    change_from = (
        choice(check, table, schema.DATA, "change_from", "data") if "change_from" in table else ""
    )
    settings = DataSettings(
        files, period, previous_period, assumed, regions, decimals, min_denominator,
        population, renames, columns, rows, (), change_from,
    )  # fmt: skip
    return settings, table


def data_needed(
    check: Checker,
    settings: DataSettings,
    table: dict[str, Any],
    parameter: str,
    indicators: tuple[ReportIndicator, ...],
) -> None:
    """Tables and charts of data need the periods, files, regions and indicators (a key
    given with a wrong value has had its own message: it is not also "required")."""
    needed = {
        "period": settings.period,
        "previous_period": settings.previous_period,
        "files": settings.files,
        "regions": settings.regions or parameter,
    }
    for key, value in needed.items():
        if not value and table.get(key) in (None, []):
            check.error(
                ("data",),
                M(
                    "data.key-required",
                    "'data.{key}' is required for tables and charts of data",
                    key=key,
                ),
            )
    if not indicators:
        check.error(
            (),
            M(
                "data.indicators-required",
                "at least one [[indicators]] is required for tables of data",
            ),
        )


def _columns(check: Checker, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``[data.columns]``: the export's own header for each of rmr-gen's columns."""
    columns = table.get("columns", {})
    if not isinstance(columns, dict):
        check.error(
            ("data", "columns"),
            M(
                "data.columns-not-table",
                "'data.columns' must be a table: indicator = \"Indikator\"",
            ),
        )
        return ()
    check.unknown_keys(columns, schema.COLUMNS.names, "data", "columns")
    result: list[tuple[str, str]] = []
    for name in schema.COLUMN_NAMES:
        header = check.string(columns, name, "data", "columns")
        if not header:
            continue
        clash = next((other for other, h in result if h.casefold() == header.casefold()), "")
        if clash:
            check.error(
                ("data", "columns", name),
                M(
                    "data.columns-header-twice",
                    "data.columns names the header '{header}' for both '{first}' and '{second}'",
                    header=header,
                    first=clash,
                    second=name,
                ),
            )
            continue
        result.append((name, header))
    return tuple(result)


def _reference_rows(
    check: Checker, table: dict[str, Any], regions: tuple[str, ...], reference: Reference
) -> tuple[str, ...]:
    """``[data] reference``: rows printed for comparison (``Riket``, a sjukvårdsregion's
    total), never regions of the report."""
    names = check.strings(table, "reference", "data")
    for i, name in enumerate(names):
        if name in names[:i]:
            check.error(
                ("data", "reference"),
                M("data.reference-twice", "'{name}' is listed twice in data.reference", name=name),
            )
        elif name in regions or reference.region_names.find(name) is not None:
            check.error(
                ("data", "reference"),
                M(
                    "data.reference-is-region",
                    "'{name}' in data.reference is a region: a reference row is the country"
                    " ('Riket') or a sjukvårdsregion's total, printed under the regions",
                    name=name,
                ),
            )
    return tuple(dict.fromkeys(names))


def _renames(
    check: Checker, table: dict[str, Any], reference: Reference
) -> tuple[tuple[str, str], ...]:
    """``[data.rename]``: a name as the data files write it = the region or indicator."""
    renames = table.get("rename", {})
    if not isinstance(renames, dict):
        check.error(
            ("data", "rename"), M("data.rename-not-table", "'data.rename' must be a table of names")
        )
        return ()
    result = []
    for written, name in renames.items():
        where = ("data", "rename", written)
        meant = reference.region_names.find(written) or reference.indicator_names.find(written)
        if not isinstance(name, str) or not name.strip():
            check.error(
                where,
                M(
                    "data.rename-not-a-name",
                    "'data.rename.{name}' must name a region or an indicator",
                    name=written,
                ),
            )
        elif not written.strip():
            check.error(where, M("data.rename-empty", "a name in data.rename must not be empty"))
        elif meant is not None and meant not in (
            reference.region_names.find(name),
            reference.indicator_names.find(name),
        ):
            check.error(
                where,
                M(
                    "data.rename-known-name",
                    "'{written}' in data.rename already stands for '{meant}' (data/regions.toml,"
                    " data/indicators.toml): a rename cannot change what a known name means",
                    written=written,
                    meant=meant,
                ),
            )
        elif (
            reference.region_names.find(name) is None
            and reference.indicator_names.find(name) is None
        ):
            known = [*reference.regions, *reference.indicators]
            check.error(
                where,
                M(
                    "data.rename-unknown",
                    "'{name}' in data.rename is neither a region nor an indicator{hint}"
                    " (see data/regions.toml and data/indicators.toml)",
                    name=name,
                    hint=suggest(name, known),
                ),
            )
        else:
            result.append((written, name.strip()))
    return tuple(result)


def _period_order(check: Checker, period: str, previous_period: str) -> None:
    """The previous period must come before the period: else every change is 0 or reversed."""
    if not (period and previous_period):
        return
    now, then = period.split("–"), previous_period.split("–")
    if not (int(then[0]) < int(now[0]) and int(then[-1]) < int(now[-1])):
        check.error(
            ("data", "previous_period"),
            M(
                "data.period-order",
                "'data.previous_period' = {previous} must come before 'data.period' ="
                " {period} (the change is computed from it)",
                previous=previous_period,
                period=period,
            ),
        )


def fraction_files(check: Checker, table: dict[str, Any], files: tuple[str, ...]) -> set[str]:
    """``data.fractions``: the data files whose ``value`` is a fraction (0,514 = 51,4 %)."""
    names = check.strings(table, "fractions", "data")
    listed = {entry.partition("#")[0] for entry in files}
    for name in names:
        if name not in listed:
            check.error(
                ("data", "fractions"),
                M(
                    "data.fraction-not-listed",
                    "'{name}' in data.fractions is not one of data.files{hint}",
                    name=name,
                    hint=suggest(name, listed),
                ),
            )
    return {Path(name).name for name in names if name in listed}


def read_period(check: Checker, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        if isinstance(value, int) and not isinstance(value, bool):
            message = M(
                "data.period-quoted-number",
                "'data.{key}' must be a period in quotes, like \"{value}\"",
                key=key,
                value=value,
            )
        else:
            message = M(
                "data.period-in-quotes",
                "'data.{key}' must be a period in quotes, like \"2022–2023\" (not {kind})",
                key=key,
                kind=toml_type(value),
            )
        check.error(("data", key), message)
        return ""
    raw = check.string(table, key, "data")
    if not raw:
        return ""
    period = normalise_period(raw)
    if period is None:
        check.error(
            ("data", key),
            M("data.period-form", "'data.{key}' must be a year or years like 2022–2023", key=key),
        )
        return ""
    return period


assert schema.DATA.names == DATA_KEYS, "schema.DATA names the fields of DataSettings"
