"""Register exports as they arrive: every number in the PDF right, or the build refused.

Each test has its own small project (one report, one data file) so that what it
asserts is exactly what an editor would see: the lines on stderr, the exit code,
the PDF's table cells, or that no PDF was written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import normalise, pdf_pages_text

REGIONS = ["Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"]
REPORT = "test-rapport"
TOML = f"""\
kind = "processmal"
title = "Testrapport"
organisation = "rcc-norr"
version = "1.0"
contents = ["table:tabell-1"]
{{top}}
[data]
files = ["{{file}}"]
period = "2022–2023"
previous_period = "2021–2022"
regions = {REGIONS!r}
{{data}}
[[indicators]]
id = "tackningsgrad"
target = 80
populations = ["cancer"]

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1."
{{tables}}
""".replace("'", '"')


#: Tabell 1's rows for this year's 51, 58, 55 and 45 % against the fixture's previous year.
PRINTED_51_58_55_45 = {
    "Jämtland/Härjedalen": "51 (-9)",
    "Västerbotten": "58 (+8)",
    "Norrbotten": "55 (+5)",
    "Västernorrland": "45 (+5)",
}


def values(current: list[str], previous: list[str] | None = None) -> str:
    """Täckningsgrad for the four regions, this period and the previous one."""
    previous = previous or ["60", "50", "50", "40"]
    lines = ["indicator;region;period;population;value"]
    for region, now, before in zip(REGIONS, current, previous, strict=True):
        lines.append(f"tackningsgrad;{region};2022–2023;cancer;{now}")
        lines.append(f"tackningsgrad;{region};2021–2022;cancer;{before}")
    return "\n".join(lines) + "\n"


def make_project(
    root: Path,
    data: str | bytes | None,
    *,
    file: str = "register.csv",
    settings_: str = "",
    top: str = "",
    tables: str = "",
) -> Path:
    """A project of one report whose data is ``data`` (a workbook is written by the test);
    templates and reference data are rmr-gen's own."""
    (root / "data").mkdir(parents=True)
    if data is not None:
        content = data.encode("utf-8") if isinstance(data, str) else data
        (root / "data" / file).write_bytes(content)
    folder = root / "reports" / REPORT
    folder.mkdir(parents=True)
    (folder / "report.toml").write_text(
        TOML.format(file=file, data=settings_, top=top, tables=tables), encoding="utf-8"
    )
    return root


def pdf(root: Path) -> Path:
    return root / "output" / REPORT / f"{REPORT}.pdf"


def table_rows(root: Path) -> dict[str, str]:
    """Region → its Tabell 1 cell text, from the PDF."""
    text = normalise(" ".join(pdf_pages_text(pdf(root))))
    rows = {}
    for region in REGIONS:
        after = text[text.index(region) + len(region) :].split()
        rows[region] = " ".join(after[:2])
    return rows


def refused(result, *lines: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = result.stderr.splitlines()
    for line in lines:
        assert line in errors, f"{line!r} not in:\n{result.stderr}"


# The four ways a wrong number used to reach the PDF with exit 0.


def test_a_fraction_among_percentages_is_refused(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, values(["51", "58", "0,514", "45"]))
    result = run(root, "build")
    refused(
        result,
        "data/register.csv:6:5: error: value 0,514 looks like a fraction of 1 (51,4 %?):"
        " the other values of tackningsgrad in this file are 40–60; write the percentage"
        " (0,514 % if below 1 % is meant)",
    )
    assert not pdf(root).exists()


def test_a_column_of_fractions_is_refused(tmp_path: Path, run) -> None:
    root = make_project(
        tmp_path, values(["0,51", "0,58", "0,55", "0,45"], ["0,6", "0,5", "0,5", "0,4"])
    )
    result = run(root, "build")
    refused(
        result,
        "data/register.csv:1:5: error: every value in column 'value' is between 0 and 1:"
        " fractions of 1, not percentages (0,514 is 51,4 %)? Write percentages, or list the"
        " file in data.fractions in report.toml (a value really below 1 % is written 0,5 %)",
    )
    assert "missing" not in result.stderr.replace("values the report needs are missing", "")
    assert not pdf(root).exists()


def test_a_file_of_fractions_said_so_prints_percentages(tmp_path: Path, run) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for i, line in enumerate(values(["51", "58", "55", "45"]).splitlines()):
        cells: list[object] = line.split(";")
        if i:
            cells[-1] = int(cells[-1]) / 100  # General format: 0.51
        sheet.append(cells)
    root = make_project(
        tmp_path, None, file="register.xlsx", settings_='fractions = ["register.xlsx"]'
    )
    workbook.save(root / "data" / "register.xlsx")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root) == PRINTED_51_58_55_45


