"""The shared reference data: organisations, indicators and regions (rmr-gen's files in
``src/rmr_gen/data/``, or the project's own in ``data/``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Indicator, Organisation
from rmr_gen.core.names import Names, clashes
from rmr_gen.core.project import REFERENCE_FILES, Project
from rmr_gen.core.tomlfile import read_toml
from rmr_gen.inputs.checker import Checker, choice, suggest
from rmr_gen.inputs.schema import INDICATOR_DEFINITION, ORGANISATION, REGION


@dataclass(frozen=True)
class Reference:
    """Shared reference data: organisations, indicators and regions."""

    organisations: dict[str, Organisation]
    indicators: dict[str, Indicator]
    regions: tuple[str, ...]
    healthcare_regions: dict[str, tuple[str, ...]]
    files: tuple[Path, ...]
    region_aliases: Mapping[str, str] = field(default_factory=dict)
    indicator_aliases: Mapping[str, str] = field(default_factory=dict)
    project_indicators: frozenset[str] = frozenset()  # defined by the project's own file

    @cached_property
    def region_names(self) -> Names:
        """The regions, and every other way data files may name them."""
        return Names(self.regions, self.region_aliases)

    @cached_property
    def indicator_names(self) -> Names:
        """The indicator ids, and their labels and aliases."""
        return Names(tuple(self.indicators), self.indicator_words())

    def indicator_words(self) -> dict[str, str]:
        """Each indicator's label and aliases, to its id."""
        labels = {i.label: i.id for i in self.indicators.values()}
        return {**labels, **self.indicator_aliases}

    def with_renames(self, renames: Iterable[tuple[str, str]]) -> Reference:
        """This reference data and a report's ``[data.rename]`` on top of it."""
        regions, indicators = dict(self.region_aliases), dict(self.indicator_aliases)
        for written, name in renames:
            if (region := self.region_names.find(name)) is not None:
                regions[written] = region
            elif (indicator := self.indicator_names.find(name)) is not None:
                indicators[written] = indicator
        return dataclasses.replace(self, region_aliases=regions, indicator_aliases=indicators)

    def with_reference_rows(self, names: Iterable[str]) -> Reference:
        """This reference data with a report's ``[data] reference`` rows (``Riket``) read
        as names of the region column: they are kept, not left out as totals."""
        extra = tuple(n for n in names if n not in self.regions)
        if not extra:
            return self
        return dataclasses.replace(self, regions=self.regions + extra)

    def is_project_indicator(self, indicator_id: str) -> bool:
        """Whether the project's own data/indicators.toml defines it (else rmr-gen's)."""
        return indicator_id in self.project_indicators


def load_reference(project: Project, problems: Problems) -> Reference:
    """Read ``data/organisations.toml``, ``indicators.toml`` and ``regions.toml``:
    each from the project's data/ when it has one, else rmr-gen's default; each
    read only from inside its folder."""
    files = tuple(project.reference_file(name) for name in REFERENCE_FILES)
    docs = [
        read_toml(path, project.shown(path), problems, (path.parent, project.root))
        for path in files
    ]
    organisations: dict[str, Organisation] = {}
    indicators: dict[str, Indicator] = {}
    healthcare_regions: dict[str, tuple[str, ...]] = {}
    indicator_aliases: dict[str, str] = {}
    region_aliases: dict[str, str] = {}
    org_doc, ind_doc, reg_doc = docs
    if org_doc:
        check = Checker(org_doc, problems)
        for org_id, entry in org_doc.data.items():
            if not isinstance(entry, dict):
                check.error(
                    (org_id,),
                    M(
                        "organisations.not-a-table",
                        "organisation '{organisation}' must be a table",
                        organisation=org_id,
                    ),
                )
                continue
            check.unknown_keys(entry, ORGANISATION.names, org_id)
            fields = {k: check.string(entry, k, org_id) for k in ORGANISATION.names - {"name"}}
            name = check.string(entry, "name", org_id, required=True)
            organisations[org_id] = Organisation(id=org_id, name=name, **fields)
    if ind_doc:
        check = Checker(ind_doc, problems)
        for ind_id, entry in ind_doc.data.items():
            if not isinstance(entry, dict):
                check.error(
                    (ind_id,),
                    M(
                        "indicators.not-a-table",
                        "indicator '{indicator}' must be a table",
                        indicator=ind_id,
                    ),
                )
                continue
            check.unknown_keys(entry, INDICATOR_DEFINITION.names, ind_id)
            for alias in check.strings(entry, "aliases", ind_id):
                indicator_aliases[alias] = ind_id
            indicators[ind_id] = Indicator(
                id=ind_id,
                label=check.string(entry, "label", ind_id, required=True),
                description=check.string(entry, "description", ind_id),
                unit=choice(check, entry, INDICATOR_DEFINITION, "unit", ind_id),
                better=choice(check, entry, INDICATOR_DEFINITION, "better", ind_id),
            )
    if reg_doc:
        check = Checker(reg_doc, problems)
        check.unknown_keys(reg_doc.data, {"sjukvardsregioner", "regions"})
        groups = check.table(reg_doc.data, "sjukvardsregioner")
        for name in groups:
            healthcare_regions[name] = check.strings(groups, name, "sjukvardsregioner")
    regions = tuple(r for members in healthcare_regions.values() for r in members)
    if reg_doc:
        region_aliases = _region_aliases(Checker(reg_doc, problems), regions)
    own = files[1] == project.data_dir / REFERENCE_FILES[1]
    reference = Reference(
        organisations, indicators, regions, healthcare_regions, files,
        region_aliases, indicator_aliases, frozenset(indicators) if own else frozenset(),
    )  # fmt: skip
    for doc, canonical, aliases, noun in (
        (reg_doc, reference.regions, reference.region_aliases, "region"),
        (ind_doc, tuple(reference.indicators), reference.indicator_words(), "indicator"),
    ):
        for alias, one, other in clashes(canonical, aliases):
            if doc:
                names = {"alias": alias, "one": one, "other": other}
                problems.error(
                    doc.shown,
                    M(
                        "regions.name-clash",
                        "'{alias}' names two regions: '{one}' and '{other}'",
                        **names,
                    )
                    if noun == "region"
                    else M(
                        "indicators.name-clash",
                        "'{alias}' names two indicators: '{one}' and '{other}'",
                        **names,
                    ),
                )
    return reference


def _region_aliases(check: Checker, regions: tuple[str, ...]) -> dict[str, str]:
    """``[regions.NAME]``: the official name, county, county code and other aliases."""
    aliases: dict[str, str] = {}
    for region, entry in check.table(check.doc.data, "regions").items():
        where = ("regions", region)
        if region not in regions:
            check.error(
                where,
                M(
                    "regions.no-healthcare-region",
                    "region '{region}' is in no sjukvårdsregion{hint}",
                    region=region,
                    hint=suggest(region, regions),
                ),
            )
            continue
        if not isinstance(entry, dict):
            check.error(
                where, M("regions.not-a-table", "region '{region}' must be a table", region=region)
            )
            continue
        check.unknown_keys(entry, REGION.names, *where)
        names = [check.string(entry, k, *where) for k in ("official", "county")]
        code = check.string(entry, "code", *where)
        if code and not (code.isdigit() and len(code) == 2):
            check.error(
                (*where, "code"),
                M("regions.county-code", "'code' is the two-digit county code, like \"01\""),
            )
        elif code:
            names += [code, code.lstrip("0")]
        names += check.strings(entry, "aliases", *where)
        aliases.update((name, region) for name in names if name)
    return aliases
