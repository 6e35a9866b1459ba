"""Swedish number formatting and parsing."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rmr_gen.core import formatting
from rmr_gen.inputs.validation import parse_number


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


# Swedish typography as properties: whatever the number, the conventions hold.

NBSP = "\u00a0"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_thousands_are_grouped_by_no_break_spaces(value: int) -> None:
    text = formatting.number(value)
    digits = text.lstrip("\u2212")
    groups = digits.split(NBSP)
    assert " " not in text  # never an ordinary space: a line cannot break inside
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    assert "".join(groups) == str(abs(value))
    assert text.startswith("\u2212") == (value < 0)


@given(st.floats(min_value=-(10**6), max_value=10**6, allow_nan=False), st.integers(0, 3))
def test_decimals_use_a_comma_and_exactly_the_places_asked(value: float, decimals: int) -> None:
    text = formatting.number(value, decimals)
    _whole, _, fraction = text.partition(",")
    assert "." not in text
    assert len(fraction) == decimals
    if not any(d in text for d in "123456789"):
        assert not text.startswith("\u2212")  # never a negative zero
    assert parse_number(text) == float(formatting.round_half_up(value, decimals))


@given(st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_no_change_is_a_plain_zero(delta: float) -> None:
    if formatting.round_half_up(delta) == 0:
        assert formatting.value_with_change(50, delta) == "50 (0)"
    else:
        assert "(0)" not in formatting.value_with_change(50, delta)
    assert "±" not in formatting.change(delta)


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.integers(0, 2))
def test_percent_never_breaks_before_the_sign(value: float, decimals: int) -> None:
    text = formatting.percent(value, decimals)
    assert text.endswith(NBSP + "%") and " " not in text
    assert formatting.target(value, "≥", decimals) == "≥" + NBSP + text


def test_prose_examples() -> None:
    assert formatting.prose("drygt 15 000 personer") == "drygt 15\u00a0000 personer"
    assert formatting.prose("målnivå 98 %.") == "målnivå 98\u00a0%."
    # as the tables print it: "1 %" and "85 %", never "1%"; a URL's "%20" is left alone
    assert (
        formatting.prose("motsvarar 1% av (85%, 12 500)")
        == "motsvarar 1\u00a0% av (85\u00a0%, 12\u00a0500)"
    )
    assert formatting.prose("Bilaga%202 och 2%20") == "Bilaga%202 och 2%20"
    assert formatting.prose("51 (-9)") == "51 (\u22129)"
    assert formatting.prose("1 234 567,5 kr") == "1\u00a0234\u00a0567,5 kr"
    for unchanged in ("2025-2028", "Vid-behov", "år 2017 100 patienter", "x-9"):
        assert formatting.prose(unchanged) == unchanged


@given(st.text(alphabet=" -%0123456789abc,.()", max_size=40))
def test_prose_changes_only_spaces_and_minus_signs(text: str) -> None:
    result = formatting.prose(text)

    def plain(t: str) -> str:  # a percent sign gets its space, if it had none
        return t.replace(NBSP, " ").replace("\u2212", "-").replace(" %", "%")

    assert plain(result) == plain(text)
    assert formatting.prose(result) == result  # idempotent: safe to apply twice


def test_titles_never_break_in_a_year_range_or_at_a_spaced_dash() -> None:
    title = "Processmål för palliativ vård – Sjukvårdsregion Mellansverige – 2025–2028"
    assert formatting.keep_together(title) == (
        'Processmål för palliativ <span class="nobr">vård – Sjukvårdsregion</span>'
        ' <span class="nobr">Mellansverige – <span class="nobr range">2025–2028</span></span>'
    )
    caption = "nuläge 2022–2023 jämfört med 2021-22 <i>"
    assert formatting.keep_together(caption) == (
        'nuläge <span class="nobr range">2022–2023</span> jämfört med'
        ' <span class="nobr range">2021-22</span> &lt;i&gt;'
    )
