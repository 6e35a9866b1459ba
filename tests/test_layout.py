"""Page layout a reader sees: line breaks in titles, footnotes beside what they explain,
paragraph ends. Built from the fixture project of tests/test_charts.py."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pdfplumber
import pytest

from rmr_gen.content.markdown import render_markdown
from rmr_gen.core.project import PACKAGE_TEMPLATES
from tests.conftest import replace_in_file
from tests.test_charts import REGIONS, REPORT, make_project

LONG_TITLE = "Processmål för palliativ vård – Sjukvårdsregion Mellansverige – 2025–2028"


def lines_of(pdf: Path) -> list[list[str]]:
    with pdfplumber.open(pdf) as document:
        return [(page.extract_text() or "").splitlines() for page in document.pages]


def set_in_toml(project: Path, old: str, new: str) -> None:
    replace_in_file(project / "reports" / REPORT / "report.toml", old, new)


def test_no_line_breaks_in_a_year_range_or_at_a_spaced_dash(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p")
    set_in_toml(project, 'title = "Figurtest – 2025–2028"', f'title = "{LONG_TITLE}"')
    set_in_toml(
        project,
        'caption = "Figur 1. Förändring sedan {previous_period}."',
        'caption = "Figur 1. Förändring i procentenheter för varje region och indikator sedan'
        ' föregående plan: nuläge {period} jämfört med {previous_period} – cancerdiagnoser."',
    )
    assert run(project, "build", REPORT).exit_code == 0
    lines = [
        line for page in lines_of(project / "output" / REPORT / f"{REPORT}.pdf") for line in page
    ]
    title = [line for line in lines if "Mellansverige" in line or "Processmål" in line]
    assert len(title) == 2, title  # it does wrap, but not at the dashes
    for line in lines:
        if re.match(r"(" + "|".join(map(re.escape, REGIONS)) + r") \d+ \(", line):
            continue  # Tabell 1's row: its all-diagnoses cell is a dash (not measured)
        assert not line.rstrip().endswith(("–", "2022–", "2021–", "2025–")), line
        assert not line.lstrip().startswith("–"), line


def test_the_small_numbers_note_is_on_the_page_of_the_dash(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p", extra=True)
    csv = project / "data" / "figurtest.csv"
    rows = csv.read_text(encoding="utf-8").splitlines()
    rows = [rows[0] + ";numerator;denominator"] + [
        row.rsplit(";", 1)[0] + ";;2;3"
        if row.startswith("munhalsa;Västernorrland;2022–2023")
        else row + ";;"
        for row in rows[1:]
    ]
    assert sum(row.endswith(";;2;3") for row in rows) == 1, "no row of the fixture got counts"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # A text long enough that Tabell 1 starts at the foot of page 1 and runs over.
    filler = "\n\n".join(["Ett stycke text som fyller sidan. " * 13] * 5)
    (project / "reports" / REPORT / "text.md").write_text(filler + "\n", encoding="utf-8")
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    result = run(project, "build", REPORT)
    assert result.exit_code == 0, result.output
    pages = lines_of(project / "output" / REPORT / f"{REPORT}.pdf")
    dash_pages = [n for n, page in enumerate(pages) if any("Västernorrland –" in x for x in page)]
    assert dash_pages and dash_pages[0] > 0  # munhälsa's dash is on page 2: the note too
    assert dash_pages, pages
    table_pages = [
        n for n, page in enumerate(pages) if any("Tabell 1" in x or "(+" in x for x in page)
    ]
    assert len(set(table_pages)) >= 2, "the fixture's table should run over a page break"
    assert all(any("färre än 5 fall" in x for x in pages[n]) for n in set(table_pages))
    assert any("färre än 5 fall" in line for line in pages[dash_pages[0]])


def test_a_paragraph_never_ends_in_a_hyphenated_fragment(tmp_path: Path) -> None:
    text = "## Huvudbudskap\n\nDet gäller hela vårdförloppet.\n\n- i sjukvårdsregionen\n"
    html, problems = render_markdown(text, tmp_path)
    assert problems == []
    assert '<p>Det gäller hela <span class="last-word">vårdförloppet.</span></p>' in html
    assert '<li>i <span class="last-word">sjukvårdsregionen</span></li>' in html
    assert "<h2>Huvudbudskap</h2>" in html
    css = (PACKAGE_TEMPLATES / "base.css").read_text(encoding="utf-8")
    assert ".last-word { hyphens: manual; }" in css


FILLER = (
    "Indikatorerna följer upp vårdförloppet i hela sjukvårdsregionen. Tabellen nedan visar "
    "nuläge, förändring och målnivå per region och indikator, grupp för grupp."
)


def _tabell_1_rows(pdf: Path) -> list[tuple[int, str, float]]:
    """Tabell 1's group heads and region rows as printed: (page, line, top)."""
    row = re.compile(r"\d\. [^(]*$|(" + "|".join(map(re.escape, REGIONS)) + r") \d+ \(")
    rows = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages):
            for line in page.extract_text_lines():
                if row.match(line["text"]):  # not Figur 1's "1. Brytpunktssamtal (mål 90 %)"
                    rows.append((number, line["text"], float(line["top"])))
    return rows


