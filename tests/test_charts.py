"""Figur 1 against Tabell 1: one change per cell, whichever way the values round.

The fixture's values are chosen so that rounding the previous and the current
value separately gives another change than rounding their difference
(95,6 → 96,4 is ``96 (+1)``, never ``96 % → 96 %``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmr_gen.content import chartmodel
from tests.conftest import copy_project, normalise
from tests.test_suppression import cells

REPORT = "figurtest"
REGIONS = ["Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"]
VALUES = {  # (indicator, region): (previous, current)
    ("brytpunktssamtal", "Jämtland/Härjedalen"): (95.6, 96.4),  # 96 → 96, change +1
    ("brytpunktssamtal", "Västerbotten"): (52.6, 63.4),  # 53 → 63, change +11
    ("brytpunktssamtal", "Norrbotten"): (80.5, 80.4),  # 81 → 80, change 0
    ("brytpunktssamtal", "Västernorrland"): (49.5, 50.4),  # 50 → 50, change +1
    ("munhalsa", "Jämtland/Härjedalen"): (97.4, 99.6),  # at the top of the scale
    ("munhalsa", "Västerbotten"): (100.0, 98.5),  # 100 → 99 (rounded), change −2 (−1,5)
    ("munhalsa", "Norrbotten"): (96.5, 97.4),  # 97 → 97, change +1
    ("munhalsa", "Västernorrland"): (99.5, 100.0),  # 100 → 100, change +1 (0,5)
}

TOML = """\
kind = "processmal"
title = "Figurtest – 2025–2028"
organisation = "rcc-norr"
date = 2025-06-04
version = "1.0"
target_year = 2028
contents = ["table:tabell-1", "chart:figur-1"]

[data]
files = ["figurtest.csv"]
period = "2022–2023"
previous_period = "2021–2022"
regions = {regions}

[[indicators]]
id = "brytpunktssamtal"
target = 90
populations = ["cancer"]

[[indicators]]
id = "munhalsa"
target = 100
populations = ["cancer"]

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1. Nuläge {{period}}."