def test_counts_with_thousands_separators_print_their_value(tmp_path: Path, run) -> None:
    lines = ["indicator;region;period;population;numerator;denominator"]
    counts = [("3,000", "4,000"), ("3.000", "4.000"), ("3 000", "4\u00a0000"), ("2,000", "4000")]
    for region, (numerator, denominator) in zip(REGIONS, counts, strict=True):
        lines.append(f"tackningsgrad;{region};2022–2023;cancer;{numerator};{denominator}")
        lines.append(f"tackningsgrad;{region};2021–2022;cancer;50;100")
    root = make_project(tmp_path, "\n".join(lines) + "\n")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert (
        "data/register.csv:2:5: note: 3 numerators with a thousands separator read as whole"
        " numbers ('3,000' as 3000), lines 2–8" in result.stderr.splitlines()
    )
    assert table_rows(root) == {
        "Jämtland/Härjedalen": "75 (+25)",
        "Västerbotten": "75 (+25)",
        "Norrbotten": "75 (+25)",
        "Västernorrland": "50 (0)",
    }


def test_a_hidden_first_sheet_is_not_read(tmp_path: Path, run) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    last_year = workbook.active
    last_year.title = "2021"
    data = workbook.create_sheet("Data")
    for sheet, current in ((last_year, "10"), (data, "55")):
        for i, line in enumerate(values([current] * 4).splitlines()):
            cells: list[object] = line.split(";")
            if i:
                cells[-1] = int(cells[-1])
            sheet.append(cells)
    last_year.sheet_state = "hidden"
    workbook.active = 1
    root = make_project(tmp_path, None, file="register.xlsx")
    workbook.save(root / "data" / "register.xlsx")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert (
        "data/register.xlsx:Data: note: read sheet 'Data', the first visible one; the workbook"
        " also has '2021' (hidden) (name a sheet with file.xlsx#Sheet in data.files)"
        in result.stderr.splitlines()
    )
    assert table_rows(root)["Norrbotten"] == "55 (+5)"


def test_a_report_of_all_diagnoses_only_is_refused_then_built(tmp_path: Path, run) -> None:
    rows = values(["51", "58", "55", "45"]).replace(";cancer;", ";all;")
    root = make_project(tmp_path, rows)
    toml = root / "reports" / REPORT / "report.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('["cancer"]', '["all"]'), encoding="utf-8"
    )
    refused(
        run(root, "check"),
        "reports/test-rapport/report.toml:16: error: indicator 'tackningsgrad' has no 'cancer'"
        " values, but Tabell 1's first column and the chart show data.population = 'cancer':"
        " add 'cancer' to its populations, or set data.population = 'all' for the whole report",
    )
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("[data]\n", '[data]\npopulation = "all"\n'),
        encoding="utf-8",
    )
    result = run(root, "build", "--html")
    assert result.exit_code == 0, result.output
    html = pdf(root).with_suffix(".html").read_text(encoding="utf-8")
    assert (
        '<th scope="col">Nuläge % alla diagnoser (förändring i procentenheter)</th>\n'
        '<th scope="col">Nuläge % cancerdiagnoser</th>'
    ) in html
    assert table_rows(root)["Norrbotten"] == "55 (+5)"


# Names as registers write them.


def test_register_names_and_a_rename_map_build(tmp_path: Path, run) -> None:
    text = values(["51", "58", "55", "45"])
    for region, written in (
        ("Jämtland/Härjedalen", "Region Jämtland Härjedalen"),
        ("Västerbotten", "24"),
        ("Norrbotten", "NORRBOTTENS LÄN"),
        ("Västernorrland", "Landstinget Västernorrland"),
    ):
        text = text.replace(f";{region};", f";{written};")
    text = text.replace("tackningsgrad;", "Täckningsgrad PR;")
    settings_ = (
        '[data.rename]\n"Landstinget Västernorrland" = "Västernorrland"\n'
        '"Täckningsgrad PR" = "tackningsgrad"\n'
    )
    root = make_project(tmp_path, text, settings_=settings_)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root)["Västernorrland"] == "45 (+5)"