@pytest.mark.parametrize("paragraphs", [9, 12])
def test_a_tabell_1_group_stays_with_its_target_over_a_page_break_in_even_rows(
    tmp_path: Path, run, paragraphs: int
) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path / "p", extra=True)  # six groups: Tabell 1 breaks
    (project / "reports" / REPORT / "text.md").write_text(
        "\n\n".join([FILLER] * paragraphs) + "\n", encoding="utf-8"
    )
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    assert run(project, "build", REPORT).exit_code == 0
    rows = _tabell_1_rows(project / "output" / REPORT / f"{REPORT}.pdf")

    heads = [i for i, (_, text, _) in enumerate(rows) if re.match(r"\d\. ", text)]
    assert len(heads) == 6, rows
    assert len({rows[i][0] for i in heads}) == 2, rows  # the table does break
    for i in heads:
        page, text, _ = rows[i]
        # the target is printed on the head's line, on the page of the whole group
        assert re.search(r" (90|100)$", text), text
        group = rows[i + 1 : i + 1 + len(REGIONS)]
        assert [r[1].split(" ")[0] for r in group] == REGIONS, (text, group)
        assert {r[0] for r in group} == {page}, (text, group)
    # every row as tall as every other, on both pages (no group stretched at the break)
    pitches = [b[2] - a[2] for a, b in itertools.pairwise(rows) if a[0] == b[0]]
    assert max(pitches) - min(pitches) < 0.5, pitches


def test_tabell_1s_first_group_is_never_split_at_a_page_foot(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """WeasyPrint lays out the group after the header as on an empty page, so a first
    group that does not fit was split (its target on one page, regions on the next).
    The text before the table grows a little at a time, so that the page foot falls
    inside the first group at some length: the table then starts the next page."""
    project = make_project(tmp_path / "p", extra=True)
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    text = project / "reports" / REPORT / "text.md"
    pdf = project / "output" / REPORT / f"{REPORT}.pdf"
    html = pdf.with_suffix(".html")
    broken = []
    for copies in range(15, 26):  # one to two lines longer each time
        text.write_text(" ".join([FILLER] * copies) + "\n", encoding="utf-8")
        assert run(project, "build", REPORT, "--html").exit_code == 0
        rows = _tabell_1_rows(pdf)
        heads = [i for i, (_, line, _) in enumerate(rows) if re.match(r"\d\. ", line)]
        assert len(heads) == 6, rows
        for i in heads:
            group = rows[i : i + 1 + len(REGIONS)]
            assert len({page for page, _, _ in group}) == 1, (copies, group)
        if 'style="break-before: page"' in html.read_text(encoding="utf-8"):
            broken.append(copies)
            assert rows[heads[0]][0] == 1, rows  # the whole table starts page 2
    assert broken, "no text length put the page foot inside the first group"


def test_a_one_region_plan_prints_one_row_per_indicator_and_fits_one_page(
    tmp_path: Path, run
) -> None:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path / "p", extra=True)
    regions = "[" + ", ".join(f'"{r}"' for r in REGIONS) + "]"
    set_in_toml(project, f"regions = {regions}\n", "")  # a plan per region: its parameter
    set_in_toml(
        project, "[data]", '[parameter]\nby = "region"\nvalues = ["Västerbotten"]\n\n[data]'
    )
    text = "Indikatorerna följer upp vårdförloppet. " * 6
    folder = project / "reports" / REPORT
    (folder / "text.md").write_text(f"{text}\n", encoding="utf-8")
    (folder / "om.md").write_text(f"## Om planen\n\n{text}\n", encoding="utf-8")
    set_in_toml(project, '"chart:figur-1"]', '"chart:figur-1", "om.md"]')
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    result = run(project, "build", REPORT)
    assert result.exit_code == 0, result.output
    pdf = project / "output" / REPORT / f"{REPORT}-vasterbotten.pdf"

    (page,) = lines_of(pdf)  # Tabell 1, Figur 1 and the texts on one page
    assert "Mål för Västerbotten" in " ".join(page)
    rows = [line for line in page if re.match(r"\d\. \S.* \d+ \([^)]*\) \S+ \d+$", line)]
    assert len(rows) == 6, page  # indicator, value (change), target: one line each
    assert "1. Brytpunktssamtal 63 (+11) – 90" in rows  # no "Västerbotten" row under it
    assert not any(line.startswith("Västerbotten ") and "(" in line for line in page[:40])


