"""The schema of indicator data (long format), checked column by column.

A declarative schema in the spirit of pandera, small enough to keep every
message exact: each column has a parser from the text of a cell to its value
or a message, applied once per *distinct* cell text (a national file has a few
dozen regions and indicators but a million rows), then spread back to the rows
with numpy. Checks across columns (numerator ≤ denominator, value agrees with
the counts) are vectorised; only rows that fail are looked at one by one, to
word their messages. Problems come out sorted by line and column.

Not pandera itself: its lazy failure cases would have to be translated back
into these messages cell by cell, and the text-to-number step, where most
editors' mistakes are, is ours either way.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rmr_gen.config import Reference, normalise_period, suggest
from rmr_gen.errors import Problems
from rmr_gen.models import POPULATIONS, Key
from rmr_gen.readers import Table, codes_and_texts

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

REQUIRED = ("indicator", "region", "period", "population")
OPTIONAL = ("value", "numerator", "denominator")
KNOWN = REQUIRED + OPTIONAL

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
    """Digits after the decimal mark as written: ``51,25`` → 2."""
    cleaned = text.strip().translate(_SPACES)
    mark = max(cleaned.rfind(","), cleaned.rfind("."))
    return len(cleaned) - mark - 1 if mark >= 0 else 0


Parse = Callable[[str], tuple[Any, str | None]]
LIMIT = 20  # rows worded one by one per distinct problem; the rest are counted on one line


@dataclass(frozen=True)
class Column:
    """One column of the schema: how a cell's text becomes a value, or a message."""

    name: str
    parse: Parse
    numeric: bool = False


def _choice(name: str, known: Any) -> Parse:
    def parse(text: str) -> tuple[Any, str | None]:
        text = text.strip()
        if not text:
            return None, f"no {name} (empty cell)"
        if text in known:
            return text, None
        return None, f"unknown {name} '{text}'{suggest(text, known)}"

    return parse


def _period(text: str) -> tuple[Any, str | None]:
    if not text.strip():
        return None, "no period (empty cell)"
    period = normalise_period(text)
    if period is None:
        return None, f"period '{text.strip()}' must be a year or years like 2022–2023"
    return period, None


def _population(text: str) -> tuple[Any, str | None]:
    population = text.strip().lower()
    if population in POPULATIONS:
        return population, None
    if not population:
        return None, "no population (empty cell): 'cancer' or 'all'"
    return None, f"population '{text.strip()}' must be 'cancer' or 'all'"


def _value(text: str) -> tuple[Any, str | None]:
    text = text.strip()
    if not text:
        return math.nan, None
    value = parse_number(text.removesuffix("%"))
    if value is None:
        return math.nan, f"value '{text}' is not a number"
    if not 0 <= value <= 100:
        return math.nan, f"value {text} is outside 0–100 (a percentage)"
    return value, None


def _count(name: str) -> Parse:
    def parse(text: str) -> tuple[Any, str | None]:
        text = text.strip()
        if not text:
            return math.nan, None
        number = parse_number(text)
        if number is None or number < 0 or number != int(number):
            return math.nan, f"{name} '{text}' must be a whole number ≥ 0"
        return number, None

    return parse


def schema(reference: Reference) -> tuple[Column, ...]:
    """The columns of indicator data, checked against the shared reference data."""
    return (
        Column("indicator", _choice("indicator", reference.indicators)),
        Column("region", _choice("region", reference.regions)),
        Column("period", _period),
        Column("population", _population),
        Column("value", _value, numeric=True),
        Column("numerator", _count("numerator"), numeric=True),
        Column("denominator", _count("denominator"), numeric=True),
    )


@dataclass(frozen=True)
class Valid:
    """The rows that passed, normalised; and the keys of rows whose value failed.

    ``frame`` has ``indicator``, ``region``, ``period``, ``population`` (text),
    ``value``, ``numerator``, ``denominator`` (floats; NaN where not given) and
    ``_line``. ``invalid`` keeps a readable key whose value is wrong from being
    reported a second time as missing.
    """

    frame: pd.DataFrame
    invalid: set[Key]
    sheet: str | None = None  # the sheet the rows come from, in a workbook


