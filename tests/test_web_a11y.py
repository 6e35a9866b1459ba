"""Every web page in a real browser (Debian's chromium, headless) with axe-core's
WCAG 2.0/2.1 A and AA rules at desktop and phone widths: no violations, no
sideways scrolling of the page, text at 200 % without loss, every link and
scrolling box reachable by keyboard.

scripts/setup.sh installs chromium and axe-core; without them these tests are
skipped locally and fail in CI (``CI`` set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.webproject import make_project

ROOT = Path(__file__).resolve().parents[1]
AXE = Path(os.environ.get("RMR_GEN_AXE", ROOT / ".venv/share/axe-core/axe.min.js"))
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing() -> str:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not installed (scripts/setup.sh installs Debian's chromium)"
    if not AXE.is_file():
        return f"{AXE} not found (scripts/setup.sh fetches axe-core)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return ""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project = make_project(tmp_path_factory.mktemp("a11y") / "project")
    result = CliRunner().invoke(app, ["--project", str(project), "build", "--web"])
    assert result.exit_code == 0, result.output
    found = sorted((project / "output").rglob("*.html"))
    assert len(found) == 6
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if why := _missing():
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_page(browser: Any, page: Path, width: int) -> Any:
    tab = browser.new_page(viewport={"width": width, "height": 800})
    # nothing may be loaded from anywhere but the page's own folder
    outside: list[str] = []
    tab.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("data:", page.parent.as_uri()))
            else (outside.append(route.request.url), route.abort())
        ),
    )
    tab.goto(page.as_uri())
    tab.wait_for_load_state("load")
    tab.evaluate("document.fonts.ready")
    assert outside == []
    return tab


def overflow(tab: Any) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(tab.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


#: Per chart panel: the left and right edge of each row's track, and of each tick
#: label with the share of the track it marks, in CSS pixels.
_PANEL_GEOMETRY = """[...document.querySelectorAll('.panel')].map(panel => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
  return {tracks: [...panel.querySelectorAll('.track')].map(box),
          ticks: [...panel.querySelectorAll('.axis .scale span')].map(
            e => [parseFloat(e.style.left), ...box(e)])};
})"""


def misplaced_axes(tab: Any) -> list[str]:
    """The chart panels whose tracks differ in width (from each other or from the
    other panels': an equal change must be equally long) or whose tick labels are
    not centred on their share of the track (a dot would be read against the wrong
    label)."""
    found = []
    widths = []
    for number, panel in enumerate(tab.evaluate(_PANEL_GEOMETRY), 1):
        (left, right), *others = panel["tracks"]
        widths.append(right - left)
        if any(abs(a - left) > 1 or abs(b - right) > 1 for a, b in others):
            found.append(f"panel {number}: tracks of different widths {panel['tracks']}")
        for at, start, end in panel["ticks"]:
            if abs((start + end) / 2 - (left + at / 100 * (right - left))) > 2:
                found.append(f"panel {number}: tick at {at} % drawn at {start}–{end}")
    if widths and max(widths) - min(widths) > 1:
        found.append(f"tracks of different widths across panels: {widths}")
    return found


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violations(browser: Any, pages: list[Path], width: int) -> None:
    found = {}
    for page in pages:
        tab = open_page(browser, page, width)
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        violations = [
            f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
        ]
        if violations:
            found[page.name] = violations
        assert result["passes"], "axe ran no rule"
        tab.close()
    assert found == {}


@pytest.mark.parametrize("width", [390, 320])
def test_no_sideways_scrolling_on_a_phone(browser: Any, pages: list[Path], width: int) -> None:
    for page in pages:
        tab = open_page(browser, page, width)
        assert overflow(tab) <= 0, (page, width)
        tab.close()


def test_the_fonts_are_the_bundled_ones(browser: Any, pages: list[Path]) -> None:
    tab = open_page(browser, next(p for p in pages if p.parent.parent.name == "mal-webb"), 1280)
    loaded = tab.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert '"Carlito"' in loaded or "Carlito" in loaded
    tab.close()


def test_text_at_200_percent_loses_nothing(browser: Any, pages: list[Path]) -> None:
    for page in pages:
        tab = open_page(browser, page, 1280)
        text = tab.evaluate("document.body.innerText")
        tab.evaluate("document.documentElement.style.fontSize = '225%'")  # 2 × 112.5 %
        assert overflow(tab) <= 0, page
        # nothing is cut off: no element hides text it no longer has room for
        clipped = tab.evaluate(
            """[...document.querySelectorAll('body *')].filter(e => {
                 const s = getComputedStyle(e);
                 return (s.overflowX === 'hidden' || s.overflowY === 'hidden')
                   && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
               }).map(e => e.outerHTML.slice(0, 80))"""
        )
        assert clipped == [], page
        assert tab.evaluate("document.body.innerText") == text
        tab.close()


def test_every_link_and_scrolling_box_is_reached_by_keyboard(
    browser: Any, pages: list[Path]
) -> None:
    for page in pages:
        tab = open_page(browser, page, 390)
        wanted = tab.evaluate("[...document.querySelectorAll('a[href], [tabindex=\"0\"]')].length")
        reached = set()
        for _ in range(wanted):
            tab.keyboard.press("Tab")
            focus = tab.evaluate(
                """() => { const e = document.activeElement;
                   const s = getComputedStyle(e);
                   return [e.outerHTML.slice(0, 120), s.outlineStyle !== 'none'
                           && parseFloat(s.outlineWidth) >= 2]; }"""
            )
            assert focus[1], f"no visible focus on {focus[0]}"
            reached.add(focus[0])
        assert len(reached) >= wanted, page
        # the first stop is the skip link, and it leads to the content
        tab.close()
        tab = open_page(browser, page, 390)
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.getAttribute('href')") == "#innehall"
        tab.keyboard.press("Enter")
        assert tab.evaluate("document.activeElement.id") == "innehall"
        tab.close()


def test_the_chart_is_legible_on_a_phone(browser: Any, pages: list[Path]) -> None:
    page = next(p for p in pages if p.parent.parent.name == "mal-webb")
    tab = open_page(browser, page, 390)
    sizes = tab.evaluate(
        """[...document.querySelectorAll('.dotplot .region, .dotplot .values, .panel-title')]
           .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert sizes and min(sizes) >= 16
    # one panel per row, each as wide as the text column
    widths = tab.evaluate(
        "[...document.querySelectorAll('.panel')].map(e => e.getBoundingClientRect().width)"
    )
    column = tab.evaluate("document.querySelector('main').clientWidth")
    assert widths and all(w > column * 0.85 for w in widths)
    tab.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chart_axis_is_under_its_tracks(browser: Any, pages: list[Path], width: int) -> None:
    page = next(p for p in pages if p.parent.parent.name == "mal-webb")
    tab = open_page(browser, page, width)
    assert tab.evaluate("document.querySelectorAll('.panel').length") == 2
    assert misplaced_axes(tab) == []
    tab.close()


def test_wider_text_spacing_loses_nothing(browser: Any, pages: list[Path]) -> None:
    """WCAG 1.4.12: line height 1.5, paragraph spacing 2, letter 0.12, word 0.16 em."""
    spacing = (
        "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
        " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
    )
    for page in pages:
        tab = open_page(browser, page, 390)
        tab.add_style_tag(content=spacing)
        assert overflow(tab) <= 0, page
        clipped = tab.evaluate(
            """[...document.querySelectorAll('body *')].filter(e => {
                 const s = getComputedStyle(e);
                 return s.overflowX === 'hidden' && e.scrollWidth > e.clientWidth + 1;
               }).length"""
        )
        assert clipped == 0, page
        tab.close()
