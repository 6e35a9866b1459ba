"""A data cell's text as a value, or the message that says why it is not one.

Numbers as Swedish or English spreadsheets write them, counts (whole, with thousands
separators), a register's suppression markers, periods as registers write them,
populations, and names (regions, indicators) with the closest known one. Each parser
takes the text of one cell and returns its value and ``None``, or ``None`` (or NaN)
and a message; :mod:`rmr_gen.inputs.validation` applies them once per distinct text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from rmr_gen.core.i18n import M
from rmr_gen.core.models import POPULATIONS
from rmr_gen.core.names import Names
from rmr_gen.core.names import key as name_key
from rmr_gen.inputs.config import normalise_period

_SPACE_CHARS = " \u00a0\u202f\u2009'"


_SPACES = str.maketrans("", "", _SPACE_CHARS)


#: Thousands separated by one space-like character, in groups of three: "15 000,5".
_SPACED = re.compile(r"^[+\-\u2212]?\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+(?:[.,]\d*)?$")


_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


_GROUPED = re.compile(r"^[+-]?\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?P<dec>[.,])\d+$")


def parse_number(text: str) -> float | None:
    """A number as Swedish or English spreadsheets write it; ``None`` if it is not one.

    ``51``, ``51,4``, ``51.4``, ``−9``, ``+2``, ``15 000`` (space, no-break or thin
    space as thousands separator), and ``1.234,5`` / ``1,234.5`` where both marks
    appear (the last one is the decimal mark). A single ``,`` or ``.`` is always
    the decimal mark: ``1,234`` is 1.234, as in Swedish.
    """
    stripped = text.strip()
    if any(c in stripped for c in _SPACE_CHARS) and not _SPACED.match(stripped):
        return None  # "5 1" is a typo, not 51: a space only separates groups of three
    cleaned = stripped.translate(_SPACES).replace("\u2212", "-")
    if _PLAIN.match(cleaned):
        return float(cleaned.replace(",", "."))
    match = _GROUPED.match(cleaned)
    if match and match.group("sep") != match.group("dec"):
        return float(cleaned.replace(match.group("sep"), "").replace(",", "."))
    return None


def decimals_of(text: str) -> int:
    """Digits after the decimal mark as written: ``51,25`` → 2 (``51,25 %`` too)."""
    cleaned = text.strip().removesuffix("%").translate(_SPACES)
    mark = max(cleaned.rfind(","), cleaned.rfind("."))
    return len(cleaned) - mark - 1 if mark >= 0 else 0


#: A whole number with one kind of thousands separator: 3,000 / 3.000 / 12,345,678.
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*$")


def parse_count(text: str) -> tuple[float | None, bool]:
    """A count as written, and whether a ``,`` or ``.`` in it was read as a thousands
    separator. Counts are whole numbers, so ``3,000`` and ``3.000`` are 3000 (never
    3); ``3 000`` with a space, no-break or narrow no-break space is 3000 too."""
    stripped = text.strip()
    if _THOUSANDS.match(stripped):
        return float(stripped.replace(",", "").replace(".", "")), True
    return parse_number(stripped), False


#: How registers write a cell they suppress (too few cases) or do not report: ``<5``,
#: ``n<10``, ``*``, ``..``, ``x``, ``–``. Such a cell is suppressed, never a number.
SUPPRESSION_MARKER = re.compile(r"^(?:n\s*)?[<≤]\s*\d+$|^\*{1,3}$|^\.\.$|^[xX]$|^[–—-]$")


def is_marker(text: str) -> bool:
    """Whether ``text`` is a register's suppression marker (see :data:`SUPPRESSION_MARKER`)."""
    return bool(SUPPRESSION_MARKER.match(text.strip()))


Parse = Callable[[str], tuple[Any, M | None]]


class Flaw(M):
    """A cell's message, and the kind of problem it is (a key of :data:`GROUPS`):
    ``Flaw("count", M("value.…", "…", value=…))``."""

    kind: str

    def __init__(self, kind: str, message: M) -> None:
        super().__init__(message.code, message.template, **message.values)
        object.__setattr__(self, "kind", kind)

    def __reduce__(self) -> tuple[Any, ...]:  # carried from a child process, kind and all
        return (Flaw, (self.kind, M(self.code, self.template, **self.values)))