def test_tabell_1s_value_headers_stand_centred_over_their_numbers(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Each line of a value column's header ("Nuläge % alla diagnoser", "Målnivå % för
    alla regioner 2028") is centred in its column, as the numbers under it are."""
    project = make_project(tmp_path / "p")
    assert run(project, "build", REPORT).exit_code == 0
    with pdfplumber.open(project / "output" / REPORT / f"{REPORT}.pdf") as document:
        page = document.pages[0]
        header = page.find_tables()[0].rows[0].cells
        words = page.extract_words()
        offsets: dict[str, float] = {}
        for cell in header[1:]:
            assert cell is not None
            x0, top, x1, bottom = cell
            inside = [w for w in words if x0 <= w["x0"] and w["x1"] <= x1]
            inside = [w for w in inside if top <= w["top"] and w["bottom"] <= bottom]
            for line_top in {round(w["top"]) for w in inside}:
                line = [w for w in inside if round(w["top"]) == line_top]
                text = " ".join(w["text"] for w in line)
                middle = (min(w["x0"] for w in line) + max(w["x1"] for w in line)) / 2
                offsets[text] = round(middle - (x0 + x1) / 2, 1)
        target = next(w for w in words if w["text"] == "90" and w["x0"] > header[-1][0])
        offsets["target 90"] = round(
            (target["x0"] + target["x1"]) / 2 - sum(header[-1][::2]) / 2, 1
        )
    assert len(offsets) >= 5, offsets
    assert all(abs(offset) < 1.5 for offset in offsets.values()), offsets


def test_a_heading_keeps_two_list_items_with_it_at_a_page_foot(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """The text before a heading and its list grows a line or two at a time, so that the
    page foot falls at the heading, after it and after its first item: the heading's page
    always holds its first two items (a heading with one bullet under it was seen)."""
    project = make_project(tmp_path / "p")
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    text = project / "reports" / REPORT / "text.md"
    pdf = project / "output" / REPORT / f"{REPORT}.pdf"
    at_foot = 0
    for copies in range(20, 27):
        text.write_text(
            " ".join([FILLER] * copies) + "\n\n## Samtal och stöd\n\n- Första punkten\n"
            "- Andra punkten\n- Tredje punkten\n\nEtt stycke efter listan.\n",
            encoding="utf-8",
        )
        assert run(project, "build", REPORT).exit_code == 0
        pages = lines_of(pdf)
        (page,) = [p for p in pages if "Samtal och stöd" in p]
        assert any("Första punkten" in line for line in page), (copies, page[-4:])
        assert any("Andra punkten" in line for line in page), (copies, page[-4:])
        body = [
            line
            for line in page
            if not line.startswith(("Regionalt", "Norrlands", "Besök", "E-post"))
        ]
        at_foot += any("Andra punkten" in line for line in body[-2:])
    assert at_foot, "no text length put the page foot at the list"


TITLE_WORDS = [
    "Processmål",
    "för",
    "process",
    "palliativ",
    "vård",
    "i",
    "norra",
    "sjukvårdsregionen",
    "med",
    "regionala",
    "tillägg",
    "för",
    "barn",
    "och",
    "unga",
    "vuxna",
    "samt",
    "närstående",
]


def test_a_document_title_never_ends_with_one_word_on_its_last_line(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Titles one word longer each time, so that each word in turn would be the one
    left alone on the last line: the title's last line (18 pt) always holds two or more."""
    project = make_project(tmp_path / "p")
    pdf = project / "output" / REPORT / f"{REPORT}.pdf"
    title = 'title = "Figurtest – 2025–2028"'
    wrapped = 0
    for count in range(7, len(TITLE_WORDS) + 1):
        new = f'title = "{" ".join(TITLE_WORDS[:count])}"'
        set_in_toml(project, title, new)
        title = new
        assert run(project, "build", REPORT).exit_code == 0
        with pdfplumber.open(pdf) as document:
            words = [w for w in document.pages[0].extract_words(extra_attrs=["size"])]
        lines: dict[int, list[str]] = {}
        for word in (w for w in words if w["size"] > 16):  # the title, 18 pt
            lines.setdefault(round(word["top"]), []).append(word["text"])
        last = lines[max(lines)]
        assert len(last) >= 2, (count, list(lines.values()))
        wrapped += len(lines) > 1
    assert wrapped >= 5  # most of them did wrap
