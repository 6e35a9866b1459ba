"""Charts that shrink a little rather than leave a page nearly empty.

A chart (``<figure class="chart">``) is drawn at the text width; WeasyPrint moves it
to the next page whole when it does not fit. Two layouts leave a page holding
almost nothing, and both are mended by drawing a chart smaller, never so small
that its smallest text prints below :data:`rmr_gen.content.charts.MIN_TEXT_PT`:

- a chart moved on and left more than 40 % of the page before empty, a gap it
  would fill if it were a little smaller: it is drawn to fit and stays there;
- the last page holds only what would fit on the page before if that page's
  charts were a little smaller (a short closing section): they are, and the
  document is a page shorter;
- else, when the last page is nearly empty (:data:`NEAR_EMPTY`) and the page
  before ends with a chart, the chart starts the last page, so that neither
  page is left nearly empty.

:func:`refit` reads the first layout (WeasyPrint's laid-out boxes, read only) and
plans a second one only when the first leaves such a page, so the second
rendering is paid only by documents that need it; when the second does not do
what it was for, the first stands. It reaches into WeasyPrint's laid-out boxes
(``Page._page_box``, read only), the version :mod:`rmr_gen.output.tagging` checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rmr_gen.content.charts import MIN_SCALE

#: How the templates open a chart's figure (partials/chart.html.j2): a document
#: without one is laid out once, as before.
CHART = '<figure class="chart"'

#: A page may be left this much empty by a chart that moved on (a share of the text
#: area); more, and the chart shrinks to stay, if it can.
MAX_EMPTY = 0.4

#: A last page that holds less than this share of the text area is nearly empty: when
#: the page before ends with a chart, the chart moves on to keep that text company.
NEAR_EMPTY = 0.2

#: What a block may need beyond its measured height to come back to a page (CSS px):
#: rounding, a hair line under the last line of text.
EPSILON = 2.0


@dataclass(frozen=True)
class Chart:
    """One chart figure in a layout."""

    id: str
    page: int
    at_top: bool  # the first thing on its page (it moved on)
    height: float  # the figure's border box (CSS px)
    image: float  # the image's height now
    smallest: float  # the image's height at the smallest readable size
    readable: float = 0.0  # the height at which its smallest text prints at MIN_TEXT_PT


@dataclass(frozen=True)
class Layout:
    """What :func:`refit` needs of a laid-out document."""

    used: tuple[float, ...]  # per page, the height from the text area's top to its last ink
    lead: tuple[float, ...]  # per page, the top margin its first block lost at the break
    tail: tuple[float, ...]  # per page, the bottom margin of its last block
    area: float  # the height of the text area
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Plan:
    """The second layout: each chart's image height, and what it must achieve."""

    heights: dict[str, float]
    moved: dict[str, int]  # chart id → the page it must now be on
    pages: int | None  # the page count it must bring, when it is to save the last page
    pushed: tuple[str, ...] = ()  # charts that start a new page, to keep a closing text company

    def css(self) -> str:
        """A user style sheet (WeasyPrint's ``stylesheets=``): ``!important``, else the
        template's own ``figure img`` rule would win."""
        return "".join(
            f'figure.chart[id="{_escape(name)}"] img {{ max-height: {height:.3f}px !important; }}\n'
            for name, height in sorted(self.heights.items())
        ) + "".join(
            f'figure.chart[id="{_escape(name)}"] {{ break-before: page !important; }}\n'
            for name in self.pushed
        )


def _escape(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"')


def walk(box: Any) -> Iterator[Any]:
    """``box`` and every box it holds, in document order (WeasyPrint's layout)."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from walk(child)


def _bottom(box: Any) -> float:
    return float(box.border_box_y() + box.border_height())


def _margin(box: Any, side: str) -> float:
    value = box.style[side]
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def _edge(root: Any, side: str) -> float:
    """The largest ``side`` margin of the blocks that start (or end) the page's flow:
    the margin these collapse into, which a page break truncates."""
    from weasyprint.formatting_structure import boxes

    largest, box = 0.0, root
    while isinstance(box, boxes.BlockLevelBox | boxes.BlockContainerBox):
        largest = max(largest, _margin(box, side))
        flow = [
            c for c in box.children if isinstance(c, boxes.BlockLevelBox) and c.is_in_normal_flow()
        ]
        box = (flow[0] if side == "margin_top" else flow[-1]) if flow else None
    return largest


def layout_of(rendered: Any) -> Layout:
    """The pages' fill and the charts of a WeasyPrint document (``HTML.render()``)."""
    from weasyprint.formatting_structure import boxes

    used: list[float] = []
    lead: list[float] = []
    tail: list[float] = []
    charts: list[Chart] = []
    area = 0.0
    for number, page in enumerate(rendered.pages):
        page_box = page._page_box
        top, area = float(page_box.content_box_y()), float(page_box.height)
        roots = [c for c in page_box.children if getattr(c, "element_tag", None) == "html"]
        lowest, first = top, None
        for box in (b for root in roots for b in walk(root)):
            if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableCellBox):
                lowest = max(lowest, _bottom(box))
                if first is None:
                    first = box
            element = getattr(box, "element", None)
            if (
                isinstance(box, boxes.BlockBox)
                and box.element_tag == "figure"
                and element is not None
                and "chart" in (element.get("class") or "").split()
                and element.get("id")
                and not any(c.id == element.get("id") for c in charts)
            ):
                chart = _chart(box, number, first is None)
                if chart is not None:
                    charts.append(chart)
        used.append(lowest - top)
        lead.append(max((_edge(r, "margin_top") for r in roots), default=0.0))
        tail.append(max((_edge(r, "margin_bottom") for r in roots), default=0.0))
    return Layout(tuple(used), tuple(lead), tuple(tail), area, tuple(charts))


