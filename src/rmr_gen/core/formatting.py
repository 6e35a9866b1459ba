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

from rmr_gen.core.models import SummaryRow

MINUS = "\u2212"
NBSP = "\u00a0"
NOT_APPLICABLE = "-"


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
    """Tabell 1's all-diagnoses cell: the value, ``–`` (suppressed) or ``-`` (not applicable)."""
    if row.all_suppressed:
        return SUPPRESSED
    if row.current_all is None:
        return NOT_APPLICABLE
    return number(row.current_all, decimals)


def percent(value: float, decimals: int = 0) -> str:
    """``90`` → ``90 %`` with a no-break space."""
    return f"{number(value, decimals)}{NBSP}%"


def target(level: float, operator: str = "≥", decimals: int = 0) -> str:
    """``≥ 90 %`` or ``100 %`` (an exact target prints without ``=``)."""
    text = percent(level, decimals)
    return f"≥{NBSP}{text}" if operator == "≥" else text


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
