"""Load and validate report.toml and the shared reference data it points to.

Every problem is collected with its file and line before anything fails, so an
editor sees the whole list at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmr_gen.core.confine import Refused, real_root, regular_file
from rmr_gen.core.errors import Problems
from rmr_gen.core.models import (
    CEILING,
    CHART_TYPES,
    POPULATIONS,
    TABLE_TYPES,
    ChartSpec,
    ContentItem,
    HistoryEntry,
    Limits,
    Organisation,
    Report,
    ReportIndicator,
    TableSpec,
    TargetRow,
)
from rmr_gen.core.project import REPORT_ID, Project
from rmr_gen.core.tomlfile import read_toml
from rmr_gen.inputs import schema
from rmr_gen.inputs.checker import Checker, choice, suggest, toml_type
from rmr_gen.inputs.reference import Reference, load_reference
from rmr_gen.inputs.targets import OPERATORS, parse_indicators, parse_target

__all__ = [
    "OPERATORS", "Reference", "load_reference", "load_report", "normalise_period",
    "parse_version", "suggest",
]  # fmt: skip

PERIOD = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$")
#: A document version, major.minor: digits without leading zeros, as releases name their
#: folders (``output/<id>/<X.Y>/``); the one grammar for report.toml, history and releases.
VERSION = re.compile(r"(?:0|[1-9][0-9]{0,3})\.(?:0|[1-9][0-9]{0,3})")
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")

REPORT_KEYS = schema.REPORT.names
LIMIT_KEYS = {f.name for f in dataclasses.fields(Limits)}
assert schema.LIMITS.names == LIMIT_KEYS, "schema.LIMITS names the fields of Limits"
PARAMETER_KEYS = schema.PARAMETER.names
PARAMETERS = {"region": "regions", "sjukvardsregion": "sjukvårdsregioner"}
#: ``previous = "<report-id>@<X.Y>"``: the released plan this one follows on from.
PREVIOUS = re.compile(rf"([a-z0-9][a-z0-9-]{{0,99}})@({VERSION.pattern})")
#: Formats a data file may arrive in that are not read: what to do instead.
OTHER_FORMATS = {
    ".xls": "an Excel 97–2003 workbook (.xls): open it in Excel and save it as"
    " Excel Workbook (.xlsx)",
    ".ods": "a LibreOffice/OpenDocument spreadsheet (.ods): save it as Excel 2007–365 (.xlsx)"
    " or as CSV (UTF-8),",
    ".numbers": "a Numbers spreadsheet: export it as Excel (.xlsx)",
}
DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
TABLE_KEYS = schema.TABLE.names
ROW_KEYS = schema.TARGET_ROW.names
CHART_KEYS = schema.CHART.names


def parse_version(text: str) -> tuple[int, int] | None:
    """``"1.10"`` → ``(1, 10)``; ``None`` when it is not a version (``"01.0"``, ``"1"``)."""
    if not VERSION.fullmatch(text):
        return None
    major, minor = text.split(".")
    return int(major), int(minor)


def _template_exists(project: Project, kind: str) -> bool:
    try:
        return project.template_file(f"{kind}/report.html.j2").is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def _file_in(folder: Path, name: str, project_root: Path) -> tuple[Path | None, str]:
    """``folder/name`` resolved, if it is a regular file inside ``folder``; else why not."""
    try:
        root = real_root(folder, project_root)
        return regular_file(folder / name, (root,)), ""
    except Refused as exc:
        return None, str(exc)


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
class _Data:
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


DATA_KEYS = {f.name for f in dataclasses.fields(_Data)}
assert schema.DATA.names == DATA_KEYS, "schema.DATA names the fields of _Data"


def _report_toml(project: Project, report_id: str, problems: Problems) -> Path | None:
    """``reports/<report_id>/report.toml``, or ``None`` with the problem why there is none."""
    folder = project.reports_dir / report_id
    if REPORT_ID.match(report_id) and folder.is_dir() and not (folder / "report.toml").exists():
        problems.error(
            f"{project.shown(folder)}/report.toml",
            "missing: every folder in reports/ is a report and needs its report.toml",
        )
        return None
    toml = folder / "report.toml"
    if not REPORT_ID.match(report_id) or not (toml.exists() or toml.is_symlink()):
        known = project.report_ids()
        hint = suggest(report_id, known) or f" (known: {', '.join(known) or 'none'})"
        problems.error(
            f"{project.shown(project.reports_dir)}/{report_id}",
            f"unknown report '{report_id}'{hint}",
        )
        return None
    return toml


def _kind(check: Checker, data: dict[str, Any], project: Project) -> str:
    kind = check.string(data, "kind", required=True)
    if kind and not _template_exists(project, kind):
        kinds = sorted(
            {
                p.name
                for d in project.template_dirs
                for p in d.glob("*")
                if (p / "report.html.j2").is_file()
            }
        )
        check.error(("kind",), f"unknown document kind '{kind}'{suggest(kind, kinds)}")
    return kind


def _organisation(
    check: Checker, data: dict[str, Any], reference: Reference
) -> Organisation | None:
    org_id = check.string(data, "organisation", required=True)
    organisation = reference.organisations.get(org_id)
    if org_id and organisation is None:
        check.error(
            ("organisation",),
            f"unknown organisation '{org_id}'{suggest(org_id, reference.organisations)}"
            " (organisations are defined in data/organisations.toml)",
        )
    return organisation


def _version(check: Checker, data: dict[str, Any]) -> str:
    version = data.get("version")
    if version is None:
        check.error(("version",), "'version' is required")
    elif not isinstance(version, str) or parse_version(version) is None:
        check.error(
            ("version",),
            "'version' must be a string like \"1.0\" (major.minor, no leading zeros)",
        )
        return ""
    return version or ""


def _data(
    check: Checker, data: dict[str, Any], reference: Reference
) -> tuple[_Data, dict[str, Any]]:
    """``[data]`` as read (but its fractions, read after the indicators), and the table."""
    table = check.table(data, "data")
    check.unknown_keys(table, DATA_KEYS, "data")
    period = _period(check, table, "period")
    previous_period = _period(check, table, "previous_period")
    assumed = check.string(table, "previous_period_assumed", "data")
    if assumed and previous_period:
        check.note(
            ("data", "previous_period_assumed"),
            f"the previous period '{previous_period}' is an assumption, not from the source:"
            f" {assumed}",
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
                f"region '{region}' is listed twice in data.regions ({regions.index(region) + 1}"
                f" and {i + 1}): Tabell 1 would print it twice",
            )
        elif region not in reference.regions:
            meant = reference.region_names.find(region)
            hint = (
                f" (did you mean '{meant}'? report.toml names regions as tables print them)"
                if meant
                else suggest(region, reference.regions)
            )
            check.error(
                ("data", "regions"), f"unknown region '{region}' in data.regions[{i + 1}]{hint}"
            )
    decimals = check.integer(table, "decimals", "data")
    if decimals is not None and not 0 <= decimals <= 3:
        check.error(("data", "decimals"), "'data.decimals' must be between 0 and 3")
    min_denominator = check.integer(table, "min_denominator", "data")
    if min_denominator is not None and min_denominator < 1:
        check.error(("data", "min_denominator"), "'data.min_denominator' must be at least 1")
    population = check.string(table, "population", "data") or "cancer"
    if population not in POPULATIONS:
        check.error(
            ("data", "population"),
            f"'data.population' must be 'cancer' or 'all'{suggest(population, POPULATIONS)}",
        )
        population = "cancer"
    renames = _renames(check, table, reference)
    files = check.strings(table, "files", "data")
    columns = _columns(check, table)
    rows = _reference_rows(check, table, regions, reference)
    change_from = (
        choice(check, table, schema.DATA, "change_from", "data") if "change_from" in table else ""
    )
    settings = _Data(
        files, period, previous_period, assumed, regions, decimals, min_denominator,
        population, renames, columns, rows, (), change_from,
    )  # fmt: skip
    return settings, table


def _data_files(
    check: Checker, entries: tuple[str, ...], project: Project
) -> tuple[list[Path], list[str]]:
    """Each entry of ``data.files`` as a file inside data/ and its sheet ("" for none)."""
    data_files, data_sheets = [], []
    for i, entry in enumerate(entries):
        if entry in entries[:i]:
            check.error(
                ("data", "files"),
                f"data file '{entry}' is listed twice in data.files: each row would be read twice",
            )
            continue
        name, sheet = entry, ""
        if "#" in entry and entry.partition("#")[0].lower().endswith((".xlsx", ".xlsm")):
            name, _, sheet = entry.partition("#")
        file, why = _file_in(project.data_dir, name, project.root)
        shown = name if len(name) <= 200 else name[:200] + "…"
        if file is None and why.startswith("is outside"):
            check.error(("data", "files"), f"data file '{shown}' is outside data/")
        elif file is None and "#" in name:
            check.error(
                ("data", "files"),
                f"data file '{shown}': a sheet is named only for .xlsx files (file.xlsx#Sheet)",
            )
        elif Path(name).suffix.lower() in OTHER_FORMATS:
            check.error(
                ("data", "files"),
                f"data file '{shown}' is {OTHER_FORMATS[Path(name).suffix.lower()]}"
                " and name that file here",
            )
        elif file is None and why == "not found":
            check.error(("data", "files"), f"data file '{shown}' not found in data/")
        elif file is None:
            check.error(("data", "files"), f"data file '{shown}': {why}")
        elif file.suffix.lower() not in DATA_SUFFIXES:
            check.error(
                ("data", "files"),
                f"data file '{name}' is not CSV or .xlsx (save it as one of those)",
            )
        else:
            data_files.append(file)
            data_sheets.append(sheet)
    return data_files, data_sheets


def _data_needed(
    check: Checker,
    settings: _Data,
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
            check.error(("data",), f"'data.{key}' is required for tables and charts of data")
    if not indicators:
        check.error((), "at least one [[indicators]] is required for tables of data")


def _substitutions(settings: _Data, target_year: int | None, parameter: str) -> dict[str, str]:
    """What ``{period}``, ``{previous_period}``, ``{target_year}`` (and ``{value}``) stand for."""
    substitutions = {
        "period": settings.period,
        "previous_period": settings.previous_period,
        "target_year": "" if target_year is None else str(target_year),
    }
    if parameter:
        substitutions["value"] = "{value}"  # filled in per value when the report is expanded
    return substitutions


def _example_data(check: Checker, data: dict[str, Any]) -> bool:
    example_data = data.get("example_data", False)
    if not isinstance(example_data, bool):
        check.error(("example_data",), "'example_data' must be true or false")
        return False
    return example_data


def load_report(
    project: Project, report_id: str, reference: Reference, problems: Problems
) -> Report | None:
    """Validate ``reports/<report_id>/report.toml``; ``None`` if it has errors."""
    path = _report_toml(project, report_id, problems)
    if path is None:
        return None
    folder = path.parent
    before = len(problems.errors)
    doc = read_toml(path, project.shown(path), problems, (folder, project.root))
    if doc is None:
        return None
    data = doc.data
    check = Checker(doc, problems)
    check.unknown_keys(data, REPORT_KEYS)
    kind = _kind(check, data, project)
    organisation = _organisation(check, data, reference)
    date = _date(check, data, "date")
    valid_until = _date(check, data, "valid_until")
    version = _version(check, data)
    target_year = check.integer(data, "target_year")
    settings, data_table = _data(check, data, reference)
    data_files, data_sheets = _data_files(check, settings.files, project)
    parameter, parameter_values = _parameter(check, data, reference)
    previous, previous_files = _previous(check, data, project)
    substitutions = _substitutions(settings, target_year, parameter)
    limits = _limits(check, data)
    example_data = _example_data(check, data)
    indicators = parse_indicators(check, data, reference, settings.population)
    fractions = _fractions(check, data_table, settings.files)
    tables = _tables(check, data, reference, substitutions)
    charts = _charts(check, data, substitutions)
    contents = _contents(check, data, folder, tables, charts)
    if any(t.type == "indicator-summary" for t in tables.values()) or charts:
        _data_needed(check, settings, data_table, parameter, indicators)
    title = _substitute(check, check.string(data, "title", required=True), substitutions, "title")
    history = _history(check, data)
    _date_order(check, date, valid_until, history)
    if len(problems.errors) > before or organisation is None or not version:
        return None
    return Report(
        id=report_id,
        folder=folder,
        example_data=example_data,
        limits=limits,
        parameter=parameter,
        parameter_values=parameter_values,
        kind=kind,
        title=title,
        short_title=check.string(data, "short_title"),
        organisation=organisation,
        date=date,
        version=version,
        contents=contents,
        subject=check.string(data, "subject"),
        keywords=check.strings(data, "keywords"),
        document_id=check.string(data, "document_id"),
        approved_by=check.string(data, "approved_by"),
        content_owner=check.string(data, "content_owner"),
        valid_until=valid_until,
        period=settings.period,
        previous_period=settings.previous_period,
        target_year=target_year,
        regions=settings.regions,
        indicators=indicators,
        data_files=tuple(data_files),
        previous=previous,
        previous_data_files=previous_files,
        previous_line=doc.line("previous") if previous else None,
        changes=check.strings(data, "changes"),
        history=history,
        data_sheets=tuple(data_sheets),
        population=settings.population,
        renames=settings.rename,
        columns=settings.columns,
        reference_rows=settings.reference,
        change_from=settings.change_from,
        fraction_files=tuple(f for f in (*data_files, *previous_files) if f.name in fractions),
        min_denominator=5 if settings.min_denominator is None else settings.min_denominator,
        decimals=settings.decimals or 0,
        tables=tables,
        charts=charts,
    )


def _columns(check: Checker, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``[data.columns]``: the export's own header for each of rmr-gen's columns."""
    columns = table.get("columns", {})
    if not isinstance(columns, dict):
        check.error(
            ("data", "columns"), "'data.columns' must be a table: indicator = \"Indikator\""
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
                f"data.columns names the header '{header}' for both '{clash}' and '{name}'",
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
            check.error(("data", "reference"), f"'{name}' is listed twice in data.reference")
        elif name in regions or reference.region_names.find(name) is not None:
            check.error(
                ("data", "reference"),
                f"'{name}' in data.reference is a region: a reference row is the country"
                " ('Riket') or a sjukvårdsregion's total, printed under the regions",
            )
    return tuple(dict.fromkeys(names))


def _renames(
    check: Checker, table: dict[str, Any], reference: Reference
) -> tuple[tuple[str, str], ...]:
    """``[data.rename]``: a name as the data files write it = the region or indicator."""
    renames = table.get("rename", {})
    if not isinstance(renames, dict):
        check.error(("data", "rename"), "'data.rename' must be a table of names")
        return ()
    result = []
    for written, name in renames.items():
        where = ("data", "rename", written)
        meant = reference.region_names.find(written) or reference.indicator_names.find(written)
        if not isinstance(name, str) or not name.strip():
            check.error(where, f"'data.rename.{written}' must name a region or an indicator")
        elif not written.strip():
            check.error(where, "a name in data.rename must not be empty")
        elif meant is not None and meant not in (
            reference.region_names.find(name),
            reference.indicator_names.find(name),
        ):
            check.error(
                where,
                f"'{written}' in data.rename already stands for '{meant}' (data/regions.toml,"
                " data/indicators.toml): a rename cannot change what a known name means",
            )
        elif (
            reference.region_names.find(name) is None
            and reference.indicator_names.find(name) is None
        ):
            known = [*reference.regions, *reference.indicators]
            check.error(
                where,
                f"'{name}' in data.rename is neither a region nor an indicator"
                f"{suggest(name, known)} (see data/regions.toml and data/indicators.toml)",
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
            f"'data.previous_period' = {previous_period} must come before 'data.period' ="
            f" {period} (the change is computed from it)",
        )


def _fractions(check: Checker, table: dict[str, Any], files: tuple[str, ...]) -> set[str]:
    """``data.fractions``: the data files whose ``value`` is a fraction (0,514 = 51,4 %)."""
    names = check.strings(table, "fractions", "data")
    listed = {entry.partition("#")[0] for entry in files}
    for name in names:
        if name not in listed:
            check.error(
                ("data", "fractions"),
                f"'{name}' in data.fractions is not one of data.files{suggest(name, listed)}",
            )
    return {Path(name).name for name in names if name in listed}


def _limits(check: Checker, data: dict[str, Any]) -> Limits:
    table = check.table(data, "limits")
    check.unknown_keys(table, LIMIT_KEYS, "limits")
    values = {}
    for key in LIMIT_KEYS & set(table):
        value = check.integer(table, key, "limits")
        ceiling = getattr(CEILING, key)
        if value is not None and value <= 0:
            check.error(("limits", key), f"'limits.{key}' must be greater than 0")
        elif value is not None and value > ceiling:
            check.error(
                ("limits", key),
                f"'limits.{key}' = {value} is above the ceiling {ceiling}:"
                " a report may lower a limit, not raise it",
            )
        elif value is not None:
            values[key] = value
    return Limits(**values)


def _parameter(
    check: Checker, data: dict[str, Any], reference: Reference
) -> tuple[str, tuple[str, ...]]:
    """``[parameter] by = "region" | "sjukvardsregion"``, optional ``values`` subset."""
    table = check.table(data, "parameter")
    if not table:
        return "", ()
    check.unknown_keys(table, PARAMETER_KEYS, "parameter")
    by = check.string(table, "by", "parameter", required=True)
    if by not in PARAMETERS:
        if by:
            check.error(
                ("parameter", "by"),
                f"unknown parameter '{by}'{suggest(by, PARAMETERS)};"
                " use 'region' or 'sjukvardsregion'",
            )
        return "", ()
    known = reference.regions if by == "region" else tuple(reference.healthcare_regions)
    values = check.strings(table, "values", "parameter") or known
    for value in sorted({v for v in values if values.count(v) > 1}):
        check.error(("parameter", "values"), f"'{value}' is listed twice in parameter.values")
    for value in values:
        if value not in known:
            check.error(
                ("parameter", "values"),
                f"unknown {by} '{value}'{suggest(value, known)} (see data/regions.toml)",
            )
    return by, tuple(v for v in values if v in known)


def _previous(
    check: Checker, data: dict[str, Any], project: Project
) -> tuple[str, tuple[Path, ...]]:
    """The previous plan's release and its snapshotted data files (the previous period's rows)."""
    value = data.get("previous")
    if value is None:
        return "", ()
    match = PREVIOUS.fullmatch(value) if isinstance(value, str) else None
    if not match:
        check.error(("previous",), "'previous' must name a release like \"report-id@1.0\"")
        return "", ()
    report_id, version = match.groups()
    folder = project.output_dir / report_id / version / "source" / "data"
    try:  # a release's snapshot: no link anywhere on the way, nor inside
        root = real_root(folder, project.root) if folder.is_dir() else None
        files = (
            tuple(
                regular_file(p, (root,))
                for p in sorted(folder.iterdir())
                if p.suffix.lower() in DATA_SUFFIXES
            )
            if root is not None
            else ()
        )
    except Refused as exc:
        check.error(("previous",), f"the data of release {value} cannot be read: {exc}")
        return "", ()
    if not files:
        check.error(
            ("previous",),
            f"no release {version} of '{report_id}' with data"
            f" (release it first: rmr-gen release {report_id} --version {version})",
        )
        return "", ()
    return value, files  # whether that release is intact is the workflow's to check


def _history(check: Checker, data: dict[str, Any]) -> tuple[HistoryEntry, ...]:
    entries = data.get("history", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        check.error(("history",), "'history' must be written as [[history]] tables")
        return ()
    result = []
    for i, entry in enumerate(entries):
        where = ("history", i)
        check.unknown_keys(entry, {"version", "date", "description"}, *where)
        version = check.string(entry, "version", *where, required=True)
        if version and parse_version(version) is None:
            check.error((*where, "version"), "a history 'version' is major.minor, e.g. \"1.0\"")
        date = entry.get("date")
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            check.error((*where, "date"), "a history 'date' is written as 2025-06-04 (no quotes)")
            date = None
        description = check.string(entry, "description", *where)
        result.append(HistoryEntry(version, date, description))
    return tuple(result)


def _date_order(
    check: Checker,
    date: dt.date | None,
    valid_until: dt.date | None,
    history: tuple[HistoryEntry, ...],
) -> None:
    """Dates that contradict each other: valid until before the document's date, a
    version in [[history]] dated after the document, or versions whose dates go back."""
    if date and valid_until and valid_until < date:
        check.error_at(
            ("valid_until",),
            f"'valid_until' = {valid_until} is before the report's 'date' = {date}:"
            " the document would be out of date when it is published",
        )
    dated = [(i, e) for i, e in enumerate(history) if e.date is not None]
    for i, entry in dated:
        if date and entry.date and entry.date > date:
            check.error_at(
                ("history", i, "date"),
                f"history[{i + 1}] (version {entry.version}) is dated {entry.date}, after the"
                f" report's 'date' = {date}",
            )
    ordered = sorted(
        (parse_version(e.version), i, e) for i, e in dated if parse_version(e.version) is not None
    )
    for (_, _, before), (_, i, entry) in itertools.pairwise(ordered):
        if before.date and entry.date and entry.date < before.date:
            check.error_at(
                ("history", i, "date"),
                f"history[{i + 1}]: version {entry.version} is dated {entry.date}, before"
                f" version {before.version} ({before.date})",
            )


def _date(check: Checker, data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        check.error((key,), f"'{key}' must be a date written as 2025-06-04 (without quotes)")
        return None
    return value


def _period(check: Checker, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        quoted = f'"{value}"' if isinstance(value, int) and not isinstance(value, bool) else ""
        check.error(
            ("data", key),
            f"'data.{key}' must be a period in quotes, like "
            + (quoted or '"2022–2023"')
            + ("" if quoted else f" (not {toml_type(value)})"),
        )
        return ""
    raw = check.string(table, key, "data")
    if not raw:
        return ""
    period = normalise_period(raw)
    if period is None:
        check.error(("data", key), f"'data.{key}' must be a year or years like 2022–2023")
        return ""
    return period


def _substitute(check: Checker, text: str, values: dict[str, str], *where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            check.error(
                where,
                f"unknown placeholder '{{{name}}}'{suggest(name, values)};"
                f" known: {', '.join('{' + v + '}' for v in values)}",
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
            check.error(where, f"{noun} '{item_id}' must be a table")
            continue
        check.unknown_keys(entry, keys, *where)
        item_type = check.string(entry, "type", *where, required=True)
        if item_type and item_type not in types:
            check.error(
                (*where, "type"), f"unknown {noun} type '{item_type}'{suggest(item_type, types)}"
            )
        caption = check.string(entry, "caption", *where, required=True)
        yield item_id, entry, item_type, _substitute(check, caption, values, *where)


def _tables(
    check: Checker, data: dict[str, Any], reference: Reference, values: dict[str, str]
) -> dict[str, TableSpec]:
    tables = {}
    for table_id, entry, table_type, caption in _declared(check, data, "table", values):
        where = ("tables", table_id)
        rows = []
        for i, row in enumerate(entry.get("rows", [])):
            row_where = (*where, "rows", i)
            if not isinstance(row, dict):
                check.error(row_where, "each row must be a table")
                continue
            check.unknown_keys(row, ROW_KEYS, *row_where)
            ind_id = check.string(row, "indicator", *row_where) or None
            if ind_id and ind_id not in reference.indicators:
                check.error(
                    (*row_where, "indicator"),
                    f"unknown indicator '{ind_id}'{suggest(ind_id, reference.indicators)}",
                )
            label = check.string(row, "label", *row_where)
            if not label and ind_id in reference.indicators:
                label = reference.indicators[ind_id].label
            if not label:
                check.error(row_where, "a row needs a 'label' or an 'indicator'")
            indicator = reference.indicators.get(ind_id or "")
            target = parse_target(check, row.get("target"), indicator, *row_where, "target")
            if label and target:
                unit = indicator.unit if indicator else "procent"
                rows.append(TargetRow(label, target, ind_id, unit))
        if table_type == "targets" and not rows:
            check.error(where, f"table '{table_id}' of type 'targets' needs [[rows]]")
        tables[table_id] = TableSpec(
            id=table_id,
            type=table_type,
            caption=caption,
            note=_substitute(check, check.string(entry, "note", *where), values, *where),
            rows=tuple(rows),
        )
    return tables


def _charts(check: Checker, data: dict[str, Any], values: dict[str, str]) -> dict[str, ChartSpec]:
    charts = {}
    for chart_id, _, chart_type, caption in _declared(check, data, "chart", values):
        charts[chart_id] = ChartSpec(chart_id, chart_type, caption)
    return charts


def _contents(
    check: Checker,
    data: dict[str, Any],
    folder: Path,
    tables: dict[str, TableSpec],
    charts: dict[str, ChartSpec],
) -> tuple[ContentItem, ...]:
    items = []
    entries = check.strings(data, "contents")
    if not entries and "contents" not in data:
        check.error((), "'contents' is required: the texts, tables and charts in reading order")
    listed = data.get("contents")
    raw: list[Any] = listed if isinstance(listed, list) else []
    for i, entry in enumerate(entries):
        if entry in entries[:i]:
            first = entries.index(entry)
            check.error_at(
                ("contents",),
                f"contents lists '{entry}' twice (items {first + 1} and {i + 1}): each text,"
                " table and chart is placed once; remove one",
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
                    f"contents names {kind} '{ref}' but no [{kind}s.{ref}] is defined"
                    f"{suggest(ref, known)}",
                )
                continue
            items.append(ContentItem(kind, ref))
        elif entry.endswith(".md"):
            file, why = _file_in(folder, entry, folder.parent.parent)
            shown = entry if len(entry) <= 200 else entry[:200] + "…"
            if file is None and why.startswith("is outside"):
                check.error(("contents",), f"text '{shown}' is outside the report folder")
            elif file is None and why == "not found":
                check.error(("contents",), f"text '{shown}' not found in {folder.name}/")
            elif file is None:
                check.error(("contents",), f"text '{shown}': {why}")
            else:
                items.append(ContentItem("text", entry))
        else:
            check.error(
                ("contents",),
                f"contents entry '{entry}' must be a Markdown file (*.md),"
                " 'table:ID', 'chart:ID', 'changes' or 'history'",
            )
    placed = {(item.kind, item.ref) for item in items}
    for kind, known in (("table", tables), ("chart", charts)):
        for ref in known:
            if (kind, ref) not in placed and f"{kind}:{ref}" not in entries:
                check.warning_at(
                    (f"{kind}s", ref),
                    f"[{kind}s.{ref}] is defined but not in contents: it is not printed"
                    f' (add "{kind}:{ref}" to contents where it belongs, or remove it)',
                )
    return tuple(items)
