"""Indicator data (long format) in: read, validate, and match it to the report.

Reading is in :mod:`rmr_gen.inputs.readers` (CSV in every dialect Excel writes, and
.xlsx), the schema in :mod:`rmr_gen.inputs.validation`; this module turns the rows
that passed into measurements and checks that the report has every cell it
needs. A row's line is its line in the file (the header is line 1) and its
column the field number from 1; in a workbook, the row and column of the sheet.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from rmr_gen.core.errors import Location, Problem, Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Key, Measurement, Report
from rmr_gen.inputs.config import Reference
from rmr_gen.inputs.readers import read_table
from rmr_gen.inputs.validation import KNOWN, REQUIRED, Valid, validate


def validate_file(
    path: Path,
    shown: str,
    reference: Reference,
    problems: Problems,
    sheet: str = "",
    fractions: bool = False,
    columns: tuple[tuple[str, str], ...] = (),
    population: str | None = None,
) -> Valid | None:
    """Read and check one data file (or sheet); ``None`` if it cannot be read at all.
    ``columns`` is a report's ``[data.columns]``; with ``population`` a file without a
    population column is read as that population's."""
    known = (*KNOWN, *(header.strip().lower() for _, header in columns))
    table = read_table(path, shown, problems, sheet, known)
    if table is None:
        return None
    return validate(table, reference, problems, fractions, columns, population)


def read_measurements(
    path: Path,
    shown: str,
    reference: Reference,
    problems: Problems,
    invalid: set[Key] | None = None,
    sheet: str = "",
    fractions: bool = False,
    columns: tuple[tuple[str, str], ...] = (),
    population: str | None = None,
) -> list[Measurement]:
    """Every valid row of one data file; problems for the others.

    Rows whose key is readable but whose value is not go into ``invalid``, so
    that the cell is not reported a second time as missing.
    """
    valid = validate_file(path, shown, reference, problems, sheet, fractions, columns, population)
    if valid is None:
        return []
    if invalid is not None:
        invalid |= valid.invalid
    return _measurements(valid.frame, shown, valid.sheet)


def select(
    valid: Valid,
    shown: str,
    indicators: Collection[str],
    regions: Collection[str],
    periods: Collection[str],
) -> list[Measurement]:
    """The measurements of ``valid`` in the given indicators, regions and periods,
    every row that repeats another row's key (so that it is reported) and the first
    row of each period (so that the periods of the file can be named): only these
    become objects, not the million rows of a national file."""
    frame = valid.frame
    keys = list(REQUIRED)
    wanted = (
        frame["indicator"].isin(indicators)
        & frame["region"].isin(regions)
        & frame["period"].isin(periods)
    ) | frame.duplicated(subset=keys, keep=False)
    wanted |= ~frame["period"].duplicated()  # a row of each period: which ones the file has
    return _measurements(frame[wanted.to_numpy()], shown, valid.sheet)


def _measurements(frame: Any, shown: str, sheet: str | None) -> list[Measurement]:
    return [
        Measurement(
            indicator,
            region,
            period,
            population,
            float(value),
            shown,
            int(line),
            None if math.isnan(numerator) else int(numerator),
            None if math.isnan(denominator) else int(denominator),
            sheet,
            bool(suppressed),
        )
        for (
            indicator, region, period, population, value, numerator, denominator, line, suppressed
        ) in zip(
            frame["indicator"].tolist(),
            frame["region"].tolist(),
            frame["period"].tolist(),
            frame["population"].tolist(),
            frame["value"].tolist(),
            frame["numerator"].tolist(),
            frame["denominator"].tolist(),
            frame["_line"].tolist(),
            frame["suppressed"].tolist(),
            strict=True,
        )
    ]  # fmt: skip


