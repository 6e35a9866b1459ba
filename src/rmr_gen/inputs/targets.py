"""report.toml's ``[[indicators]]`` and their targets: one or two levels, each with the
operator it is printed with, in the indicator's unit and direction of improvement."""

from __future__ import annotations

from typing import Any

from rmr_gen.core.i18n import M
from rmr_gen.core.models import POPULATIONS, Indicator, ReportIndicator, Target
from rmr_gen.inputs.checker import Checker, suggest
from rmr_gen.inputs.reference import Reference
from rmr_gen.inputs.schema import INDICATOR

OPERATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "==": "="}
#: The operator a target level has when none is written: reached at or above the level
#: when higher is better, at or below it when lower is better.
DEFAULT_OPERATOR = {"higher": "≥", "lower": "≤"}
#: The TOML table's braces are a value: a template's braces are its placeholders.
TARGET_FORMS = M(
    "target.forms",
    "a target is a number (80), two levels in the direction of improvement ([80, 95];"
    " [10, 5] when lower is better) or a table {table}",
    table="{level = 90, operator = '≥'}",
)


def _level(check: Checker, value: Any, unit: str, where: tuple[str | int, ...]) -> float | None:
    """A target level, in range for its unit; ``None`` with a problem when it is not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        check.error(where, TARGET_FORMS)
        return None
    level = float(value)
    if unit == "procent" and not 0 <= level <= 100:
        check.error(
            where,
            M(
                "target.outside-percent",
                "target level {level} is outside 0–100 %",
                level=format(level, "g"),
            ),
        )
        return None
    if unit != "procent" and level < 0:
        check.error(
            where,
            M(
                "target.below-zero",
                "target level {level} is below 0 ({unit})",
                level=format(level, "g"),
                unit=unit,
            ),
        )
        return None
    return level


def parse_target(
    check: Checker, value: Any, indicator: Indicator | None, *where: str | int
) -> Target | None:
    """``target`` as written: ``28``, ``[80, 95]`` or ``{level = 90, operator = "≥"}``.

    ``indicator`` gives the unit (the range of a level) and the direction of improvement
    (the operator of a bare number, and the order of two levels); ``None`` for a goal of
    a targets table that names no indicator: a percentage, higher is better."""
    unit = indicator.unit if indicator else "procent"
    better = indicator.better if indicator else "higher"
    implied = DEFAULT_OPERATOR[better]
    if isinstance(value, list):
        return _two_levels(check, value, unit, better, where)
    if isinstance(value, dict):
        check.unknown_keys(value, {"level", "operator"}, *where)
        written = value.get("operator")
        operator = OPERATORS.get(str(written if written is not None else implied), "")
        if not operator:
            check.error(
                where,
                M(
                    "target.operator",
                    "'operator' must be '≥' (at least), '≤' (at most) or '=' (exactly)",
                ),
            )
            return None
        if operator != "=" and operator != implied:
            check.error(
                where,
                M(
                    "target.operator-lower-better",
                    "'operator' {operator} contradicts the indicator: lower is better,"
                    " so a target is reached at {implied} the level"
                    " (set better in indicators.toml if that is wrong)",
                    operator=operator,
                    implied=implied,
                )
                if better == "lower"
                else M(
                    "target.operator-higher-better",
                    "'operator' {operator} contradicts the indicator: higher is better,"
                    " so a target is reached at {implied} the level"
                    " (set better in indicators.toml if that is wrong)",
                    operator=operator,
                    implied=implied,
                ),
            )
            return None
        if "level" not in value:
            check.error(where, M("target.level-missing", "a target needs a numeric 'level'"))
            return None
        level = _level(check, value.get("level"), unit, where)
        if level is None:
            return None
        return Target(level, operator, shown=written is not None or operator != "≥")
    level = _level(check, value, unit, where)
    return None if level is None else Target(level, implied, shown=implied != "≥")


def _two_levels(
    check: Checker, value: list[Any], unit: str, better: str, where: tuple[str | int, ...]
) -> Target | None:
    """``[lower, higher]`` målnivå: the first reached first, in the direction of improvement."""
    if len(value) != 2:
        check.error(
            where,
            M(
                "target.two-levels",
                "a list of target levels has two: the lower and the higher målnivå"
                " ([80, 95]), not {count}",
                count=len(value),
            ),
        )
        return None
    first, second = (_level(check, v, unit, where) for v in value)
    if first is None or second is None:
        return None
    if (first >= second) if better == "higher" else (first <= second):
        order = (
            M("target.rising", "rising ([80, 95])")
            if better == "higher"
            else M("target.falling", "falling ([10, 5]: lower is better)")
        )
        check.error(
            where,
            M(
                "target.level-order",
                "target levels [{first}, {second}] must be {order}:"
                " the lower målnivå is reached first",
                first=format(first, "g"),
                second=format(second, "g"),
                order=order,
            ),
        )
        return None
    return Target(first, DEFAULT_OPERATOR[better], higher=second, shown=True)


def parse_indicators(
    check: Checker, data: dict[str, Any], reference: Reference, population: str = "cancer"
) -> tuple[ReportIndicator, ...]:
    """``[[indicators]]``: each known indicator once, with its label, target and populations."""
    entries = data.get("indicators", [])
    if not isinstance(entries, list):
        check.error(
            ("indicators",),
            M("indicators.tables", "'indicators' must be written as [[indicators]] tables"),
        )
        return ()
    result = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = ("indicators", i)
        if not isinstance(entry, dict):
            check.error(
                where, M("indicators.entry-table", "each [[indicators]] entry must be a table")
            )
            continue
        check.unknown_keys(entry, INDICATOR.names, *where)
        ind_id = check.string(entry, "id", *where, required=True)
        indicator = reference.indicators.get(ind_id)
        if ind_id and indicator is None:
            check.error(
                (*where, "id"),
                M(
                    "indicators.unknown-in-report",
                    "unknown indicator '{indicator}'{hint}"
                    " (indicators are defined in data/indicators.toml; `rmr-gen indicators` lists"
                    " them)",
                    indicator=ind_id,
                    hint=suggest(ind_id, reference.indicators),
                ),
            )
            continue
        if ind_id in seen:
            check.error(
                (*where, "id"),
                M("indicators.twice", "indicator '{indicator}' is listed twice", indicator=ind_id),
            )
        seen.add(ind_id)
        target = (
            parse_target(check, entry["target"], indicator, *where, "target")
            if "target" in entry
            else None
        )
        populations = check.strings(entry, "populations", *where) or POPULATIONS
        for name in populations:
            if name not in POPULATIONS:
                check.error(
                    (*where, "populations"),
                    M(
                        "indicators.unknown-population",
                        "unknown population '{population}' (use 'cancer' or 'all')",
                        population=name,
                    ),
                )
        if population not in populations and all(p in POPULATIONS for p in populations):
            check.error(
                (*where, "populations"),
                M(
                    "indicators.population-missing",
                    "indicator '{indicator}' has no '{population}' values, but Tabell 1's first"
                    " column and the chart show data.population = '{population}':"
                    " add '{population}' to its populations, or set data.population ="
                    " '{other}' for the whole report",
                    indicator=ind_id,
                    population=population,
                    other=populations[0],
                ),
            )
        if indicator is not None:
            label = check.string(entry, "label", *where) or indicator.label
            result.append(
                ReportIndicator(
                    indicator, label, target, tuple(populations), "populations" in entry
                )
            )
    return tuple(result)
