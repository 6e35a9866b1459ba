"""Small numbers: a cell with fewer cases than data.min_denominator is never printed.

The real Norr data has values only; these tests give some cells as counts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import NORR, copy_project, normalise
from tests.test_cli import replace_in

CSV = Path("data") / "palliativ-norr.csv"
TOML = Path("reports") / NORR / "report.toml"
COUNTS = {
    # (indicator, region, period, population): (numerator, denominator)
    ("brytpunktssamtal", "Norrbotten", "2022–2023", "cancer"): (3, 4),  # current: hidden
    ("smartskattning", "Västerbotten", "2021–2022", "cancer"): (2, 3),  # previous: change hidden
    ("munhalsa", "Norrbotten", "2022–2023", "all"): (1, 2),  # all diagnoses: hidden
    ("vb-opioid", "Jämtland/Härjedalen", "2022–2023", "cancer"): (40, 50),  # 80, printed
}


def with_counts(project: Path) -> None:
    """Rewrite the data file with numerator and denominator columns."""
    path = project / CSV
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ";numerator;denominator"]
    for line in lines[1:]:
        *key, _value = line.split(";")
        counts = COUNTS.get(tuple(key))
        out.append(";".join([*key, "", *map(str, counts)]) if counts else line + ";;")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def cells_html(path: Path) -> str:
    """The HTML with Tabell 1's cells as plain ``<td>text</td>`` (no alignment boxes)."""
    html = path.read_text(encoding="utf-8").replace('<td class="num">', "<td>")
    return re.sub(r"</?data\b[^>]*>", "", html)


def cells(pdf: Path) -> dict[str, list[list[str]]]:
    """Tabell 1's rows per indicator group, as pdfplumber reads them."""
    groups: dict[str, list[list[str]]] = {}
    current = ""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for table in page.extract_tables():
                for row in table:
                    row = [normalise(c) if c else "" for c in row]
                    if re.match(r"^\d\. ", row[0]):
                        current = row[0]
                        groups[current] = []
                    elif current and row[0] != "Mål":
                        groups[current].append(row[:3])
    return groups


@pytest.fixture(scope="module")
def suppressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project = copy_project(tmp_path_factory.mktemp("suppressed"))
    with_counts(project)
    result = CliRunner().invoke(app, ["--project", str(project), "build", NORR, "--html"])
    assert result.exit_code == 0, result.output
    return project


def test_small_cells_print_a_dash_and_their_change_is_hidden(suppressed: Path) -> None:
    groups = cells(suppressed / "output" / NORR / f"{NORR}.pdf")
    rows = {name: {row[0]: row[1:] for row in rows} for name, rows in groups.items()}
    assert rows["2. Brytpunktssamtal"]["Norrbotten"] == ["-", "71"]  # – normalised to -
    assert rows["3. Smärtskattning"]["Västerbotten"] == ["74 (-)", "72"]
    assert rows["6. Munhälsa"]["Norrbotten"] == ["56 (+1)", "-"]
    assert rows["5. Vid-behovsordination stark opioid"]["Jämtland/Härjedalen"] == ["80 (-19)", "96"]
    # Everything else is exactly as before.
    assert rows["2. Brytpunktssamtal"]["Västerbotten"] == ["86 (0)", "72"]


def test_the_dash_is_explained_under_the_table(suppressed: Path) -> None:
    html = cells_html(suppressed / "output" / NORR / f"{NORR}.html")
    assert "<td>–</td>" in html and "<td>74 (–)</td>" in html
    with pdfplumber.open(suppressed / "output" / NORR / f"{NORR}.pdf") as document:
        text = normalise(" ".join(page.extract_text() or "" for page in document.pages))
    assert "- = färre än 5 fall; värdet visas inte." in text
    assert "(-) = förändringen visas inte, eftersom föregående period har färre än 5 fall." in text


def test_chart_leaves_out_small_cells_and_says_so(suppressed: Path) -> None:
    html = (suppressed / "output" / NORR / f"{NORR}.html").read_text(encoding="utf-8")
    alt = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html).group(1)
    alt = alt.replace("\u00a0", " ")
    assert "Brytpunktssamtal: Jämtland/Härjedalen: 91 %, +2 procentenheter;" in alt
    assert "Norrbotten: färre än 5 fall, visas inte;" in alt
    assert (
        "Västerbotten: 74 % (förändringen visas inte: föregående period har färre än 5 fall)" in alt
    )
    assert "75 %" not in alt and "67 %" not in alt  # 3/4 and 2/3 are never given
    assert "+7" not in alt  # nor the change that would give 2/3 back


def test_chart_marks_small_cells_in_the_panel(suppressed: Path) -> None:
    with pdfplumber.open(suppressed / "output" / NORR / f"{NORR}.pdf") as document:
        text = normalise(" ".join(page.extract_text() or "" for page in document.pages))
    text = text.replace(" ", "")  # the chart's words come out without their spaces
    figure = text[text.index("Föregåendeperiod(") : text.index("Figur1.")]
    assert "färreän5fall,visasinte" in figure
    assert "(-)" in figure  # Västerbotten's Smärtskattning: the change is not shown
    assert "+7" not in figure  # the change that would give 2/3 back


