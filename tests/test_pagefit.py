"""A chart shrinks, within limits, rather than leave a page nearly empty.

The fixture is the project of tests/test_charts.py (six panels of four regions, a
chart some 112 mm high) with a text before it and a short closing section after
it. Its length puts the chart where WeasyPrint alone would leave a page that holds
almost nothing; each test first shows that plain WeasyPrint does (on the HTML the
build wrote), then reads the PDF rmr-gen made as a reader would.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from rmr_gen.content.charts import MIN_TEXT_PT
from rmr_gen.core.project import Project
from rmr_gen.output import pagefit
from tests import golden_pages
from tests.test_charts import REPORT, make_project

SENTENCE = "Ett stycke text som fyller sidan med ord. "
CLOSING = (
    "## Om rapporten\n\nRapporten är byggd av ett testprojekt med två rader text som"
    " avslutning, här för att se var den hamnar.\n"
)
BODY_PT = 9.0  # every text of the page but the chart's is 9 pt or larger (header 9,5, notes 9)
MM = 72 / 25.4
TEXT_AREA = (30 * MM, (297 - 32) * MM)  # base.css: @page margin 30 mm … 32 mm


def project_with_text(root: Path, sentences: int) -> tuple[Path, Path]:
    """The fixture with ``sentences`` of text before Figur 1 and a closing section
    after it; built with its HTML. Returns the PDF and the HTML."""
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project = make_project(root, extra=True)
    folder = project / "reports" / REPORT
    (folder / "intro.md").write_text(SENTENCE * sentences + "\n", encoding="utf-8")
    (folder / "closing.md").write_text(CLOSING, encoding="utf-8")
    toml = folder / "report.toml"
    text = toml.read_text(encoding="utf-8")
    old = 'contents = ["table:tabell-1", "chart:figur-1"]'
    assert old in text
    text = text.replace(old, 'contents = ["intro.md", "chart:figur-1", "closing.md"]')
    toml.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["--project", str(project), "build", REPORT, "--html"])
    assert result.exit_code == 0, result.output
    out = project / "output" / REPORT
    return out / f"{REPORT}.pdf", out / f"{REPORT}.html"


def plain(html: Path, project: Path, target: Path) -> Path:
    """The same HTML through WeasyPrint alone: the layout rmr-gen mends."""
    from weasyprint import HTML

    base = Project(project).templates_dir.as_uri() + "/"
    HTML(filename=str(html), base_url=base).write_pdf(target)
    return target


def pages_text(pdf: Path) -> list[str]:
    """Each page's text between the running header and footer."""
    with pdfplumber.open(pdf) as document:
        return [
            page.crop((0, TEXT_AREA[0], page.width, TEXT_AREA[1])).extract_text() or ""
            for page in document.pages
        ]


def chart_text_sizes(pdf: Path) -> list[float]:
    """The size of every character of the chart as printed (the page's only small text)."""
    with pdfplumber.open(pdf) as document:
        return [
            char["size"]
            for page in document.pages
            for char in page.chars
            if char["size"] < BODY_PT and TEXT_AREA[0] < char["top"] < TEXT_AREA[1]
        ]


def empty_shares(pdf: Path) -> list[float]:
    return [golden_pages.empty_below(page) for page in golden_pages.render(pdf)]


def words(text: str) -> list[str]:
    return [w for w in text.replace("#", " ").split() if w.isalpha()]


def test_a_chart_that_moved_on_shrinks_to_stay_on_the_page_it_left(tmp_path: Path) -> None:
    pdf, html = project_with_text(tmp_path / "p", 48)
    before = plain(html, tmp_path / "p", tmp_path / "plain.pdf")
    before_pages, before_empty = pages_text(before), empty_shares(before)
    assert "Figur 1." in before_pages[1] and before_empty[0] > 0.4, (
        "the fixture should make WeasyPrint move the chart on, leaving page 1 over 40 % empty",
        before_empty,
    )
    shown = pages_text(pdf)
    assert "Figur 1." in shown[0]  # the chart and its caption stayed on page 1
    assert all(share <= 0.4 for share in empty_shares(pdf)[:-1]), empty_shares(pdf)
    assert words("\n".join(shown)) == words("\n".join(before_pages))  # nothing lost, same order
    sizes = chart_text_sizes(pdf)
    assert sizes and min(sizes) >= MIN_TEXT_PT  # smaller, never under 8 pt
    assert max(sizes) < max(chart_text_sizes(before))


