"""Parameterised reports: one report.toml rendered once per region or sjukvårdsregion.

``[parameter] by = "region"`` renders a PDF per region, ``by = "sjukvardsregion"``
one per sjukvårdsregion with its member regions; ``{value}`` in the title,
captions and notes is replaced by the value, and the file name gets a safe slug.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from rmr_gen.core.models import Report
from rmr_gen.inputs.config import Reference


def slugify(value: str) -> str:
    """``Jämtland/Härjedalen`` → ``jamtland-harjedalen``: safe in any file system."""
    text = unicodedata.normalize("NFKD", value.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


def _fill(text: str, value: str) -> str:
    return text.replace("{value}", value)


def expand(report: Report, reference: Reference) -> list[Report]:
    """The report once per parameter value (or just itself when it has none)."""
    if not report.parameter:
        return [report]
    variants = []
    for value in report.parameter_values:
        regions = (value,) if report.parameter == "region" else reference.healthcare_regions[value]
        variants.append(
            dataclasses.replace(
                report,
                parameter_value=value,
                output_name=f"{report.id}-{slugify(value)}",
                title=_fill(report.title, value),
                short_title=_fill(report.short_title, value),
                regions=regions,
                tables={
                    k: dataclasses.replace(
                        t, caption=_fill(t.caption, value), note=_fill(t.note, value)
                    )
                    for k, t in report.tables.items()
                },
                charts={
                    k: dataclasses.replace(c, caption=_fill(c.caption, value))
                    for k, c in report.charts.items()
                },
            )
        )
    return variants
