"""Swedish number formatting and parsing."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rmr_gen import formatting
from rmr_gen.data import parse_number


def test_examples() -> None:
    assert formatting.value_with_change(51, -9) == "51 (\u22129)"
    assert formatting.value_with_change(98, 1) == "98 (+1)"
    assert formatting.value_with_change(86, 0) == "86 (0)"
    assert formatting.value_with_change(86, -0.4) == "86 (0)"  # never "−0"
    assert formatting.value_with_change(86, None) == "86"
    assert formatting.number(15000) == "15\u00a0000"
    assert formatting.number(1234567.25, 1) == "1\u00a0234\u00a0567,3"
    assert formatting.number(2.5) == "3"  # half away from zero, not banker's rounding
    assert formatting.percent(90) == "90\u00a0%"
    assert formatting.target(90) == "≥\u00a090\u00a0%"
    assert formatting.target(100, "=") == "100\u00a0%"


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_whole_numbers_round_trip_through_swedish_text(value: int) -> None:
    text = formatting.number(value)
    assert "-" not in text  # a true minus sign, never a hyphen
    assert parse_number(text) == value


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))
def test_decimal_comma_round_trip(value: Decimal) -> None:
    text = formatting.number(float(value), 2)
    assert "." not in text
    assert parse_number(text) == float(value)


@given(st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_change_has_a_sign_unless_zero(delta: float) -> None:
    text = formatting.change(delta)
    rounded = formatting.round_half_up(delta)
    if rounded > 0:
        assert text.startswith("+")
    elif rounded < 0:
        assert text.startswith("\u2212")
    else:
        assert text == "0"


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_english_and_swedish_forms_parse_alike(value: float) -> None:
    english = f"{value:.3f}"
    swedish = english.replace(".", ",")
    assert parse_number(english) == parse_number(swedish) == float(english)


def test_not_numbers() -> None:
    for text in ["", "abc", "7x9", "1,2,3", "--1", "1e5", "½"]:
        assert parse_number(text) is None, text
