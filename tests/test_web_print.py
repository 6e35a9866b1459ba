"""A web page printed as Chromium prints it by default (no background graphics):
Figur 1's two series stay apart, its grid lines stay, nothing breaks inside a
chart row, and the page names its archival PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.test_web_a11y import browser, open_page, pages  # noqa: F401

CURRENT = (0x0B, 0x4F, 0x8A)  # the filled "Nuläge" dots


def printed(browser: Any, page: Path, folder: Path) -> Path:  # noqa: F811
    tab = open_page(browser, page, 1280)
    pdf = folder / "printed.pdf"
    tab.pdf(path=str(pdf), format="A4", print_background=False)
    tab.close()
    return pdf


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], within: int = 40) -> bool:
    return all(abs(a - b) <= within for a, b in zip(pixel[:3], colour, strict=False))


def test_a_printed_page_keeps_both_series_and_the_grid(
    browser: Any,  # noqa: F811
    pages: list[Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    from PIL import Image

    page = next(p for p in pages if p.parent.parent.name == "mal-webb")
    pdf = printed(browser, page, tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "p")], check=True)
    blue = grey = 0
    for image in sorted(tmp_path.glob("p*.png")):
        rgb = Image.open(image).convert("RGB")
        pixels = [rgb.getpixel((x, y)) for y in range(rgb.height) for x in range(rgb.width)]
        blue += sum(near(p, CURRENT) for p in pixels)
        grey += sum(near(p, (0xB8, 0xB8, 0xB8), 12) for p in pixels)
    # six filled dots of about 9 px at 60 dpi each, and the grid lines
    assert blue >= 6 * 8, blue
    assert grey >= 50, grey


def test_nothing_breaks_inside_a_chart_row_or_panel_in_print(
    browser: Any,  # noqa: F811
    pages: list[Path],  # noqa: F811
) -> None:
    page = next(p for p in pages if p.parent.parent.name == "mal-webb")
    tab = open_page(browser, page, 1280)
    tab.emulate_media(media="print")
    rules = tab.evaluate(
        """['.panel', '.rows li', 'tbody'].map(s => {
             const e = document.querySelector(s);
             return e ? getComputedStyle(e).breakInside : 'missing'; })"""
    )
    tab.close()
    assert rules == ["avoid", "avoid", "avoid"]


@pytest.mark.parametrize("kind", ["mal-webb", "rmr-webb"])
def test_every_page_links_its_pdf(pages: list[Path], kind: str) -> None:  # noqa: F811
    page = next(p for p in pages if p.parent.parent.name == kind)
    html = page.read_text(encoding="utf-8")
    assert 'class="pdf-link"' in html and '.pdf"' in html


def test_a_printed_page_never_splits_a_table_group_or_a_chart_panel(
    browser: Any,  # noqa: F811
    pages: list[Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    """Printed on paper of many heights, so that a page ends at every part of the
    page in turn: each Tabell 1 group (its indicator, target and regions) and each
    Figur 1 panel (its title and rows) is read whole from one page of the PDF."""
    import re

    import pdfplumber

    page = next(p for p in pages if p.parent.parent.name == "mal-webb")
    tab = open_page(browser, page, 1280)
    regions = ("Norrbotten", "Västerbotten", "Västernorrland")
    row = re.compile(rf"({'|'.join(regions)}) \d+( \(| %,)")
    head = re.compile(r"\d\. (Brytpunktssamtal|Munhälsa)( \d+$| \(mål)")
    pages_apart = 0
    for height in range(120, 301, 6):
        pdf = tmp_path / f"{height}.pdf"
        tab.pdf(path=str(pdf), width="210mm", height=f"{height}mm", print_background=False)
        groups: list[list[int]] = []
        with pdfplumber.open(pdf) as document:
            for number, printed_page in enumerate(document.pages):
                for line in (printed_page.extract_text() or "").splitlines():
                    if head.match(line):
                        groups.append([number])
                    elif row.match(line) and groups:
                        groups[-1].append(number)
        assert len(groups) == 4, (height, groups)  # two table groups, two panels
        assert all(len(g) == 1 + len(regions) for g in groups), (height, groups)
        for group in groups:
            assert len(set(group)) == 1, (height, groups)
        pages_apart += len({g[0] for g in groups}) > 1
    tab.close()
    assert pages_apart >= 5  # the page ends did fall between the groups
