"""Charts of the change since the previous plan (the only module using matplotlib).

One function, :func:`change_chart`, returns the SVG and an alternative text made
from the very numbers it draws, so the same chart serves the PDF and any HTML
edition. Two kinds (``[charts.ID] type``):

- ``change``: per indicator and region an arrow from the previous value (hollow
  circle) to the current one (filled circle), the target as a dashed line. Each
  panel has its own x range, chosen so that a change of one point can be seen,
  with the target inside and ticks at both ends of the axis.
- ``change-bars``: per indicator and region a bar of the change in percentage
  points, diverging from 0.

Both print the change beside each region exactly as Tabell 1 prints it
(:func:`formatting.change_label`), and the alt text gives the same numbers, so a
reader never sees two different changes for one cell. Encodings never rely on
colour: shape, arrow direction and line style carry the meaning.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmr_gen.core import formatting
from rmr_gen.core.models import CHART_TYPES, SummaryGroup, SummaryRow, population_name

# A blue/orange pair, the pair that stays apart for every common colour-vision
# deficiency. Simulated (Machado et al. 2009, full severity) current and target
# stay ΔE ≥ 80 apart under protanopia, deuteranopia and tritanopia, and every
# colour ≥ 30 from the grey line and the white page (tests/test_accessibility.py
# checks it). Shape and line style carry the meaning anyway: colour only helps.
INK = "#1b1b1b"
LINE = "#8c8c8c"  # grid, zero line and the text of a suppressed point
CURRENT = "#0b4f8a"  # dark blue, filled circle: distinct from black in grey-scale too
TARGET = "#b35806"  # dark orange, dashed line with its own legend entry
FONT_FAMILY = "Carlito"
KINDS = CHART_TYPES

FIGURE_WIDTH = 6.3  # inches: the text width of an A4 page with the templates' margins
FONT_PT = 8.5
ROW_IN = 0.2  # one region; 0.17 when a panel has more than four
CHANGE_COLUMN_IN = 0.36  # the printed change, right of each panel
MIN_SPAN = 10.0  # percentage points: one point is at least a tenth of the axis
NOTE_PT = 7.0  # the smallest text drawn: a suppressed point's note
#: A chart may be printed smaller than drawn (output/pagefit.py), never so small
#: that its smallest text is under 6 pt.
MIN_TEXT_PT = 6.0
MIN_SCALE = MIN_TEXT_PT / NOTE_PT


@dataclass(frozen=True)
class Chart:
    svg: bytes
    alt: str


def _units(label: str) -> str:
    plain = label.lstrip("+" + formatting.MINUS)
    return "procentenhet" if plain == "1" else "procentenheter"


def _alt_row(row: SummaryRow, decimals: int, min_denominator: int) -> str:
    """``Norrbotten: 51 %, −9 procentenheter``: the table's numbers, in words."""
    label = formatting.change_label(row, decimals)
    if label == formatting.SUPPRESSED or row.current is None:
        return f"{row.region}: färre än {min_denominator} fall, visas inte"
    shown = formatting.percent(row.current, decimals)
    if label.startswith("("):
        shown += (
            f" (förändringen visas inte: föregående period har färre än {min_denominator} fall)"
        )
    elif label:
        shown += f", {label} {_units(label)}"
    return f"{row.region}: {shown}"


def change_alt_text(
    groups: Sequence[SummaryGroup],
    period: str,
    previous_period: str,
    decimals: int = 0,
    min_denominator: int = 5,
    population: str = "cancer",
) -> str:
    """The chart's content in words: every current value, its change and the target."""
    parts = [
        f"Förändring per indikator och region från {previous_period} till {period}"
        f" ({population_name(population)}):"
        " nuläge och förändring i procentenheter."
    ]
    for group in groups:
        values = "; ".join(_alt_row(row, decimals, min_denominator) for row in group.rows)
        target = group.indicator.target
        goal = f" Mål {formatting.percent(target.level, decimals)}." if target else ""
        parts.append(f"{group.indicator.label}: {values}.{goal}")
    return " ".join(parts)


@dataclass(frozen=True)
class Scale:
    """An x axis: limits with room for markers, and ticks at both ends of the axis line."""

    low: float
    high: float
    ticks: tuple[float, ...]

    @property
    def limits(self) -> tuple[float, float]:
        room = (self.high - self.low) * 0.04  # half a marker at either end
        return self.low - room, self.high + room


def _step(span: float) -> float:
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50):
        if span / step <= 5:
            return step
    return 50


def percent_scale(values: Sequence[float], target: float | None) -> Scale:
    """A range of at least MIN_SPAN points around the values and the target, inside 0–100."""
    points = [*values, *([target] if target is not None else [])] or [0.0, 100.0]
    first, last = min(points), max(points)
    span = max(MIN_SPAN, (last - first) * 1.1 + 2)
    middle = (first + last) / 2
    low, high = middle - span / 2, middle + span / 2
    if low < 0:
        low, high = 0.0, min(100.0, high - low)
    if high > 100:
        low, high = max(0.0, low - (high - 100)), 100.0
    step = _step(high - low)
    low = max(0.0, math.floor(low / step) * step)
    high = min(100.0, math.ceil(high / step) * step)
    count = round((high - low) / step)
    return Scale(low, high, tuple(low + i * step for i in range(count + 1)))