def test_an_unknown_name_is_one_line_and_no_cascade(tmp_path: Path, run) -> None:
    root = make_project(
        tmp_path, values(["51", "58", "55", "45"]).replace("Norrbotten", "Norrbottn")
    )
    result = run(root, "check")
    refused(
        result,
        "data/register.csv:6:2: error: unknown region 'Norrbottn' (did you mean 'Norrbotten'? or"
        ' map it in report.toml: [data.rename] "Norrbottn" = "Norrbotten"): 2 rows, lines 6–7',
        "data/register.csv: error: 2 of the 8 values the report needs are missing as a"
        " consequence of the errors above",
    )
    assert len(result.stderr.splitlines()) == 3  # the two lines and the summary


def test_a_rename_to_nothing_known_is_refused(tmp_path: Path, run) -> None:
    root = make_project(
        tmp_path, values(["51", "58", "55", "45"]), settings_='[data.rename]\n"X" = "Norrland"\n'
    )
    refused(
        run(root, "check"),
        "reports/test-rapport/report.toml:13: error: 'Norrland' in data.rename is neither a"
        " region nor an indicator (did you mean 'Gotland'?) (see data/regions.toml and"
        " data/indicators.toml)",
    )


# Errors that lead to the cause.


def test_periods_that_do_not_match_are_named(tmp_path: Path, run) -> None:
    text = (
        values(["51", "58", "55", "45"]).replace("2022–2023", "2023").replace("2021–2022", "2022")
    )
    root = make_project(tmp_path, text)
    result = run(root, "check")
    refused(
        result,
        "data/register.csv: error: no valid row has the period 2022–2023 (data.period);"
        " the data has 2022, 2023",
        "data/register.csv: error: no valid row has the period 2021–2022"
        " (data.previous_period); the data has 2022, 2023",
    )
    assert "missing" not in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "register.xls",
            "an Excel 97–2003 workbook (.xls): open it in Excel and save it as Excel Workbook"
            " (.xlsx) and name that file here",
        ),
        (
            "register.ods",
            "a LibreOffice/OpenDocument spreadsheet (.ods): save it as Excel 2007–365 (.xlsx)"
            " or as CSV (UTF-8), and name that file here",
        ),
    ],
)
def test_other_spreadsheet_formats_get_one_line(tmp_path: Path, run, name, message) -> None:
    root = make_project(tmp_path, b"\xd0\xcf\x11\xe0", file=name)
    result = run(root, "check")
    refused(result, f"reports/test-rapport/report.toml:8: error: data file '{name}' is {message}")
    assert result.stderr.splitlines()[-1] == "rmr-gen: 1 error; nothing written"


# Every setting report.toml accepts works or is refused: never exit 1.

settings_strategy = st.fixed_dictionaries(
    {
        "populations": st.lists(st.sampled_from(["cancer", "all"]), min_size=1, max_size=2),
        "population": st.sampled_from(["", "cancer", "all"]),
        "decimals": st.integers(min_value=0, max_value=3),
        "min_denominator": st.integers(min_value=1, max_value=60),
        "regions": st.lists(st.sampled_from(REGIONS), min_size=1, max_size=4, unique=True),
        "chart": st.booleans(),
        "counts": st.booleans(),
        # every other [data] key and the indicator's, with odd but plausible values
        "fractions": st.sampled_from(["", "fraction data", "percent data", "unlisted", "[]"]),
        "rename": st.sampled_from(
            [
                "",
                '"Region Norrbotten" = "Norrbotten"',  # an alias to its own region
                '"NB" = "Norrbotten"',
                '"Norrbotten" = "Västerbotten"',  # a region's own name: refused
                '"" = "Gotland"',
                '"Täckningsgrad PR" = "Täckningsgrad"',  # an indicator's alias
                '"Ünïcødé ✓" = "Skåne"',
            ]
        ),
        "periods": st.sampled_from(
            [
                ("2022–2023", "2021–2022"),
                ("2022-2023", "2021 - 2022"),
                ("2022–2023", "2022–2023"),
                ("2021–2022", "2022–2023"),
                ("2023", "2022"),
            ]
        ),
        "assumed": st.sampled_from(["", "antagen", "  "]),
        "target": st.sampled_from(
            [
                "80",
                "{ level = 90, operator = '≥' }",
                "{ level = 100, operator = '=' }",
                "100.5",
                "0",
            ]
        ),
        "label": st.sampled_from(["", "Täckning", "Ünïcødé ✓ " * 20]),
        "files": st.sampled_from(["once", "twice"]),
        "twice": st.booleans(),  # a region listed twice
        "limits": st.sampled_from(["", "max_rows = 1", "max_rows = 2000000", "max_data_mb = 1"]),
    }
)


