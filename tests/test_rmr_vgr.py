"""The RMR Palliativ vård (VGR) PDF: the published words in order, controlled-document
furniture on every page, target tables from data, working links and bookmarks."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from tests.conftest import SEEDS, normalise

RMR = "rmr-palliativ-vard-vgr"
SEED = (SEEDS / "003_c67bc9bed395b408.txt").read_text(encoding="utf-8")
FURNITURE = re.compile(r"^\s*(Rubrik:|Dokument-ID:|Version:|OBS!|\d+\s*$)")
GAP_URL = (
    "https://mellanarkiv-offentlig.vgregion.se/alfresco/s/archive/stream/public/v1/source/"
    "available/sofia/ssn11859-696346978-194/native/Bilaga%202%20GAP-analys.pdf"
)
TITLE = (
    "Palliativ vård - regional tillämpning av Nationellt vårdprogram och "
    "Personcentrerat sammanhållet vårdförlopp"
)
SECTIONS = [
    "Inledning",
    "Syfte",
    "Huvudbudskap",
    "Vårdnivå och samverkan",
    "Bakgrund",
    "Processmål",
    "Förändringar sedan föregående version",
    "Regional tillämpning av det nationella vårdprogrammet",
    "Strävan mot tidig identifiering och integrering av palliativ vård samt strukturerade arbetssätt",
    "Samverkan",
    "Den palliativa vårdens organisation och dimensionering",
    "Utbildning och fortbildning",
    "Samtal och psykosocialt stöd",
    "Remissrutiner",
    "Kvalitetsuppföljning",
    "Patientmedverkan och kommunikation",
    "För vårdgivare",
    "Referenser",
]


def words(text: str) -> list[str]:
    """Words for comparison: list bullets dropped, ``100%`` as ``100 %``, URLs and
    paths broken at a line end joined again."""
    text = normalise(text).replace("•", " ")
    text = re.sub(r"(\d)%", r"\1 %", text)
    text = re.sub(r"(/) (?=\S)", r"\1", text)
    text = text.replace("Bilaga 2 GAP-analys", "Bilaga%202%20GAP-analys")
    return text.split()


@pytest.fixture(scope="module")
def pdf(built_project: Path) -> Path:
    return built_project / "output" / RMR / f"{RMR}.pdf"


@pytest.fixture(scope="module")
def body_words(pdf: Path) -> list[str]:
    """The words of the body: each page without its header and footer, from Inledning on,
    without the target tables' column headings (which the source lacks)."""
    text = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            body = page.crop((0, 80, page.width, page.height - 92))
            text.append(body.extract_text() or "")
    found = words(" ".join(text))
    found = found[found.index("Inledning") :]
    joined = " ".join(found).replace("Indikator Målnivå ", "")
    return joined.split()


def test_every_word_of_the_seed_in_order(body_words: list[str]) -> None:
    # The seed's text layer holds the URL of the "bilaga 2" link; the page prints only the link.
    seed_lines = [
        line for line in SEED.splitlines() if not FURNITURE.match(line) and line.strip() != GAP_URL
    ]
    expected = words(" ".join(seed_lines))
    assert len(expected) > 1400
    assert body_words == expected
    assert not any("mellanarkiv" in w for w in body_words)