def change_scale(changes: Sequence[float]) -> Scale:
    """A range symmetric around 0 for changes in percentage points."""
    extent = max([abs(c) for c in changes] + [2.0])
    step = _step(2 * extent * 1.1)
    high = math.ceil(extent * 1.1 / step) * step
    count = round(2 * high / step)
    return Scale(-high, high, tuple(-high + i * step for i in range(count + 1)))


def _tick_label(value: float, signed: bool) -> str:
    text = formatting.number(value, 0 if float(value).is_integer() else 1)
    if signed:
        return formatting.change(value, 0 if float(value).is_integer() else 1)
    return f"{text}{formatting.NBSP}%"


def _draw_dots(ax: Any, group: SummaryGroup, ys: list[float], width_pt: float) -> Scale:
    """Previous (hollow) → current (filled) with an arrow; the target dashed."""
    shown = [r for r in group.rows if not r.current_suppressed and r.current is not None]
    values = [r.current for r in shown if r.current is not None]
    values += [r.previous for r in shown if r.previous is not None]
    target = group.indicator.target
    scale = percent_scale(values, target.level if target else None)
    left, right = scale.limits
    per_point = width_pt / (right - left)
    for y, row in zip(ys, group.rows, strict=True):
        if row.current_suppressed or row.current is None:
            continue
        if row.previous is not None:
            ax.plot(
                row.previous, y, "o", ms=5, mfc="white", mec=INK, mew=1.0, zorder=3, clip_on=False
            )
            if abs(row.current - row.previous) * per_point >= 9:  # room for the head
                ax.annotate(
                    "",
                    xy=(row.current, y),
                    xytext=(row.previous, y),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "color": INK,
                        "lw": 0.9,
                        "mutation_scale": 6,
                        "shrinkA": 2.8,
                        "shrinkB": 2.8,
                    },
                    zorder=2,
                    annotation_clip=False,
                )
        ax.plot(row.current, y, "o", ms=5, color=CURRENT, mec=INK, mew=0.5, zorder=4, clip_on=False)
    if target is not None:
        ax.axvline(target.level, color=TARGET, ls="--", lw=1.2, zorder=1)
    return scale


def _shown_changes(groups: Sequence[SummaryGroup]) -> list[float]:
    return [
        r.change
        for g in groups
        for r in g.rows
        if r.change is not None and not (r.current_suppressed or r.previous_suppressed)
    ]


def _draw_bars(ax: Any, group: SummaryGroup, ys: list[float], scale: Scale) -> Scale:
    """A bar from 0 to the change, in percentage points, on the scale of every panel."""
    for y, row in zip(ys, group.rows, strict=True):
        if _shown_changes([SummaryGroup(0, group.indicator, (row,))]):
            ax.barh(y, row.change, height=0.55, color=CURRENT, edgecolor=INK, lw=0.5, zorder=3)
    ax.axvline(0, color=INK, lw=0.8, zorder=4)
    return scale