def encode_used(
    used: dict[Key, Measurement], notes: Iterable[Problem], populations: tuple[str, ...]
) -> bytes:
    """The measurements a report uses, the notes its data gave and Tabell 1's populations,
    for the cache."""
    rows = [
        [m.indicator, m.region, m.period, m.population, None if m.suppressed else m.value,
         m.path, m.line, m.numerator, m.denominator, m.sheet, m.suppressed]
        for m in used.values()
    ]  # fmt: skip
    kept = [
        [
            p.location.path,
            p.location.line,
            p.location.column,
            p.location.sheet,
            p.message.as_json() if isinstance(p.message, M) else p.message,
        ]
        for p in notes
    ]
    return json.dumps(
        {"rows": rows, "notes": kept, "populations": populations}, ensure_ascii=False
    ).encode()


def decode_used(
    content: bytes,
) -> tuple[dict[Key, Measurement], list[Problem], tuple[str, ...]]:
    """What :func:`encode_used` stored."""
    stored = json.loads(content)
    used = {}
    for row in stored["rows"]:
        if row[4] is None:
            row[4] = math.nan
        m = Measurement(*row)
        used[m.key] = m
    notes = [
        Problem(
            Location(path, line, column, sheet),
            M.from_json(message) if isinstance(message, dict) else message,
            "note",
        )
        for path, line, column, sheet, message in stored["notes"]
    ]
    return used, notes, tuple(stored["populations"])


def report_duplicates(measurements: Iterable[Measurement], problems: Problems) -> None:
    """Two rows for the same cell: both are named, the later one as the error."""
    first: dict[Key, Measurement] = {}
    for m in measurements:
        key = m.key
        if key in first:
            earlier = first[key]
            also = Location(earlier.path, earlier.line, None, earlier.sheet)
            problems.error(
                m.path,
                M(
                    "cell.duplicate",
                    "duplicate measurement for {region}, {indicator}, {period}, {population}"
                    " (also at {also})",
                    region=m.region,
                    indicator=m.indicator,
                    period=m.period,
                    population=m.population,
                    also=str(also),
                ),
                m.line,
                sheet=m.sheet,
            )
        else:
            first[key] = m


#: What reading one data file (or sheet) gave: its valid measurements, the keys of its
#: invalid rows (readable key, unreadable value: reported once, not again as missing) and
#: whether it has a population column.
Read = tuple[list[Measurement], set[Key], bool]


def data_sources(report: Report) -> tuple[tuple[Path, str], ...]:
    """The files (and sheets) a report's data is read from, in order: its own data files,
    then, with ``previous`` set, the previous plan's released data."""
    own = report.data_sources
    return own + tuple((path, "") for path in report.previous_data_files)


def _period_rows(report: Report, path: Path, read: Read) -> Read:
    """With ``previous`` set, the previous period comes only from the release's snapshot,
    the current one only from the report's own data files."""
    if not report.previous_data_files:
        return read
    rows, invalid, has_population = read
    from_release = path in report.previous_data_files
    keep = [m for m in rows if (m.period == report.previous_period) == from_release]
    kept = {k for k in invalid if (k[2] == report.previous_period) == from_release}
    return keep, kept, has_population