@dataclass
class _Cells:
    """One column after parsing: per row (``values`` for numbers only, ``bad``,
    ``empty``, ``codes``) and per distinct text (``texts``, ``parsed``, ``messages``)."""

    values: np.ndarray | None
    bad: np.ndarray  # the cell has a message
    empty: np.ndarray
    messages: np.ndarray  # per distinct text, and None for code -1
    codes: np.ndarray
    texts: np.ndarray  # distinct texts
    parsed: list[Any]  # per distinct text: its value, None (or NaN) if bad

    def value(self, row: int) -> Any:
        return self.parsed[self.codes[row]]

    def message(self, row: int) -> str:
        return str(self.messages[self.codes[row]])


def _apply(series: pd.Series, column: Column) -> _Cells:
    """Parse every distinct text once, then spread the results back over the rows."""
    import numpy as np

    codes, texts = codes_and_texts(series)
    results = [column.parse(str(text)) for text in texts]
    parsed = [r[0] for r in results]
    messages = np.array([r[1] for r in results] + [None], dtype=object)
    bad_u = np.array([r[1] is not None for r in results] + [False], dtype=bool)
    empty_u = np.array([not str(t).strip() for t in texts] + [True], dtype=bool)
    values = None
    if column.numeric:
        values = np.array([*parsed, np.nan], dtype=float)[codes]
    return _Cells(values, bad_u[codes], empty_u[codes], messages, codes, texts, parsed)


def _categories(cell: _Cells, rows: np.ndarray) -> pd.Categorical:
    """The normalised texts of ``rows`` as categories (no string per row is made)."""
    import numpy as np
    import pandas as pd

    codes, categories = pd.factorize(pd.Series(cell.parsed, dtype=object), use_na_sentinel=True)
    mapping = np.append(codes, -1)  # a code of -1 (no text) stays -1
    return pd.Categorical.from_codes(mapping[cell.codes[rows]], categories=categories)


def _absent(n: int) -> _Cells:
    import numpy as np

    return _Cells(
        np.full(n, np.nan),
        np.zeros(n, dtype=bool),
        np.ones(n, dtype=bool),
        np.array([None], dtype=object),
        np.full(n, -1),
        np.array([], dtype=object),
        [],
    )


def _columns(table: Table, problems: Problems) -> dict[str, int] | None:
    """Known column → its position (from 1); problems for missing or repeated ones."""
    found: dict[str, int] = {}
    ok = True
    unknown: list[tuple[str, int]] = []
    at: dict[str, Any] = {"line": table.header_line, "sheet": table.sheet}
    for position, header in enumerate(table.headers, start=table.first_column):
        name = header.strip().lower()
        if name in KNOWN:
            if name in found:
                problems.error(
                    table.shown,
                    f"column '{name}' appears twice (also column {found[name]})",
                    column=position,
                    **at,
                )
                ok = False
            else:
                found[name] = position
        else:
            unknown.append((name, position))
    suggested: set[str] = set()

    def hint(name: str) -> str:
        close = difflib.get_close_matches(name, [u for u, _ in unknown if u], n=1, cutoff=0.6)
        suggested.update(close)
        return f" (did you mean '{close[0]}'?)" if close else ""

    for name in REQUIRED:
        if name not in found:
            problems.error(table.shown, f"missing column '{name}'{hint(name)}", **at)
            ok = False
    if "value" not in found and not {"numerator", "denominator"} <= set(found):
        alone = [n for n in ("numerator", "denominator") if n in found]
        if alone:
            other = "denominator" if alone == ["numerator"] else "numerator"
            message = f"column '{alone[0]}' needs a column '{other}' too"
        else:
            message = f"missing column 'value' (or 'numerator' and 'denominator'){hint('value')}"
        problems.error(table.shown, message, **at)
        ok = False
    for name, position in unknown:
        if name in suggested:
            continue
        text = f"column '{name}' is not used" if name else f"column {position} has no header"
        problems.note(table.shown, f"{text} and was ignored", column=position, **at)
    return found if ok else None