def choice_parser(name: str, names: Names) -> Parse:
    """A name of ``names``: ``name`` is ``indicator`` or ``region``."""
    region = name == "region"

    def parse(text: str) -> tuple[Any, M | None]:
        text = text.strip()
        if not text:
            if region:
                return None, M("cell.no-region", "no region (empty cell)")
            return None, M("cell.no-indicator", "no indicator (empty cell)")
        found = names.find(text)
        if found is not None:
            return found, None
        meant = _meant(names.suggest(text))
        if region:
            return None, _rename_hint(text, meant)
        if meant is None:
            return None, M("cell.unknown-indicator", "unknown indicator '{text}'", text=text)
        return None, M(
            "cell.unknown-indicator-meant",
            "unknown indicator '{text}' (did you mean '{meant}'?)",
            text=text,
            meant=meant,
        )

    return parse


_MEANT = re.compile(r"^ \(did you mean '(.*)'\?\)$")


def _meant(suggestion: str | M) -> str | None:
    """The name in a suggestion `` (did you mean 'x'?)``, read from its English words."""
    english = suggestion.english if isinstance(suggestion, M) else suggestion
    meant = _MEANT.match(english)
    return meant.group(1) if meant else None


def _rename_hint(text: str, meant: str | None) -> M:
    """``unknown region 'Region Gotlnd' (did you mean 'Gotland'? or map it in report.toml:
    [data.rename] "Region Gotlnd" = "Gotland")``: a register's own way of writing a region
    is mapped once in report.toml."""
    mapping = f"[data.rename] {_toml(text)} = {_toml(meant or '…')}"
    if meant is not None:
        return M(
            "cell.unknown-region-meant",
            "unknown region '{text}' (did you mean '{meant}'? or map it in report.toml: {mapping})",
            text=text,
            meant=meant,
            mapping=mapping,
        )
    return M(
        "cell.unknown-region",
        "unknown region '{text}' (not a region of data/regions.toml: map it in report.toml:"
        " {mapping})",
        text=text,
        mapping=mapping,
    )


