"""The Processmål Norr 2025–2028 PDF says what the published document says."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import NORR, SEEDS, normalise, pdf_pages_text

SEED = (SEEDS / "000_60f223cf74def27a.txt").read_text(encoding="utf-8")
REGIONS = ["Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"]
GROUPS = [
    ("1. Täckningsgrad i palliativregistret", "80"),
    ("2. Brytpunktssamtal", "90"),
    ("3. Smärtskattning", "70"),
    ("4. Vid-behovsordination mot ångest", "98"),
    ("5. Vid-behovsordination stark opioid", "95"),
    ("6. Munhälsa", "90"),
]
FOOTER = [
    "Regionalt cancercentrum norr",
    "Norrlands universitetssjukhus | 901 85 UMEÅ",
    "Besök: Nus, byggnad 5B, plan 0, målpunkt PA | Telefon: 090-785 19 90",
    "E-post: rccnorr@regionvasterbotten.se | www.rccnorr.se",
]


def seed_table() -> list[tuple[list[str], list[str], str]]:
    """Per indicator group of the seed: (cancer cells, all-diagnoses cells, target).

    In the extracted text each group lists its four regions, then four cancer
    cells, four all-diagnoses cells and the target, one per line.
    """
    lines = [line.strip() for line in SEED.splitlines() if line.strip()]
    starts = [i for i, line in enumerate(lines) if line == REGIONS[0]]
    groups = []
    for start in starts:
        assert lines[start : start + 4] == REGIONS
        values = lines[start + 4 : start + 13]
        groups.append((values[0:4], values[4:8], values[8]))
    return groups


def mend(cell: str) -> str:
    """The seed's ``98 (1)`` is a typo for ``98 (+1)``; ``100(+1)`` lost a space."""
    match = re.fullmatch(r"(\d+) ?\(([-+]?)(\d+)\)", cell)
    assert match, cell
    value, sign, change = match.groups()
    if change != "0" and not sign:
        sign = "+"
    return f"{value} ({sign.replace('-', '−')}{change})"


def seed_cancer_cells() -> list[str]:
    return [mend(cell) for cancer, _, _ in seed_table() for cell in cancer]


def seed_all_cells() -> list[str]:
    return [cell for _, all_cells, _ in seed_table() for cell in all_cells]


@pytest.fixture(scope="module")
def pdf(built_project: Path) -> Path:
    return built_project / "output" / NORR / f"{NORR}.pdf"


def tabell_1_parts(pdf: Path) -> list[list[list[str]]]:
    """Tabell 1 as pdfplumber sees it, one part per page, each starting at its header row.

    (pdfplumber may merge the page header's rule into the table above the header row.)
    """
    parts = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for table in page.extract_tables():
                rows = [[normalise(c) if c else "" for c in row] for row in table]
                heads = [i for i, row in enumerate(rows) if row and row[0] == "Mål"]
                if heads:
                    parts.append(rows[heads[0] :])
    return parts


@pytest.fixture(scope="module")
def table_rows(pdf: Path) -> list[list[str]]:
    """Rows of Tabell 1 from every page, header rows dropped (they repeat per page)."""
    return [row for part in tabell_1_parts(pdf) for row in part[1:]]


def test_seed_parsing_finds_every_cell() -> None:
    assert len(seed_cancer_cells()) == 24
    assert len(seed_all_cells()) == 24
    assert [target for _, _, target in seed_table()] == [t for _, t in GROUPS]


def test_cancer_cells_equal_the_seed_in_order(table_rows: list[list[str]]) -> None:
    cells = [row[1] for row in table_rows if row[0] in REGIONS]
    assert cells == [normalise(c) for c in seed_cancer_cells()]


def test_all_diagnoses_cells_equal_the_seed_in_order(table_rows: list[list[str]]) -> None:
    cells = [row[2] for row in table_rows if row[0] in REGIONS]
    assert cells == seed_all_cells()


def test_groups_regions_and_targets(table_rows: list[list[str]]) -> None:
    heads = [(row[0], row[3]) for row in table_rows if row[0] not in REGIONS]
    assert heads == GROUPS
    regions = [row[0] for row in table_rows if row[0] in REGIONS]
    assert regions == REGIONS * 6


