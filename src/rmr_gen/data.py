"""Read indicator data (long format) and validate it against the report.

The only module that uses pandas. Values are read as text first so that every
bad cell can be reported with its line and column; a row's line is its line in
the file (the header is line 1) and its column is the field number, from 1.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rmr_gen.config import Reference, normalise_period, suggest
from rmr_gen.errors import Problems
from rmr_gen.models import POPULATIONS, Measurement, Report

if TYPE_CHECKING:
    import pandas as pd

Key = tuple[str, str, str, str]
REQUIRED = ("indicator", "region", "period", "population")
OPTIONAL = ("value", "numerator", "denominator")
KNOWN = REQUIRED + OPTIONAL
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


def parse_number(text: str) -> float | None:
    """Parse ``51``, ``51,4``, ``51.4``, ``−9`` or ``15 000``; ``None`` if not a number."""
    cleaned = text.strip().translate(_SPACES).replace("\u2212", "-")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Swedish Excel writes it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _separator(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_table(path: Path, shown: str, problems: Problems) -> pd.DataFrame | None:
    """Read a CSV file as text cells, with a ``_line`` column; ``None`` on failure."""
    import pandas as pd

    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(shown, f"cannot read data file: {exc.strerror}")
        return None
    if b"\x00" in raw[:4096]:
        problems.error(shown, "not a text file (CSV expected)")
        return None
    text = decode(raw)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        problems.error(shown, "empty data file (a header line is expected)", 1)
        return None
    sep = _separator(lines[0])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = match.groups()
            problems.error(shown, f"expected {expected} fields, found {saw}", int(line))
        else:
            problems.error(shown, f"cannot parse CSV: {exc}")
        return None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame["_line"] = range(2, len(frame) + 2)
    cells = frame.drop(columns="_line")
    empty = (cells.apply(lambda col: col.str.strip()) == "").all(axis=1)
    frame = frame[~empty]
    if frame.empty:
        problems.error(shown, "no data rows below the header", 1)
        return None
    return frame


def _check_columns(frame: pd.DataFrame, shown: str, problems: Problems) -> bool:
    columns = [c for c in frame.columns if c != "_line"]
    ok = True
    for name in REQUIRED:
        if name not in columns:
            unknown = [c for c in columns if c not in KNOWN]
            problems.error(shown, f"missing column '{name}'{suggest(name, unknown)}", 1)
            ok = False
    if "value" not in columns and not {"numerator", "denominator"} <= set(columns):
        problems.error(shown, "missing column 'value' (or 'numerator' and 'denominator')", 1)
        ok = False
    for index, name in enumerate(columns, start=1):
        if name not in KNOWN and not any(name == s for s in REQUIRED):
            problems.note(shown, f"column '{name}' is not used and was ignored", 1, index)
    return ok


def _row_value(
    row: dict[str, str], column: dict[str, int], shown: str, line: int, problems: Problems
) -> float | None:
    text = row.get("value", "").strip()
    if text:
        value = parse_number(text)
        if value is None:
            problems.error(shown, f"value '{text}' is not a number", line, column["value"])
        elif not 0 <= value <= 100:
            problems.error(
                shown, f"value {text} is outside 0–100 (a percentage)", line, column["value"]
            )
        else:
            return value
        return None
    numerator_text = row.get("numerator", "").strip()
    denominator_text = row.get("denominator", "").strip()
    if not numerator_text and not denominator_text:
        where = column.get("value", column.get("numerator"))
        problems.error(shown, "no value (empty cell)", line, where)
        return None
    counts = []
    for name, text in (("numerator", numerator_text), ("denominator", denominator_text)):
        number = parse_number(text)
        if number is None or number < 0 or number != int(number):
            problems.error(
                shown, f"{name} '{text}' must be a whole number ≥ 0", line, column.get(name)
            )
            return None
        counts.append(number)
    numerator, denominator = counts
    if denominator == 0:
        problems.error(shown, "denominator is 0", line, column["denominator"])
        return None
    if numerator > denominator:
        problems.error(
            shown,
            f"numerator {numerator:g} is greater than denominator {denominator:g}",
            line,
            column["numerator"],
        )
        return None
    return 100.0 * numerator / denominator


def read_measurements(
    path: Path,
    shown: str,
    reference: Reference,
    problems: Problems,
    invalid: set[Key] | None = None,
) -> list[Measurement]:
    """Every valid row of one data file; problems for the others.

    Rows whose key is readable but whose value is not go into ``invalid``, so
    that the cell is not reported a second time as missing.
    """
    frame = read_table(path, shown, problems)
    if frame is None or not _check_columns(frame, shown, problems):
        return []
    column = {name: i for i, name in enumerate(frame.columns, start=1) if name != "_line"}
    measurements = []
    for row in frame.to_dict("records"):
        line = int(row["_line"])
        cells = {k: str(v) for k, v in row.items() if k != "_line"}
        ok = True
        indicator = cells["indicator"].strip()
        if indicator not in reference.indicators:
            problems.error(
                shown,
                f"unknown indicator '{indicator}'{suggest(indicator, reference.indicators)}",
                line,
                column["indicator"],
            )
            ok = False
        region = cells["region"].strip()
        if region not in reference.regions:
            problems.error(
                shown,
                f"unknown region '{region}'{suggest(region, reference.regions)}",
                line,
                column["region"],
            )
            ok = False
        period = normalise_period(cells["period"])
        if period is None:
            problems.error(
                shown,
                f"period '{cells['period'].strip()}' must be a year or years like 2022–2023",
                line,
                column["period"],
            )
            ok = False
        population = cells["population"].strip().lower()
        if population not in POPULATIONS:
            problems.error(
                shown,
                f"population '{cells['population'].strip()}' must be 'cancer' or 'all'",
                line,
                column["population"],
            )
            ok = False
        value = _row_value(cells, column, shown, line, problems)
        if ok and period is not None:
            if value is None:
                if invalid is not None:
                    invalid.add((indicator, region, period, population))
            else:
                measurements.append(
                    Measurement(indicator, region, period, population, value, shown, line)
                )
    return measurements


def _report_duplicates(measurements: Iterable[Measurement], problems: Problems) -> None:
    first: dict[Key, Measurement] = {}
    for m in measurements:
        key = (m.indicator, m.region, m.period, m.population)
        if key in first:
            earlier = first[key]
            problems.error(
                m.path,
                f"duplicate measurement for {m.region}, {m.indicator}, {m.period}, "
                f"{m.population} (also at {earlier.path}:{earlier.line})",
                m.line,
            )
        else:
            first[key] = m


def load_report_data(
    report: Report,
    read: Callable[[Path], tuple[list[Measurement], set[Key]]],
    where: str,
    problems: Problems,
) -> dict[Key, Measurement]:
    """The measurements the report uses, keyed by (indicator, region, period, population).

    ``read`` gives a file's valid measurements and the keys of its invalid rows;
    ``where`` is the file that missing cells are reported against.
    Reports in words every cell a table or chart needs but the data lacks.
    """
    measurements: list[Measurement] = []
    invalid: set[Key] = set()
    for path in report.data_files:
        found_here, invalid_here = read(path)
        measurements.extend(found_here)
        invalid |= invalid_here
    _report_duplicates(measurements, problems)
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
