"""Turn validated measurements into the rows that tables and charts show."""

from __future__ import annotations

from rmr_gen.core.models import Key, Measurement, Report, SummaryGroup, SummaryRow, other_population


def is_suppressed(measurement: Measurement | None, min_denominator: int) -> bool:
    """Too few cases to print: the denominator is known and below the report's minimum.

    Data given as a value only (no counts) is never suppressed: the editor
    vouches for it.
    """
    return (
        measurement is not None
        and measurement.denominator is not None
        and measurement.denominator < min_denominator
    )


def summary_groups(report: Report, data: dict[Key, Measurement]) -> tuple[SummaryGroup, ...]:
    """Tabell 1: per indicator, per region: current value, change, the other population.

    The first column is ``report.population`` (cancer diagnoses unless the report
    says ``all``), the second the other population.

    The change is the difference of the unrounded values, in percentage points,
    between the report's period and the previous plan's period.

    Small numbers: a value with fewer cases than ``report.min_denominator`` is
    left out (``None``, flagged as suppressed), and so is every change that
    involves it, since the printed value and the change together would give it
    back (secondary suppression). Tabell 1 prints no totals, so no other number
    can reveal a suppressed one.
    """
    minimum = report.min_denominator
    main, second = report.population, other_population(report.population)
    groups = []
    for number, item in enumerate(report.indicators, start=1):
        rows = []
        for region in report.regions:
            current_m = data[(item.indicator.id, region, report.period, main)]
            previous_m = data.get((item.indicator.id, region, report.previous_period, main))
            all_m = data.get((item.indicator.id, region, report.period, second))
            if second not in item.populations:
                all_m = None
            hidden = is_suppressed(current_m, minimum)
            hidden_previous = is_suppressed(previous_m, minimum)
            hidden_all = is_suppressed(all_m, minimum)
            current = None if hidden else current_m.value
            previous = None if hidden_previous or previous_m is None else previous_m.value
            rows.append(
                SummaryRow(
                    region=region,
                    current=current,
                    previous=previous,
                    change=None if current is None or previous is None else current - previous,
                    current_all=None if hidden_all or all_m is None else all_m.value,
                    current_suppressed=hidden,
                    previous_suppressed=hidden_previous,
                    all_suppressed=hidden_all,
                )
            )
        groups.append(SummaryGroup(number, item, tuple(rows)))
    return tuple(groups)
