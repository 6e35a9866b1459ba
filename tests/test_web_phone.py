"""Web pages on a phone and in the dark: Tabell 1's caption outside its scrolling
box with a cue that it scrolls, a long page's table of contents, and an optional
dark scheme that axe finds nothing wrong with."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.test_web_a11y import AXE, WCAG, browser, open_page, pages  # noqa: F401


def page_of(pages: list[Path], kind: str) -> Path:  # noqa: F811
    return next(p for p in pages if p.parent.parent.name == kind)


def test_the_table_caption_is_whole_on_a_phone(browser: Any, pages: list[Path]) -> None:  # noqa: F811
    tab = open_page(browser, page_of(pages, "mal-webb"), 390)
    found = tab.evaluate(
        """(() => {
             const caption = document.querySelector('.table-caption');
             const box = document.querySelector('.table-scroll');
             const cue = document.querySelector('.scroll-cue');
             return {inside: box.contains(caption), before: !!(caption.compareDocumentPosition(box) & 4),
                     right: caption.getBoundingClientRect().right, width: window.innerWidth,
                     cue: getComputedStyle(cue).display,
                     sticky: getComputedStyle(box.querySelector('th.region')).position};
           })()"""
    )
    tab.close()
    assert not found["inside"] and found["before"]
    assert found["right"] <= found["width"]
    assert found["cue"] == "block" and found["sticky"] == "sticky"


def test_a_long_page_has_a_table_of_contents(pages: list[Path]) -> None:  # noqa: F811
    html = page_of(pages, "rmr-webb").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="contents"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None
    anchors = re.findall(r'<a href="#([^"]+)">', nav.group(1))
    assert len(anchors) >= 4
    assert all(f'<h2 id="{a}">' in html for a in anchors)
    short = page_of(pages, "mal-webb").read_text(encoding="utf-8")
    assert 'class="contents"' not in short


def test_the_dark_scheme_keeps_axe_clean(browser: Any, pages: list[Path]) -> None:  # noqa: F811
    found = {}
    for kind in ("mal-webb", "rmr-webb"):
        tab = open_page(browser, page_of(pages, kind), 1280)
        tab.emulate_media(color_scheme="dark")
        background = tab.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert background == "rgb(18, 18, 18)"
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        violations = [
            f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
        ]
        if violations:
            found[kind] = violations
        tab.close()
    assert found == {}


RANGES_ON_ONE_LINE = r"""(() => {
  const pattern = /\d{4}[–-]\d{2,4}(?:-\d{2})?/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [], broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.getClientRects().length) continue;  // not shown
    for (const match of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                           .map(r => Math.round(r.top)));
      found.push(match[0]);
      if (tops.size > 1) broken.push(node.parentElement.tagName + ': ' + node.data.trim());
    }
  }
  return {found: found.length, broken};
})()"""


def test_a_year_range_or_date_is_never_broken_across_lines(
    browser: Any,  # noqa: F811
    pages: list[Path],  # noqa: F811
) -> None:
    """Every year range and date the page shows (title, captions, Figur 1's legend,
    running text, the version line) stands on one line at every width from a small
    phone to a desktop: the widths step finer than a word, so each range meets a line
    end at some width."""
    for kind in ("mal-webb", "rmr-webb"):
        tab = open_page(browser, page_of(pages, kind), 320)
        broken: set[str] = set()
        for width in range(320, 1281, 7):
            tab.set_viewport_size({"width": width, "height": 800})
            result = tab.evaluate(RANGES_ON_ONE_LINE)
            if kind == "mal-webb":  # the RMR's text has no year range
                assert result["found"] >= 5, (width, result)
            broken.update(f"{width} px: {text}" for text in result["broken"])
        tab.close()
        assert sorted(broken) == [], (kind, sorted(broken))


def test_the_target_stands_on_its_indicators_line_as_in_print(
    browser: Any,  # noqa: F811
    pages: list[Path],  # noqa: F811
) -> None:
    """Tabell 1's target cell spans its group; its level reads on the indicator's line
    (top-aligned, as the PDF prints it), not in the middle of the regions."""
    tab = open_page(browser, page_of(pages, "mal-webb"), 1280)
    found = tab.evaluate(
        """[...document.querySelectorAll('.indicator-summary td.target')].map(cell => {
             const range = document.createRange(); range.selectNodeContents(cell);
             const head = cell.closest('tr').querySelector('th');
             const hr = document.createRange(); hr.selectNodeContents(head);
             return [range.getBoundingClientRect().top, hr.getBoundingClientRect().top];
           })"""
    )
    tab.close()
    assert len(found) == 2, found
    assert all(abs(target - head) < 3 for target, head in found), found
