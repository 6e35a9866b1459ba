"""Numbers in Swedish and English forms, and every reader giving back what was written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmr_gen.core.errors import Problems
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import load_reference
from rmr_gen.inputs.data import read_measurements
from rmr_gen.inputs.validation import parse_number
from tests.conftest import ROOT

SPACES = ["", " ", "\u00a0", "\u202f"]


def swedish(value: float, decimals: int, space: str) -> str:
    """``-1234.5`` → ``−1 234,5`` (with the given thousands separator)."""
    sign = "\u2212" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.{decimals}f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + space.join(groups) + ("," + fraction if fraction else "")


@given(
    st.decimals(min_value=-(10**7), max_value=10**7, places=3, allow_nan=False),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(SPACES),
)
def test_swedish_forms(value, decimals: int, space: str) -> None:
    text = swedish(float(value), decimals, space)
    assert parse_number(text) == pytest.approx(float(f"{float(value):.{decimals}f}"))


@given(st.decimals(min_value=-(10**7), max_value=10**7, places=3, allow_nan=False))
def test_english_forms(value) -> None:
    number = float(value)
    assert parse_number(f"{number:.3f}") == pytest.approx(number)
    assert parse_number(f"{number:,.3f}") == pytest.approx(number)  # 1,234.500
    assert parse_number(f"{number:+.1f}") == pytest.approx(round(number, 1))


@given(st.decimals(min_value=1000, max_value=10**7, places=2, allow_nan=False))
def test_both_marks_the_last_is_the_decimal_mark(value) -> None:
    english = f"{float(value):,.2f}"  # 12,345.67
    german_style = english.replace(",", "_").replace(".", ",").replace("_", ".")  # 12.345,67
    assert parse_number(english) == parse_number(german_style) == pytest.approx(float(value))


@given(st.text(alphabet="0123456789,. x%-", max_size=8))
def test_never_raises_and_only_numbers_pass(text: str) -> None:
    number = parse_number(text)
    if number is not None:
        assert any(c.isdigit() for c in text)
        assert "x" not in text and "%" not in text


def test_not_numbers() -> None:
    for text in ["", "abc", "7x9", "1,2,3", "1.234.5", "--1", "1e5", "½", "12,34.5", "1 2,3x"]:
        assert parse_number(text) is None, text


# Round trips: a frame written in each dialect and as a workbook reads back the same.

REFERENCE = load_reference(Project.open(ROOT), Problems())
INDICATORS = sorted(REFERENCE.indicators)
REGIONS = list(REFERENCE.regions)

rows = st.lists(
    st.tuples(
        st.sampled_from(INDICATORS),
        st.sampled_from(REGIONS),
        st.sampled_from(["2021–2022", "2022–2023", "2024"]),
        st.sampled_from(["cancer", "all"]),
        # tenths of a percent; 0,1–0,9 without "%" would be refused as fractions of 1
        st.one_of(st.just(0), st.integers(min_value=10, max_value=1000)),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda row: row[:4],
)


def expected(data) -> set[tuple[str, str, str, str, float]]:
    return {(i, r, p, pop, tenths / 10) for i, r, p, pop, tenths in data}


def read_back(path: Path, sheet: str = "") -> set[tuple[str, str, str, str, float]]:
    problems = Problems()
    found = read_measurements(path, path.name, REFERENCE, problems, sheet=sheet)
    assert not list(problems), [str(p) for p in problems]
    return {(m.indicator, m.region, m.period, m.population, round(m.value, 6)) for m in found}


DIALECTS = st.fixed_dictionaries(
    {
        "sep": st.sampled_from([";", ",", "\t"]),
        "decimal": st.sampled_from([",", "."]),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
        "newline": st.sampled_from(["\n", "\r\n"]),
        "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
        "dash": st.sampled_from(["–", "-"]),
    }
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, DIALECTS)
def test_csv_round_trip(tmp_path: Path, data, dialect) -> None:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=dialect["sep"],
        lineterminator=dialect["newline"],
        quoting=dialect["quoting"],
    )
    writer.writerow(["indicator", "region", "period", "population", "value"])
    for indicator, region, period, population, tenths in data:
        value = f"{tenths / 10:.1f}".replace(".", dialect["decimal"])
        writer.writerow(
            [indicator, region, period.replace("–", dialect["dash"]), population, value]
        )
    path = tmp_path / "data.csv"
    path.write_bytes(buffer.getvalue().encode(dialect["encoding"]))
    assert read_back(path) == expected(data)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, st.booleans(), st.booleans())
def test_xlsx_round_trip(tmp_path: Path, data, as_text: bool, named: bool) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "Översikt"
    sheet = workbook.create_sheet("Data 2023") if named else first
    sheet.append(["indicator", "region", "period", "population", "value"])
    for indicator, region, period, population, tenths in data:
        value = f"{tenths / 10:.1f}".replace(".", ",") if as_text else tenths / 10
        sheet.append([indicator, region, period, population, value])
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    assert read_back(path, "Data 2023" if named else "") == expected(data)


def test_xlsx_percent_cells_are_percentages(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "region", "period", "population", "value"])
    sheet.append(["munhalsa", "Norrbotten", 2023, "cancer", 0.515])
    sheet["E2"].number_format = "0.0%"
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    assert read_back(path) == {("munhalsa", "Norrbotten", "2023", "cancer", 51.5)}


def test_counts_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "indicator;region;period;population;value;numerator;denominator\n"
        "munhalsa;Norrbotten;2023;cancer;;3;4\n"
        "munhalsa;Västerbotten;2023;cancer;33,3;1;3\n",
        encoding="utf-8",
    )
    problems = Problems()
    found = read_measurements(path, path.name, REFERENCE, problems)
    assert not list(problems)
    assert [(m.value, m.numerator, m.denominator) for m in found] == [
        (75.0, 3, 4),
        (33.3, 1, 3),
    ]


def test_workbook_locations_read_as_in_a_spreadsheet() -> None:
    from rmr_gen.core.errors import Location, column_letters

    assert [column_letters(n) for n in (1, 5, 26, 27, 52, 703)] == [
        "A",
        "E",
        "Z",
        "AA",
        "AZ",
        "AAA",
    ]
    assert str(Location("data/x.xlsx", 7, 3, "Blad1")) == "data/x.xlsx:Blad1!C7"
    assert str(Location("data/x.xlsx", 7, None, "Blad1")) == "data/x.xlsx:Blad1!7:7"
    assert str(Location("data/x.xlsx", None, None, "Blad1")) == "data/x.xlsx:Blad1"
    assert str(Location("data/x.csv", 7, 3)) == "data/x.csv:7:3"


def test_a_space_separates_only_groups_of_three() -> None:
    from rmr_gen.inputs.validation import parse_number

    assert parse_number("15 000") == 15000
    assert parse_number("1\u00a0234\u00a0567,5") == 1234567.5
    for typo in ["5 1", "5 1 2", "12 34", "1 0000"]:
        assert parse_number(typo) is None, typo


@pytest.mark.parametrize(
    ("number_format", "value", "percent"),
    [
        ("0%", 0.5, True),
        ("0.0%", 0.5, True),
        ("0.0 %", 0.5, True),
        ("#,##0.00%", 0.5, True),
        ("0%;[Red]-0%", -0.5, True),
        ("General", 51, False),
        ('0" %"', 51, False),
        ('#,##0" %"', 51, False),
        ("0\\%", 51, False),
        ('0" procent"', 51, False),
        ("[$%-41D]0", 51, False),
        ("0_%", 51, False),
        ("0*%", 51, False),
        ('"%"0', 51, False),
        ('"%"0%', 0.5, True),
        ('[>=1]0" %";0.0%', 49, False),
        ('[>=1]0" %";0.0%', 0.49, True),
        ('[<1]0.0%;[<=100]0" %";0', 0.49, True),
        ('[<1]0.0%;[<=100]0" %";0', 49, False),
        ("0;-0;0%", 0, True),
        ("0;-0;0%", 5, False),
        ('0%;0;"-"', -0.5, False),
        ('0;0;0;"%"@', 5, False),
    ],
)
def test_a_percent_sign_scales_only_as_a_format_code(number_format, value, percent) -> None:
    from rmr_gen.inputs.numberformat import is_percent

    assert is_percent(number_format, value) is percent


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (3.0000000000000004, 3.0),
        (2.9999999999999996, 3.0),
        (100003.99999999999, 100004.0),
        (1e15 + 2, 1e15 + 2),
        (0.0, 0.0),
        (2.5, None),
        (3.01, None),
        (3.000001, None),
        (100000.5, None),
        (1e9 + 0.5, None),
    ],
)
def test_a_count_is_whole_within_rounding_noise(number: float, expected: float | None) -> None:
    from rmr_gen.inputs.validation import whole

    assert whole(number) == expected