def _chart(figure: Any, page: int, at_top: bool) -> Chart | None:
    from weasyprint.formatting_structure import boxes

    images = [b for b in walk(figure) if isinstance(b, boxes.ReplacedBox)]
    if len(images) != 1:
        return None
    image = images[0]
    _, natural, ratio = image.replacement.get_intrinsic_size(1, 16)
    if not natural:
        return None
    # as tall as its width allows: drawn taller, it would only gain white space
    full = float(image.width) / float(ratio) if ratio else float(image.height)
    return Chart(
        id=str(figure.element.get("id")),
        page=page,
        at_top=at_top,
        height=float(figure.border_height()),
        image=float(image.height),
        smallest=min(float(image.height), float(natural) * MIN_SCALE),
        readable=min(float(natural) * MIN_SCALE, full),
    )


def plan(layout: Layout) -> Plan | None:
    """The second layout :mod:`pagefit` asks for, or None when the first is right."""
    heights: dict[str, float] = {}
    moved: dict[str, int] = {}
    gaps = [layout.area - used for used in layout.used]
    for chart in layout.charts:
        if chart.at_top and chart.page > 0 and gaps[chart.page - 1] > MAX_EMPTY * layout.area:
            back = chart.page - 1  # the margin between it and the page's last block returns
            need = max(layout.tail[back], layout.lead[chart.page]) + chart.height + EPSILON
            over = need - gaps[back]
            if 0 < over <= chart.image - chart.smallest:
                heights[chart.id] = chart.image - over
                moved[chart.id] = back
    pages = None
    last = len(layout.used) - 1
    before = [c for c in layout.charts if c.page == last - 1 and c.id not in heights]
    if last > 0 and before and not any(c.page == last for c in layout.charts):
        need = max(layout.tail[last - 1], layout.lead[last]) + layout.used[last] + EPSILON
        over = need - gaps[last - 1]
        spare = sum(c.image - c.smallest for c in before)
        if 0 < over <= spare:
            for chart in before:
                heights[chart.id] = chart.image - over * (chart.image - chart.smallest) / spare
            pages = last
    if not heights and last > 0 and layout.used[last] < NEAR_EMPTY * layout.area:
        # the closing text alone on the last page: the chart before it goes with it
        ending = [c for c in layout.charts if c.page == last - 1 and not c.at_top]
        if ending and not any(c.page == last for c in layout.charts):
            chart = ending[-1]
            return Plan({}, {chart.id: last}, len(layout.used), (chart.id,))
    if not heights:
        return None
    return Plan(heights, moved, pages)


def kept(planned: Plan, layout: Layout) -> bool:
    """Whether the second layout did what ``planned`` was for."""
    pages = {c.id: c.page for c in layout.charts}
    if any(pages.get(name) != page for name, page in planned.moved.items()):
        return False
    return planned.pages is None or len(layout.used) <= planned.pages


def readable(layout: Layout) -> dict[str, float]:
    """The charts whose text prints under MIN_TEXT_PT (a tall chart, many regions, capped
    by the style sheet's ``max-height``), each with the height that prints it at that;
    never taller than a page's text area holds with its caption."""
    wanted = {c.id: min(c.readable, layout.area - (c.height - c.image)) for c in layout.charts}
    return {c.id: wanted[c.id] for c in layout.charts if c.image < wanted[c.id] - EPSILON / 4}


def refit(source: Any, rendered: Any, **options: Any) -> Any:
    """The better of ``rendered`` (``source.render(**options)``, a WeasyPrint ``HTML``)
    and a second rendering with the charts :func:`plan` shrinks; only documents that
    need it are rendered twice. A chart whose text would print under MIN_TEXT_PT is
    first drawn larger: that rendering is the first one then."""
    from weasyprint import CSS

    layout = layout_of(rendered)
    grown = readable(layout)
    if grown:
        rendered = source.render(stylesheets=[CSS(string=Plan(grown, {}, None).css())], **options)
        layout = layout_of(rendered)
    planned = plan(layout)
    if planned is None:
        return rendered
    heights = {**grown, **planned.heights}
    both = Plan(heights, planned.moved, planned.pages, planned.pushed)
    second = source.render(stylesheets=[CSS(string=both.css())], **options)
    return second if kept(planned, layout_of(second)) else rendered
