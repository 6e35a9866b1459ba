"""Turn validated measurements into the rows that tables and charts show."""

from __future__ import annotations

from rmr_gen.models import Measurement, Report, SummaryGroup, SummaryRow

Key = tuple[str, str, str, str]


def summary_groups(report: Report, data: dict[Key, Measurement]) -> tuple[SummaryGroup, ...]:
    """Tabell 1: per indicator, per region: current value, change, all-diagnoses value.

    The change is the difference of the unrounded values, in percentage points,
    between the report's period and the previous plan's period.
    """
    groups = []
    for number, item in enumerate(report.indicators, start=1):
        rows = []
        for region in report.regions:
            current = data[(item.indicator.id, region, report.period, "cancer")].value
            previous_m = data.get((item.indicator.id, region, report.previous_period, "cancer"))
            previous = previous_m.value if previous_m else None
            all_m = data.get((item.indicator.id, region, report.period, "all"))
            rows.append(
                SummaryRow(
                    region=region,
                    current=current,
                    previous=previous,
                    change=None if previous is None else current - previous,
                    current_all=all_m.value if all_m and "all" in item.populations else None,
                )
            )
        groups.append(SummaryGroup(number, item, tuple(rows)))
    return tuple(groups)
