"""Figur 1 as data: one model that the print renderer (:mod:`rmr_gen.content.charts`,
matplotlib → SVG) and the screen renderer (``output/web.py`` and ``templates/web/``)
both draw, so that print and screen show the same figure.

A :class:`ChartModel` holds a :class:`ChartPanel` per indicator and a
:class:`ChartRow` per region, with the scale each panel is drawn on. The scale
rule (:func:`figure_scales`) is one rule for both renderers:

- one span per unit within a figure: every panel of a unit covers the same
  number of points (days, cases), and every panel is drawn equally wide, so an
  equal change has an equal length in every panel;
- each panel places that span around its own values, on a multiple of the
  tick step, inside 0–100 for a percentage;
- ticks are round (every 5 or 10 points; 20 when a span is wider than 60) and
  the grid lines are drawn on the ticks.

A panel's optional fields have defaults that match what every report has
today: ``unit`` "procent", ``better`` "higher", the targets as
:class:`Level` values with their operator, and per row an optional reference
value (``Riket``) drawn as a mark of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rmr_gen.core import formatting
from rmr_gen.core.models import SummaryGroup, SummaryRow, population_name

UNITS = ("procent", "dagar", "antal")
BETTER = ("higher", "lower")
#: Percentage points: a panel covers at least this many, one point a tenth of it.
MIN_SPAN = 10.0
#: The axis title of each unit (under the lowest panel of each column).
UNIT_TITLES = {"procent": "Andel (%)", "dagar": "Dagar", "antal": "Antal"}
#: The change in words, per unit (one, many).
CHANGE_WORDS = {
    "procent": ("procentenhet", "procentenheter"),
    "dagar": ("dag", "dagar"),
    "antal": ("", ""),
}


@dataclass(frozen=True)
class Level:
    """A target level with its operator as printed: ``≥ 90 %``."""

    value: float
    operator: str = "≥"


@dataclass(frozen=True)
class Scale:
    """An x axis: its ends are ticks, and the grid lines are on the ticks."""

    low: float
    high: float
    ticks: tuple[float, ...]

    @property
    def limits(self) -> tuple[float, float]:
        room = (self.high - self.low) * 0.04  # half a marker at either end
        return self.low - room, self.high + room

    def at(self, value: float) -> float:
        """Where ``value`` lies on the axis, 0 (low) to 1 (high), kept inside."""
        return min(1.0, max(0.0, (value - self.low) / (self.high - self.low)))


@dataclass(frozen=True)
class ChartRow:
    """One region of a panel: its values, the change as Tabell 1 prints it, its words."""

    region: str
    previous: float | None  # None when not drawn (suppressed, missing)
    current: float | None
    label: str  # the change as Tabell 1 prints it: "+1", "0", "(–)", "–", ""
    text: str  # the alternative text's words for this row, without the region
    reference: float | None = None
    reference_name: str = ""  # e.g. "Riket"

    @property
    def direction(self) -> int:
        """+1 up, −1 down, 0 unchanged or no change to show (from the printed label)."""
        plain = self.label.lstrip("+" + formatting.MINUS)
        if not self.label or self.label.startswith("(") or self.label == formatting.SUPPRESSED:
            return 0
        if plain.replace(",", "").strip("0") == "":
            return 0
        return -1 if self.label.startswith(formatting.MINUS) else 1


@dataclass(frozen=True)
class ChartPanel:
    """One indicator: its title, rows, unit, direction of improvement and targets."""

    number: int
    label: str
    rows: tuple[ChartRow, ...]
    unit: str = "procent"
    better: str = "higher"
    targets: tuple[Level, ...] = ()
    scale: Scale = Scale(0.0, 100.0, (0.0, 50.0, 100.0))
    #: print every level's operator (written in report.toml, lower is better, two levels);
    #: else a single at-least target prints as ``mål 90 %``
    show_operators: bool = False

    @property
    def title(self) -> str:
        return f"{self.number}. {self.label}"

    def with_scale(self, scale: Scale) -> ChartPanel:
        from dataclasses import replace

        return replace(self, scale=scale)


@dataclass(frozen=True)
class ChartModel:
    """Figur 1: its panels (each with its scale), the periods and the alternative text."""

    panels: tuple[ChartPanel, ...]
    period: str
    previous_period: str
    target_year: int | None
    kind: str = "change"
    decimals: int = 0
    alt: str = ""

    @property
    def references(self) -> tuple[str, ...]:
        """The names of the reference marks drawn, in order (for the legend)."""
        names = (r.reference_name for p in self.panels for r in p.rows if r.reference is not None)
        return tuple(dict.fromkeys(n for n in names if n))

    @property
    def lower_is_better(self) -> bool:
        return any(p.better == "lower" for p in self.panels)


def value_text(value: float, unit: str, decimals: int = 0) -> str:
    """``51 %``, ``12 dagar``, ``7``: a value as the tables print it, with its unit."""
    if unit == "procent":
        return formatting.percent(value, decimals)
    text = formatting.number(value, decimals)
    return f"{text}{formatting.NBSP}dagar" if unit == "dagar" else text


def level_text(level: Level, unit: str, decimals: int = 0, operator: bool = True) -> str:
    shown = value_text(level.value, unit, decimals)
    return f"{level.operator}{formatting.NBSP}{shown}" if operator else shown


def targets_text(panel: ChartPanel, decimals: int = 0) -> str:
    """``mål 90 %`` (today's single at-least target), else with operators: ``mål ≥ 80 %
    / ≥ 90 %``."""
    if not panel.targets:
        return ""
    plain = (
        not panel.show_operators and len(panel.targets) == 1 and panel.targets[0].operator == "≥"
    )
    levels = " / ".join(level_text(t, panel.unit, decimals, not plain) for t in panel.targets)
    return f"mål{formatting.NBSP}{levels}"


def panel_heading(panel: ChartPanel, decimals: int = 0) -> str:
    """``1. Brytpunktssamtal (mål 90 %)``; ``, lägre är bättre`` when it is."""
    notes = [t for t in (targets_text(panel, decimals),) if t]
    if panel.better == "lower":
        notes.append("lägre är bättre")
    return panel.title + (f" ({', '.join(notes)})" if notes else "")


def _change_units(label: str, unit: str) -> str:
    one, many = CHANGE_WORDS.get(unit, ("", ""))
    plain = label.lstrip("+" + formatting.MINUS)
    word = one if plain == "1" else many
    return f" {word}" if word else ""


def alt_row(row: SummaryRow, decimals: int, min_denominator: int, unit: str = "procent") -> str:
    """``Norrbotten: 51 %, −9 procentenheter``: the table's numbers, in words."""
    label = formatting.change_label(row, decimals)
    if (label == formatting.SUPPRESSED or row.current is None) and row.by_register:
        return f"{row.region}: redovisas inte av registret (för få fall)"
    if label == formatting.SUPPRESSED or row.current is None:
        return f"{row.region}: färre än {min_denominator} fall, visas inte"
    shown = value_text(row.current, unit, decimals)
    if label.startswith("("):
        shown += (
            f" (förändringen visas inte: föregående period har färre än {min_denominator} fall)"
        )
    elif label:
        shown += f", {label}{_change_units(label, unit)}"
    return f"{row.region}: {shown}"


def alt_text(model: ChartModel, population: str = "cancer") -> str:
    """The chart's content in words: every current value, its change and the target."""
    units = {p.unit for p in model.panels} or {"procent"}
    how = (
        "nuläge och förändring i procentenheter"
        if units == {"procent"}
        else "nuläge och förändring"
    )
    parts = [
        f"Förändring per indikator och region från {model.previous_period} till {model.period}"
        f" ({population_name(population)}): {how}."
    ]
    for panel in model.panels:
        values = "; ".join(f"{r.region}: {r.text}" for r in panel.rows)
        refs = "; ".join(
            dict.fromkeys(
                f"{r.reference_name or 'referens'} {value_text(ref, panel.unit, model.decimals)}"
                for r in panel.rows
                if (ref := r.reference) is not None
            )
        )
        more = f" Referens: {refs}." if refs else ""
        goal = ""
        if panel.targets:
            plain = (
                not panel.show_operators
                and len(panel.targets) == 1
                and panel.targets[0].operator == "≥"
            )
            goal = (
                " Mål "
                + " / ".join(
                    level_text(t, panel.unit, model.decimals, not plain) for t in panel.targets
                )
                + "."
            )
        better = " Lägre är bättre." if panel.better == "lower" else ""
        parts.append(f"{panel.label}: {values}.{more}{goal}{better}")
    return " ".join(parts)


def _step(span: float, unit: str) -> float:
    """Round ticks: every 5 or 10 points (20 beyond 60); other units 1, 2, 5 × 10ⁿ."""
    if unit == "procent":
        return 5.0 if span <= 25 else 10.0 if span <= 60 else 20.0
    magnitude = 10 ** math.floor(math.log10(max(span, 1.0)))
    for factor in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        step = factor * magnitude
        if step >= 1 and span / step <= 6:
            return float(step)
    return float(10 * magnitude)


def _points(panel: ChartPanel) -> list[float]:
    values = [v for r in panel.rows for v in (r.previous, r.current, r.reference) if v is not None]
    return values + [t.value for t in panel.targets]


def figure_scales(panels: Sequence[ChartPanel]) -> tuple[ChartPanel, ...]:
    """Each panel with its scale: one span per unit, placed around the panel's values."""
    spans: dict[str, float] = {}
    for unit in dict.fromkeys(p.unit for p in panels):
        needed = [max(pts) - min(pts) for p in panels if p.unit == unit if (pts := _points(p))]
        widest = max(needed, default=0.0)
        least = MIN_SPAN if unit == "procent" else 1.0
        span = _whole(max(least, widest), unit)
        # snapping a panel's values to the steps may need one step more
        while any(_snapped(p, _step(span, unit)) > span for p in panels if p.unit == unit):
            span = _whole(span + _step(span, unit), unit)
        spans[unit] = min(span, 100.0) if unit == "procent" else span
    return tuple(p.with_scale(_place(p, spans[p.unit])) for p in panels)


def _whole(span: float, unit: str) -> float:
    """``span`` rounded up to whole ticks of the step it is then drawn with."""
    while (rounded := math.ceil(span / _step(span, unit)) * _step(span, unit)) != span:
        span = rounded
    return span


def _snapped(panel: ChartPanel, step: float) -> float:
    points = _points(panel) or [0.0]
    return math.ceil(max(points) / step) * step - math.floor(min(points) / step) * step


def _place(panel: ChartPanel, span: float) -> Scale:
    """``span`` points on ``panel``'s values, on whole steps, inside 0–100 for a share."""
    step = _step(span, panel.unit)
    points = _points(panel) or [0.0]
    middle = (min(points) + max(points)) / 2
    low = math.floor(min(points) / step) * step
    # centre the values in the span, in whole steps, never leaving one out
    while low + span - max(points) > middle - low + step / 2 and low - step >= 0:
        low -= step
    if low + span < max(points):
        low = math.ceil(max(points) / step) * step - span
    low = max(0.0, low)
    if panel.unit == "procent" and low + span > 100:
        low = 100.0 - span
    count = round(span / step)
    return Scale(low, low + span, tuple(low + i * step for i in range(count + 1)))


def change_scale(changes: Sequence[float]) -> Scale:
    """A range symmetric around 0 for the changes (bars), round ticks, one for the figure."""
    extent = max([abs(c) for c in changes] + [2.0])
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if 2 * extent * 1.1 / s <= 6)
    high = math.ceil(extent * 1.1 / step) * step
    count = round(2 * high / step)
    return Scale(-high, high, tuple(-high + i * step for i in range(count + 1)))


