"""A small project of its own for the web edition's tests: a process-goal report
with a table, a chart, an image and version history; a controlled RMR; and a
report with one page per region."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

REGIONS = ("Norrbotten", "Västerbotten", "Västernorrland")
# (indicator, region) -> (previous, current)
VALUES: dict[tuple[str, str], tuple[int, int]] = {
    ("brytpunktssamtal", "Norrbotten"): (79, 81),
    ("brytpunktssamtal", "Västerbotten"): (86, 86),
    ("brytpunktssamtal", "Västernorrland"): (90, 92),
    ("munhalsa", "Norrbotten"): (56, 51),
    ("munhalsa", "Västerbotten"): (66, 64),
    ("munhalsa", "Västernorrland"): (63, 65),
}


def png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid grey PNG."""
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def csv_rows() -> str:
    lines = ["indicator;region;period;population;value"]
    for (indicator, region), (previous, current) in VALUES.items():
        for period, value in (("2021–2022", previous), ("2022–2023", current)):
            lines.append(f"{indicator};{region};{period};cancer;{value}")
            lines.append(f"{indicator};{region};{period};all;{value - 3}")
    return "\n".join(lines) + "\n"


PROCESSMAL = """\
kind = "processmal"
title = "Processmål för webbtest 2025–2028"
organisation = "rcc-norr"
date = 2025-06-04
version = "1.1"
target_year = 2028
contents = ["inledning.md", "table:tabell-1", "chart:figur-1", "changes", "history"]
changes = ["Nytt mål för munhälsa."]

[[history]]
version = "1.0"
date = 2024-06-01
description = "Första versionen."

[data]
files = ["webb.csv"]
period = "2022–2023"
previous_period = "2021–2022"
regions = ["Norrbotten", "Västerbotten", "Västernorrland"]

[[indicators]]
id = "brytpunktssamtal"
target = 90

[[indicators]]
id = "munhalsa"
target = 80

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1. Nuläge {period} och förändring."

[charts.figur-1]
type = "change"
caption = "Figur 1. Förändring från {previous_period} till {period}."
"""

RMR = """\
kind = "rmr"
title = "Riktlinje för webbtest"
organisation = "vgr"
document_id = "TEST-1"
version = "1.0"
contents = ["text.md", "table:mal"]

[tables.mal]
type = "targets"
caption = "Målnivåer."
note = "Datakälla: testregistret"

[[tables.mal.rows]]
label = "Munhälsobedömning under sista levnadsveckan"
target = { level = 90, operator = "≥" }
"""

PER_REGION = """\
kind = "processmal"
title = "Processmål – {value}"
organisation = "rcc-norr"
version = "1.0"
example_data = true
contents = ["table:tabell-1", "chart:figur-1"]

[parameter]
by = "region"
values = ["Norrbotten", "Västerbotten"]

[data]
files = ["webb.csv"]
period = "2022–2023"
previous_period = "2021–2022"

[[indicators]]
id = "munhalsa"
target = 80

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1. {value}."

[charts.figur-1]
type = "change"
caption = "Figur 1. {value}."
"""


def make_project(target: Path) -> Path:
    """The project in ``target``; templates and reference data are rmr-gen's defaults."""
    (target / "data").mkdir(parents=True)
    (target / "data" / "webb.csv").write_text(csv_rows(), encoding="utf-8")
    reports = target / "reports"
    mal = reports / "mal-webb"
    mal.mkdir(parents=True)
    (mal / "report.toml").write_text(PROCESSMAL, encoding="utf-8")
    (mal / "karta.png").write_bytes(png())
    (mal / "inledning.md").write_text(
        "## Inledning\n\nMålen följs upp i [registret](https://example.org/register).\n\n"
        "![Karta över norra sjukvårdsregionen](karta.png)\n",
        encoding="utf-8",
    )
    rmr = reports / "rmr-webb"
    rmr.mkdir()
    (rmr / "report.toml").write_text(RMR, encoding="utf-8")
    (rmr / "text.md").write_text(
        "## Syfte\n\nRiktlinjen gäller vuxna. " + "Ett mycket långt ord: "
        "Vidbehovsordinationsuppföljningsrutinerna. " * 3 + "\n\n"
        "## Bakgrund\n\nEn bakgrund.\n\n## Uppföljning\n\nÅrligen.\n\n"
        "## Referenser\n\nNationellt vårdprogram.\n",
        encoding="utf-8",
    )
    per = reports / "per-region"
    per.mkdir()
    (per / "report.toml").write_text(PER_REGION, encoding="utf-8")
    return target
