"""Every cancer process, not only palliative care: a register export with its own headers,
lead times in days, lower-is-better indicators, one or two target levels, the national
row and the register's own suppressed cells, read and printed as a reader expects.

Every number a test reads from the PDF is recomputed here from the export's counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import normalise, pdf_pages_text

REGIONS = ["Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"]
REPORT = "brost"
#: The export: (indicator as the register names it, region, year) → counts or a median.
COUNTS = {
    ("MDK före behandling", 2023): [(78, 84), (180, 190), (150, 165), (140, 151), (7900, 8400)],
    ("MDK före behandling", 2024): [(80, 85), (188, 195), (149, 160), (150, 158), (8100, 8500)],
    ("Reoperation", 2023): [(6, 84), (9, 190), (12, 165), (8, 151), (560, 8400)],
    ("Reoperation", 2024): [("<5", 85), (8, 195), (10, 160), (7, 158), (520, 8500)],
}
MEDIANS = {
    2023: [34, 29, 38, 31, 30],
    2024: [31, 27, 41, 30, 29],
}
NAMES = [*REGIONS, "Riket"]

TOML = """\
kind = "processmal"
title = "Processmål bröstcancer"
organisation = "rcc-norr"
version = "1.0"
target_year = 2029
contents = ["table:tabell-1"{chart_entry}]

[data]
files = ["nkbc.csv"]
period = "2024"
previous_period = "2023"
regions = ["Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"]
reference = ["Riket"]
{data}
[data.columns]
indicator = "Indikator"
period = "År"
numerator = "Täljare"
denominator = "Nämnare"
value = "Median dagar"

[[indicators]]
id = "brost-mdk"
target = {mdk_target}

[[indicators]]
id = "brost-ledtid-operation"
target = {days_target}

