"""Data files through the command line: workbooks, notes, report.toml's [data] settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NORR
from tests.test_cli import assert_refused, line_of, replace_in

CSV = Path("data") / "palliativ-norr.csv"
TOML = Path("reports") / NORR / "report.toml"


def csv_to_workbook(project: Path, sheet: str) -> Path:
    """The Norr data as a workbook whose data is on its second sheet."""
    from openpyxl import Workbook

    from rmr_gen.inputs.validation import parse_number

    workbook = Workbook()
    workbook.active.title = "Om filen"
    workbook.active.append(["Källa: Svenska palliativregistret"])
    data = workbook.create_sheet(sheet)
    for i, line in enumerate((project / CSV).read_text(encoding="utf-8").splitlines()):
        cells = line.split(";")
        if i:
            cells[-1] = parse_number(cells[-1])
        data.append(cells)
    path = project / "data" / "palliativ-norr.xlsx"
    workbook.save(path)
    (project / CSV).unlink()
    return path


def test_workbook_sheet_gives_the_same_pdf_text(project: Path, run, built_project: Path) -> None:
    csv_to_workbook(project, "Data 2023")
    replace_in(
        project / TOML,
        'files = ["palliativ-norr.csv"]',
        'files = ["palliativ-norr.xlsx#Data 2023"]',
    )
    result = run(project, "build", NORR, "--html")
    assert result.exit_code == 0, result.output
    built = (project / "output" / NORR / f"{NORR}.html").read_text(encoding="utf-8")
    before = (built_project / "output" / NORR / f"{NORR}.html").read_text(encoding="utf-8")
    table = built[built.index("<table") : built.index("</table>")]
    assert table == before[before.index("<table") : before.index("</table>")]


def test_workbook_errors_name_sheet_and_cell(project: Path, run) -> None:
    path = csv_to_workbook(project, "Data")
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook["Data"]["E12"] = "sju"
    workbook.save(path)
    replace_in(
        project / TOML, 'files = ["palliativ-norr.csv"]', 'files = ["palliativ-norr.xlsx#Data"]'
    )
    result = run(project, "check")
    assert_refused(result, "data/palliativ-norr.xlsx:Data!E12: error: value 'sju' is not a number")
    assert not (project / "output").exists()


def test_unknown_sheet_is_named_with_the_sheets_there_are(project: Path, run) -> None:
    csv_to_workbook(project, "Data")
    replace_in(
        project / TOML, 'files = ["palliativ-norr.csv"]', 'files = ["palliativ-norr.xlsx#data"]'
    )
    result = run(project, "check")
    assert_refused(
        result,
        "data/palliativ-norr.xlsx: error: no sheet 'data' in the workbook (did you mean 'Data'?);"
        " sheets: Om filen, Data",
    )


def test_notes_are_printed_on_success_too(project: Path, run) -> None:
    text = (project / CSV).read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ";kommentar"] + [line + ";" for line in text[1:]]
    (project / CSV).write_text("\n".join(rows) + "\n", encoding="utf-8")
    note = f"{CSV}:1:6: note: column 'kommentar' is not used and was ignored"
    for command in ("check", "build"):
        result = run(project, command, NORR)
        assert result.exit_code == 0, result.output
        assert note in result.stderr.splitlines(), command
    # Also when the parsed file comes from the cache.
    result = run(project, "build", NORR, "--force")
    assert note in result.stderr.splitlines()


def test_data_settings_are_checked(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, "[data]\n", "[data]\nmin_denominator = 0\nmin_denominatr = 5\n")
    (project / "data" / "extra.ods").write_bytes(b"PK")
    replace_in(
        toml,
        'files = ["palliativ-norr.csv"]',
        'files = ["palliativ-norr.csv", "extra.ods", "palliativ-norr.csv#Blad1"]',
    )
    result = run(project, "check")
    assert_refused(
        result,
        f"{TOML}:{line_of(toml, 'min_denominator')}: error: 'data.min_denominator' must be at least 1",
        f"{TOML}:{line_of(toml, 'min_denominatr')}: error: unknown key 'min_denominatr' (did you mean 'min_denominator'?)",
        f"{TOML}:{line_of(toml, 'files')}: error: data file 'extra.ods' is a LibreOffice/OpenDocument spreadsheet (.ods): save it as Excel 2007–365 (.xlsx) or as CSV (UTF-8), and name that file here",
        f"{TOML}:{line_of(toml, 'files')}: error: data file 'palliativ-norr.csv#Blad1': a sheet is named only for .xlsx files (file.xlsx#Sheet)",
    )


def test_every_problem_of_a_bad_export_at_once(project: Path, run) -> None:
    """A Windows-1252, CRLF export with several mistakes: one line each, nothing written."""
    text = (project / CSV).read_text(encoding="utf-8")
    text = text.replace(
        "munhalsa;Västerbotten;2022–2023;cancer;66", "munhalsa;Västerbotten;2022/23;cancer;66"
    )
    text = text.replace(
        "vb-opioid;Norrbotten;2022–2023;cancer;96", "vb-opioid;Norrbotten;2022–2023;cancer;96;x"
    )
    text += "smartskattning;Norrbotten;2022–2023;all;58\n"
    (project / CSV).write_bytes(text.replace("–", "-").replace("\n", "\r\n").encode("cp1252"))
    result = run(project, "build", NORR)
    lines = text.splitlines()
    at = {line: i for i, line in enumerate(lines, start=1)}
    assert_refused(
        result,
        f"{CSV}:{at['munhalsa;Västerbotten;2022/23;cancer;66']}:3: error: period '2022/23' must be written in full: 2022–2023",
        f"{CSV}:{at['vb-opioid;Norrbotten;2022–2023;cancer;96;x']}: error: expected 5 fields, found 6",
        f"{CSV}:{len(lines)}: error: duplicate measurement for Norrbotten, smartskattning, 2022–2023, all"
        f" (also at {CSV}:{at['smartskattning;Norrbotten;2022–2023;all;57']})",
        f"{CSV}: error: 2 of the 68 values the report needs are missing as a consequence of the errors above",
    )
    assert "missing" not in result.stderr.replace("values the report needs are missing", "")
    assert not (project / "output" / NORR).exists()


def test_a_data_file_shared_by_two_reports_is_reported_once(project: Path, run) -> None:
    import shutil

    shutil.copytree(project / "reports" / NORR, project / "reports" / "processmal-kopia")
    replace_in(
        project / CSV,
        "munhalsa;Västerbotten;2022–2023;cancer;66",
        "munhalsa;Västerbotten;2022–2023;cancer;6x6",
    )
    result = run(project, "check")
    line = f"{CSV}:{line_of(project / CSV, 'munhalsa;Västerbotten;2022–2023;cancer;6x6')}:5: error: value '6x6' is not a number"
    assert_refused(result, line)
    assert result.stderr.splitlines().count(line) == 1
    assert result.stderr.splitlines()[-1] == "rmr-gen: 1 error; nothing written"


def test_a_cell_is_read_as_written_whatever_the_other_rows_hold(project: Path, run) -> None:
    # Every other value is a whole number, so a reader that infers column types would
    # take "1e1" as 10 and print it; it is not a number an editor types.
    replace_in(
        project / CSV,
        "brytpunktssamtal;Norrbotten;2022–2023;cancer;79",
        "brytpunktssamtal;Norrbotten;2022–2023;cancer;1e1",
    )
    result = run(project, "check", NORR)
    line = next(
        i
        for i, text in enumerate((project / CSV).read_text(encoding="utf-8").splitlines(), 1)
        if ";1e1" in text
    )
    assert_refused(result, f"{CSV}:{line}:5: error: value '1e1' is not a number")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("period = 2024", "'data.period' must be a period in quotes, like \"2024\""),
        (
            "period = {from = 2022, to = 2023}",
            "'data.period' must be a period in quotes, like \"2022–2023\" (not a table)",
        ),
        (
            "period = 2022-01-01",
            "'data.period' must be a period in quotes, like \"2022–2023\" (not a date)",
        ),
        ('period = ""', "'data.period' must be a non-empty string"),
    ],
)
def test_a_period_of_the_wrong_type_is_one_message(
    project: Path, run, written: str, message: str
) -> None:
    toml = project / TOML
    replace_in(toml, 'period = "2022–2023"', written)
    result = run(project, "check")
    assert_refused(result, f"{TOML}:{line_of(toml, 'period')}: error: {message}")
    assert result.stderr.splitlines()[-2:] == [
        f"{TOML}:{line_of(toml, 'period')}: error: {message}",
        "rmr-gen: 1 error; nothing written",
    ]


def test_a_files_list_of_the_wrong_type_is_one_message(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, 'files = ["palliativ-norr.csv"]', 'files = "palliativ-norr.csv"')
    result = run(project, "check")
    assert result.stderr.splitlines() == [
        f"{TOML}:{line_of(toml, 'files')}: error: 'data.files' must be a list of strings",
        "rmr-gen: 1 error; nothing written",
    ]
    replace_in(toml, 'files = "palliativ-norr.csv"', "files = []")
    result = run(project, "check")
    assert result.stderr.splitlines() == [
        f"{TOML}:{line_of(toml, '[data]')}: error: 'data.files' is required for tables and charts of data",
        "rmr-gen: 1 error; nothing written",
    ]
