"""Figur 1's model and its two renderers: the scale rule, legibility, and the
optional fields (unit, better, two target levels, a reference row) drawn when a
panel has them."""

from __future__ import annotations

import re
from pathlib import Path

from rmr_gen.content import chartmodel, charts
from rmr_gen.content.chartmodel import ChartModel, ChartPanel, ChartRow, Level
from rmr_gen.core.models import Indicator, ReportIndicator, SummaryGroup, SummaryRow, Target
from rmr_gen.output import webchart

FONTS = sorted((Path(__file__).parents[1] / "src/rmr_gen/templates/fonts").glob("Carlito-*.ttf"))


def group(number: int, label: str, target: float, values: dict[str, tuple[float, float]]):
    indicator = ReportIndicator(Indicator(label.lower(), label), label, Target(target))
    rows = tuple(SummaryRow(r, c, c - p, None, p) for r, (p, c) in values.items())
    return SummaryGroup(number, indicator, rows)


GROUPS = (
    group(1, "Täckningsgrad", 80, {"Norrbotten": (60, 51), "Västerbotten": (44, 45)}),
    group(2, "Brytpunktssamtal", 90, {"Norrbotten": (89, 91), "Västerbotten": (86, 86)}),
    group(3, "Opioid", 95, {"Norrbotten": (99, 100), "Västerbotten": (96, 95)}),
)


def svg_text(svg: bytes) -> str:
    return " ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg.decode(), re.S))


def test_every_panel_has_the_same_span_and_ticks_on_whole_steps() -> None:
    model = chartmodel.chart_model(GROUPS, "2022–2023", "2020–2021", 2028)
    scales = [p.scale for p in model.panels]
    assert {s.high - s.low for s in scales} == {40.0}  # Täckningsgrad needs 44–80
    assert scales[0].ticks == (40.0, 50.0, 60.0, 70.0, 80.0)
    assert scales[2].ticks == (60.0, 70.0, 80.0, 90.0, 100.0)  # kept inside 100 %


def test_the_smallest_text_of_the_chart_prints_at_8_pt_or_more() -> None:
    chart = charts.change_chart(GROUPS, "2022–2023", "2020–2021", 2028, FONTS)
    svg = chart.svg.decode()
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    sizes += [float(s) for s in re.findall(r"font:[^;\"]*?([\d.]+)px", svg)]
    assert sizes and min(sizes) >= 8.5
    # drawn at 6.3 in; the page may print it smaller, never under 8 pt
    assert min(sizes) * charts.MIN_SCALE >= 8.0


def test_the_legend_names_the_previous_period() -> None:
    chart = charts.change_chart(GROUPS, "2022–2023", "2020–2021", 2028, FONTS)
    text = svg_text(chart.svg)
    assert "Föregående period (2020–2021)" in text and "plan" not in text
    legend = webchart.legend(chartmodel.chart_model(GROUPS, "2022–2023", "2020–2021", 2028))
    assert legend.previous == "Föregående period (2020–2021)"


def test_small_and_no_changes_keep_their_direction_and_both_marks() -> None:
    model = chartmodel.chart_model(GROUPS, "2022–2023", "2020–2021", 2028)
    rows = {(p.number, r.region): r for p in model.panels for r in p.rows}
    assert rows[(2, "Norrbotten")].direction == 1 and rows[(3, "Västerbotten")].direction == -1
    assert rows[(2, "Västerbotten")].direction == 0
    panels = webchart.web_panels(model)
    dots = {(n, d.region): d for n, p in enumerate(panels, 1) for d in p.dots}
    assert dots[(3, "Norrbotten")].direction == 1 and dots[(3, "Norrbotten")].line_width == 2.5
    # an unchanged value: both marks at one place (the ring is larger than the dot)
    same = dots[(2, "Västerbotten")]
    assert same.previous == same.current and same.line_width == 0.0


def test_optional_fields_are_drawn_and_said() -> None:
    rows = (
        ChartRow("Norrbotten", 30.0, 24.0, "−6", "24 dagar, −6 dagar", 20.0, "Riket"),
        ChartRow("Västerbotten", 28.0, 29.0, "+1", "29 dagar, +1 dag", 20.0, "Riket"),
    )
    panel = ChartPanel(
        1,
        "Väntetid",
        rows,
        unit="dagar",
        better="lower",
        targets=(Level(30.0, "≤"), Level(21.0, "≤")),
    )
    share = ChartPanel(2, "Brytpunktssamtal", (ChartRow("Norrbotten", 80.0, 82.0, "+2", ""),))
    panels = chartmodel.figure_scales([panel, share])
    model = ChartModel(panels, "2022–2023", "2020–2021", 2028)
    days, percent = model.panels
    assert days.scale.low <= 20.0 and days.scale.high >= 30.0  # its own unit's scale
    assert percent.scale.high - percent.scale.low == chartmodel.MIN_SPAN
    heading = chartmodel.panel_heading(days)
    assert (
        heading
        == "1. Väntetid (mål\u00a0≤\u00a030\u00a0dagar / ≤\u00a021\u00a0dagar, lägre är bättre)"
    )
    alt = chartmodel.alt_text(model)
    assert "Referens: Riket 20\u00a0dagar." in alt  # said once, not once per row
    assert "Lägre är bättre." in alt and "Mål ≤\u00a030\u00a0dagar / ≤\u00a021\u00a0dagar." in alt
    svg = charts.draw(model, FONTS)
    text = svg_text(svg)
    assert "Riket" in text and "lägre är bättre" in text and "Dagar" in text
    web = webchart.web_panels(model)
    assert [line.style for line in web[0].targets] == ["dotted", "dashed"]
    assert web[0].dots[0].reference is not None and web[0].dots[0].reference_text
    assert webchart.legend(model).references == ("Riket",)


def test_a_title_never_ends_with_one_word_alone() -> None:
    lines = charts._wrap("4. Vid-behovsordination mot ångest för vuxna i palliativ vård", 2.2)
    assert len(lines) > 1 and " " in lines[-1]


def test_a_cell_the_register_suppressed_is_named_as_the_table_names_it() -> None:
    indicator = ReportIndicator(Indicator("x", "Reoperation", better="lower"), "Reoperation", None)
    rows = (
        SummaryRow("Norrbotten", None, None, None, 6.0, current_suppressed=True, by_register=True),
        SummaryRow("Västerbotten", 4.0, -1.0, None, 5.0),
    )
    model = chartmodel.chart_model([SummaryGroup(1, indicator, rows)], "2024", "2023", 2029)
    text = svg_text(charts.draw(model, FONTS))
    assert "redovisas inte av registret (för få fall)" in text
    assert "färre än 5 fall" not in text