[[indicators]]
id = "brost-reoperation"
target = {reop_target}

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1. Nuläge {{period}}."
{chart}"""

CHART = """
[charts.figur-1]
type = "change"
caption = "Figur 1. Förändring."
"""


def export(marker: str = "<5", lines: list[str] | None = None) -> str:
    rows = ["Indikator;Region;År;Täljare;Nämnare;Median dagar"]
    for (indicator, year), counts in COUNTS.items():
        for name, (numerator, denominator) in zip(NAMES, counts, strict=True):
            shown = marker if numerator == "<5" else numerator
            rows.append(f"{indicator};{name};{year};{shown};{denominator};")
    for year, medians in MEDIANS.items():
        for name, median in zip(NAMES, medians, strict=True):
            rows.append(
                f"Välgrundad misstanke till operation, median dagar;{name};{year};;;{median}"
            )
    return "\r\n".join([*rows, *(lines or [])]) + "\r\n"


def make(
    root: Path,
    data: str | None = None,
    *,
    settings_: str = "",
    mdk_target: str = "[90, 99]",
    days_target: str = "28",
    reop_target: str = "[10, 5]",
    chart: bool = False,
    indicators_toml: str = "",
) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "data" / "nkbc.csv").write_text(data if data is not None else export(), "utf-8")
    if indicators_toml:
        (root / "data" / "indicators.toml").write_text(indicators_toml, "utf-8")
    folder = root / "reports" / REPORT
    folder.mkdir(parents=True)
    text = TOML.format(
        data=settings_,
        mdk_target=mdk_target,
        days_target=days_target,
        reop_target=reop_target,
        chart_entry=', "chart:figur-1"' if chart else "",
        chart=CHART if chart else "",
    )
    (folder / "report.toml").write_text(text, "utf-8")
    return root


def pdf(root: Path) -> Path:
    return root / "output" / REPORT / f"{REPORT}.pdf"


def refused(result, *lines: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for line in lines:
        assert any(line in e for e in result.stderr.splitlines()), (
            f"{line!r} not in:\n{result.stderr}"
        )


def rounded(value: float) -> int:
    return int(value + 0.5)  # half up, as printed


def change(now: float, before: float) -> str:
    step = rounded(abs(now - before))
    return "0" if step == 0 else f"{'+' if now > before else '-'}{step}"


def tables(path: Path) -> list[list[str]]:
    with pdfplumber.open(path) as document:
        return [
            [normalise(cell or "") for cell in row]
            for page in document.pages
            for table in page.extract_tables()
            for row in table
        ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    root = make(tmp_path_factory.mktemp("brost"))
    result = CliRunner().invoke(app, ["--project", str(root), "build", "--html"])
    assert result.exit_code == 0, result.output
    return root, result


def test_every_printed_number_is_recomputed_from_the_export(built) -> None:
    root, _ = built
    rows = tables(pdf(root))
    cells = {}
    group = ""
    for row in rows:
        first = row[0]
        if first[:2] in ("1.", "2.", "3."):
            group = first[:1]
        elif first in NAMES and group:
            cells[(group, first)] = row[1]
    for i, name in enumerate(NAMES):
        now, before = (
            COUNTS[("MDK före behandling", 2024)][i],
            COUNTS[("MDK före behandling", 2023)][i],
        )
        a, b = 100 * now[0] / now[1], 100 * before[0] / before[1]
        assert cells[("1", name)] == f"{rounded(a)} ({change(a, b)})", name
        days_now, days_before = MEDIANS[2024][i], MEDIANS[2023][i]
        assert cells[("2", name)] == f"{days_now} ({change(days_now, days_before)})", name
        reop_now, reop_before = COUNTS[("Reoperation", 2024)][i], COUNTS[("Reoperation", 2023)][i]
        if reop_now[0] == "<5":
            assert cells[("3", name)] == "-", name  # the register suppressed it: never a number
        else:
            a, b = 100 * reop_now[0] / reop_now[1], 100 * reop_before[0] / reop_before[1]
            assert cells[("3", name)] == f"{rounded(a)} ({change(a, b)})", name


def test_units_operators_and_two_levels_are_printed(built) -> None:
    root, _ = built
    text = normalise(" ".join(pdf_pages_text(pdf(root))))
    assert "≥ 90 / ≥ 99" in text  # two levels, the lower first
    assert "≤ 28" in text  # one level of a lower-is-better lead time
    assert "≤ 10 / ≤ 5" in text  # lower is better: the lower målnivå 10 % is reached first
    assert "(dagar)" in text and "(%)" in text  # a table of two units names each
    assert "Nuläge %" not in text  # not every column is a percentage
    assert "alla diagnoser" not in text  # one population: one value column
    assert "registret redovisar inte värdet" in text
    html = (root / "output" / REPORT / f"{REPORT}.html").read_text("utf-8")
    assert html.count('<tr class="reference">') == 3  # Riket under each indicator
    assert "(förändring i procentenheter respektive dagar)</th>" in html


def test_periods_headers_and_notes_are_said(built) -> None:
    _, result = built
    assert "Traceback" not in result.output
    assert "note:" not in result.stderr  # Riket is printed: not left out with a note


@pytest.mark.parametrize("marker", ["<5", "*", "..", "x", "n<10", "–"])
def test_a_register_marker_is_a_suppressed_cell(tmp_path: Path, run, marker: str) -> None:
    root = make(tmp_path, export(marker))
    result = run(root, "check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"days_target": "[20, 30]"}, "[20, 30] must be falling ([10, 5]: lower is better)"),
        ({"mdk_target": "[99, 90]"}, "levels [99, 90] must be rising ([80, 95])"),
        (
            {"reop_target": '{ level = 5, operator = "≥" }'},
            "'operator' ≥ contradicts the indicator",
        ),
        ({"mdk_target": "120"}, "target level 120 is outside 0–100 %"),
        ({"days_target": "-3"}, "target level -3 is below 0 (dagar)"),
        ({"mdk_target": "[80, 90, 95]"}, "a list of target levels has two"),
        ({"settings_": 'reference = ["Norrbotten"]'}, None),
    ],
)
def test_a_wrong_target_or_reference_is_refused_with_its_line(
    tmp_path: Path, run, setting: dict[str, str], message: str | None
) -> None:
    if "settings_" in setting:  # reference is already set: replace the line
        root = make(tmp_path)
        toml = root / "reports" / REPORT / "report.toml"
        toml.write_text(
            toml.read_text("utf-8").replace('reference = ["Riket"]', setting["settings_"]), "utf-8"
        )
        refused(run(root, "check"), "in data.reference is a region")
        return
    root = make(tmp_path, **setting)
    result = run(root, "check")
    refused(result, "reports/brost/report.toml:")
    assert message is not None and message in result.stderr


def test_a_lead_time_above_100_is_read_and_a_negative_one_refused(tmp_path: Path, run) -> None:
    data = export().replace(";;;41\r\n", ";;;108\r\n")
    assert run(make(tmp_path / "a", data), "check").exit_code == 0
    data = export().replace(";;;41\r\n", ";;;-4\r\n")
    result = run(make(tmp_path / "b", data), "check")
    refused(result, "error: value -4 is below 0 (dagar of brost-ledtid-operation)")


def test_counts_for_a_lead_time_are_refused(tmp_path: Path, run) -> None:
    data = export().replace(";;;41\r\n", ";12;40;\r\n")
    refused(
        run(make(tmp_path, data), "check"),
        "brost-ledtid-operation is measured in dagar: numerator and denominator give a"
        " percentage; give its value instead",
    )


def test_a_missing_reference_row_is_named_never_left_out(tmp_path: Path, run) -> None:
    data = "\r\n".join(
        line for line in export().split("\r\n") if not line.startswith("Reoperation;Riket;2024")
    )
    refused(
        run(make(tmp_path, data), "check"),
        "Riket, Reoperation inom 30 dagar, 2024, cancer: missing",
    )


def test_a_mapped_header_the_file_lacks_is_refused(tmp_path: Path, run) -> None:
    data = export().replace("Median dagar", "Median")
    refused(
        run(make(tmp_path, data), "check"),
        "data/nkbc.csv:1: error: data.columns names the header 'Median dagar' for 'value',"
        " but the file has no such column",
    )


def test_a_sjukvardsregion_subtotal_is_left_out_with_a_note(tmp_path: Path, run) -> None:
    data = export(lines=["MDK före behandling;Norra sjukvårdsregionen;2024;460;500;"])
    result = run(make(tmp_path, data), "check")
    assert result.exit_code == 0, result.output
    assert "'Norra sjukvårdsregionen' is a sjukvårdsregion's total, not a region" in result.stderr


@pytest.mark.parametrize(
    ("written", "read"),
    [("helår 2024", "2024"), ("2024-01-01–2024-12-31", "2024"), ("År 2024", "2024")],
)
def test_periods_as_registers_write_them_are_read_with_a_note(
    tmp_path: Path, run, written: str, read: str
) -> None:
    data = export().replace(";2024;", f";{written};")
    result = run(make(tmp_path, data), "check")
    assert result.exit_code == 0, result.output
    assert f"note: period '{written}' read as {read}" in result.stderr


def test_a_period_of_dates_that_is_not_whole_years_is_refused(tmp_path: Path, run) -> None:
    data = export().replace(";2024;", ";2023-07-01–2024-06-30;")
    refused(run(make(tmp_path, data), "check"), "is not whole calendar years")


def test_indicators_lists_the_project_and_rmr_gen_indicators(tmp_path: Path, run) -> None:
    own = '[ledtid-x]\nlabel = "Ledtid X"\nunit = "dagar"\nbetter = "lower"\naliases = ["LX"]\n'
    root = make(tmp_path, indicators_toml=own)
    result = run(root, "indicators", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed == [
        {
            "id": "ledtid-x",
            "label": "Ledtid X",
            "unit": "dagar",
            "better": "lower",
            "aliases": ["LX"],
            "defined_by": "project",
            "description": "",
        }
    ]
    text = run(make(tmp_path / "pkg"), "indicators")
    assert (
        "brost-ledtid-operation\tVälgrundad misstanke till operation\tdagar\tlower\trmr-gen"
        in text.stdout
    )


def test_an_unknown_unit_is_refused_with_its_line(tmp_path: Path, run) -> None:
    own = '[ledtid-x]\nlabel = "Ledtid X"\nunit = "timmar"\n'
    refused(
        run(make(tmp_path, indicators_toml=own), "indicators"),
        "data/indicators.toml:3: error: 'ledtid-x.unit' must be 'procent' or 'dagar' or 'antal'",
    )


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    mdk=st.one_of(
        st.integers(-10, 120).map(str),
        st.lists(st.integers(-5, 110), min_size=1, max_size=3).map(str),
        st.sampled_from(['{ level = 90, operator = "=" }', '{ level = 90, operator = "<" }']),
    ),
    days=st.one_of(
        st.integers(-5, 200).map(str), st.lists(st.integers(0, 60), max_size=3).map(str)
    ),
    unit=st.sampled_from(["procent", "dagar", "antal", "timmar"]),
    better=st.sampled_from(["higher", "lower", "up"]),
    reference=st.sampled_from(['["Riket"]', "[]", '["Riket", "Riket"]', '["Dalarna"]']),
)
def test_every_option_is_accepted_or_refused_never_a_bug(
    tmp_path_factory: pytest.TempPathFactory, mdk, days, unit, better, reference
) -> None:
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    own = (
        '[brost-mdk]\nlabel = "MDK"\n'
        f'unit = "{unit}"\nbetter = "{better}"\n'
        '[brost-ledtid-operation]\nlabel = "Ledtid"\nunit = "dagar"\nbetter = "lower"\n'
        '[brost-reoperation]\nlabel = "Reoperation"\nbetter = "lower"\naliases = ["Reoperation"]\n'
    )
    data = (
        export()
        .replace("MDK före behandling", "MDK")
        .replace("Välgrundad misstanke till operation, median dagar", "Ledtid")
    )
    root = make(
        tmp_path_factory.mktemp("prop"),
        data,
        mdk_target=mdk,
        days_target=days,
        indicators_toml=own,
    )
    toml = root / "reports" / REPORT / "report.toml"
    toml.write_text(toml.read_text("utf-8").replace('["Riket"]', reference), "utf-8")
    result = CliRunner().invoke(app, ["--project", str(root), "check"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 2:
        assert "error:" in result.stderr


def test_the_change_from_rounded_values_is_what_a_reader_computes(tmp_path: Path, run) -> None:
    # Västerbotten: 188/195 = 96,4 % now, 180/190 = 94,7 % before: +1,7 unrounded, 96 − 95 = +1
    root = make(tmp_path, settings_='change_from = "rounded"')
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    rows = {row[0]: row[1] for row in tables(pdf(root)) if row and row[0] == "Västerbotten"}
    text = normalise(" ".join(pdf_pages_text(pdf(root))))
    assert "96 (+1)" in text and "96 (+2)" not in text, rows
    assert "Förändringen är skillnaden mellan de avrundade värden som tabellen visar." in text


def test_the_default_change_is_from_unrounded_values(built) -> None:
    root, _ = built
    text = normalise(" ".join(pdf_pages_text(pdf(root))))
    assert "96 (+2)" in text
    assert "avrundade" not in text  # the default is not announced


def test_an_unknown_change_rule_is_refused(tmp_path: Path, run) -> None:
    root = make(tmp_path, settings_='change_from = "rundat"')
    refused(
        run(root, "check"),
        "reports/brost/report.toml:14: error: 'data.change_from' must be 'unrounded' or"
        " 'rounded', not 'rundat'",
    )


def test_the_diff_names_two_levels_with_their_operators_and_units(tmp_path: Path, run) -> None:
    root = make(tmp_path, chart=True)
    assert run(root, "release", REPORT, "--version", "1.0").exit_code == 0
    toml = root / "reports" / REPORT / "report.toml"
    text = toml.read_text("utf-8").replace("target = [10, 5]", "target = [8, 4]")
    toml.write_text(text.replace("target = 28", "target = 21"), "utf-8")
    result = run(root, "diff", REPORT, "1.0", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    nbsp = "\u00a0"
    targets = {t["indicator"]: (t["old"], t["new"]) for t in found["targets"]}
    assert targets["Reoperation inom 30 dagar"] == (
        f"≤{nbsp}10{nbsp}% / ≤{nbsp}5{nbsp}%",
        f"≤{nbsp}8{nbsp}% / ≤{nbsp}4{nbsp}%",
    )
    assert targets["Välgrundad misstanke till operation"] == (
        f"≤{nbsp}28{nbsp}dagar",
        f"≤{nbsp}21{nbsp}dagar",
    )
    assert (
        f"Målnivån för Reoperation inom 30 dagar har ändrats från ≤{nbsp}10{nbsp}% / ≤{nbsp}5{nbsp}%"
        f" till ≤{nbsp}8{nbsp}% / ≤{nbsp}4{nbsp}%." in found["changelog"]
    )
