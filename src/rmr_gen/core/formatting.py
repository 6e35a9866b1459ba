"""Numbers, dates and targets as a Swedish reader expects them.

Conventions (one place, used by tables, charts, alt texts and running text alike):
decimal comma; U+2212 minus for negatives; ``+`` for positive changes and a plain
``0`` for no change (``86 (0)``: never ``±0``, which reads as an error margin,
and never ``−0``); no-break space before ``%`` and as thousands separator;
rounding half away from zero (``0,5`` → ``1``), never banker's rounding; dates
``2025-06-04``. The page side of Swedish typography (hyphenation, widows and
orphans, headings kept with their text, tabular figures) is in templates/base.css.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import ROUND_HALF_UP, Decimal

from rmr_gen.core.models import SummaryRow, Target

MINUS = "\u2212"
NBSP = "\u00a0"
#: A value that does not exist (an indicator not measured for all diagnoses, an
#: indicator without a target): the same dash as a suppressed value, as a reader
#: expects one sign for "no number here"; Tabell 1's note tells them apart where a
#: table has both (templates/partials/table-indicator-summary.html.j2).
NOT_APPLICABLE = "\u2013"


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5``; negatives with U+2212."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print "−0"
    sign = MINUS if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return sign + text + ("," + fraction if fraction else "")


def change(delta: float, decimals: int = 0) -> str:
    """A change in percentage points: ``+2``, ``−9``, ``0``."""
    text = number(delta, decimals)
    if round_half_up(delta, decimals) > 0:
        return "+" + text
    return text


def value_with_change(value: float, delta: float | None, decimals: int = 0) -> str:
    """Tabell 1's cell: ``51 (−9)``; just ``51`` when there is no earlier value."""
    if delta is None:
        return number(value, decimals)
    return f"{number(value, decimals)} ({change(delta, decimals)})"


SUPPRESSED = "–"  # fewer cases than the report's minimum: the value is not shown


def change_label(row: SummaryRow, decimals: int = 0) -> str:
    """The change as Tabell 1 prints it for ``row``, the one text the table, the
    chart and its alt text share: ``−9``, ``+1``, ``0``; ``(–)`` when the previous
    period is suppressed, ``–`` when the current value is; ``""`` without a change."""
    if row.current_suppressed or row.current is None:
        return SUPPRESSED
    if row.previous_suppressed:
        return f"({SUPPRESSED})"
    if row.change is None:
        return ""
    return change(row.change, decimals)


def summary_cell(row: SummaryRow, decimals: int = 0) -> str:
    """Tabell 1's cancer cell as printed: ``51 (−9)``, ``–`` (suppressed) or
    ``51 (–)`` (the previous period is suppressed, so the change is not shown)."""
    label = change_label(row, decimals)
    if label == SUPPRESSED or row.current is None:
        return SUPPRESSED
    value = number(row.current, decimals)
    if not label:
        return value
    return f"{value} {label}" if label.startswith("(") else f"{value} ({label})"


def all_diagnoses_cell(row: SummaryRow, decimals: int = 0) -> str:
    """Tabell 1's all-diagnoses cell: the value, or ``–`` (suppressed, or not measured)."""
    if row.all_suppressed:
        return SUPPRESSED
    if row.current_all is None:
        return NOT_APPLICABLE
    return number(row.current_all, decimals)


def target(level: float, operator: str = "≥", decimals: int = 0) -> str:
    """``≥ 90 %`` or ``100 %`` (an exact target prints without ``=``); templates' filter."""
    return target_level(level, operator, decimals)


def percent(value: float, decimals: int = 0) -> str:
    """``90`` → ``90 %`` with a no-break space."""
    return f"{number(value, decimals)}{NBSP}%"


def target_level(
    level: float, operator: str = "≥", decimals: int = 0, unit: str = "procent"
) -> str:
    """``≥ 90 %``, ``≤ 5 %``, ``≤ 28 dagar`` or ``100 %`` (an exact target prints
    without ``=``, as in a targets table of an RMR)."""
    text = with_unit(level, unit, decimals)
    return f"{operator}{NBSP}{text}" if operator in ("≥", "≤") else text


