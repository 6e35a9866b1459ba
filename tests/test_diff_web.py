"""The reviewer's diff as readers get it: the redline's HTML is a screen page, and its
cells are named by the columns the report prints."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_web_a11y import (  # noqa: F401
    AXE,
    WCAG,
    browser,
    misplaced_axes,
    open_page,
    overflow,
)
from tests.webproject import make_project


@pytest.fixture
def web_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _set_value(project: Path, line_start: str, value: int) -> None:
    data = project / "data/webb.csv"
    lines = [
        f"{line_start}{value}" if line.startswith(line_start) else line
        for line in data.read_text(encoding="utf-8").splitlines()
    ]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("population", "main", "second"),
    [("cancer", "cancer", "all"), ("all", "all", "cancer")],
)
def test_a_changed_cell_is_named_by_the_column_the_report_prints(
    web_project: Path, run, population: str, main: str, second: str
) -> None:
    toml = web_project / "reports/mal-webb/report.toml"
    toml.write_text(toml.read_text().replace("[data]\n", f'[data]\npopulation = "{population}"\n'))
    assert run(web_project, "release", "mal-webb", "--version", "1.1").exit_code == 0
    # one value of each column changes: the main column's and the second column's
    _set_value(web_project, f"brytpunktssamtal;Norrbotten;2022–2023;{main};", 70)
    _set_value(web_project, f"munhalsa;Norrbotten;2022–2023;{second};", 40)
    result = run(web_project, "diff", "mal-webb", "1.1", "--format", "json")
    assert result.exit_code == 0, result.output
    cells = {(c["region"], c["indicator"]) for c in json.loads(result.stdout)["cells"]}
    other = "cancerdiagnoser" if population == "all" else "alla diagnoser"
    assert cells == {("Norrbotten", "Brytpunktssamtal"), ("Norrbotten", f"Munhälsa ({other})")}
    html = (web_project / "output/mal-webb/diff-1.1-draft.html").read_text()
    assert f"Tabell 1, Norrbotten, Munhälsa ({other}):" in html
    text = run(web_project, "diff", "mal-webb", "1.1").stdout
    assert "Värdena i Tabell 1 har uppdaterats för Brytpunktssamtal och Munhälsa." in text


@pytest.fixture(scope="module")
def redlines(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The diffs of every kind: a text, a value and an image changed in a processmål,
    a target in a controlled RMR, and a parameterised report's pages."""
    from typer.testing import CliRunner

    from rmr_gen.cli import app
    from tests.webproject import png

    project = make_project(tmp_path_factory.mktemp("redline") / "project")

    def run(*args: str) -> None:
        result = CliRunner().invoke(app, ["--project", str(project), *args])
        assert result.exit_code == 0, result.output

    for report, version in (("mal-webb", "1.1"), ("rmr-webb", "1.0"), ("per-region", "1.0")):
        run("release", report, "--version", version)
    text = project / "reports/mal-webb/inledning.md"
    text.write_text(
        text.read_text().replace("följs upp", "följs noga upp")
        + "\nEtt nytt stycke med flera ord i sig.\n"
    )
    (project / "reports/mal-webb/karta.png").write_bytes(png(6, 3))
    _set_value(project, "munhalsa;Norrbotten;2022–2023;cancer;", 57)
    toml = project / "reports/rmr-webb/report.toml"
    toml.write_text(toml.read_text().replace("level = 90", "level = 95"))
    run("diff", "mal-webb", "1.1")
    run("diff", "rmr-webb", "1.0")
    run("diff", "per-region", "1.0")
    found = sorted((project / "output").glob("*/diff-*.html"))
    assert len(found) == 4
    return found


def test_the_redline_html_is_a_self_contained_screen_page(redlines: list[Path]) -> None:
    for page in redlines:
        html = page.read_text(encoding="utf-8")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "<script" not in html and "<link" not in html and "file:" not in html
        assert "page-header" not in html and "OBS! Utskriven" not in html
        assert re.search(r'<p class="diff-mark">JÄMFÖRELSE version 1\.[01] → utkast', html)
        assert 'src: url("data:font/woff2;base64,' in html
        # every table scrolls in its own named box
        assert html.count("<table") == html.count('<div class="table-scroll" role="region"')
    mal = next(p for p in redlines if p.parent.name == "mal-webb").read_text(encoding="utf-8")
    assert '<td class="num"><span class="moved"><del>51 (−5)</del> → <ins>57 (+1)</ins>' in mal
    # the old and the new picture, both embedded
    old_image, new_image = re.findall(
        r'<img (?:class="diff-old" )?src="(data:image/png[^"]+)"', mal
    )
    assert old_image != new_image


@pytest.mark.parametrize("width", [1280, 390])
def test_the_redline_passes_axe_and_fits_a_phone(
    browser: Any,  # noqa: F811
    redlines: list[Path],
    width: int,
) -> None:
    found = {}
    for page in redlines:
        tab = open_page(browser, page, width)
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        if result["violations"]:
            found[page.name] = [v["id"] for v in result["violations"]]
        assert overflow(tab) <= 0, (page, width)
        tab.close()
    assert found == {}


#: Every element of the redline's charts that holds text, with its computed size in px.
_CHART_TEXT = """() => [...document.querySelectorAll('figure.chart')].flatMap(figure =>
  [...figure.querySelectorAll('.dotplot *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => [e.textContent.trim().replace(/\\u00a0/g, ' '),
               parseFloat(getComputedStyle(e).fontSize),
               e.getBoundingClientRect().right]))"""


def test_the_redline_chart_is_the_web_editions_readable_on_a_phone(
    browser: Any,  # noqa: F811
    redlines: list[Path],
) -> None:
    page = next(p for p in redlines if p.parent.name == "mal-webb")
    html = page.read_text(encoding="utf-8")
    # the chart is text, not the PDF's drawn image: the old and the new side's values
    assert "data:image/svg+xml" not in html
    assert html.count('<div class="dotplot">') == 2
    tab = open_page(browser, page, 390)
    texts = tab.evaluate(_CHART_TEXT)
    assert misplaced_axes(tab) == []
    tab.close()
    tab = open_page(browser, page, 1280)  # wide: track, values and axis side by side
    assert tab.evaluate("document.querySelectorAll('.panel').length") == 4
    assert misplaced_axes(tab) == []
    tab.close()
    words = [t for t, _, _ in texts]
    assert "51 %, −5 procentenheter" in words and "57 %, +1 procentenhet" in words
    assert "Nuläge (2022–2023)" in words and "2. Munhälsa (mål 80 %)" in words
    small = [(t, size) for t, size, _ in texts if size < 12]
    assert small == []
    assert max(right for _, _, right in texts) <= 390