[charts.figur-1]
type = "{kind}"
caption = "Figur 1. Förändring sedan {{previous_period}}."
"""


EXTRA = ["tackningsgrad", "smartskattning", "vb-angest", "vb-opioid"]


def make_project(root: Path, kind: str = "change", extra: bool = False) -> Path:
    """The fixture project; ``extra`` adds four indicators (a Tabell 1 of six groups)."""
    project = copy_project(root)
    shutil.rmtree(project / "reports")
    folder = project / "reports" / REPORT
    folder.mkdir(parents=True)
    regions = "[" + ", ".join(f'"{r}"' for r in REGIONS) + "]"
    toml = TOML.format(regions=regions, kind=kind)
    values = dict(VALUES)
    if extra:
        for number, indicator in enumerate(EXTRA):
            toml = toml.replace(
                "[tables.",
                f'[[indicators]]\nid = "{indicator}"\ntarget = 90\n'
                'populations = ["cancer"]\n\n[tables.',
                1,
            )
            for offset, region in enumerate(REGIONS):
                values[(indicator, region)] = (70.0 + number, 71.0 + number + offset)
    (folder / "report.toml").write_text(toml, "utf-8")
    lines = ["indicator;region;period;population;value"]
    for (indicator, region), (previous, current) in values.items():
        lines.append(f"{indicator};{region};2021–2022;cancer;{previous}".replace(".", ","))
        lines.append(f"{indicator};{region};2022–2023;cancer;{current}".replace(".", ","))
    (project / "data" / "figurtest.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return project


def figure_labels(pdf: Path) -> dict[str, list[str]]:
    """Per region, the labels printed right of its row in each panel, left to right."""
    labels: dict[str, list[str]] = {}
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            text = page.extract_text() or ""
            if "±n" not in text:  # the chart's legend
                continue
            figure = text[: text.index("Figur 1")]
            for line in figure.splitlines():
                region, *rest = line.split()
                if region in REGIONS:
                    labels[region] = rest
    return labels


@pytest.mark.parametrize("kind", ["change", "change-bars"])
def test_figure_alt_text_and_table_print_the_same_change(tmp_path: Path, run, kind: str) -> None:
    project = make_project(tmp_path / "p", kind)
    result = run(project, "build", REPORT, "--html")
    assert result.exit_code == 0, result.output
    output = project / "output" / REPORT
    table = cells(output / f"{REPORT}.pdf")
    figure = figure_labels(output / f"{REPORT}.pdf")
    html = (output / f"{REPORT}.html").read_text(encoding="utf-8")
    alt = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html).group(1)
    alt = normalise(alt)
    assert "→" not in alt  # rounded previous → current values would disagree with the table
    groups = [[row for row in rows if row[0]] for rows in table.values()]
    assert len(groups) == 2 and set(figure) == set(REGIONS)
    for panel, (label, rows) in enumerate(
        zip(("Brytpunktssamtal", "Munhälsa"), groups, strict=True)
    ):
        alt_group = alt[alt.index(f"{label}: ") :]
        for region, cell, _all in rows:
            value, change = re.fullmatch(r"(\d+) \((.+)\)", cell).groups()
            assert normalise(figure[region][panel]) == change, (region, label)
            unit = "procentenhet" if change.lstrip("+-") == "1" else "procentenheter"
            assert f"{region}: {value} %, {change} {unit}" in alt_group, (region, label)
    # The numbers the fixture was made for, as a reader sees them.
    assert groups[0][0][1] == "96 (+1)" and groups[0][1][1] == "63 (+11)"
    assert groups[0][2][1] == "80 (0)" and groups[1][1][1] == "99 (-2)"


def test_nothing_is_clipped_at_100_percent(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p")
    assert run(project, "build", REPORT).exit_code == 0
    with pdfplumber.open(project / "output" / REPORT / f"{REPORT}.pdf") as document:
        text = " ".join(page.extract_text() or "" for page in document.pages).replace(" ", "")
    assert "100%" in text.split("Figur1")[0].split("±n")[1]  # the tick keeps its %
    assert "(mål100%)" in text


def test_the_printed_figure_has_one_scale_and_text_of_8_pt_or_more(tmp_path: Path, run) -> None:
    """As printed: every character of Figur 1 at least 8 pt, and 10 points are equally
    long in every panel (the fixture's panels need 50–100 % and 96–100 %)."""
    project = make_project(tmp_path / "p", extra=True)
    assert run(project, "build", REPORT).exit_code == 0
    with pdfplumber.open(project / "output" / REPORT / f"{REPORT}.pdf") as document:
        page = next(p for p in document.pages if "±n" in (p.extract_text() or ""))
        words = page.extract_words(extra_attrs=["size"])
        legend = next(w for w in words if w["text"].startswith("±n"))
        caption = next(w for w in words if w["text"] == "Figur")
        figure = [w for w in words if legend["top"] - 1 <= w["top"] < caption["top"] - 1]
    assert figure and min(w["size"] for w in figure) >= 8.0
    ticks: dict[float, list[tuple[float, int]]] = {}  # per axis line: (x, value)
    for word in figure:
        if tick := re.fullmatch(r"(\d+)\s?%", word["text"]):
            x = (word["x0"] + word["x1"]) / 2
            ticks.setdefault(round(word["top"]), []).append((x, int(tick.group(1))))
    per_point = {
        round((b[0] - a[0]) / (b[1] - a[1]), 2)
        for line in ticks.values()
        for a, b in zip(sorted(line), sorted(line)[1:], strict=False)
        if b[1] > a[1]  # not from one panel's last tick to the next panel's first
    }
    assert len(ticks) >= 2 and max(per_point) - min(per_point) < 0.05, per_point


def test_an_unknown_chart_type_is_refused(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p", kind="change-bar")
    result = run(project, "build", REPORT)
    assert result.exit_code == 2
    assert "report.toml" in result.output
    assert "unknown chart type 'change-bar' (did you mean 'change-bars'?)" in result.output
    assert not (project / "output" / REPORT).exists()


def test_an_assumed_previous_period_is_a_note_at_every_check(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p")
    toml = project / "reports" / REPORT / "report.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'previous_period = "2021–2022"\n',
        'previous_period = "2021–2022"\nprevious_period_assumed = "not in the source"\n',
    )
    toml.write_text(text, encoding="utf-8")
    line = text.splitlines().index('previous_period_assumed = "not in the source"') + 1
    for command in ("check", "build"):
        result = run(project, command, REPORT)
        assert result.exit_code == 0, result.output
        assert (
            f"reports/{REPORT}/report.toml:{line}: note: the previous period '2021–2022'"
            " is an assumption, not from the source: not in the source"
        ) in result.output
    assert (project / "output" / REPORT / f"{REPORT}.pdf").is_file()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 100), min_size=1, max_size=8), min_size=1, max_size=6),
    st.one_of(st.none(), st.integers(0, 100)),
)
def test_every_panel_has_one_span_round_ticks_and_holds_its_values(
    panels: list[list[int]], target: int | None
) -> None:
    """One scale rule: every panel of a figure covers the same span (an equal change
    is equally long in every panel), inside 0–100, with ticks every 5 or 10 (20)."""
    model = chartmodel.figure_scales(
        [
            chartmodel.ChartPanel(
                n,
                "x",
                tuple(chartmodel.ChartRow("r", v, v, "0", "") for v in values),
                targets=(chartmodel.Level(float(target)),) if target is not None else (),
            )
            for n, values in enumerate(panels)
        ]
    )
    spans = {p.scale.high - p.scale.low for p in model}
    assert len(spans) == 1 and spans.pop() >= chartmodel.MIN_SPAN
    for panel, values in zip(model, panels, strict=True):
        scale = panel.scale
        assert 0 <= scale.low < scale.high <= 100
        steps = {round(b - a, 6) for a, b in zip(scale.ticks, scale.ticks[1:], strict=False)}
        assert len(steps) == 1 and steps.pop() in (5, 10, 20)
        assert all(t % 5 == 0 for t in scale.ticks)  # never 77,5 %
        assert scale.ticks[0] == scale.low and scale.ticks[-1] == scale.high
        for value in [*values, *([target] if target is not None else [])]:
            assert scale.low <= value <= scale.high


@given(st.lists(st.floats(-100, 100), max_size=30))
def test_the_bars_scale_is_symmetric_and_holds_every_change(changes: list[float]) -> None:
    scale = chartmodel.change_scale(changes)
    assert scale.low == -scale.high and 0 in scale.ticks
    assert all(scale.low <= c <= scale.high for c in changes)
