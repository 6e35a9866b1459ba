"""Indicator data (long format) in: read, validate, and match it to the report.

Reading is in :mod:`rmr_gen.readers` (CSV in every dialect Excel writes, and
.xlsx), the schema in :mod:`rmr_gen.validation`; this module turns the rows
that passed into measurements and checks that the report has every cell it
needs. A row's line is its line in the file (the header is line 1) and its
column the field number from 1; in a workbook, the row and column of the sheet.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from pathlib import Path

from rmr_gen.config import Reference
from rmr_gen.errors import Location, Problem, Problems
from rmr_gen.models import Key, Measurement, Report
from rmr_gen.readers import read_table
from rmr_gen.validation import KNOWN, Valid, validate


def validate_file(
    path: Path, shown: str, reference: Reference, problems: Problems, sheet: str = ""
) -> Valid | None:
    """Read and check one data file (or sheet); ``None`` if it cannot be read at all."""
    table = read_table(path, shown, problems, sheet, KNOWN)
    if table is None:
        return None
    return validate(table, reference, problems)


def read_measurements(
    path: Path,
    shown: str,
    reference: Reference,
    problems: Problems,
    invalid: set[Key] | None = None,
    sheet: str = "",
) -> list[Measurement]:
    """Every valid row of one data file; problems for the others.

    Rows whose key is readable but whose value is not go into ``invalid``, so
    that the cell is not reported a second time as missing.
    """
    valid = validate_file(path, shown, reference, problems, sheet)
    if valid is None:
        return []
    if invalid is not None:
        invalid |= valid.invalid
    frame = valid.frame
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
            valid.sheet,
        )
        for indicator, region, period, population, value, numerator, denominator, line in zip(
            frame["indicator"].tolist(),
            frame["region"].tolist(),
            frame["period"].tolist(),
            frame["population"].tolist(),
            frame["value"].tolist(),
            frame["numerator"].tolist(),
            frame["denominator"].tolist(),
            frame["_line"].tolist(),
            strict=True,
        )
    ]


def to_cache(measurements: list[Measurement], problems: Problems) -> bytes:
    """One file's measurements and notes, for the cache."""
    rows = [
        [m.indicator, m.region, m.period, m.population, m.value, m.line, m.numerator,
         m.denominator, m.sheet]
        for m in measurements
    ]  # fmt: skip
    notes = [
        [p.message, p.location.line, p.location.column, p.location.sheet] for p in problems.notes
    ]
    return json.dumps({"rows": rows, "notes": notes}, ensure_ascii=False).encode()


def from_cache(content: bytes, shown: str) -> tuple[list[Measurement], list[Problem]]:
    """What :func:`to_cache` stored: measurements and notes."""
    stored = json.loads(content)
    measurements = [
        Measurement(*row[:4], row[4], shown, row[5], *row[6:])  # type: ignore[call-arg]
        for row in stored["rows"]
    ]
    notes = [
        Problem(Location(shown, line, column, sheet), message, "note")
        for message, line, column, sheet in stored["notes"]
    ]
    return measurements, notes


def report_duplicates(measurements: Iterable[Measurement], problems: Problems) -> None:
    """Two rows for the same cell: both are named, the later one as the error."""
    first: dict[Key, Measurement] = {}
    for m in measurements:
        key = (m.indicator, m.region, m.period, m.population)
        if key in first:
            earlier = first[key]
            also = Location(earlier.path, earlier.line, None, earlier.sheet)
            problems.error(
                m.path,
                f"duplicate measurement for {m.region}, {m.indicator}, {m.period}, "
                f"{m.population} (also at {also})",
                m.line,
                sheet=m.sheet,
            )
        else:
            first[key] = m


def load_report_data(
    report: Report,
    read: Callable[[Path, str], tuple[list[Measurement], set[Key]]],
    where: str,
    problems: Problems,
) -> dict[Key, Measurement]:
    """The measurements the report uses, keyed by (indicator, region, period, population).

    ``read`` gives a file's (or sheet's) valid measurements and the keys of its
    invalid rows;
    ``where`` is the file that missing cells are reported against.
    Reports in words every cell a table or chart needs but the data lacks.
    """
    measurements: list[Measurement] = []
    invalid: set[Key] = set()
    for path, sheet in report.data_sources:
        found_here, invalid_here = read(path, sheet)
        measurements.extend(found_here)
        invalid |= invalid_here
    report_duplicates(measurements, problems)
    found = {(m.indicator, m.region, m.period, m.population): m for m in measurements}
    used: dict[Key, Measurement] = {}
    for item in report.indicators:
        for region in report.regions:
            for period, populations in (
                (report.period, item.populations),
                (report.previous_period, ("cancer",)),
            ):
                for population in populations:
                    key = (item.indicator.id, region, period, population)
                    if key in found:
                        used[key] = found[key]
                    elif key not in invalid:
                        problems.error(
                            where,
                            f"{region}, {item.label}, {period}, {population}: missing",
                        )
    return used