def _as_fraction(line: str) -> str:
    """A data line with its value as a fraction of 1 (``51,9`` → ``0,519``)."""
    fields = line.split(";")
    if fields[4] and fields[4] != "value":
        fields[4] = f"{float(fields[4]) / 100:.4f}".replace(".", ",")
    return ";".join(fields)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(choice=settings_strategy)
def test_generated_reports_build_or_are_refused(tmp_path_factory, run, choice) -> None:
    root = tmp_path_factory.mktemp("generated")
    lines = ["indicator;region;period;population;value;numerator;denominator"]
    for region in REGIONS:
        for period in ("2021–2022", "2022–2023"):
            for population in ("cancer", "all"):
                numerator, denominator = 3 + len(region), 50 + len(period)
                value = "" if choice["counts"] else f"{100 * numerator / denominator:.1f}"
                counts = (numerator, denominator) if choice["counts"] else ("", "")
                lines.append(
                    f"tackningsgrad;{region};{period};{population};{value};{counts[0]};{counts[1]}"
                )
    if choice["fractions"] == "fraction data":  # values as fractions of 1, and said so
        lines = [_as_fraction(line) for line in lines]
    data = f"decimals = {choice['decimals']}\nmin_denominator = {choice['min_denominator']}\n"
    if choice["population"]:
        data += f'population = "{choice["population"]}"\n'
    if choice["fractions"] in ("fraction data", "percent data"):
        data += 'fractions = ["register.csv"]\n'
    elif choice["fractions"] == "unlisted":
        data += 'fractions = ["andra.csv"]\n'
    elif choice["fractions"] == "[]":
        data += "fractions = []\n"
    if choice["assumed"]:
        data += f'previous_period_assumed = "{choice["assumed"]}"\n'
    if choice["rename"]:
        data += f"rename = {{ {choice['rename']} }}\n"
    root = make_project(
        root,
        "\n".join(lines) + "\n",
        settings_=data,
        top="target_year = 2028\n",
        tables='\n[charts.figur-1]\ntype = "change"\ncaption = "Figur 1."\n'
        if choice["chart"]
        else "",
    )
    toml = root / "reports" / REPORT / "report.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('populations = ["cancer"]', f"populations = {choice['populations']!r}")
    regions = choice["regions"] + choice["regions"][:1] * choice["twice"]
    text = text.replace(f"regions = {REGIONS!r}", f"regions = {regions!r}")
    now, before = choice["periods"]
    text = text.replace('period = "2022–2023"', f'period = "{now}"')
    text = text.replace('previous_period = "2021–2022"', f'previous_period = "{before}"')
    text = text.replace("target = 80", f"target = {choice['target']}")
    if choice["label"]:
        text = text.replace("target = ", f'label = "{choice["label"]}"\ntarget = ', 1)
    if choice["files"] == "twice":
        text = text.replace('files = ["register.csv"]', 'files = ["register.csv", "register.csv"]')
    if choice["limits"]:
        text = text.replace("[data]", f"[limits]\n{choice['limits']}\n\n[data]", 1)
    if choice["chart"]:
        text = text.replace(
            'contents = ["table:tabell-1"]', 'contents = ["table:tabell-1", "chart:figur-1"]'
        )
    toml.write_text(text, encoding="utf-8")
    result = run(root, "build")
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert pdf(root).exists() == (result.exit_code == 0)