def _toml(text: str) -> str:
    """``text`` as a TOML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_EXCEL_DATE = re.compile(r"^(\d{4})-\d\d-\d\d(?:[T ]00:00(?::00)?)?$")


_SHORT_SPAN = re.compile(r"^(\d{4})\s*[/–—-]\s*(\d{2})$")


#: Words registers write before a period: ``helår 2022–2023``, ``År 2023``.
_PERIOD_WORDS = re.compile(r"^(?:helår(?:et)?|år|period(?:en)?|kalenderår)\s+", re.IGNORECASE)


#: A period of dates: ``2022-01-01–2023-12-31`` (also with ``-`` or `` till ``).
_DATE_SPAN = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)\s*(?:[–—-]|till|to)\s*(\d{4})-(\d\d)-(\d\d)$", re.IGNORECASE
)


def read_period(text: str) -> tuple[str | None, M | None]:
    """A period as registers write it, and why it cannot be read (``None`` when it can).

    ``2023``, ``2022–2023``, ``helår 2022–2023``, ``2022–23`` and whole calendar years of
    dates (``2022-01-01–2023-12-31``) are read as the years they name; a span of dates that
    is not whole years, or a single date, is refused with what it would be read as."""
    text = text.strip()
    if not text:
        return None, M("period.empty", "no period (empty cell)")
    period = normalise_period(text) or normalise_period(_PERIOD_WORDS.sub("", text))
    if period is not None:
        return period, None
    stripped = _PERIOD_WORDS.sub("", text)
    if span := _SHORT_SPAN.match(stripped):
        start = int(span.group(1))
        end = start // 100 * 100 + int(span.group(2))
        if end > start and "/" not in stripped:
            return f"{start}–{end}", None
        if end > start:  # 2022/23 is often a split year (July to June): not guessed
            return None, M(
                "period.split-year",
                "period '{text}' must be written in full: {start}–{end}",
                text=text,
                start=start,
                end=end,
            )
    if dates := _DATE_SPAN.match(stripped):
        y1, m1, d1, y2, m2, d2 = dates.groups()
        if (m1, d1, m2, d2) == ("01", "01", "12", "31") and int(y2) >= int(y1):
            return (y1 if y1 == y2 else f"{y1}–{y2}"), None
        return None, M(
            "period.not-whole-years",
            "period '{text}' is not whole calendar years (1 January to 31 December): rmr-gen"
            " compares periods of whole years; write the years it stands for",
            text=text,
        )
    if date := _EXCEL_DATE.match(text):
        return None, M(
            "period.date",
            "period '{text}' is a date: the spreadsheet turned the year into a date"
            " (format the column as text and write {year})",
            text=text,
            year=date.group(1),
        )
    return None, M(
        "period.unreadable", "period '{text}' must be a year or years like 2022–2023", text=text
    )


def period_cell(text: str) -> tuple[Any, M | None]:
    return read_period(text)


_POPULATION_NAMES = {
    "cancer": "cancer", "cancerdiagnoser": "cancer", "cancer diagnoses": "cancer",
    "all": "all", "alla": "all", "alla diagnoser": "all", "samtliga": "all",
    "samtliga diagnoser": "all", "all diagnoses": "all",
}  # fmt: skip


def population_cell(text: str) -> tuple[Any, M | None]:
    population = _POPULATION_NAMES.get(name_key(text))
    if population in POPULATIONS:
        return population, None
    if not text.strip():
        return None, M("cell.no-population", "no population (empty cell): 'cancer' or 'all'")
    return None, M(
        "cell.unknown-population",
        "population '{text}' must be 'cancer' or 'all'",
        text=text.strip(),
    )


def value_parser(fractions: bool) -> Parse:
    def parse(text: str) -> tuple[Any, M | None]:
        text = text.strip()
        if not text or is_marker(text):
            return math.nan, None
        percent = text.endswith("%")
        value = parse_number(text.removesuffix("%"))
        if value is None:
            return math.nan, _not_a_number(text)
        if fractions and not percent:
            if not 0 <= value <= 1:
                return math.nan, Flaw(
                    "over one",
                    M(
                        "value.over-one",
                        "value {value} is greater than 1, but data.fractions says this file's"
                        " values are fractions of 1 (0,514 = 51,4 %)",
                        value=text,
                    ),
                )
            value = round(value * 100, 10)
        if not math.isfinite(value):
            return math.nan, _not_a_number(text)
        return value, None  # its range follows its indicator's unit: see _unit_ranges

    return parse


def _not_a_number(text: str) -> Flaw:
    return Flaw(
        "not a number", M("value.not-a-number", "value '{value}' is not a number", value=text)
    )


#: How far a count may be from a whole number, relative to it, and still be that number:
#: a spreadsheet formula's rounding noise (``=A1*3/3`` saves 3.0000000000000004) is a
#: few parts in 10¹⁶; 2.5 or 3.01 is a count that is not whole.
COUNT_TOLERANCE = 1e-12


def whole(number: float) -> float | None:
    """The whole number a count is, within :data:`COUNT_TOLERANCE`; ``None`` if none."""
    nearest = float(round(number))
    return nearest if abs(number - nearest) <= COUNT_TOLERANCE * max(1.0, abs(number)) else None


#: The count columns as the subject of a sentence, and their plurals.
COUNT_NAMES = {
    # i18n: the column, as the subject of a sentence ("numerator '3,5' must be …")
    "numerator": M("value.numerator", "numerator"),
    # i18n: the column, as the subject of a sentence ("denominator '3,5' must be …")
    "denominator": M("value.denominator", "denominator"),
}
COUNT_PLURALS = {
    "numerator": M("value.numerators", "numerators"),
    "denominator": M("value.denominators", "denominators"),
}


def count_parser(name: str) -> Parse:
    """A count of the column ``name``: ``numerator`` or ``denominator``."""

    def parse(text: str) -> tuple[Any, M | None]:
        text = text.strip()
        if not text or is_marker(text):
            return math.nan, None
        number, _ = parse_count(text)
        counted = None if number is None or not math.isfinite(number) else whole(number)
        if counted is None or counted < 0:
            return math.nan, Flaw(
                "count",
                M(
                    "value.not-a-count",
                    "{name} '{text}' must be a whole number ≥ 0",
                    name=COUNT_NAMES[name],
                    text=text,
                ),
            )
        return counted, None

    return parse
