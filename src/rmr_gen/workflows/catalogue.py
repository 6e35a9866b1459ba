"""``rmr-gen indicators``: the indicators a project can use, and where each is defined."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rmr_gen.core.errors import Problems
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import load_reference


@dataclass(frozen=True)
class IndicatorEntry:
    """One indicator as ``rmr-gen indicators`` lists it."""

    id: str
    label: str
    unit: str
    better: str
    aliases: tuple[str, ...]
    defined_by: str  # "project" (its data/indicators.toml) or "rmr-gen"
    description: str

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "aliases": list(self.aliases)}


def indicator_entries(project: Project) -> list[IndicatorEntry]:
    """Every indicator of the project's reference data, in the order of its file."""
    problems = Problems()
    reference = load_reference(project, problems)
    problems.raise_if_any()
    aliases: dict[str, list[str]] = {}
    for alias, indicator_id in reference.indicator_aliases.items():
        aliases.setdefault(indicator_id, []).append(alias)
    return [
        IndicatorEntry(
            indicator.id,
            indicator.label,
            indicator.unit,
            indicator.better,
            tuple(aliases.get(indicator.id, ())),
            "project" if reference.is_project_indicator(indicator.id) else "rmr-gen",
            indicator.description,
        )
        for indicator in reference.indicators.values()
    ]