def test_min_denominator_is_a_report_setting(project: Path, run) -> None:
    with_counts(project)
    replace_in(project / TOML, "[data]\n", "[data]\nmin_denominator = 3\n")
    result = run(project, "build", NORR, "--html")
    assert result.exit_code == 0, result.output
    html = cells_html(project / "output" / NORR / f"{NORR}.html")
    assert "<td>75 (−2)</td>" in html  # 3/4 shown; previous Norrbotten value is 77
    assert "<td>74 (+7)</td>" in html  # 2/3 = 66,7 as the previous value
    assert "<td>–</td>" in html  # 1/2 is still below 3
    assert 'class="table-note"' in html


def test_real_report_has_no_footnote(built_project: Path) -> None:
    html = (built_project / "output" / NORR / f"{NORR}.html").read_text(encoding="utf-8")
    assert 'class="table-note"' not in html
    assert "–</td>" not in html


def test_the_minimum_itself_is_shown() -> None:
    from rmr_gen.content.compute import is_suppressed
    from rmr_gen.core.models import Measurement

    def counted(denominator: int | None) -> Measurement:
        return Measurement(
            "munhalsa", "Norrbotten", "2023", "cancer", 50.0, "x.csv", 2, 2, denominator
        )

    assert is_suppressed(counted(4), 5)
    assert not is_suppressed(counted(5), 5)
    assert not is_suppressed(counted(None), 5)  # a value without counts is printed as given
    assert not is_suppressed(None, 5)


def test_suppressed_rows_are_not_embedded_in_the_pdf(suppressed: Path) -> None:
    import pikepdf

    pdf = suppressed / "output" / NORR / f"{NORR}.pdf"
    with pikepdf.open(pdf) as document:
        embedded = document.attachments["palliativ-norr.csv"].get_file().read_bytes().decode()
    # the validated columns: the value computed from the counts, then the counts
    assert "vb-opioid;Jämtland/Härjedalen;2022–2023;cancer;80;40;50" in embedded  # printed: kept
    lines = embedded.splitlines()
    for (indicator, region, period, population), (numerator, denominator) in COUNTS.items():
        if denominator < 5:
            key = f"{indicator};{region};{period};{population};"
            counts = f";{numerator};{denominator}"
            found = [line for line in lines if line.startswith(key) and line.endswith(counts)]
            assert found == [], found


def test_diff_shows_suppressed_cells_as_printed(tmp_path: Path, run) -> None:
    project = copy_project(tmp_path / "project")
    with_counts(project)
    assert run(project, "release", NORR, "--version", "1.0").exit_code == 0
    replace_in(
        project / CSV,
        "munhalsa;Västerbotten;2022–2023;cancer;66",
        "munhalsa;Västerbotten;2022–2023;cancer;67",
    )
    result = run(project, "diff", NORR, "1.0")
    assert result.exit_code == 0, result.output
    assert "Västerbotten, Munhälsa: 66 (+2) → 67 (+3)" in result.stdout
    assert "Norrbotten, Brytpunktssamtal" not in result.stdout  # suppressed in both: unchanged


def test_a_value_that_does_not_exist_prints_the_same_dash_and_the_note_says_which(
    suppressed: Path,
) -> None:
    """Täckningsgrad is measured for cancer diagnoses only: its all-diagnoses cells print
    the en dash a reader knows (never a hyphen), and since this table's note says what
    a dash means for small numbers, it names the indicator whose dash means "not measured"."""
    with pdfplumber.open(suppressed / "output" / NORR / f"{NORR}.pdf") as document:
        rows = [
            row
            for page in document.pages
            for table in page.extract_tables()
            for row in table
            if row and row[0] and row[0] != "Mål"
        ]
        text = " ".join(page.extract_text() or "" for page in document.pages)
    assert all(cell != "-" for row in rows for cell in row if cell), rows
    täckning = rows[rows.index(next(r for r in rows if r[0].startswith("1. "))) + 1 :][:4]
    assert [row[2] for row in täckning] == ["\u2013"] * 4, täckning
    note = "För Täckningsgrad i palliativregistret betyder \u2013 att indikatorn inte mäts för alla diagnoser."
    assert note in (" ".join(text.split()))


def test_without_small_numbers_the_dash_needs_no_note(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project = copy_project(tmp_path)
    result = CliRunner().invoke(app, ["--project", str(project), "build", NORR, "--html"])
    assert result.exit_code == 0, result.output
    html = cells_html(project / "output" / NORR / f"{NORR}.html")
    assert html.count("<td>\u2013</td>") == 4  # Täckningsgrad, alla diagnoser
    assert "<tfoot>" not in html  # no note under Tabell 1
