"""A small project to attack, and secrets outside it that must never reach a PDF."""

from __future__ import annotations

import base64
import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from rmr_gen.core.project import PACKAGE_TEMPLATES
from tests.conftest import ROOT

MARKER = "RMRSECRETMARKER5B1E0C"


@dataclass(frozen=True)
class Secrets:
    """Files outside the project, each carrying MARKER where a reader would see it."""

    folder: Path
    text: Path
    css: Path
    svg: Path
    csv: Path

    @property
    def nested_svg_uri(self) -> str:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            ' width="40" height="40">'
            f'<image xlink:href="{self.svg.as_uri()}" width="40" height="40"/></svg>'
        )
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@pytest.fixture
def secrets(tmp_path: Path) -> Secrets:
    folder = tmp_path / "outside"
    folder.mkdir()
    text = folder / "secret.txt"
    text.write_text(f"{MARKER}\n")
    css = folder / "secret.css"
    css.write_text(f'body::after {{ content: "{MARKER}"; }}\n')
    svg = folder / "secret.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">'
        f'<text x="0" y="20">{MARKER}</text></svg>'
    )
    csv = folder / "secret.csv"
    csv.write_text(f"indicator;region;period;population;value\n{MARKER};Gotland;2023;cancer;1\n")
    return Secrets(folder, text, css, svg, csv)


REPORT = """kind = "processmal"
title = "Säkerhetsprov"
organisation = "rcc-norr"
date = 2025-06-04
version = "1.0"
contents = ["text.md"]
"""


@pytest.fixture
def attack(tmp_path: Path) -> Path:
    """A project with one tiny report, ``sec``: fast to build many times."""
    project = tmp_path / "project"
    shutil.copytree(PACKAGE_TEMPLATES, project / "templates")  # attacks edit them
    shutil.copytree(ROOT / "data", project / "data")
    report = project / "reports" / "sec"
    report.mkdir(parents=True)
    (report / "report.toml").write_text(REPORT, encoding="utf-8")
    (report / "text.md").write_text("Ett stycke text.\n", encoding="utf-8")
    return project


def leaked(project: Path) -> list[str]:
    """Where MARKER shows in the output: extracted text, any stream, the HTML."""
    places = []
    for pdf in (project / "output").rglob("*.pdf"):
        raw = pdf.read_bytes()
        if MARKER.encode() in raw:
            places.append(f"{pdf.name}: raw bytes")
        with pikepdf.open(pdf) as document:
            for obj in document.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        data = obj.read_bytes()
                    except pikepdf.PdfError:
                        data = obj.read_raw_bytes()
                    if MARKER.encode() in data:
                        places.append(f"{pdf.name}: stream {obj.objgen}")
        import pdfplumber

        with pdfplumber.open(pdf) as document:
            for page in document.pages:
                if MARKER in (page.extract_text() or ""):
                    places.append(f"{pdf.name}: text of page {page.page_number}")
    for html in (project / "output").rglob("*.html"):
        if MARKER in html.read_text(encoding="utf-8", errors="replace"):
            places.append(f"{html.name}")
    return places
