"""Load and validate report.toml and the shared reference data it points to.

Every problem is collected with its file and line before anything fails, so an
editor sees the whole list at once.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from rmr_gen.core.confine import Refused, real_root, regular_file
from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M, reason_of
from rmr_gen.core.models import (
    CEILING,
    Limits,
    Organisation,
    Report,
)
from rmr_gen.core.project import REPORT_ID, Project
from rmr_gen.core.tomlfile import read_toml
from rmr_gen.inputs import schema
from rmr_gen.inputs.blocks import read_charts, read_contents, read_tables, substitute
from rmr_gen.inputs.checker import Checker, suggest
from rmr_gen.inputs.datafiles import DATA_SUFFIXES, file_in, read_data_files
from rmr_gen.inputs.datatable import (
    DATA_KEYS,
    DataSettings,
    data_needed,
    fraction_files,
    normalise_period,
    read_data,
)
from rmr_gen.inputs.reference import Reference, load_reference
from rmr_gen.inputs.targets import OPERATORS, parse_indicators
from rmr_gen.inputs.versions import (
    VERSION,
    check_date_order,
    parse_version,
    read_date,
    read_history,
    read_version,
)

__all__ = [
    "DATA_KEYS", "DATA_SUFFIXES", "OPERATORS", "Reference", "file_in", "load_reference",
    "load_report", "normalise_period",
    "parse_version", "suggest",
]  # fmt: skip


REPORT_KEYS = schema.REPORT.names
LIMIT_KEYS = {f.name for f in dataclasses.fields(Limits)}
assert schema.LIMITS.names == LIMIT_KEYS, "schema.LIMITS names the fields of Limits"
PARAMETER_KEYS = schema.PARAMETER.names
PARAMETERS = {"region": "regions", "sjukvardsregion": "sjukvårdsregioner"}
#: ``previous = "<report-id>@<X.Y>"``: the released plan this one follows on from.
PREVIOUS = re.compile(rf"([a-z0-9][a-z0-9-]{{0,99}})@({VERSION.pattern})")


def _template_exists(project: Project, kind: str) -> bool:
    try:
        return project.template_file(f"{kind}/report.html.j2").is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def _report_toml(project: Project, report_id: str, problems: Problems) -> Path | None:
    """``reports/<report_id>/report.toml``, or ``None`` with the problem why there is none."""
    folder = project.reports_dir / report_id
    if REPORT_ID.match(report_id) and folder.is_dir() and not (folder / "report.toml").exists():
        problems.error(
            f"{project.shown(folder)}/report.toml",
            M(
                "report.toml-missing",
                "missing: every folder in reports/ is a report and needs its report.toml",
            ),
        )
        return None
    toml = folder / "report.toml"
    if not REPORT_ID.match(report_id) or not (toml.exists() or toml.is_symlink()):
        known = project.report_ids()
        hint = suggest(report_id, known) or M(
            "report.known-reports",
            " (known: {reports})",
            reports=", ".join(known) or M("report.no-reports", "none"),
        )
        problems.error(
            f"{project.shown(project.reports_dir)}/{report_id}",
            M("report.unknown", "unknown report '{report}'{hint}", report=report_id, hint=hint),
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
        check.error(
            ("kind",),
            M(
                "report.unknown-kind",
                "unknown document kind '{kind}'{hint}",
                kind=kind,
                hint=suggest(kind, kinds),
            ),
        )
    return kind


def _organisation(
    check: Checker, data: dict[str, Any], reference: Reference
) -> Organisation | None:
    org_id = check.string(data, "organisation", required=True)
    organisation = reference.organisations.get(org_id)
    if org_id and organisation is None:
        check.error(
            ("organisation",),
            M(
                "organisations.unknown",
                "unknown organisation '{organisation}'{hint}"
                " (organisations are defined in data/organisations.toml)",
                organisation=org_id,
                hint=suggest(org_id, reference.organisations),
            ),
        )
    return organisation


def _substitutions(
    settings: DataSettings, target_year: int | None, parameter: str
) -> dict[str, str]:
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
        check.error(
            ("example_data",),
            M("report.example-data-bool", "'example_data' must be true or false"),
        )
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
    date = read_date(check, data, "date")
    valid_until = read_date(check, data, "valid_until")
    version = read_version(check, data)
    target_year = check.integer(data, "target_year")
    settings, data_table = read_data(check, data, reference)
    data_files, data_sheets = read_data_files(check, settings.files, project)
    parameter, parameter_values = _parameter(check, data, reference)
    previous, previous_files = _previous(check, data, project)
    substitutions = _substitutions(settings, target_year, parameter)
    limits = _limits(check, data)
    example_data = _example_data(check, data)
    indicators = parse_indicators(check, data, reference, settings.population)
    fractions = fraction_files(check, data_table, settings.files)
    tables = read_tables(check, data, reference, substitutions)
    charts = read_charts(check, data, substitutions)
    contents = read_contents(check, data, folder, tables, charts)
    if any(t.type == "indicator-summary" for t in tables.values()) or charts:
        data_needed(check, settings, data_table, parameter, indicators)
    title = substitute(check, check.string(data, "title", required=True), substitutions, "title")
    history = read_history(check, data)
    check_date_order(check, date, valid_until, history)
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


def _limits(check: Checker, data: dict[str, Any]) -> Limits:
    table = check.table(data, "limits")
    check.unknown_keys(table, LIMIT_KEYS, "limits")
    values = {}
    for key in LIMIT_KEYS & set(table):
        value = check.integer(table, key, "limits")
        ceiling = getattr(CEILING, key)
        if value is not None and value <= 0:
            check.error(
                ("limits", key),
                M("report.limit-positive", "'limits.{key}' must be greater than 0", key=key),
            )
        elif value is not None and value > ceiling:
            check.error(
                ("limits", key),
                M(
                    "report.limit-above-ceiling",
                    "'limits.{key}' = {value} is above the ceiling {ceiling}:"
                    " a report may lower a limit, not raise it",
                    key=key,
                    value=value,
                    ceiling=ceiling,
                ),
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
                M(
                    "parameter.unknown",
                    "unknown parameter '{by}'{hint}; use 'region' or 'sjukvardsregion'",
                    by=by,
                    hint=suggest(by, PARAMETERS),
                ),
            )
        return "", ()
    known = reference.regions if by == "region" else tuple(reference.healthcare_regions)
    values = check.strings(table, "values", "parameter") or known
    for value in sorted({v for v in values if values.count(v) > 1}):
        check.error(
            ("parameter", "values"),
            M(
                "parameter.value-twice",
                "'{value}' is listed twice in parameter.values",
                value=value,
            ),
        )
    for value in values:
        if value not in known:
            check.error(
                ("parameter", "values"),
                M(
                    "parameter.unknown-value",
                    "unknown {by} '{value}'{hint} (see data/regions.toml)",
                    by=by,
                    value=value,
                    hint=suggest(value, known),
                ),
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
        check.error(
            ("previous",),
            M("report.previous-form", "'previous' must name a release like \"report-id@1.0\""),
        )
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
        check.error(
            ("previous",),
            M(
                "report.previous-unreadable",
                "the data of release {release} cannot be read: {reason}",
                release=value,
                reason=reason_of(exc),
            ),
        )
        return "", ()
    if not files:
        check.error(
            ("previous",),
            M(
                "report.previous-not-released",
                "no release {version} of '{report}' with data"
                " (release it first: rmr-gen release {report} --version {version})",
                version=version,
                report=report_id,
            ),
        )
        return "", ()
    return value, files  # whether that release is intact is the workflow's to check
