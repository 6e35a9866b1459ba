"""What a PDF says about itself and what it carries for archives.

Its metadata (title, organisation, subject, keywords, language, document id,
version, dates) and the source files it was made from (the data rows it used,
its report.toml), embedded as PDF/A-3 associated files. Everything here comes
from the report's own files, never from the clock: the same inputs give the
same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.confine import read_bytes, real_root
from rmr_gen.core.models import HistoryEntry, Measurement, Report

LANGUAGE = "sv-SE"


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF, linked to the whole document by /AF."""

    name: str
    content: bytes
    mime_type: str
    relationship: str  # AFRelationship: "Source" (made from) or "Data" (numbers behind it)
    description: str


@dataclass(frozen=True)
class DocumentInfo:
    """The PDF's metadata, written both to the Info dictionary and to XMP."""

    title: str
    author: str
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = LANGUAGE
    identifier: str = ""  # the document id (RMR Dokument-ID, else the report id)
    version: str = ""
    #: None: the PDF states no creation or modification date (PDF/A allows that)
    date: dt.datetime | None = None


def build_date(
    report_date: dt.date | None,
    environ: Mapping[str, str] | None = None,
    history: Iterable[HistoryEntry] = (),
) -> dt.datetime | None:
    """The document's date: its own ``date``; else the latest dated ``[[history]]`` entry;
    else SOURCE_DATE_EPOCH; else None (no date at all, rather than a made-up one).

    Never now(): the same inputs give the same bytes.
    """
    dated = [entry.date for entry in history if entry.date is not None]
    day = report_date if report_date is not None else max(dated, default=None)
    if day is not None:
        return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return None


def document_info(report: Report, environ: Mapping[str, str] | None = None) -> DocumentInfo:
    return DocumentInfo(
        title=report.title,
        author=report.organisation.name,
        subject=report.subject,
        keywords=report.keywords,
        identifier=report.document_id or report.id,
        version=report.version,
        date=build_date(report.date, environ, report.history),
    )


#: OWASP: a text cell starting with one of these is a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return repr(value).removesuffix(".0").replace(".", ",")


def _as_csv(rows: list[Measurement]) -> bytes:
    """The validated columns of ``rows`` in the CSV data contract, in file order.

    Only what was validated is embedded (never a column the reader ignored), and
    text cells cannot start a formula."""
    counts = any(m.numerator is not None or m.denominator is not None for m in rows)
    header = ["indicator", "region", "period", "population", "value"]
    if counts:
        header += ["numerator", "denominator"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for m in sorted(rows, key=lambda m: m.line):
        cells = [neutralise(t) for t in (m.indicator, m.region, m.period, m.population)]
        cells.append(_number(m.value))
        if counts:
            cells += [_number(m.numerator), _number(m.denominator)]
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def source_attachments(
    report: Report, used: Iterable[Measurement], project_root: Path
) -> tuple[Attachment, ...]:
    """report.toml, and per data file the rows the document's tables and charts use."""
    toml = report.folder / "report.toml"
    shown_toml = toml.relative_to(project_root).as_posix()
    attachments = [
        Attachment(
            "report.toml",
            read_bytes(toml, (real_root(report.folder, project_root),)),
            "application/toml",
            "Source",
            f"Rapportens inställningar ({shown_toml})",
        )
    ]
    by_file: dict[tuple[str, str], list[Measurement]] = {}
    for m in used:
        by_file.setdefault((m.path, m.sheet or ""), []).append(m)
    for shown, sheet in sorted(by_file):
        # only the used rows' validated columns, never the file's own bytes: a
        # column the reader ignored or a cell a spreadsheet would run stays out
        content = _as_csv(by_file[(shown, sheet)])
        # a workbook's attachment names the sheet its rows were read from
        name = Path(shown).stem + (f" ({sheet})" if sheet else "") + ".csv"
        source = f"{shown}, blad {sheet}" if sheet else shown
        attachments.append(
            Attachment(
                name,
                content,
                "text/csv",
                "Data",
                f"Raderna ur {source} som dokumentets tabeller och diagram bygger på",
            )
        )
    return tuple(attachments)
