"""Turn validated measurements into the rows that tables and charts show."""

from __future__ import annotations

from rmr_gen.core.formatting import round_half_up
from rmr_gen.core.models import Key, Measurement, Report, SummaryGroup, SummaryRow, other_population


def is_suppressed(measurement: Measurement | None, min_denominator: int) -> bool:
    """Too few cases to print: the register suppressed the cell (``<5`` in the data), or
    the denominator is known and below the report's minimum.

    Data given as a value only (no counts) is otherwise never suppressed: the editor
    vouches for it.
    """
    return measurement is not None and (
        measurement.suppressed
        or (measurement.denominator is not None and measurement.denominator < min_denominator)
    )


def _row(
    report: Report, data: dict[Key, Measurement], indicator: str, region: str, second: bool
) -> SummaryRow:
    """One line of Tabell 1: ``region``'s value of ``indicator``, its change and the
    other population's value (``second``: the indicator has one)."""
    minimum = report.min_denominator
    main = report.population
    current_m = data[(indicator, region, report.period, main)]
    previous_m = data.get((indicator, region, report.previous_period, main))
    all_m = data.get((indicator, region, report.period, other_population(main)))
    if not second:
        all_m = None
    hidden = is_suppressed(current_m, minimum)
    hidden_previous = is_suppressed(previous_m, minimum)
    hidden_all = is_suppressed(all_m, minimum)
    current = None if hidden else current_m.value
    previous = None if hidden_previous or previous_m is None else previous_m.value
    change = None if current is None or previous is None else current - previous
    if change is not None and report.change_from == "rounded":  # as a reader computes it
        assert current is not None and previous is not None
        change = float(
            round_half_up(current, report.decimals) - round_half_up(previous, report.decimals)
        )
    return SummaryRow(
        region=region,
        current=current,
        previous=previous,
        change=change,
        current_all=None if hidden_all or all_m is None else all_m.value,
        current_suppressed=hidden,
        previous_suppressed=hidden_previous,
        all_suppressed=hidden_all,
        by_register=any(m is not None and m.suppressed for m in (current_m, previous_m, all_m)),
    )


def summary_groups(report: Report, data: dict[Key, Measurement]) -> tuple[SummaryGroup, ...]:
    """Tabell 1: per indicator, per region: current value, change, the other population.

    The first column is ``report.population`` (cancer diagnoses unless the report
    says ``all``), the second the other population.

    The change is the difference of the unrounded values, in the indicator's unit
    (percentage points, days), between the report's period and the previous plan's
    period. The report's reference rows (``Riket``) follow each group's regions.

    Small numbers: a value with fewer cases than ``report.min_denominator`` is
    left out (``None``, flagged as suppressed), and so is every change that
    involves it, since the printed value and the change together would give it
    back (secondary suppression). Tabell 1 prints no totals, so no other number
    can reveal a suppressed one.
    """
    groups = []
    for number, item in enumerate(report.indicators, start=1):
        second = (
            not report.one_population and other_population(report.population) in item.populations
        )
        rows = tuple(_row(report, data, item.indicator.id, r, second) for r in report.regions)
        reference = tuple(
            _row(report, data, item.indicator.id, r, second) for r in report.reference_rows
        )
        groups.append(SummaryGroup(number, item, rows, reference))
    return tuple(groups)
