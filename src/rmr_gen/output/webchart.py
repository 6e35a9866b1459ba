"""Figur 1 for screens: the chart model of :mod:`rmr_gen.content.chartmodel` as
plain values for ``templates/web/dotplot.html.j2``, which draws it in HTML.

The same panels, rows, scale and words as the PDF's drawing: each position is
a share (0–100) of the panel's own scale, ticks and grid lines on the same
values, and every track is equally wide, so a change has the same length in
every panel, as in print. Marks are drawn with borders, not backgrounds, so a
page printed without background graphics keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rmr_gen.content.chartmodel import (
    ChartModel,
    ChartPanel,
    chart_model,
    level_text,
    panel_heading,
    value_text,
)
from rmr_gen.core import formatting
from rmr_gen.core.models import Report, SummaryGroup


@dataclass(frozen=True)
class Tick:
    at: float  # 0–100: the share of the track
    label: str


@dataclass(frozen=True)
class Dot:
    """One region in a chart panel: its values in words and where its marks go (0–100)."""

    region: str
    text: str
    previous: float | None
    current: float | None
    direction: int = 0  # +1, −1, 0: the way the change goes, as Tabell 1 prints it
    reference: float | None = None
    reference_text: str = ""
    line_width: float = 0.0  # the change's length, a share of the track (0 when none)


@dataclass(frozen=True)
class Line:
    """A target level across the track: where, and its words (``≥ 90 %``)."""

    at: float
    text: str
    style: str = "dashed"


@dataclass(frozen=True)
class Panel:
    title: str
    targets: tuple[Line, ...]
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]
    unit: str = "procent"


@dataclass(frozen=True)
class Legend:
    previous: str
    current: str
    target: str
    references: tuple[str, ...] = ()


def _at(panel: ChartPanel, value: float | None) -> float | None:
    return None if value is None else round(100 * panel.scale.at(value), 2)


def _length(panel: ChartPanel, start: float | None, end: float | None) -> float:
    if start is None or end is None:
        return 0.0
    return round(100 * abs(end - start) / (panel.scale.high - panel.scale.low), 2)


def _tick(value: float, unit: str) -> str:
    text = formatting.number(value, 0 if float(value).is_integer() else 1)
    return f"{text}{formatting.NBSP}%" if unit == "procent" else text


def web_panels(model: ChartModel) -> tuple[Panel, ...]:
    """The model's panels as positions on each panel's scale and words."""
    panels = []
    for panel in model.panels:
        dots = tuple(
            Dot(
                row.region,
                row.text,
                _at(panel, row.previous),
                _at(panel, row.current),
                row.direction,
                _at(panel, row.reference),
                (
                    f"{row.reference_name}: {value_text(row.reference, panel.unit, model.decimals)}"
                    if row.reference is not None
                    else ""
                ),
                _length(panel, row.previous, row.current),
            )
            for row in panel.rows
        )
        last = len(panel.targets) - 1
        targets = tuple(
            Line(
                _at(panel, level.value) or 0.0,
                level_text(level, panel.unit, model.decimals),
                "dashed" if number == last else "dotted",
            )
            for number, level in enumerate(panel.targets)
        )
        ticks = tuple(
            Tick(round(100 * panel.scale.at(t), 2), _tick(t, panel.unit)) for t in panel.scale.ticks
        )
        panels.append(Panel(panel_heading(panel, model.decimals), targets, dots, ticks, panel.unit))
    return tuple(panels)


def legend(model: ChartModel) -> Legend:
    goal = f"Målnivå {model.target_year}" if model.target_year else "Målnivå"
    return Legend(
        f"Föregående period ({model.previous_period})",
        f"Nuläge ({model.period})",
        goal,
        model.references,
    )


def report_model(report: Report, groups: Sequence[SummaryGroup]) -> ChartModel:
    return chart_model(
        groups,
        report.period,
        report.previous_period,
        report.target_year,
        report.decimals,
        report.min_denominator,
        population=report.population,
    )


def chart_panels(report: Report, groups: Sequence[SummaryGroup]) -> tuple[Panel, ...]:
    """The PDF chart's panels as data for HTML: the same rows, scale and words as its
    alternative text (a suppressed value is named, never drawn)."""
    return web_panels(report_model(report, groups))