#: A unit as a value and a change are printed in: ``%`` / ``procentenheter``, ``dagar``.
UNIT_SIGNS = {"procent": "%", "dagar": "dagar", "antal": "st."}
CHANGE_UNITS = {"procent": "procentenheter", "dagar": "dagar", "antal": "antal"}
#: A unit after an indicator's label in a table of several units: ``Ledtid (dagar)``.
UNIT_LABELS = {"procent": "%", "dagar": "dagar", "antal": "antal"}


def with_unit(value: float, unit: str = "procent", decimals: int = 0) -> str:
    """``90 %``, ``34 dagar``, ``12 st.``: a value with its unit, never broken apart."""
    return f"{number(value, decimals)}{NBSP}{UNIT_SIGNS[unit]}"


def target_text(target: Target | None, decimals: int = 0, unit: str = "procent") -> str:
    """A target as a targets table (RMR) and the diff print it, with its unit: ``≥ 90 %``,
    ``100 %``, ``≤ 28 dagar``, two levels ``≥ 80 % / ≥ 95 %``; ``–`` for none."""
    if target is None:
        return NOT_APPLICABLE
    return " / ".join(
        target_level(level, target.operator, decimals, unit) for level in target.levels
    )


def target_levels(
    target: Target, decimals: int = 0, unit: str = "", operators: bool = False
) -> str:
    """A target as Tabell 1 and Figur 1 print it: ``90`` (the implied ``≥`` of one level
    is not printed), ``≥ 90`` (its operator written in report.toml), ``≤ 28`` (lower is
    better), ``= 100`` or two levels ``≥ 80 / ≥ 95``; with ``unit`` the unit follows each
    level. ``operators`` prints the operator even where it is implied."""

    def one(level: float) -> str:
        text = with_unit(level, unit, decimals) if unit else number(level, decimals)
        shown = operators or target.shown
        return f"{target.operator}{NBSP}{text}" if shown else text

    return " / ".join(one(level) for level in target.levels)


def date(value: dt.date) -> str:
    return value.isoformat()


_PERCENT = re.compile(r"(?<=\d) ?(?=%(?![0-9A-Fa-f]{2}))")  # "85%" too, never "%20"
_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?: \d{3})+(?!\d)")
_MINUS = re.compile(r"(?<![\w\-–])-(?=\d)")


def prose(text: str) -> str:
    """Running text as typed by editors, with the number conventions above.

    Only what is unambiguous changes: the space in ``98 %`` and in ``15 000``
    becomes a no-break space (the line never breaks inside a number; ``85%`` gets
    one, as the tables print it), and a hyphen before a digit that follows a space
    or a bracket becomes U+2212 (``(-9)`` → ``(−9)``). Ranges (``2025-2028``),
    words and spacing the editor chose otherwise are left alone.
    """
    text = _PERCENT.sub(NBSP, text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    return _MINUS.sub(MINUS, text)


_RANGE = r"\d{4}\s?[–-]\s?\d{2,4}"  # 2025–2028, 2021-22
# A spaced dash with the words on either side (``vård – Norrbotten – 2025–2028``), or a range.
_TOGETHER = re.compile(rf"\S+(?: [–—-] \S+)+|{_RANGE}")
_RANGE_ONLY = re.compile(_RANGE.replace(r"\s?", ""))


def keep_together(text: str) -> str:
    """A title or caption as HTML in which no line breaks inside a year range or next to
    a spaced dash: ``2025–2028`` and ``vård – Norrbotten`` are unbreakable spans, so no
    line ends in ``–`` or starts with it. (WeasyPrint breaks lines at a no-break space
    when a line overflows; a ``white-space: nowrap`` span it never breaks.)"""
    escaped = html.escape(text, quote=False)

    def span(match: re.Match[str]) -> str:
        # a range has a span of its own (class "range"), inside a dash run too: a screen
        # too narrow for the run (a phone) may break it at its dashes, never in a range
        inner = match.group(0)
        if " " not in inner:
            return f'<span class="nobr range">{inner}</span>'
        inner = _RANGE_ONLY.sub(lambda r: f'<span class="nobr range">{r.group(0)}</span>', inner)
        return f'<span class="nobr">{inner}</span>'

    return _TOGETHER.sub(span, escaped)