def load_report_data(
    report: Report,
    reads: Sequence[Read],
    where: str,
    problems: Problems,
    read_errors: bool = False,
) -> tuple[dict[Key, Measurement], tuple[str, ...]]:
    """The measurements the report uses, keyed by (indicator, region, period, population),
    and Tabell 1's populations: both, or only the report's when no data file has a
    population column.

    ``reads`` holds what each of :func:`data_sources` gave, in that order;
    ``read_errors`` says whether reading them found errors (then missing cells are
    counted, not listed); ``where`` is the file that missing cells are reported against.
    Reports in words every cell a table or chart needs but the data lacks (the reference
    rows', ``Riket``, too: a reference row is never left out without a word).
    """
    measurements: list[Measurement] = []
    invalid: set[Key] = set()
    with_population = False
    for (path, _), read in zip(data_sources(report), reads, strict=True):
        found_here, invalid_here, has_population = _period_rows(report, path, read)
        measurements.extend(found_here)
        invalid |= invalid_here
        with_population |= has_population
    one = not with_population and bool(reads)
    populations = (report.population,) if one else report.populations
    file_errors = read_errors
    report_duplicates(measurements, problems)
    found = {m.key: m for m in measurements}
    used: dict[Key, Measurement] = {}
    missing: list[tuple[Key, str]] = []
    needed = 0
    for item in report.indicators:
        if one and item.populations_given and len(item.populations) > 1:
            problems.error(
                where,
                M(
                    "cell.populations-without-column",
                    "{indicator} lists the populations {populations}, but no data file has a"
                    " population column: every row is data.population = '{population}'",
                    indicator=item.indicator.id,
                    populations=", ".join(item.populations),
                    population=report.population,
                ),
            )
        current = (report.population,) if one else item.populations
        for region in (*report.regions, *report.reference_rows):
            for period, kept in (
                (report.period, current),
                (report.previous_period, (report.population,)),
            ):
                for population in kept:
                    key = (item.indicator.id, region, period, population)
                    needed += 1
                    if key in found:
                        used[key] = found[key]
                    elif key not in invalid:
                        missing.append((key, f"{region}, {item.label}, {period}, {population}"))
    _report_missing(report, measurements, missing, needed, file_errors, where, problems)
    return used, populations


def _report_missing(
    report: Report,
    measurements: list[Measurement],
    missing: list[tuple[Key, str]],
    needed: int,
    file_errors: bool,
    where: str,
    problems: Problems,
) -> None:
    """The cells the report needs but the data lacks: a line per cell when the data
    was read without errors, else one line that counts them (the errors above are
    the cause); a period the data does not have at all is one line with the periods
    it has."""
    if not missing:
        return
    periods = sorted({m.period for m in measurements})
    absent = [
        (key, period)
        for key, period in (("period", report.period), ("previous_period", report.previous_period))
        if measurements and period not in periods and any(k[2] == period for k, _ in missing)
    ]
    for key, period in absent:
        problems.error(
            where,
            M(
                "period.absent",
                "no valid row has the period {period} (data.{key}); the data has {periods}",
                period=period,
                key=key,
                periods=", ".join(periods),
            ),
        )
    rest = [(k, text) for k, text in missing if k[2] not in {p for _, p in absent}]
    if not file_errors:
        for position, kind in ((0, "indicator"), (1, "region"), (3, "population")):
            rest = _absent_names(rest, measurements, position, kind, where, problems)
        for _, text in rest:
            problems.error(where, M("cell.missing", "{cell}: missing", cell=text))
        return
    if rest:
        problems.error(
            where,
            M(
                "cell.missing-after-errors",
                "{count} of the {needed} values the report needs are missing"
                " as a consequence of the errors above",
                count=len(rest),
                needed=needed,
            ),
        )


def _absent_names(
    missing: list[tuple[Key, str]],
    measurements: list[Measurement],
    position: int,
    kind: str,
    where: str,
    problems: Problems,
) -> list[tuple[Key, str]]:
    """An indicator, region or population that no row of the data has: one line for it
    (with the populations the data has), not a line per cell; the cells left."""
    if not measurements:
        return missing
    present = {(m.indicator, m.region, m.period, m.population)[position] for m in measurements}
    absent = list(dict.fromkeys(k[position] for k, _ in missing if k[position] not in present))
    for name in absent:
        count = sum(k[position] == name for k, _ in missing)
        problems.error(where, _absent_name(kind, name, count, sorted(present)))
    return [(k, text) for k, text in missing if k[position] not in absent]


def _absent_name(kind: str, name: str, count: int, present: list[str]) -> M:
    if kind == "population":
        return M(
            "cell.absent-population",
            "no valid row has the population {name}: {count} values the report needs are"
            " missing; the data has {present}",
            name=name,
            count=count,
            present=", ".join(present),
        )
    if kind == "region":
        return M(
            "cell.absent-region",
            "no valid row has the region {name}: {count} values the report needs are missing",
            name=name,
            count=count,
        )
    return M(
        "cell.absent-indicator",
        "no valid row has the indicator {name}: {count} values the report needs are missing",
        name=name,
        count=count,
    )