def test_the_embedded_rows_name_the_sheet_they_come_from(tmp_path: Path, run) -> None:
    import pikepdf
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Om filen"
    workbook.active.sheet_state = "hidden"
    data = workbook.create_sheet("Data")
    for i, line in enumerate(values(["51", "58", "55", "45"]).splitlines()):
        cells: list[object] = line.split(";")
        if i:
            cells[-1] = int(cells[-1])
        data.append(cells)
    root = make_project(tmp_path, None, file="register.xlsx")
    workbook.save(root / "data" / "register.xlsx")
    assert run(root, "build").exit_code == 0
    with pikepdf.open(pdf(root)) as document:
        assert sorted(document.attachments) == ["register (Data).csv", "report.toml"]
        spec = document.attachments["register (Data).csv"]
        assert spec.description == (
            "Raderna ur data/register.xlsx, blad Data som dokumentets tabeller och diagram"
            " bygger på"
        )


def test_an_unreadable_file_is_one_cause_and_one_consequence(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, values(["51", "58", "55", "45"]).encode("utf-16"))
    result = run(root, "check")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "data/register.csv: error: UTF-16 text is not read: save as CSV (UTF-8)",
        "data/register.csv: error: 8 of the 8 values the report needs are missing as a"
        " consequence of the errors above",
        "rmr-gen: 2 errors; nothing written",
    ]


def test_excel_sep_line_is_read(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, "sep=;\r\n" + values(["51", "58", "55", "45"]))
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root)["Norrbotten"] == "55 (+5)"


def test_report_toml_names_regions_as_tables_print_them(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, values(["51", "58", "55", "45"]))
    toml = root / "reports" / REPORT / "report.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"Norrbotten"', '"Region Norrbotten"'),
        encoding="utf-8",
    )
    refused(
        run(root, "check"),
        "reports/test-rapport/report.toml:11: error: unknown region 'Region Norrbotten' in"
        " data.regions[3] (did you mean 'Norrbotten'? report.toml names regions as tables"
        " print them)",
    )


# Settings that used to pass and print a wrong document.


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (
            ('previous_period = "2021–2022"', 'previous_period = "2022–2023"'),
            "reports/test-rapport/report.toml:10: error: 'data.previous_period' = 2022–2023 must"
            " come before 'data.period' = 2022–2023 (the change is computed from it)",
        ),
        (
            ('previous_period = "2021–2022"', 'previous_period = "2023"'),
            "reports/test-rapport/report.toml:10: error: 'data.previous_period' = 2023 must"
            " come before 'data.period' = 2022–2023 (the change is computed from it)",
        ),
        (
            ('"Västernorrland"]', '"Västernorrland", "Norrbotten"]'),
            "reports/test-rapport/report.toml:11: error: region 'Norrbotten' is listed twice in"
            " data.regions (3 and 5): Tabell 1 would print it twice",
        ),
        (
            ('files = ["register.csv"]', 'files = ["register.csv", "register.csv"]'),
            "reports/test-rapport/report.toml:8: error: data file 'register.csv' is listed twice"
            " in data.files: each row would be read twice",
        ),
        (
            ("[data]\n", '[data]\nrename = {"Norrbotten" = "Västerbotten"}\n'),
            "reports/test-rapport/report.toml:8: error: 'Norrbotten' in data.rename already"
            " stands for 'Norrbotten' (data/regions.toml, data/indicators.toml): a rename cannot"
            " change what a known name means",
        ),
        (
            ("[data]\n", '[data]\nrename = {"Region Norrbotten" = "Västerbotten"}\n'),
            "reports/test-rapport/report.toml:8: error: 'Region Norrbotten' in data.rename"
            " already stands for 'Norrbotten' (data/regions.toml, data/indicators.toml): a rename"
            " cannot change what a known name means",
        ),
        (
            ("[data]\n", '[data]\nrename = {"" = "Västerbotten"}\n'),
            "reports/test-rapport/report.toml:8: error: a name in data.rename must not be empty",
        ),
        (
            ("[data]\n", '[data]\nrename = ["Västerbotten"]\n'),
            "reports/test-rapport/report.toml:8: error: 'data.rename' must be a table of names",
        ),
    ],
    ids=[
        "same-period",
        "later-period",
        "region-twice",
        "file-twice",
        "rename-region",
        "rename-alias",
        "rename-empty",
        "rename-list",
    ],
)
def test_a_setting_that_would_print_a_wrong_table_is_refused(
    tmp_path: Path, run, edit: tuple[str, str], line: str
) -> None:
    root = make_project(tmp_path, values(["51", "58", "55", "45"]))
    toml = root / "reports" / REPORT / "report.toml"
    text = toml.read_text(encoding="utf-8")
    assert edit[0] in text
    toml.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    result = run(root, "check")
    assert result.stderr.splitlines() == [line, "rmr-gen: 1 error; nothing written"]
    refused(run(root, "build"), line)
    assert not pdf(root).exists()