def test_a_last_page_of_a_few_lines_comes_back_when_the_chart_shrinks(tmp_path: Path) -> None:
    pdf, html = project_with_text(tmp_path / "p", 40)
    before = plain(html, tmp_path / "p", tmp_path / "plain.pdf")
    before_pages, before_empty = pages_text(before), empty_shares(before)
    assert len(before_pages) == 2 and "Om rapporten" in before_pages[1], before_pages
    assert before_empty[1] > 0.9, "the fixture's last page should hold only a few lines"
    assert "Figur 1." in before_pages[0]
    shown = pages_text(pdf)
    assert len(shown) == 1  # the closing section is on the chart's page
    assert "Figur 1." in shown[0] and "Om rapporten" in shown[0]
    assert words(shown[0]) == words("\n".join(before_pages))
    sizes = chart_text_sizes(pdf)
    assert sizes and min(sizes) >= MIN_TEXT_PT
    assert max(sizes) < max(chart_text_sizes(before))


def test_a_chart_never_shrinks_below_readable_to_save_a_page(tmp_path: Path) -> None:
    """Too little room for the closing section even at 6 pt: the layout stays as it was."""
    pdf, html = project_with_text(tmp_path / "p", 46)
    before = plain(html, tmp_path / "p", tmp_path / "plain.pdf")
    assert len(pages_text(before)) == 2 and "Om rapporten" in pages_text(before)[1]
    assert len(pages_text(pdf)) == 2
    assert chart_text_sizes(pdf) == pytest.approx(chart_text_sizes(before))


def chart(page: int, at_top: bool = False, image: float = 400.0) -> pagefit.Chart:
    return pagefit.Chart("figur-1", page, at_top, image + 40.0, image, image * 0.85)


def layout(used: tuple[float, ...], charts: tuple[pagefit.Chart, ...]) -> pagefit.Layout:
    zeros = (0.0,) * len(used)
    return pagefit.Layout(used, zeros, zeros, 1000.0, charts)


def test_a_full_layout_is_rendered_once() -> None:
    assert pagefit.plan(layout((980.0, 600.0), (chart(1, at_top=True),))) is None
    assert pagefit.plan(layout((950.0,), (chart(0),))) is None
    # A page 45 % empty, but the chart would need to shrink past its smallest size:
    assert pagefit.plan(layout((550.0, 500.0), (chart(1, at_top=True),))) is None


def test_the_plan_shrinks_only_as_far_as_needed() -> None:
    moved = pagefit.plan(layout((580.0, 500.0), (chart(1, at_top=True),)))
    assert moved is not None and moved.moved == {"figur-1": 0} and moved.pages is None
    assert 340.0 <= moved.heights["figur-1"] < 400.0
    assert 'figure.chart[id="figur-1"] img { max-height: ' in moved.css()
    saved = pagefit.plan(layout((990.0, 30.0), (chart(0),)))
    assert saved is not None and saved.pages == 1
    assert saved.heights["figur-1"] == pytest.approx(400.0 - (30.0 + 2.0 - 10.0))


def test_a_chart_capped_under_its_readable_size_is_drawn_as_large_as_that() -> None:
    """The style sheet caps a chart at 130 mm: a tall one's text would print under 8 pt."""
    capped = pagefit.Chart("figur-1", 0, False, 530.0, 491.0, 491.0, readable=496.0)
    fine = pagefit.Chart("figur-2", 1, False, 300.0, 260.0, 240.0, readable=240.0)
    layout = pagefit.Layout((900.0, 300.0), (0.0, 0.0), (0.0, 0.0), 950.0, (capped, fine))
    assert pagefit.readable(layout) == {"figur-1": 496.0}
    css = pagefit.Plan(pagefit.readable(layout), {}, None).css()
    assert css == 'figure.chart[id="figur-1"] img { max-height: 496.000px !important; }\n'


def test_a_chart_grows_no_taller_than_a_page_holds_it_with_its_caption() -> None:
    tall = pagefit.Chart("figur-1", 0, True, 940.0, 900.0, 900.0, readable=1000.0)
    layout = pagefit.Layout((940.0,), (0.0,), (0.0,), 950.0, (tall,))
    assert pagefit.readable(layout) == {"figur-1": 910.0}  # 950 less its 40 of caption
