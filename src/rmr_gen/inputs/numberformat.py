"""Whether a spreadsheet number format shows a cell as a percentage (value × 100).

A format scales the value only through a ``%`` that is a format code: not one
in quotes (``0" %"``), escaped (``0\\%``), in brackets (``[$%-41D]``, a
currency or locale), after ``_`` (a space as wide as the next character) or
``*`` (fill with it). A format has up to four sections separated by ``;``
(positive; negative; zero; text), or sections chosen by conditions such as
``[>=100]``: the section that formats the value decides.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator

_CONDITION = re.compile(r"^\[(<=|>=|<>|<|>|=)\s*([+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\]")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "<>": operator.ne,
}


def _code_positions(text: str) -> Iterator[int]:
    """The positions of the format codes in ``text``: not in quotes, escaped (or after
    ``_`` / ``*``, which take the next character) or in brackets."""
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            i = n if end < 0 else end + 1
        elif char in "\\_*":
            i += 2  # an escaped character, a space as wide as it, or a fill character
        elif char == "[":
            end = text.find("]", i + 1)
            i = n if end < 0 else end + 1
        else:
            yield i
            i += 1


def _codes(section: str) -> str:
    """The section's format codes, without literal text and bracketed parts."""
    return "".join(section[i] for i in _code_positions(section))


def _sections(number_format: str) -> list[str]:
    """The format split at each ``;`` that is not quoted, escaped or in brackets."""
    cuts = [i for i in _code_positions(number_format) if number_format[i] == ";"]
    starts = [0, *(cut + 1 for cut in cuts)]
    ends = [*cuts, len(number_format)]
    return [number_format[start:end] for start, end in zip(starts, ends, strict=True)]


def _condition(section: str) -> Callable[[float], bool] | None:
    match = _CONDITION.match(section.lstrip())
    if not match:
        return None
    compare, limit = _COMPARE[match.group(1)], float(match.group(2))
    return lambda value: compare(value, limit)


def section_for(number_format: str, value: float) -> str:
    """The section of the format that a number is shown with, as Excel chooses it."""
    sections = _sections(number_format)[:3]  # a fourth section formats text
    conditions = [_condition(s) for s in sections]
    if any(c is not None for c in conditions[:2]):
        for section, condition in zip(sections, conditions, strict=True):
            if condition is None or condition(value):
                return section
        return sections[-1]
    if len(sections) >= 3 and value == 0:
        return sections[2]
    if len(sections) >= 2 and value < 0:
        return sections[1]
    return sections[0]


def is_percent(number_format: str | None, value: float) -> bool:
    """Whether the format shows this number as a percentage (the cell's value × 100)."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in _codes(section_for(number_format, value))