def test_regions_typed_in_decomposed_unicode_are_the_regions(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, values(["51", "58", "55", "45"]))
    toml = root / "reports" / REPORT / "report.toml"
    decomposed = toml.read_text(encoding="utf-8").replace('"Västerbotten"', '"Va\u0308sterbotten"')
    toml.write_text(decomposed, encoding="utf-8")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root)["Västerbotten"] == "58 (+8)"


def test_a_population_the_data_lacks_is_one_line(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, values(["51", "58", "55", "45"]).replace(";cancer;", ";Alla;"))
    result = run(root, "check")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "data/register.csv: error: no valid row has the population cancer: 8 values the report"
        " needs are missing; the data has all",
        "rmr-gen: 1 error; nothing written",
    ]


def test_an_indicator_the_data_lacks_is_one_line(tmp_path: Path, run) -> None:
    root = make_project(tmp_path, values(["51", "58", "55", "45"]))
    toml = root / "reports" / REPORT / "report.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace(
            "[tables", '[[indicators]]\nid = "munhalsa"\npopulations = ["cancer"]\n\n[tables'
        ),
        encoding="utf-8",
    )
    result = run(root, "check")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "data/register.csv: error: no valid row has the indicator munhalsa: 8 values the report"
        " needs are missing",
        "rmr-gen: 1 error; nothing written",
    ]


def test_a_total_row_is_left_out_and_the_regions_print(tmp_path: Path, run) -> None:
    text = values(["51", "58", "55", "45"]) + "tackningsgrad;Riket;2022–2023;cancer;0,523\n"
    root = make_project(tmp_path, text)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert (
        "data/register.csv:10:2: note: 'Riket' is a total, not a region: its row is left out"
        ' (to print it for comparison: [data] reference = ["Riket"])' in result.stderr.splitlines()
    )
    assert table_rows(root)["Norrbotten"] == "55 (+5)"


@pytest.mark.parametrize(
    "number_format", ['0" %"', "0\\%", '0" procent"', '#,##0" %"', '[>=1]0" %";0.0%']
)
def test_a_literal_percent_sign_prints_the_cell_as_written(
    tmp_path: Path, run, number_format: str
) -> None:
    """51 in a cell shown as "51 %" by a quoted or escaped % is 51 %, not 5100 %."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for i, line in enumerate(values(["51", "58", "55", "45"]).splitlines()):
        cells: list[object] = line.split(";")
        if i:
            cells[-1] = int(cells[-1])
        sheet.append(cells)
        sheet.cell(sheet.max_row, 5).number_format = number_format
    root = make_project(tmp_path, None, file="register.xlsx")
    workbook.save(root / "data" / "register.xlsx")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root) == PRINTED_51_58_55_45


def test_formula_counts_with_rounding_noise_print_their_value(tmp_path: Path, run) -> None:
    """Counts a formula saved as 3.0000000000000004 are 3; 2.5 is refused."""
    from openpyxl import Workbook

    noisy = {"Jämtland/Härjedalen": 3 * 0.1 * 10, "Västerbotten": 0.3 / 0.1}
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "region", "period", "population", "numerator", "denominator"])
    for region in REGIONS:
        sheet.append(["tackningsgrad", region, "2022–2023", "cancer", noisy.get(region, 5), 10])
        sheet.append(["tackningsgrad", region, "2021–2022", "cancer", 5, 100 * 1.1 - 90])
    root = make_project(tmp_path, None, file="register.xlsx")
    workbook.save(root / "data" / "register.xlsx")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert table_rows(root) == {
        "Jämtland/Härjedalen": "30 (+5)",
        "Västerbotten": "30 (+5)",
        "Norrbotten": "50 (+25)",
        "Västernorrland": "50 (+25)",
    }
    sheet.cell(2, 5).value = 2.5
    workbook.save(root / "data" / "register.xlsx")
    refused(
        run(root, "build"),
        "data/register.xlsx:Sheet!E2: error: numerator '2.5' must be a whole number ≥ 0",
    )
