"""What a PDF says about itself and what it carries for archives.

Its metadata (title, organisation, subject, keywords, language, document id,
version, dates) and the source files it was made from (the data rows it used,
its report.toml), embedded as PDF/A-3 associated files. Everything here comes
from the report's own files, never from the clock: the same inputs give the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.models import Measurement, Report

LANGUAGE = "sv-SE"
#: The date of a report without ``date`` when SOURCE_DATE_EPOCH is not set either:
#: fixed (the earliest date a ZIP archive can hold), so a build never reads the clock.
FIXED_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


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
    date: dt.datetime = FIXED_DATE


def build_date(
    report_date: dt.date | None, environ: Mapping[str, str] | None = None
) -> dt.datetime:
    """The document's date; else SOURCE_DATE_EPOCH; else :data:`FIXED_DATE`. Never now()."""
    if report_date is not None:
        return dt.datetime.combine(report_date, dt.time(0), tzinfo=dt.UTC)
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return FIXED_DATE


def document_info(report: Report, environ: Mapping[str, str] | None = None) -> DocumentInfo:
    return DocumentInfo(
        title=report.title,
        author=report.organisation.name,
        subject=report.subject,
        keywords=report.keywords,
        identifier=report.document_id or report.id,
        version=report.version,
        date=build_date(report.date, environ),
    )


def _used_lines(path: Path, rows: list[Measurement]) -> bytes:
    """The header and the used lines of a CSV file, verbatim and in file order.

    Only those lines are cut out of the bytes (a national file has a million lines,
    and the document uses a few dozen) and decoded as the reader decoded the file."""
    import numpy as np

    from rmr_gen.readers import decode_lenient, is_mac_roman

    raw = path.read_bytes()
    end = b"\n" if b"\n" in raw else b"\r"  # old Mac files end lines with CR only
    breaks = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord(end))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))

    def line(number: int) -> bytes:
        return raw[starts[number - 1] : ends[number - 1]].rstrip(b"\r")

    first = 1
    if raw.lstrip(b"\xef\xbb\xbf")[:4].lower() == b"sep=":
        first = 2  # Excel's separator line: the header is below it
    wanted = sorted({m.line for m in rows if first < m.line <= len(starts)})
    kept = b"\n".join([line(first), *(line(n) for n in wanted)]) + b"\n"
    text = kept.decode("mac_roman") if is_mac_roman(kept) else decode_lenient(kept)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").encode("utf-8")


def _as_csv(rows: list[Measurement]) -> bytes:
    """Rows from a file that has no lines to copy (not CSV), in the CSV data contract."""
    out = ["indicator;region;period;population;value"]
    for m in sorted(rows, key=lambda m: m.line):
        value = repr(m.value).removesuffix(".0").replace(".", ",")
        out.append(f"{m.indicator};{m.region};{m.period};{m.population};{value}")
    return ("\n".join(out) + "\n").encode("utf-8")


def source_attachments(
    report: Report, used: Iterable[Measurement], project_root: Path
) -> tuple[Attachment, ...]:
    """report.toml, and per data file the rows the document's tables and charts use."""
    toml = report.folder / "report.toml"
    shown_toml = toml.relative_to(project_root).as_posix()
    attachments = [
        Attachment(
            "report.toml",
            toml.read_bytes(),
            "application/toml",
            "Source",
            f"Rapportens inställningar ({shown_toml})",
        )
    ]
    by_file: dict[tuple[str, str], list[Measurement]] = {}
    for m in used:
        by_file.setdefault((m.path, m.sheet or ""), []).append(m)
    for shown, sheet in sorted(by_file):
        path = project_root / shown
        rows = by_file[(shown, sheet)]
        content = _used_lines(path, rows) if path.suffix.lower() == ".csv" else _as_csv(rows)
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
