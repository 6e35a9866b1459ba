"""Figur 1 for print (the only module using matplotlib): the chart model of
:mod:`rmr_gen.content.chartmodel` drawn as SVG, with the model's alternative text.

Two kinds (``[charts.ID] type``):

- ``change``: per indicator and region the previous value (a hollow ring) and the
  current one (a filled dot) with an arrow between them, the target a dashed line.
  The ring is larger than the dot, so an unchanged value shows both; a change too
  short for an arrow gets an arrowhead beside the dot, so ±1 shows its direction.
  Every panel of a unit has the same span (the model's scale rule), so an equal
  change has an equal length in every panel.
- ``change-bars``: per indicator and region a bar of the change, diverging from 0,
  on one scale for the figure.

Both print the change beside each region exactly as Tabell 1 prints it
(:func:`formatting.change_label`), and the alt text gives the same numbers. No
text is drawn under :data:`FONT_PT`; encodings never rely on colour: shape, arrow
direction and line style carry the meaning.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmr_gen.content.chartmodel import (
    UNIT_TITLES,
    ChartModel,
    ChartPanel,
    Scale,
    change_scale,
    chart_model,
    panel_heading,
)
from rmr_gen.core import formatting
from rmr_gen.core.models import CHART_TYPES, SummaryGroup

# A blue/orange pair, the pair that stays apart for every common colour-vision
# deficiency. Simulated (Machado et al. 2009, full severity) current and target
# stay ΔE ≥ 80 apart under protanopia, deuteranopia and tritanopia, and every
# colour ≥ 30 from the grey line and the white page (tests/test_accessibility.py
# checks it). Shape and line style carry the meaning anyway: colour only helps.
INK = "#1b1b1b"
LINE = "#8c8c8c"  # grid, zero line and the text of a suppressed point
CURRENT = "#0b4f8a"  # dark blue, filled circle: distinct from black in grey-scale too
TARGET = "#b35806"  # dark orange, dashed line with its own legend entry
REFERENCE = "#5a5a5a"  # a reference row's value (Riket): a tall bar mark
GRID = "#c8c8c8"
FONT_FAMILY = "Carlito"
KINDS = CHART_TYPES

FIGURE_WIDTH = 6.3  # inches: the text width of an A4 page with the templates' margins
#: Every text of the chart, ticks and notes too: 8.5 pt drawn, at least 8 pt printed.
FONT_PT = 8.5
ROW_IN = 0.2  # one region; 0.17 when a panel has more than four
CHANGE_COLUMN_IN = 0.38  # the printed change, right of each panel
NOTE_PT = FONT_PT  # the smallest text drawn: a suppressed point's note
#: A chart may be printed smaller than drawn (output/pagefit.py), never so small
#: that its smallest text is under 8 pt.
MIN_TEXT_PT = 8.0
MIN_SCALE = MIN_TEXT_PT / NOTE_PT
PREVIOUS_MS = 7.5  # the ring is larger than the dot: an unchanged value shows both
CURRENT_MS = 5.0


@dataclass(frozen=True)
class Chart:
    svg: bytes
    alt: str


def _tick_label(value: float, signed: bool, unit: str = "procent") -> str:
    decimals = 0 if float(value).is_integer() else 1
    if signed:
        return formatting.change(value, decimals)
    text = formatting.number(value, decimals)
    return f"{text}{formatting.NBSP}%" if unit == "procent" else text


def _arrow(ax: Any, start: float, end: float, y: float) -> None:
    ax.annotate(
        "",
        xy=(end, y),
        xytext=(start, y),
        arrowprops={
            "arrowstyle": "-|>",
            "color": INK,
            "lw": 0.9,
            "mutation_scale": 6,
            "shrinkA": PREVIOUS_MS / 2,
            "shrinkB": CURRENT_MS / 2 + 0.3,
        },
        zorder=2,
        annotation_clip=False,
    )


def _draw_dots(ax: Any, panel: ChartPanel, ys: list[float], width_pt: float) -> None:
    """Previous (ring) → current (dot) with an arrow; targets dashed, references a bar."""
    left, right = panel.scale.limits
    per_point = width_pt / (right - left)
    for y, row in zip(ys, panel.rows, strict=True):
        if row.reference is not None:
            ax.plot(row.reference, y, "|", ms=11, mew=1.6, color=REFERENCE, zorder=2)
        if row.current is None:
            continue
        if row.previous is not None:
            ax.plot(row.previous, y, "o", ms=PREVIOUS_MS, mfc="none", mec=INK, mew=1.0, zorder=5)
            length = abs(row.current - row.previous) * per_point
            if length >= (PREVIOUS_MS + CURRENT_MS) / 2 + 5:  # room for a head between them
                _arrow(ax, row.previous, row.current, y)
            elif row.direction:  # a short change: its direction as a head beside the dot
                head = row.current + row.direction * (CURRENT_MS / 2 + 2.6) / per_point
                marker = ">" if row.direction > 0 else "<"
                ax.plot(head, y, marker, ms=4.2, color=INK, mew=0, zorder=6, clip_on=False)
        ax.plot(
            row.current,
            y,
            "o",
            ms=CURRENT_MS,
            color=CURRENT,
            mec=INK,
            mew=0.5,
            zorder=4,
            clip_on=False,
        )
    for number, level in enumerate(panel.targets):
        style = "--" if number == len(panel.targets) - 1 else ":"
        ax.axvline(level.value, color=TARGET, ls=style, lw=1.2, zorder=1)


def _draw_bars(ax: Any, panel: ChartPanel, ys: list[float], scale: Scale) -> Scale:
    """A bar from 0 to the change, on the scale of every panel."""
    for y, row in zip(ys, panel.rows, strict=True):
        if row.current is not None and row.previous is not None and not row.label.startswith("("):
            change = row.current - row.previous
            ax.barh(y, change, height=0.55, color=CURRENT, edgecolor=INK, lw=0.5, zorder=3)
    ax.axvline(0, color=INK, lw=0.8, zorder=4)
    return scale


def _panel(
    fig: Any,
    box: tuple[float, float, float, float],
    panel: ChartPanel,
    kind: str,
    show_regions: bool,
    show_unit: bool,
    min_denominator: int,
    bars: Scale,
) -> Any:
    """One indicator in the rectangle ``box`` (figure fractions of its plot area)."""
    ax = fig.add_axes(box)
    ys = [float(y) for y in range(len(panel.rows))][::-1]
    width_pt = box[2] * fig.get_size_inches()[0] * 72
    if kind == "change-bars":
        scale = _draw_bars(ax, panel, ys, bars)
        label = "Förändring"
    else:
        _draw_dots(ax, panel, ys, width_pt)
        scale = panel.scale
        label = UNIT_TITLES.get(panel.unit, "")
    ax.set_xlim(*scale.limits)
    ax.set_xticks(
        scale.ticks, [_tick_label(t, kind == "change-bars", panel.unit) for t in scale.ticks]
    )
    ax.spines["bottom"].set_bounds(scale.low, scale.high)
    if show_unit:  # the axis title under the lowest panel of each column
        ax.set_xlabel(label, fontsize=FONT_PT, labelpad=2)
    ax.tick_params(axis="x", labelsize=FONT_PT, length=2.5, pad=1.5)
    ax.set_yticks(ys, [r.region for r in panel.rows] if show_regions else [])
    ax.tick_params(axis="y", length=0, labelsize=FONT_PT)
    ax.set_ylim(-0.6, len(panel.rows) - 0.4)
    ax.grid(axis="x", color=GRID, lw=0.6)  # on the ticks, and only there
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    change_x = 1 + (CHANGE_COLUMN_IN - 0.04) / (box[2] * fig.get_size_inches()[0])
    middle = sum(scale.limits) / 2
    for y, row in zip(ys, panel.rows, strict=True):
        ax.text(
            change_x,
            y,
            row.label,
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=FONT_PT,
            color=INK,
        )
        if row.label == formatting.SUPPRESSED:
            ax.text(
                middle,
                y,
                row.text,  # the alternative text's words: the register's or our own reason
                ha="center",
                va="center",
                fontsize=NOTE_PT,
                style="italic",
                color="#555555",
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
    return ax


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


def _legend(fig: Any, model: ChartModel) -> None:
    """The legend above the panels: what the marks of this kind of chart mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    number = "±n = förändring"
    if {p.unit for p in model.panels} <= {"procent"}:
        number += " i procentenheter"
    legend: list[Any]
    if model.kind == "change-bars":
        legend = [
            Patch(
                facecolor=CURRENT,
                edgecolor=INK,
                label=f"Förändring {model.previous_period} → {model.period}",
            ),
            Line2D([], [], ls="", label=number),
        ]
    else:
        goal = f"Målnivå {model.target_year}" if model.target_year else "Målnivå"
        legend = [
            Line2D(
                [],
                [],
                marker="o",
                ms=PREVIOUS_MS,
                ls="",
                mfc="none",
                mec=INK,
                label=f"Föregående period ({model.previous_period})",
            ),
            Line2D(
                [],
                [],
                marker="o",
                ms=CURRENT_MS,
                ls="",
                color=CURRENT,
                mec=INK,
                label=f"Nuläge ({model.period})",
            ),
            Line2D([], [], color=TARGET, ls="--", label=goal),
            *(
                Line2D([], [], marker="|", ms=9, mew=1.6, ls="", color=REFERENCE, label=name)
                for name in model.references
            ),
            Line2D([], [], ls="", label=number),
        ]
    fig.legend(
        handles=legend,
        loc="upper center",
        ncol=len(legend),
        frameon=False,
        bbox_to_anchor=(0.5, 1.0),
        handlelength=1.4,
        handletextpad=0.5,
        columnspacing=1.0,
        fontsize=FONT_PT,
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
    """Tabell 1's groups as Figur 1 (:func:`chartmodel.chart_model`), drawn for print."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    model = chart_model(
        groups, period, previous_period, target_year, decimals, min_denominator, kind, population
    )
    return Chart(draw(model, font_files, min_denominator), model.alt)


def draw(model: ChartModel, font_files: Sequence[Path] = (), min_denominator: int = 5) -> bytes:
    """Every panel of ``model`` in a panel of its own, two panels a row, as SVG."""
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    for font in font_files:
        font_manager.fontManager.addfont(str(font))
    panels = model.panels
    columns = 2 if len(panels) > 1 else 1
    rows = -(-len(panels) // columns)
    regions = max((len(p.rows) for p in panels), default=1)
    longest = max((len(r.region) for p in panels for r in p.rows), default=10)
    left = 0.1 + 0.058 * longest  # region labels at 8.5 pt
    gap = 0.24
    panel_w = (FIGURE_WIDTH - left - 0.05 - gap * (columns - 1)) / columns - CHANGE_COLUMN_IN
    # Titles wrap inside their panel (bold Carlito: at most 0.52 em a character).
    widths = [left - 0.04 + panel_w + CHANGE_COLUMN_IN, panel_w + CHANGE_COLUMN_IN]
    titles = [
        _wrap(panel_heading(p, model.decimals), widths[min(i % columns, 1)])
        for i, p in enumerate(panels)
    ]
    row_in = ROW_IN if regions <= 4 else 0.17
    legend_h, line_h, plot_h, axis_h, unit_h = 0.28, 0.15, row_in * regions, 0.24, 0.14
    title_h = [
        max(len(t) for t in titles[r * columns : (r + 1) * columns]) * line_h + 0.06
        for r in range(rows)
    ]
    height = legend_h + sum(title_h) + rows * (plot_h + axis_h) + unit_h
    bars = change_scale(
        [
            r.current - r.previous
            for p in panels
            for r in p.rows
            if r.current is not None and r.previous is not None and not r.label.startswith("(")
        ]
    )
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]  # keys typed as literals
        fig = Figure(figsize=(FIGURE_WIDTH, height))
        top = height - legend_h
        for r in range(rows):
            top -= title_h[r]
            bottom = top - plot_h
            for c in range(columns):
                index = r * columns + c
                if index >= len(panels):
                    continue
                x = left + c * (panel_w + CHANGE_COLUMN_IN + gap)
                box = (x / FIGURE_WIDTH, bottom / height, panel_w / FIGURE_WIDTH, plot_h / height)
                lowest = index + columns >= len(panels)
                _panel(fig, box, panels[index], model.kind, c == 0, lowest, min_denominator, bars)
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
        _legend(fig, model)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _wrap(title: str, width_in: float) -> list[str]:
    """A title in lines that fit ``width_in``, never ending with one word alone."""
    lines = textwrap.wrap(title, int(width_in * 72 / (FONT_PT * 0.52)))
    if len(lines) > 1 and " " not in lines[-1].strip() and " " in lines[-2]:
        head, _, word = lines[-2].rpartition(" ")
        lines[-2:] = [head, f"{word} {lines[-1]}"]
    return lines


__all__ = ["Chart", "change_chart", "draw"]
