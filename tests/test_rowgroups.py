"""Tabell 1's groups kept whole on a page (src/rmr_gen/output/rowgroups.py), on small
documents laid out by WeasyPrint: where the break goes, and what it never does."""

from __future__ import annotations

from typing import Any

import pytest

from rmr_gen.output.rowgroups import Split, keep_groups, split_groups, with_break

weasyprint = pytest.importorskip("weasyprint")

PAGE = "<style>@page { size: 120mm 100mm; margin: 10mm } tbody { break-inside: avoid }</style>"


def render(html: str) -> Any:
    return weasyprint.HTML(string=html).render()


def table(rows: int, groups: int = 2, style: str = "") -> str:
    body = "".join(
        '<tbody class="indicator-group">'
        + "".join(f"<tr><th>{g}. Region {r}</th><td>{r}</td></tr>" for r in range(rows))
        + "</tbody>"
        for g in range(groups)
    )
    return f"<table{style}><thead><tr><th>Mål</th><th>Nuläge</th></tr></thead>{body}</table>"


def filler(lines: int) -> str:
    return "".join(f"<p>Rad {n}</p>" for n in range(lines))


def pages_of(rendered: Any, text: str) -> list[int]:
    from rmr_gen.output.pagefit import walk

    return [
        number
        for number, page in enumerate(rendered.pages)
        for box in walk(page._page_box)
        if getattr(box, "text", None) == text
    ]


def test_a_first_group_at_a_page_foot_moves_on_with_its_table_and_its_heading() -> None:
    html = PAGE + filler(4) + "<h2>Resultat</h2>" + table(4)
    first = render(html)
    assert split_groups(first) == [Split(0, "h2", 0)]  # the heading goes along
    mended, rendered = keep_groups(html, first, render)
    assert '<h2 style="break-before: page">Resultat</h2>' in mended
    assert split_groups(rendered) == []
    assert pages_of(rendered, "Resultat") == pages_of(rendered, "0. Region 3") == [1]


def test_a_group_taller_than_a_page_keeps_no_break_and_does_not_stop_the_next() -> None:
    html = PAGE + table(30, groups=1) + filler(1) + table(4)
    first = render(html)
    assert [s.index for s in split_groups(first)] == [0, 1]
    mended, rendered = keep_groups(html, first, render)
    assert mended.count("break-before") == 1  # before the second table, not the first
    assert mended.index("break-before") > mended.index("Rad 0")
    assert [s.index for s in split_groups(rendered)] == [0]  # too tall to mend


def test_the_break_joins_a_tables_own_style_and_is_written_once() -> None:
    html = '<table style="width: 90%"><tbody class="indicator-group one-region"></tbody></table>'
    mended = with_break(html, Split(0, "table", 0))
    assert mended.startswith('<table style="break-before: page; width: 90%">')
    assert with_break(mended, Split(0, "table", 0)) == mended
    later = with_break(html, Split(0, "tbody", 0))
    assert '<tbody style="break-before: page" class="indicator-group one-region">' in later
    text = "<p>&lt;tbody class=&quot;indicator-group&quot;&gt;</p>"
    assert with_break(text, Split(0, "tbody", 0)) == text  # escaped text is not a tag