def test_furniture_on_every_page(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        pages = document.pages
        assert len(pages) >= 5
        for number, page in enumerate(pages, start=1):
            foot = page.crop((0, page.height - 100, page.width, page.height))
            lines = [normalise(line) for line in (foot.extract_text() or "").splitlines()]
            # The Rubrik line: the whole title as text, the page number at its end.
            assert f"Rubrik: {TITLE} {number}" in lines
            assert "Dokument-ID: SSN11800-2140136717-826" in lines
            assert "Version: 1.0" in lines
            assert "OBS! Utskriven version kan vara ogiltig. Verifiera innehållet." in lines


def test_rubrik_is_shortened_to_one_line(pdf: Path) -> None:
    """Drawn on one line, cut with an ellipsis glyph before the page number; the
    glyph carries the rest of the title as its text, so copying gives it whole."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        foot = page.crop((0, page.height - 100, page.width, page.height))
        first_top = min(c["top"] for c in foot.chars)
        line = sorted(
            (c for c in foot.chars if abs(c["top"] - first_top) < 1), key=lambda c: c["x0"]
        )
        number = line[-1]
        rubrik = line[:-1]
        assert number["text"] == "1"
        assert "".join(c["text"] for c in rubrik).strip() == f"Rubrik: {TITLE}"
        assert max(c["x1"] for c in rubrik) < number["x0"] - 20
        assert len(rubrik) < len(f"Rubrik: {TITLE}"), "some of the title is behind the ellipsis"


def test_title_block_on_the_first_page(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        first = normalise(document.pages[0].extract_text())
    assert "REGIONAL MEDICINSK RIKTLINJE" in first
    assert "Dokument-ID SSN11800-2140136717-826" in first
    assert "Version 1.0" in first


def target_tables(pdf: Path) -> list[list[list[str]]]:
    tables = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for table in page.extract_tables():
                rows = [[normalise(c or "") for c in row] for row in table]
                if rows and rows[0] == ["Indikator", "Målnivå"]:
                    tables.append(rows[1:])
    return tables


def test_target_cells(pdf: Path) -> None:
    assert target_tables(pdf) == [
        [
            ["Munhälsobedömning under sista levnadsveckan", "≥ 90 %"],
            ["Smärtskattning under sista levnadsveckan", "100 %"],
            ["Vidbehovsordination av opioid mot smärta under sista levnadsveckan", "≥ 98 %"],
            ["Vidbehovsordination av ångestdämpande läkemedel under sista levnadsveckan", "≥ 98 %"],
            ["Utan förekomst av trycksår under sista levnadsveckan", "≥ 90 %"],
            ["Brytpunktssamtal", "≥ 98 %"],
        ],
        [
            [
                "Andel patienter med misstänkt palliativt vårdbehov och som erbjuds samtal vid allvarlig sjukdom",
                "100 %",
            ],
            [
                "Andel patienter med palliativa vårdbehov som har en dokumenterad vårdplan för den palliativa vården",
                "100 %",
            ],
            [
                "Andel patienter med palliativa vårdbehov som erhåller samtal vid allvarlig sjukdom",
                "90 %",
            ],
        ],
    ]


def link_uris(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return [
            str(annot.A.URI)
            for page in document.pages
            for annot in page.get("/Annots", [])
            if annot.get("/Subtype") == "/Link" and "/A" in annot and "/URI" in annot.A
        ]


def test_links_work_and_are_only_web_or_mail(pdf: Path) -> None:
    uris = link_uris(pdf)
    assert GAP_URL in uris
    assert "https://palliativregistret.se/" in uris
    assert len(set(uris)) >= 10
    assert all(uri.startswith(("http://", "https://", "mailto:")) for uri in uris)


def test_bookmarks_follow_the_headings(pdf: Path) -> None:
    titles = []
    with pikepdf.open(pdf) as document:

        def walk(item: pikepdf.Dictionary | None) -> None:
            while item is not None:
                titles.append(str(item.Title))
                if "/First" in item:
                    walk(item.First)
                item = item.get("/Next")

        walk(document.Root.Outlines.First)
    assert titles[0].startswith("Palliativ vård - regional tillämpning")
    assert titles[1:] == SECTIONS


def test_huvudbudskap_is_a_real_list(built_project: Path) -> None:
    html = (built_project / "output" / RMR / f"{RMR}.html").read_text(encoding="utf-8")
    section = html.split("<h2>Huvudbudskap</h2>")[1].split("<h2>")[0]
    assert section.count("<li>") == 13
    assert "•" not in section