def chart_model(
    groups: Sequence[SummaryGroup],
    period: str,
    previous_period: str,
    target_year: int | None,
    decimals: int = 0,
    min_denominator: int = 5,
    kind: str = "change",
    population: str = "cancer",
) -> ChartModel:
    """Tabell 1's groups as Figur 1: a panel per indicator, scaled by :func:`figure_scales`."""
    panels = []
    for group in groups:
        target = group.indicator.target
        unit, better = group.indicator.unit, group.indicator.better
        # the first reference row (Riket) with a value: a mark on every region's line
        reference = next(((r.region, r.current) for r in group.reference if r.current), None)
        rows = tuple(_row(row, decimals, min_denominator, unit, reference) for row in group.rows)
        levels = tuple(Level(level, target.operator) for level in target.levels) if target else ()
        panels.append(
            ChartPanel(
                group.number,
                group.indicator.label,
                rows,
                unit=unit,
                better=better,
                targets=levels,
                show_operators=bool(target and target.shown),
            )
        )
    model = ChartModel(figure_scales(panels), period, previous_period, target_year, kind, decimals)
    return ChartModel(
        model.panels,
        period,
        previous_period,
        target_year,
        kind,
        decimals,
        alt_text(model, population),
    )


def _row(
    row: SummaryRow,
    decimals: int,
    min_denominator: int,
    unit: str = "procent",
    reference: tuple[str, float | None] | None = None,
) -> ChartRow:
    shown = not row.current_suppressed and row.current is not None
    words = alt_row(row, decimals, min_denominator, unit)[len(row.region) + 2 :]
    name, value = reference if reference else ("", None)
    return ChartRow(
        row.region,
        row.previous if shown else None,
        row.current if shown else None,
        formatting.change_label(row, decimals),
        words,
        value,
        name,
    )
