"""A report's version, its history and its dates, as report.toml gives them: the one
grammar of a version (major.minor) that report.toml, history and releases share."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from rmr_gen.core.i18n import M
from rmr_gen.core.models import HistoryEntry
from rmr_gen.inputs.checker import Checker

#: A document version, major.minor: digits without leading zeros, as releases name their
#: folders (``output/<id>/<X.Y>/``); the one grammar for report.toml, history and releases.
VERSION = re.compile(r"(?:0|[1-9][0-9]{0,3})\.(?:0|[1-9][0-9]{0,3})")


def parse_version(text: str) -> tuple[int, int] | None:
    """``"1.10"`` → ``(1, 10)``; ``None`` when it is not a version (``"01.0"``, ``"1"``)."""
    if not VERSION.fullmatch(text):
        return None
    major, minor = text.split(".")
    return int(major), int(minor)


def read_version(check: Checker, data: dict[str, Any]) -> str:
    version = data.get("version")
    if version is None:
        check.error(("version",), M("report.version-required", "'version' is required"))
    elif not isinstance(version, str) or parse_version(version) is None:
        check.error(
            ("version",),
            M(
                "report.version-form",
                "'version' must be a string like \"1.0\" (major.minor, no leading zeros)",
            ),
        )
        return ""
    return version or ""


def read_history(check: Checker, data: dict[str, Any]) -> tuple[HistoryEntry, ...]:
    entries = data.get("history", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        check.error(
            ("history",),
            M("report.history-tables", "'history' must be written as [[history]] tables"),
        )
        return ()
    result = []
    for i, entry in enumerate(entries):
        where = ("history", i)
        check.unknown_keys(entry, {"version", "date", "description"}, *where)
        version = check.string(entry, "version", *where, required=True)
        if version and parse_version(version) is None:
            check.error(
                (*where, "version"),
                M("report.history-version", "a history 'version' is major.minor, e.g. \"1.0\""),
            )
        date = entry.get("date")
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            check.error(
                (*where, "date"),
                M("report.history-date", "a history 'date' is written as 2025-06-04 (no quotes)"),
            )
            date = None
        description = check.string(entry, "description", *where)
        result.append(HistoryEntry(version, date, description))
    return tuple(result)


def check_date_order(
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
            M(
                "report.valid-until-before-date",
                "'valid_until' = {valid_until} is before the report's 'date' = {date}:"
                " the document would be out of date when it is published",
                valid_until=str(valid_until),
                date=str(date),
            ),
        )
    dated = [(i, e) for i, e in enumerate(history) if e.date is not None]
    for i, entry in dated:
        if date and entry.date and entry.date > date:
            check.error_at(
                ("history", i, "date"),
                M(
                    "report.history-after-date",
                    "history[{number}] (version {version}) is dated {history_date}, after the"
                    " report's 'date' = {date}",
                    number=i + 1,
                    version=entry.version,
                    history_date=str(entry.date),
                    date=str(date),
                ),
            )
    ordered = sorted(
        (parse_version(e.version), i, e) for i, e in dated if parse_version(e.version) is not None
    )
    for (_, _, before), (_, i, entry) in itertools.pairwise(ordered):
        if before.date and entry.date and entry.date < before.date:
            check.error_at(
                ("history", i, "date"),
                M(
                    "report.history-order",
                    "history[{number}]: version {version} is dated {history_date}, before"
                    " version {earlier} ({earlier_date})",
                    number=i + 1,
                    version=entry.version,
                    history_date=str(entry.date),
                    earlier=before.version,
                    earlier_date=str(before.date),
                ),
            )


def read_date(check: Checker, data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        check.error(
            (key,),
            M(
                "report.date-form",
                "'{key}' must be a date written as 2025-06-04 (without quotes)",
                key=key,
            ),
        )
        return None
    return value
