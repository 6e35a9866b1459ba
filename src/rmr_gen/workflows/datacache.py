"""Reading a report's data, each data file once per build and parsed data cached by
content.

A data file is checked against the limits while streaming over it, then parsed in a
child process killed at ``limits.max_seconds``; the child keeps the files it parsed, so
that a national file that many reports use is parsed once. What a report uses is cached
under the data files' bytes, the reference data and the report's ``[data]`` settings.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from rmr_gen.core.cache import Cache
from rmr_gen.core.cache import key as cache_key
from rmr_gen.core.errors import InputError, Problem, Problems
from rmr_gen.core.files import digest_files, file_digest
from rmr_gen.core.i18n import M, reason_of
from rmr_gen.core.limits import LimitExceeded, check_csv_rows, check_xlsx
from rmr_gen.core.models import Key, Limits, Measurement, Report
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import Reference
from rmr_gen.inputs.data import (
    data_sources,
    decode_used,
    encode_used,
    load_report_data,
    select,
    validate_file,
)
from rmr_gen.inputs.validation import Valid
from rmr_gen.output.guard import DeadlineWorker, TimeLimitExceeded, WorkDied
from rmr_gen.output.pdf import hard_deadline


class DataReader:
    """The data of the reports of one build, each data file read once."""

    def __init__(self, project: Project, cache: Cache, reference: Reference) -> None:
        self.project = project
        self.reference = reference
        self.cache = cache
        self.reference_key = digest_files(
            reference.files, project.root, roots=project.readable_roots
        )
        self._checked: dict[tuple[Path, int, int], str | M] = {}
        self._failed: dict[tuple[Path, str], str | M] = {}
        self._digests: dict[Path, str] = {}
        # reads data files in a child killed at limits.max_seconds; the child keeps
        # the files it parsed, so that each is parsed once per build
        self._reader = DeadlineWorker()

    def measurements(
        self, path: Path, problems: Problems, report: Report, sheet: str = ""
    ) -> tuple[list[Measurement], set[Key], bool]:
        """A data file's measurements (those ``report`` uses, and repeated rows), read
        once per build. The ``report``'s ``[data.rename]`` and ``data.fractions`` apply.

        The limits are checked while streaming over the file, before it is parsed,
        and the parsing runs in a child process killed at ``limits.max_seconds``."""
        limits = report.limits
        renames = report.renames
        fractions = path in report.fraction_files
        shown = self.project.shown(path)
        size = path.stat().st_size
        if size > limits.max_data_mb * 1_000_000:
            problems.error(
                shown,
                M(
                    "cache.file-too-big",
                    "data file is {size} MB, more than limits.max_data_mb = {limit}",
                    size=format(size / 1e6, ".0f"),
                    limit=limits.max_data_mb,
                ),
            )
            return [], set(), True
        why = self._over_limits(path, limits)
        if why:
            problems.error(shown, why)
            return [], set(), True
        if (path, sheet) in self._failed:
            problems.error(shown, self._failed[(path, sheet)])
            return [], set(), True
        ids = tuple(item.indicator.id for item in report.indicators)
        periods = (report.period, report.previous_period)
        why = ""
        try:
            selected, invalid, file_problems, rows, has_population = self._reader.call(
                hard_deadline(limits.max_seconds),
                _select_rows,
                path,
                shown,
                self.reference,
                sheet,
                (renames, report.columns, report.reference_rows, report.population),
                fractions,
                ids,
                (*report.regions, *report.reference_rows),
                periods,
            )
        except TimeLimitExceeded:
            why = M(
                "cache.read-too-slow",
                "reading took longer than limits.max_seconds = {limit} s",
                limit=limits.max_seconds,
            )
        except (WorkDied, MemoryError):
            why = OUT_OF_MEMORY
        if why:
            self._failed[(path, sheet)] = why
            problems.error(shown, why)
            return [], set(), True
        problems.extend(file_problems)
        if selected is None:
            return [], set(), True
        if rows > limits.max_rows:
            problems.error(
                shown,
                M(
                    "cache.too-many-rows",
                    "{rows} rows, more than limits.max_rows = {limit}",
                    rows=rows,
                    limit=limits.max_rows,
                ),
            )
            return [], set(), True
        return selected, invalid, has_population

    def _over_limits(self, path: Path, limits: Limits) -> str | M:
        """Why the file is over a limit (checked without parsing it), or ""."""
        key = (path, limits.max_data_mb, limits.max_rows)
        if key not in self._checked:
            try:
                if path.suffix.lower() in (".xlsx", ".xlsm"):
                    check_xlsx(path, limits.max_data_mb * 1_000_000, limits.max_rows)
                else:
                    check_csv_rows(path, limits.max_rows)
                self._checked[key] = ""
            except LimitExceeded as exc:
                self._checked[key] = reason_of(exc)
        return self._checked[key]

    def forget_files(self) -> None:
        """Let the parsed data files go (before rendering, which needs memory of its own)."""
        self._reader.close()

    def _digest(self, path: Path) -> str:
        """The file's bytes, hashed once per build (in chunks: a big file is not held).
        A file that cannot be hashed (too big, not a regular file) gets no digest:
        reading it reports why, and a report with errors is not cached."""
        if path not in self._digests:
            try:
                self._digests[path] = file_digest(path).hex()
            except InputError:
                self._digests[path] = ""
        return self._digests[path]

    def _data_key(self, report: Report) -> str:
        """Everything the data a report uses depends on: the data files' bytes (not
        their parsed rows: deciding that nothing changed must not parse a big file),
        the reference data, and the report's [data] settings."""
        settings = (
            [(i.indicator.id, i.populations) for i in report.indicators],
            report.regions,
            report.period,
            report.previous_period,
            report.population,
            report.renames,
            report.columns,
            report.reference_rows,
            [self.project.shown(p) for p in report.fraction_files],
            [self.project.shown(p) for p in report.previous_data_files],
            report.limits.max_rows,
            report.limits.max_data_mb,
        )
        files = [
            (self.project.shown(path), sheet, self._digest(path))
            for path, sheet in data_sources(report)
        ]
        return cache_key("report-data", self.reference_key, json.dumps([settings, files]))

    def report_data(
        self, report: Report, problems: Problems
    ) -> tuple[dict[Key, Measurement], Report]:
        """The measurements the report uses, from the cache when the data files' bytes,
        the reference data and the report's [data] settings are unchanged; and the report
        with Tabell 1's populations as the data has them."""
        if not report.needs_data:
            return {}, report
        digest = self._data_key(report)
        hit = self.cache.get("report-data", digest)
        if hit is not None:
            try:
                used, notes, populations = decode_used(hit)
            except (ValueError, TypeError, KeyError, IndexError):  # not ours: a miss
                pass
            else:
                problems.extend(notes)
                return used, dataclasses.replace(report, populations=populations)
        found = Problems()
        where = self.project.shown(report.data_files[0])
        reads = [
            self.measurements(path, found, report, sheet) for path, sheet in data_sources(report)
        ]
        used, populations = load_report_data(
            report, reads, where, found, read_errors=bool(found.errors)
        )
        problems.extend(found)
        if not found:
            self.cache.put("report-data", digest, encode_used(used, found.notes, populations))
        return used, dataclasses.replace(report, populations=populations)


