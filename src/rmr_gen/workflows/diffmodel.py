"""The diff's values: what changed, as the summary, the JSON and the change log read it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rmr_gen.workflows.diffmeta import FieldChange, LinkChange

DRAFT = "draft"
FIRST_TEXT = "Inledning (före första rubriken)"


@dataclass(frozen=True)
class CellChange:
    table: str
    region: str
    indicator: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    table: str
    row: str
    change: str  # "added" | "removed" | "renamed"
    region: str = ""  # the region the row belongs to, in a table by region
    old: str = ""  # the row's label before a rename
    target: str = ""  # an indicator or goal added or removed: its target as printed


@dataclass(frozen=True)
class TargetChange:
    table: str
    indicator: str
    old: str
    new: str


@dataclass(frozen=True)
class SectionChange:
    section: str  # the heading as printed (the new one when renamed)
    change: str  # "changed" | "added" | "removed" | "renamed" | "formatting"
    words_added: int
    words_removed: int
    edits: tuple[tuple[str, str], ...] = ()  # (old words, new words) per changed run
    old_name: str = ""  # the heading before a rename
    #: what the words alone do not show: "rubriknivå 2 → 3", "”90 procent”: hårt
    #: mellanslag → mellanslag", "”på”: Unicode-form NFD → NFC"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Differences:
    report: str
    old: str
    new: str
    sections: tuple[SectionChange, ...] = ()
    cells: tuple[CellChange, ...] = ()
    rows: tuple[RowChange, ...] = ()
    targets: tuple[TargetChange, ...] = ()
    figures: tuple[str, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    links: tuple[LinkChange, ...] = ()
    changelog: tuple[str, ...] = field(default=())
    #: Input files (as in the release's source/) that differ, printed or not: what
    #: ``rmr-gen list`` calls "differs". Not counted as a change on the page.
    sources: tuple[str, ...] = ()
    value: str = ""  # the parameter value of this document, "" when not parameterised
    #: (old, new) period when they differ (next year's plan against last year's): the
    #: shift is one change (the field ``data.period``); the cells of the new period
    #: are listed here, marked in the redline, and not counted one by one
    periods: tuple[str, ...] = ()
    period_cells: tuple[CellChange, ...] = ()

    @property
    def words_added(self) -> int:
        return sum(s.words_added for s in self.sections)

    @property
    def words_removed(self) -> int:
        return sum(s.words_removed for s in self.sections)

    @property
    def count(self) -> int:
        """How many changes, of every kind."""
        return sum(
            len(x)
            for x in (
                self.sections,
                self.cells,
                self.rows,
                self.targets,
                self.figures,
                self.fields,
                self.links,
            )
        )

    @property
    def any(self) -> bool:
        return self.count > 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(words_added=self.words_added, words_removed=self.words_removed)
        data["changes"] = self.count
        data["differences"] = self.any
        return data


@dataclass(frozen=True)
class DiffResult:
    differences: Differences
    html: Path | None  # None for a parameter value on one side only
    pdf: Path | None