def test_change_is_signed_with_a_true_minus(pdf: Path) -> None:
    text = "\n".join(pdf_pages_text(pdf))
    assert "51 (\u22129)" in text
    assert "98 (+1)" in text and "98 (1)" not in text
    assert "86 (0)" in text


def test_header_row_repeats_on_every_page_of_the_table(pdf: Path) -> None:
    headers = [part[0] for part in tabell_1_parts(pdf)]
    assert len(headers) >= 2, "Tabell 1 is expected to span two pages"
    for header in headers:
        assert header == [
            "Mål",
            "Nuläge % cancerdiagnoser (förändring i procentenheter)",
            "Nuläge % alla diagnoser",
            "Målnivå % för alla regioner 2028",
        ]


def test_no_region_row_is_separated_from_its_group(pdf: Path) -> None:
    for part in tabell_1_parts(pdf):
        body = [row[0] for row in part[1:]]
        assert len(body) % 5 == 0, body  # a group head and its four regions, whole
        assert all(body[i] not in REGIONS for i in range(0, len(body), 5))


def _prose_paragraphs() -> list[str]:
    """The seed's running text (outside the table), paragraph by paragraph, in order."""
    lines = SEED.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Huvudmålet"))
    table = next(i for i, line in enumerate(lines) if line.startswith("Tabell 1."))
    motivation = next(i for i, line in enumerate(lines) if line.startswith("Motivering"))
    text = "\n".join([*lines[start:table], "", *lines[motivation:]])
    text = text.replace("sjukvårds-\n", "sjukvårds")  # a line-end hyphenation in the source
    paragraphs = [normalise(p) for p in re.split(r"\n\s*\n", text)]
    return [p for p in paragraphs if p]


def test_every_sentence_of_the_prose_in_order(pdf: Path) -> None:
    text = normalise(" ".join(pdf_pages_text(pdf)))
    position = 0
    sentences = _prose_paragraphs()
    assert len(sentences) == 12
    for sentence in sentences:
        found = text.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)


def test_title_caption_and_heading(pdf: Path) -> None:
    text = normalise(" ".join(pdf_pages_text(pdf)))
    assert "Processmål för process Palliativ vård i norra sjukvårdsregionen för 2025-2028" in text
    assert (
        "Tabell 1. Sammanfattning av mål och målnivåer. Nuläge avser perioden helår 2022-2023."
        " Inkluderat variation i procentenheter från föregående plan." in text
    )
    assert "Figur 1." in text


def test_page_furniture_on_every_page(pdf: Path) -> None:
    pages = pdf_pages_text(pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        flat = normalise(page)
        assert "2025-06-04" in flat
        assert f"{number} ({len(pages)})" in flat
        assert "Version 1.0" in flat
        for line in FOOTER:
            assert normalise(line) in flat, (number, line)


def test_metadata(pdf: Path) -> None:
    import pikepdf

    with pikepdf.open(pdf) as document:
        info = document.docinfo
        assert str(info["/Title"]).startswith("Processmål för process Palliativ vård")
        assert str(info["/Author"]) == "Regionalt cancercentrum norr"
        assert str(info["/CreationDate"]).startswith("D:20250604")
        assert str(document.Root.Lang).startswith("sv")
        assert document.Root.MarkInfo.Marked


def test_chart_is_an_image_with_alt_text_from_the_numbers(built_project: Path) -> None:
    html = (built_project / "output" / NORR / f"{NORR}.html").read_text(encoding="utf-8")
    match = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert match, "the chart is embedded as an SVG image with an alt attribute"
    alt = match.group(1).replace("\u00a0", " ")
    assert (
        "Täckningsgrad i palliativregistret: Jämtland/Härjedalen: 51 %, −9 procentenheter;" in alt
    )
    assert "Västernorrland: 45 %, +1 procentenhet." in alt
    assert "Mål 80 %" in alt
    assert alt.count("procentenhet") == 24 + 1  # every cell, and the introduction
    assert "<figcaption>Figur 1. Förändring sedan föregående plan" in html


def test_same_inputs_give_the_same_bytes(built_project: Path, run, tmp_path: Path) -> None:
    first = (built_project / "output" / NORR / f"{NORR}.pdf").read_bytes()
    result = run(built_project, "build", NORR, "--force", "--html")
    assert result.exit_code == 0, result.output
    assert (built_project / "output" / NORR / f"{NORR}.pdf").read_bytes() == first