OUT_OF_MEMORY = M(
    "cache.out-of-memory", "reading ran out of memory: the file is too large or too complex"
)

#: In the reading child: each data file's validated rows, kept between calls.
_VALID: dict[tuple[Any, ...], tuple[Valid | None, list[Problem]]] = {}


def _select_rows(
    path: Path,
    shown: str,
    reference: Reference,
    sheet: str,
    reading: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[str, ...], str],
    fractions: bool,
    ids: tuple[str, ...],
    regions: tuple[str, ...],
    periods: tuple[str, ...],
) -> tuple[list[Measurement] | None, set[Key], list[Problem], int, bool]:
    """In the reading child: the rows of one data file a report uses (see
    :func:`select`), its invalid keys, its problems, its number of rows and whether it
    has a population column. ``reading`` is the report's [data.rename], [data.columns],
    reference rows and population. The file is parsed on the first call and kept for
    the next reports that read it the same way."""
    renames, columns, reference_rows, population = reading
    memo = (path, sheet, reading, fractions)
    if memo not in _VALID:
        found = Problems()
        try:
            valid = validate_file(
                path,
                shown,
                reference.with_renames(renames).with_reference_rows(reference_rows),
                found,
                sheet,
                fractions,
                columns,
                population,
            )
        except (MemoryError, RecursionError):
            found.error(shown, OUT_OF_MEMORY)
            valid = None
        _VALID[memo] = (valid, list(found))
    valid, problems = _VALID[memo]
    if valid is None:
        return None, set(), problems, 0, True
    rows = len(valid.frame) + len(valid.invalid)
    selected = select(valid, shown, ids, regions, periods)
    return selected, valid.invalid, problems, rows, valid.has_population