def validate(table: Table, reference: Reference, problems: Problems) -> Valid | None:
    """Check every cell of ``table``; the rows that passed, or ``None`` if the columns
    are wrong. Every problem found is added to ``problems``."""
    import numpy as np
    import pandas as pd

    positions = _columns(table, problems)
    if positions is None:
        return None
    frame = table.frame
    n = len(frame)
    lines = frame["_line"].to_numpy()
    cells: dict[str, _Cells] = {}
    for column in schema(reference):
        if column.name in positions:
            cells[column.name] = _apply(frame[f"c{positions[column.name]}"], column)
        else:
            cells[column.name] = _absent(n)

    found: list[tuple[int, int, str]] = []

    def report(
        mask: np.ndarray,
        name: str,
        message: Callable[[int], str],
        groups: np.ndarray | None = None,
    ) -> None:
        """Word the rows of ``mask``: each one up to LIMIT per problem (per distinct
        cell text when ``groups`` are its codes), then one line that counts the rest."""
        rows = np.flatnonzero(mask)
        batches = [rows]
        if groups is not None and len(rows) > LIMIT:
            order = np.argsort(groups[rows], kind="stable")
            rows = rows[order]
            batches = np.split(rows, np.flatnonzero(np.diff(groups[rows])) + 1)
        column = positions.get(name, 0)
        for batch in batches:
            for row in batch[:LIMIT]:
                found.append((int(lines[row]), column, message(int(row))))
            rest = batch[LIMIT:]
            if len(rest) == 1:
                found.append((int(lines[rest[0]]), column, message(int(rest[0]))))
            elif len(rest):
                found.append(
                    (
                        int(lines[rest[0]]),
                        column,
                        f"{message(int(rest[0]))} (and {len(rest) - 1} more rows like it,"
                        f" up to line {int(lines[rest[-1]])})",
                    )
                )

    for name, cell in cells.items():
        if cell.bad.any():
            report(cell.bad, name, cell.message, cell.codes)

    def text(name: str, row: int) -> str:
        cell = cells[name]
        return str(cell.texts[cell.codes[row]]).strip()

    value, numerator, denominator = cells["value"], cells["numerator"], cells["denominator"]
    assert value.values is not None and numerator.values is not None  # numeric columns
    assert denominator.values is not None
    nothing = value.empty & numerator.empty & denominator.empty
    where = "value" if "value" in positions else "numerator"
    report(nothing, where, lambda row: "no value (empty cell)")
    half = numerator.empty != denominator.empty
    report(
        half & numerator.empty,
        "numerator",
        lambda row: f"numerator is empty (denominator {text('denominator', row)} given)",
    )
    report(
        half & denominator.empty,
        "denominator",
        lambda row: f"denominator is empty (numerator {text('numerator', row)} given)",
    )
    counts = ~(numerator.empty | numerator.bad | denominator.empty | denominator.bad)
    n_, d_ = numerator.values, denominator.values
    with np.errstate(invalid="ignore", divide="ignore"):
        zero = counts & (d_ == 0)
        over = counts & ~zero & (n_ > d_)
        report(zero, "denominator", lambda row: "denominator is 0")
        report(
            over,
            "numerator",
            lambda row: f"numerator {n_[row]:g} is greater than denominator {d_[row]:g}",
        )
        usable = counts & ~zero & ~over
        from_counts = np.where(usable, 100.0 * n_ / np.where(usable, d_, 1.0), np.nan)
        given = ~(value.empty | value.bad)
        both = given & usable
        if both.any():
            tolerance = np.array(
                [0.5 * 10.0 ** -decimals_of(str(t)) + 1e-9 for t in value.texts] + [0.0]
            )[value.codes]
            disagree = both & (np.abs(value.values - from_counts) > tolerance)
            report(
                disagree,
                "value",
                lambda row: (
                    f"value {text('value', row)} does not match numerator/denominator"
                    f" {n_[row]:g}/{d_[row]:g} = {from_counts[row]:.1f} %"
                ),
            )
        else:
            disagree = np.zeros(n, dtype=bool)

    key_ok = ~(
        cells["indicator"].bad | cells["region"].bad | cells["period"].bad | cells["population"].bad
    )
    value_ok = ~(
        nothing | half | value.bad | numerator.bad | denominator.bad | zero | over | disagree
    )
    ok = key_ok & value_ok
    result = pd.DataFrame(
        {
            **{name: _categories(cells[name], ok) for name in REQUIRED},
            "value": np.where(given, value.values, from_counts)[ok],
            "numerator": np.where(usable, n_, np.nan)[ok],
            "denominator": np.where(usable, d_, np.nan)[ok],
            "_line": lines[ok],
        }
    )
    invalid: set[Key] = set()
    failed = key_ok & ~value_ok
    for row in np.flatnonzero(failed):
        invalid.add(tuple(str(cells[name].value(row)) for name in REQUIRED))  # type: ignore[arg-type]
    for line, position, message in sorted(found):
        problems.error(table.shown, message, line, position or None, table.sheet)
    return Valid(result, invalid, table.sheet)
