"""Tabell 1, Figur 1's alternative text and the web page say the same numbers, over
unit × better × one or two levels × reference rows × one or two populations × counts
or values (a property test: the combinations are drawn, the projects built)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rmr_gen.cli import app

REGIONS = ["Norrbotten", "Västerbotten"]
ROW = re.compile(
    r'<th scope="row" class="region">([^<]+)</th>\s*<td class="num"><data value="([^"]*)"[^>]*>'
    r"[^<]*</data>(?: ([^<]+))?</td>"
)
DOT = re.compile(r'<span class="region">([^<]+)</span><span class="values">([^<]+)</span>')


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    unit = draw(st.sampled_from(["procent", "dagar", "antal"]))
    better = draw(st.sampled_from(["higher", "lower"]))
    counts = unit == "procent" and draw(st.booleans())
    two_levels = draw(st.booleans())
    high = 100 if unit == "procent" else 200
    a, b = sorted(draw(st.lists(st.integers(0, high), min_size=2, max_size=2, unique=True)))
    levels = (a, b) if better == "higher" else (b, a)
    return {
        "unit": unit,
        "better": better,
        "counts": counts,
        "target": f"[{levels[0]}, {levels[1]}]" if two_levels else str(levels[0]),
        "reference": draw(st.booleans()),
        "populations": draw(st.sampled_from([1, 2])),
        "values": draw(
            st.lists(st.integers(1, high if not counts else 99), min_size=12, max_size=12)
        ),
    }


def project(root: Path, case: dict[str, object]) -> Path:
    unit, better, counts = case["unit"], case["better"], case["counts"]
    values = iter(case["values"])  # type: ignore[call-overload]
    names = [*REGIONS, *(["Riket"] if case["reference"] else [])]
    two = case["populations"] == 2
    header = (
        "indikator;region;period;"
        + ("population;" if two else "")
        + ("numerator;denominator" if counts else "value")
    )
    lines = [header]
    for name in names:
        for period in ("2024", "2023"):
            for population in ("cancer", "all") if two else ("",):
                value = next(values, 50)
                cell = f"{value};100" if counts else str(value)
                pop = f"{population};" if two else ""
                lines.append(f"x;{name};{period};{pop}{cell}")
    (root / "data").mkdir(parents=True)
    (root / "data" / "d.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (root / "data" / "indicators.toml").write_text(
        f'[x]\nlabel = "Indikator X"\nunit = "{unit}"\nbetter = "{better}"\n', "utf-8"
    )
    folder = root / "reports" / "r"
    folder.mkdir(parents=True)
    reference = 'reference = ["Riket"]' if case["reference"] else ""
    (folder / "report.toml").write_text(
        f"""kind = "processmal"
title = "Test"
organisation = "rcc-norr"
version = "1.0"
target_year = 2029
contents = ["table:t", "chart:f"]

[data]
files = ["d.csv"]
period = "2024"
previous_period = "2023"
regions = {REGIONS!r}
{reference}
[data.columns]
indicator = "indikator"

[[indicators]]
id = "x"
target = {case["target"]}

[tables.t]
type = "indicator-summary"
caption = "Tabell 1."

[charts.f]
type = "change"
caption = "Figur 1."
""".replace("'", '"'),
        "utf-8",
    )
    return root


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=cases())
def test_table_chart_text_and_web_page_agree(
    tmp_path_factory: pytest.TempPathFactory, case: dict[str, object]
) -> None:
    root = project(tmp_path_factory.mktemp("agree"), case)
    result = CliRunner().invoke(app, ["--project", str(root), "build", "--html", "--web"])
    assert result.exit_code == 0, result.output
    printed = (root / "output" / "r" / "r.html").read_text("utf-8")
    web = (root / "output" / "r" / "web" / "index.html").read_text("utf-8")
    table = {region: (value, change or "") for region, value, change in ROW.findall(printed)}
    assert set(table) == {*REGIONS, *(["Riket"] if case["reference"] else [])}
    assert {r: (v, c or "") for r, v, c in ROW.findall(web)} == table  # the same Tabell 1
    alt = html.unescape(re.search(r'<img src="[^"]*" alt="([^"]*)"', printed).group(1))
    # a row's words, without the reference's ("; Riket: 172 dagar") the web page adds
    dots = {html.unescape(r): html.unescape(t).split("; ")[0] for r, t in DOT.findall(web)}
    assert set(dots) == set(REGIONS)
    for region in REGIONS:
        value, change = table[region]
        words = dots[region]
        assert words.startswith(value), (region, words, value)  # the value, then its unit
        if change:
            assert change.strip("()") in words, (region, words, change)
        assert f"{region}: {words}" in alt  # the chart's text says what the web page says
    unit_word = {"procent": "%", "dagar": "dagar", "antal": ""}[case["unit"]]  # type: ignore[index]
    assert unit_word in dots[REGIONS[0]]
    if case["better"] == "lower":
        assert "Lägre är bättre." in alt
    if case["reference"]:
        assert "Riket" in alt
    second_column = "alla diagnoser" in printed
    assert second_column == (case["populations"] == 2)


def test_a_change_of_hundreds_of_days_gets_an_axis() -> None:
    from rmr_gen.content.chartmodel import change_scale

    scale = change_scale([-320.0, 45.0])
    assert scale.low <= -320 and scale.high >= 320 and len(scale.ticks) <= 7
