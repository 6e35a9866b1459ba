"""Charts of the change since the previous plan (the only module using matplotlib).

Each chart comes with an alternative text made from the very numbers it draws.
Encodings never rely on colour alone: the previous value is a hollow circle,
the current value a filled one, the target a dashed line with its own label.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmr_gen import formatting
from rmr_gen.models import SummaryGroup, SummaryRow

# A blue/orange pair, the pair that stays apart for every common colour-vision
# deficiency. Simulated (Machado et al. 2009, full severity) current and target
# stay ΔE ≥ 80 apart under protanopia, deuteranopia and tritanopia, and every
# colour ≥ 30 from the grey line and the white page (tests/test_accessibility.py
# checks it). Shape and line style carry the meaning anyway: colour only helps.
INK = "#1b1b1b"
LINE = "#8c8c8c"  # previous → current connector
CURRENT = "#0b4f8a"  # dark blue, filled circle: distinct from black in grey-scale too
TARGET = "#b35806"  # dark orange, dashed line with its own legend entry
FONT_FAMILY = "Carlito"


@dataclass(frozen=True)
class Chart:
    svg: bytes
    alt: str


def _alt_row(row: SummaryRow, decimals: int, min_denominator: int) -> str:
    """``Norrbotten: 60 % → 51 %``; a suppressed value is named, never given."""
    hidden = f"färre än {min_denominator} fall, visas inte"
    if row.current is None:
        shown = hidden
    elif row.previous is not None:
        shown = f"{formatting.percent(row.previous, decimals)} → "
        shown += formatting.percent(row.current, decimals)
    else:
        shown = formatting.percent(row.current, decimals)
        if row.previous_suppressed:
            shown += f" (föregående period: {hidden})"
    return f"{row.region}: {shown}"


def change_alt_text(
    groups: Sequence[SummaryGroup],
    period: str,
    previous_period: str,
    decimals: int = 0,
    min_denominator: int = 5,
) -> str:
    """The chart's content in words: every previous → current value and target."""
    parts = [
        f"Förändring per indikator och region från {previous_period} till {period}"
        " (cancerdiagnoser)."
    ]
    for group in groups:
        values = "; ".join(_alt_row(row, decimals, min_denominator) for row in group.rows)
        target = group.indicator.target
        goal = f" Mål {formatting.percent(target.level, decimals)}." if target else ""
        parts.append(f"{group.indicator.label}: {values}.{goal}")
    return " ".join(parts)


def _draw_group(ax: Any, group: SummaryGroup, show_labels: bool, decimals: int) -> None:
    """One indicator: a line per region from the previous to the current value."""
    positions = list(range(len(group.rows)))[::-1]
    for y, row in zip(positions, group.rows, strict=True):
        # A suppressed value is None and is not drawn; nor is the line that would show
        # its distance to the other period.
        if row.previous is not None and row.current is not None:
            ax.plot([row.previous, row.current], [y, y], color=LINE, lw=1.4, zorder=2)
        if row.previous is not None:
            ax.plot(row.previous, y, "o", ms=5.5, mfc="white", mec=INK, mew=1.1, zorder=3)
        if row.current is not None:
            ax.plot(row.current, y, "o", ms=5.5, color=CURRENT, mec=INK, mew=0.6, zorder=4)
    target = group.indicator.target
    if target is not None:
        ax.axvline(target.level, color=TARGET, ls="--", lw=1.3, zorder=1)
    ax.set_yticks(positions, [r.region for r in group.rows] if show_labels else [])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.7, len(group.rows) - 0.3)
    ax.set_xlim(0, 100)
    title = f"{group.number}. {group.indicator.label}"
    if target is not None:
        title += f" (mål {formatting.percent(target.level, decimals)})"
    ax.set_title(title, loc="left", fontsize=8.5, fontweight="bold")
    ax.grid(axis="x", color="#d9d9d9", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _fixed_layout(fig: Any, groups: Sequence[SummaryGroup], rows: int) -> None:
    """Margins in inches from the text they hold. Same look as tight_layout, which
    measures by drawing the figure once more and costs more than the whole chart."""
    width, height = fig.get_size_inches()
    longest = max((len(r.region) for g in groups for r in g.rows), default=10)
    left = 0.12 + 0.062 * longest  # region labels at 8.5 pt
    top, bottom, title = 0.42, 0.32, 0.3  # legend; x tick labels; a panel's title
    panel = (height - top - bottom) / rows
    fig.subplots_adjust(
        left=left / width,
        right=1 - 0.12 / width,
        top=1 - (top + title) / height,
        bottom=bottom / height,
        hspace=title / (panel - title),
        wspace=0.2,
    )


def change_chart(
    groups: Sequence[SummaryGroup],
    period: str,
    previous_period: str,
    target_year: int | None,
    font_files: Sequence[Path] = (),
    decimals: int = 0,
    min_denominator: int = 5,
) -> Chart:
    """A dot plot per indicator: previous (hollow) → current (filled), target dashed."""
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend
    from matplotlib.lines import Line2D

    for font in font_files:
        font_manager.fontManager.addfont(str(font))
    rc = {
        "svg.fonttype": "none",  # text stays text: searchable, tagged, selectable
        "svg.hashsalt": "rmr-gen",  # stable ids: same inputs, same bytes
        "font.family": [FONT_FAMILY, "DejaVu Sans"],
        "font.size": 8.5,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "text.parse_math": False,
    }
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]  # keys typed as literals
        columns = 2 if len(groups) > 1 else 1
        rows = -(-len(groups) // columns)
        regions = max((len(g.rows) for g in groups), default=1)
        fig = Figure(figsize=(6.3, rows * (0.22 * regions + 0.55) + 0.75))
        axes = fig.subplots(rows, columns, sharex=True, squeeze=False)
        for index, ax in enumerate(axes.flat):
            if index >= len(groups):
                ax.set_visible(False)
                continue
            _draw_group(ax, groups[index], show_labels=index % columns == 0, decimals=decimals)
        for ax in axes[-1, :]:
            ax.set_xticks(range(0, 101, 20), [f"{v}\u00a0%" for v in range(0, 101, 20)])
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
        ]
        fig.legend(
            handles=legend, loc="upper center", ncol=3, frameon=False, bbox_to_anchor=(0.5, 1.0)
        )
        _fixed_layout(fig, groups, rows)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    alt = change_alt_text(groups, period, previous_period, decimals, min_denominator)
    return Chart(buffer.getvalue(), alt)