def _panel(
    fig: Any,
    box: tuple[float, float, float, float],
    group: SummaryGroup,
    kind: str,
    show_regions: bool,
    show_unit: bool,
    decimals: int,
    min_denominator: int,
    bars: Scale,
) -> Any:
    """One indicator in the rectangle ``box`` (figure fractions of its plot area)."""
    ax = fig.add_axes(box)
    ys = [float(y) for y in range(len(group.rows))][::-1]
    width_pt = box[2] * fig.get_size_inches()[0] * 72
    if kind == "change-bars":
        scale = _draw_bars(ax, group, ys, bars)
        label = "Förändring (procentenheter)"
    else:
        scale = _draw_dots(ax, group, ys, width_pt)
        label = "Andel (%)"
    ax.set_xlim(*scale.limits)
    ax.set_xticks(scale.ticks, [_tick_label(t, kind == "change-bars") for t in scale.ticks])
    ax.spines["bottom"].set_bounds(scale.low, scale.high)
    if show_unit:  # the axis title under the lowest panel of each column
        ax.set_xlabel(label, fontsize=7.5, labelpad=2)
    ax.tick_params(axis="x", labelsize=7.5, length=2.5, pad=1.5)
    ax.set_yticks(ys, [r.region for r in group.rows] if show_regions else [])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, len(group.rows) - 0.4)
    ax.grid(axis="x", color="#dedede", lw=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    change_x = 1 + (CHANGE_COLUMN_IN - 0.04) / (box[2] * fig.get_size_inches()[0])
    middle = sum(scale.limits) / 2
    for y, row in zip(ys, group.rows, strict=True):
        text = formatting.change_label(row, decimals)
        ax.text(
            change_x,
            y,
            text,
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=8,
            color=INK,
        )
        if text == formatting.SUPPRESSED:
            ax.text(
                middle,
                y,
                f"färre än {min_denominator} fall, visas inte",
                ha="center",
                va="center",
                fontsize=NOTE_PT,
                style="italic",
                color="#555555",
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
    return ax


def _title(group: SummaryGroup, decimals: int) -> str:
    title = f"{group.number}. {group.indicator.label}"
    if group.indicator.target is not None:
        level = formatting.percent(group.indicator.target.level, decimals)
        title += f" (mål{formatting.NBSP}{level})"
    return title


#: matplotlib's settings for every chart.
_RC = {
    "svg.fonttype": "none",  # text stays text: searchable, tagged, selectable
    "svg.hashsalt": "rmr-gen",  # stable ids: same inputs, same bytes
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "font.size": FONT_PT,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.parse_math": False,
    "axes.unicode_minus": True,
}


def _legend(
    fig: Any, kind: str, period: str, previous_period: str, target_year: int | None
) -> None:
    """The legend above the panels: what the marks of this kind of chart mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    number = "±n = förändring i procentenheter"
    legend: list[Any]
    if kind == "change-bars":
        legend = [
            Patch(
                facecolor=CURRENT,
                edgecolor=INK,
                label=f"Förändring {previous_period} → {period}",
            ),
            Line2D([], [], ls="", label=number),
        ]
    else:
        goal = f"Målnivå {target_year}" if target_year else "Målnivå"
        legend = [
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="white",
                mec=INK,
                label=f"Föregående plan ({previous_period})",
            ),
            Line2D([], [], marker="o", ls="", color=CURRENT, mec=INK, label=f"Nuläge ({period})"),
            Line2D([], [], color=TARGET, ls="--", label=goal),
            Line2D([], [], ls="", label=number),
        ]
    fig.legend(
        handles=legend,
        loc="upper center",
        ncol=len(legend),
        frameon=False,
        bbox_to_anchor=(0.5, 1.0),
        handlelength=1.6,
        columnspacing=1.2,
        fontsize=8,
    )


def change_chart(
    groups: Sequence[SummaryGroup],
    period: str,
    previous_period: str,
    target_year: int | None,
    font_files: Sequence[Path] = (),
    decimals: int = 0,
    min_denominator: int = 5,
    kind: str = "change",
    population: str = "cancer",
) -> Chart:
    """Every indicator in a panel of its own, two panels a row; SVG and alt text."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    for font in font_files:
        font_manager.fontManager.addfont(str(font))
    columns = 2 if len(groups) > 1 else 1
    rows = -(-len(groups) // columns)
    regions = max((len(g.rows) for g in groups), default=1)
    longest = max((len(r.region) for g in groups for r in g.rows), default=10)
    left = 0.1 + 0.058 * longest  # region labels at 8.5 pt
    gap = 0.22
    panel = (FIGURE_WIDTH - left - 0.05 - gap * (columns - 1)) / columns - CHANGE_COLUMN_IN
    # Titles wrap inside their panel (bold Carlito: at most 0.52 em a character).
    widths = [left - 0.04 + panel + CHANGE_COLUMN_IN, panel + CHANGE_COLUMN_IN]
    titles = [
        textwrap.wrap(_title(g, decimals), int(widths[min(i % columns, 1)] * 72 / (FONT_PT * 0.52)))
        for i, g in enumerate(groups)
    ]
    row_in = ROW_IN if regions <= 4 else 0.17
    legend_h, line_h, plot_h, axis_h, unit_h = 0.3, 0.15, row_in * regions, 0.24, 0.13
    title_h = [
        max(len(t) for t in titles[r * columns : (r + 1) * columns]) * line_h + 0.06
        for r in range(rows)
    ]
    height = legend_h + sum(title_h) + rows * (plot_h + axis_h) + unit_h
    bars = change_scale(_shown_changes(groups))  # one scale: the bars compare across panels
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]  # keys typed as literals
        fig = Figure(figsize=(FIGURE_WIDTH, height))
        top = height - legend_h
        for r in range(rows):
            top -= title_h[r]
            bottom = top - plot_h
            for c in range(columns):
                index = r * columns + c
                if index >= len(groups):
                    continue
                x = left + c * (panel + CHANGE_COLUMN_IN + gap)
                box = (x / FIGURE_WIDTH, bottom / height, panel / FIGURE_WIDTH, plot_h / height)
                lowest = index + columns >= len(groups)
                _panel(
                    fig, box, groups[index], kind, c == 0, lowest, decimals, min_denominator, bars
                )
                title_x = (x if c > 0 else 0.04) / FIGURE_WIDTH
                fig.text(
                    title_x,
                    (top + title_h[r] - 0.02) / height,
                    "\n".join(titles[index]),
                    ha="left",
                    va="top",
                    fontsize=FONT_PT,
                    fontweight="bold",
                    linespacing=1.15,
                )
            top = bottom - axis_h
        _legend(fig, kind, period, previous_period, target_year)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    alt = change_alt_text(groups, period, previous_period, decimals, min_denominator, population)
    return Chart(buffer.getvalue(), alt)
