"""A reviewer's scenarios, per report kind: release, edit, compare, release again, verify.

Each asserts what the reviewer sees: the summary on stdout, the JSON, the exit
code of ``--exit-code``, and the redline's text layer and table cells.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

from rmr_gen.cli import app
from tests.conftest import NORR, copy_project, normalise, pdf_pages_text, replace_in_file

PER_REGION = "exempel-processmal-palliativ-per-sjukvardsregion"
RMR = "rmr-palliativ-vard-vgr"


def cli(project: Path, *args: str):
    return CliRunner().invoke(app, ["--project", str(project), *args])


def edit(path: Path, old: str, new: str) -> None:
    replace_in_file(path, old, new)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_processmal_scenario(project: Path) -> None:
    """A number, a region, a rewritten sentence and a target: every one reported and marked."""
    assert cli(project, "release", NORR, "--version", "1.0").exit_code == 0
    folder = project / "reports" / NORR
    edit(folder / "report.toml", 'version = "1.0"', 'version = "1.1"')
    edit(folder / "report.toml", '"Norrbotten", "Västernorrland"]', '"Norrbotten"]')
    edit(
        folder / "report.toml",
        'id = "brytpunktssamtal"\ntarget = 90',
        'id = "brytpunktssamtal"\ntarget = 85',
    )
    csv = project / "data" / "palliativ-norr.csv"
    edit(
        csv,
        "tackningsgrad;Norrbotten;2022–2023;cancer;55",
        "tackningsgrad;Norrbotten;2022–2023;cancer;60",
    )
    result = cli(project, "diff", NORR, "1.0", "--format", "json", "--exit-code")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert {"table": "Tabell 1", "region": "Norrbotten", "indicator": "Täckningsgrad i palliativregistret",
            "old": "55 (−2)", "new": "60 (+3)"} in data["cells"]  # fmt: skip
    assert {r["row"].split(",")[0] for r in data["rows"] if r["change"] == "removed"} == {
        "Västernorrland"
    }
    assert [t["new"] for t in data["targets"]] == ["≥\u00a085\u00a0%"]
    log = data["changelog"]
    assert "Västernorrland har tagits bort från Tabell 1." in log  # said once, not six times
    assert sum("Västernorrland" in line for line in log) == 1
    # The redline: the removed region's rows stay rows of their own; the changed cell reads old → new.
    pdf = project / "output" / NORR / "diff-1.0-draft.pdf"
    with pdfplumber.open(pdf) as document:
        rows = [row for page in document.pages for table in page.extract_tables() for row in table]
    norrbotten = [r for r in rows if r and r[0] and "Norrbotten" in r[0] and len(r) >= 3]
    changed = [r for r in norrbotten if any("→" in (cell or "") for cell in r)]
    assert len(changed) == 1, norrbotten
    assert "55 (−2) → 60 (+3)" in normalise(" ".join(c or "" for c in changed[0])).replace("-", "−")
    removed = [r for r in rows if r and r[0] and "Västernorrland" in r[0] and len(r) >= 3]
    assert len(removed) == 6 and all("[−" in r[0] for r in removed), removed
    text = normalise(" ".join(pdf_pages_text(pdf)))
    assert "Version: 1.0 → 1.1" in text or "[-1.0] [+1.1]" in text or "1.0 → 1.1" in text
    # Released as 1.1 and verified.
    assert cli(project, "release", NORR, "--version", "1.1").exit_code == 0
    assert cli(project, "verify", NORR, "1.1").exit_code == 0
    same = cli(project, "diff", NORR, "1.1", "--exit-code")
    assert same.exit_code == 0, same.output
    assert "Inga ändringar i sak." in same.stdout


def test_rmr_scenario(project: Path) -> None:
    """Metadata, a caption, a link target, a removed reference and a rewritten sentence."""
    assert cli(project, "release", RMR, "--version", "1.0").exit_code == 0
    folder = project / "reports" / RMR
    edit(folder / "report.toml", "PSV palliativ vård 2022.", "PSV palliativ vård 2023.")
    edit(folder / "report.toml", 'label = "Munhälsobedömning under sista levnadsveckan"',
         'label = "Munhälsobedömning under sista levnadsveckan, dokumenterad i journalen av'
         ' ansvarig sjuksköterska eller läkare"')  # fmt: skip
    edit(folder / "05-referenser.md", "https://lagen.nu/2017:612", "https://lagen.nu/2018:999")
    edit(folder / "05-referenser.md", "- [Patientlag (2014:821)](https://lagen.nu/2014:821)\n", "")
    edit(folder / "01-inledning.md", "drygt 15 000 personer", "drygt 16 000 personer")
    edit(
        folder / "01-inledning.md",
        "Hos dessa patienter föreligger större eller mindre palliativa vårdbehov.",
        "Andelen äldre i befolkningen ökar, och därmed behovet av planerad vård i livets slutskede.",
    )
    result = cli(project, "diff", RMR, "1.0", "--exit-code")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "[-15\u00a0000-]{+16\u00a0000+}" in out or "[-15 000-]{+16 000+}" in out
    assert "link: Lag (2017:612)" in out and "https://lagen.nu/2018:999" in out
    assert "Tabellrubrik [tables.psv-2022.caption]" in out
    assert "row renamed: rmr-palliativ-vard-vgr, tabellen" in out
    assert "Munhälsobedömning under sista levnadsveckan → Munhälsobedömning under sista" in out
    assert "  I avsnittet ”Referenser”: ”Patientlag (2014:821)” har tagits bort." in out
    assert re.search(r"15.000 har ändrats till 16.000", out)
    pdf = project / "output" / RMR / "diff-1.0-draft.pdf"
    pages = pdf_pages_text(pdf)
    assert all("JÄMFÖRELSE version 1.0 → utkast" in page for page in pages)
    text = normalise(" ".join(pages))
    assert "[-Hos dessa patienter föreligger större eller mindre palliativa vårdbehov.]" in text
    assert "[+Andelen äldre i befolkningen ökar" in text
    # The changed label stays inside the table: every target value is still printed.
    with pdfplumber.open(pdf) as document:
        cells = [c for p in document.pages for t in p.extract_tables() for r in t for c in r if c]
        for page in document.pages:
            assert all(ch["x1"] <= page.width + 0.5 for ch in page.chars), "text off the page"
    assert sum("≥ 98 %" in normalise(c) for c in cells) >= 2
    assert any("→" in c and "Munhälsobedömning" in c for c in cells)


def test_parameterised_scenario(project: Path) -> None:
    """One release holds every value's PDF; diff compares per value with one summary."""
    toml = project / "reports" / PER_REGION / "report.toml"
    edit(
        toml,
        'by = "sjukvardsregion"',
        'by = "sjukvardsregion"\nvalues = ["Norra sjukvårdsregionen", "Södra sjukvårdsregionen"]',
    )
    released = cli(project, "release", PER_REGION, "--version", "1.0")
    assert released.exit_code == 0, released.output
    folder = project / "output" / PER_REGION / "1.0"
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert pdfs == [
        f"{PER_REGION}-norra-sjukvardsregionen-1.0.pdf",
        f"{PER_REGION}-sodra-sjukvardsregionen-1.0.pdf",
    ]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [d["value"] for d in manifest["documents"]] == [
        "Norra sjukvårdsregionen",
        "Södra sjukvårdsregionen",
    ]
    assert manifest["title"] == "Processmål för palliativ vård – {value} – 2025–2028"
    verified = cli(project, "verify", PER_REGION, "1.0")
    assert verified.exit_code == 0, verified.output
    assert "2 PDFs rebuilt" in verified.stdout
    edit(project / "reports" / PER_REGION / "inledning.md", "Siffrorna är", "Talen är")
    result = cli(project, "diff", PER_REGION, "1.0", "--format", "json", "--exit-code")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["differences"] is True and data["changes"] == 2
    assert [v["value"] for v in data["values"]] == [
        "Norra sjukvårdsregionen",
        "Södra sjukvårdsregionen",
    ]
    for value in data["values"]:
        assert value["sections"][0]["edits"] == [["Siffrorna", "Talen"]]
        assert (project / value["pdf"]).is_file()
    # A changed PDF in the release is found and named.
    pdf = folder / f"{PER_REGION}-sodra-sjukvardsregionen-1.0.pdf"
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    broken = cli(project, "verify", PER_REGION, "1.0")
    assert broken.exit_code == 2 and "sodra-sjukvardsregionen-1.0.pdf" in broken.output
