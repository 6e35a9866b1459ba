"""The immutable values that flow from loading, through computing, to rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

POPULATIONS = ("cancer", "all")
#: The table and chart types a report may name (``[tables.ID] type``, ``[charts.ID] type``).
TABLE_TYPES = ("indicator-summary", "targets")
CHART_TYPES = ("change", "change-bars")
#: A measurement's identity: (indicator, region, period, population).
Key = tuple[str, str, str, str]


def other_population(population: str) -> str:
    """The population of Tabell 1's second column."""
    return "all" if population == "cancer" else "cancer"


#: A population as Tabell 1's column headings, the chart and the diff name it.
POPULATION_NAMES = {"cancer": "cancerdiagnoser", "all": "alla diagnoser"}


def population_name(population: str) -> str:
    """``all`` → ``alla diagnoser``: the one place a population gets its words."""
    return POPULATION_NAMES[population]


@dataclass(frozen=True)
class Organisation:
    """Who publishes a document; printed in the page footer."""

    id: str
    name: str
    postal_address: str = ""
    visiting_address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


#: What an indicator is measured in (indicators.toml ``unit``).
UNITS = ("procent", "dagar", "antal")
#: Which way is an improvement (indicators.toml ``better``).
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Target:
    """One or two target levels: ``≥ 90 %``, ``= 100 %``, ``≤ 28`` or, with a second
    (higher) målnivå in the direction of improvement, ``≥ 80 / ≥ 95``."""

    level: float  # the lower målnivå: the first one reached
    operator: str = "≥"  # "≥" (at least), "≤" (at most) or "=" (exactly)
    higher: float | None = None  # the higher målnivå, when there are two
    #: the operator is printed in Tabell 1 and Figur 1: written in report.toml, or not the
    #: default "≥" (a lower-is-better indicator), or two levels
    shown: bool = False

    @property
    def levels(self) -> tuple[float, ...]:
        return (self.level,) if self.higher is None else (self.level, self.higher)


@dataclass(frozen=True)
class Indicator:
    """A quality indicator, defined once in ``data/indicators.toml``."""

    id: str
    label: str
    description: str = ""
    unit: str = "procent"  # "procent" (0–100), "dagar" (a lead time), "antal" (a count)
    better: str = "higher"  # "higher" or "lower": which way is an improvement

    @property
    def percent(self) -> bool:
        return self.unit == "procent"


@dataclass(frozen=True)
class ReportIndicator:
    """An indicator as one report uses it: its printed label and target."""

    indicator: Indicator
    label: str
    target: Target | None
    populations: tuple[str, ...] = ("cancer", "all")
    populations_given: bool = False  # written in report.toml (else: as the data has them)

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def better(self) -> str:
        return self.indicator.better


@dataclass(frozen=True)
class TargetRow:
    """One row of a target list (RMR): a goal, its target and optional indicator."""

    label: str
    target: Target
    indicator_id: str | None = None
    unit: str = "procent"  # the indicator's, or a percentage for a goal without one


@dataclass(frozen=True)
class TableSpec:
    """A table declared in report.toml; ``type`` selects how it is computed."""

    id: str
    type: str  # "indicator-summary" | "targets"
    caption: str
    note: str = ""
    rows: tuple[TargetRow, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    """A chart declared in report.toml."""

    id: str
    type: str  # "change"
    caption: str


@dataclass(frozen=True)
class ContentItem:
    """One block of the document body, in reading order."""

    kind: str  # "text" | "table" | "chart" | "changes" | "history"
    ref: str  # a Markdown file name, or a table/chart id


@dataclass(frozen=True)
class Limits:
    """Bounds on what one report may consume. These defaults are also the ceiling:
    ``[limits]`` in report.toml may lower them, never raise them."""

    max_pages: int = 500
    max_seconds: int = 300  # reading the data of a report, and rendering one PDF
    max_data_mb: int = 200  # size of one data file (a workbook: unpacked)
    max_rows: int = 2_000_000  # rows of one data file
    max_image_mb: int = 10  # size of one image in a text
    max_image_pixels: int = 50_000_000  # pixels of one image, counted before decoding


#: The most a report may ask for.
CEILING = Limits()


@dataclass(frozen=True)
class HistoryEntry:
    """One row of a document's version history (report.toml ``[[history]]``)."""

    version: str
    date: dt.date | None
    description: str


@dataclass(frozen=True)
class Report:
    """A validated report.toml, with everything it refers to resolved."""

    id: str
    folder: Path
    kind: str
    title: str
    organisation: Organisation
    date: dt.date | None
    version: str
    contents: tuple[ContentItem, ...]
    short_title: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    document_id: str = ""
    approved_by: str = ""
    content_owner: str = ""
    valid_until: dt.date | None = None
    period: str = ""
    previous_period: str = ""
    target_year: int | None = None
    regions: tuple[str, ...] = ()
    indicators: tuple[ReportIndicator, ...] = ()
    data_files: tuple[Path, ...] = ()
    previous: str = ""  # "<report-id>@<X.Y>": the previous plan's release
    previous_data_files: tuple[Path, ...] = ()  # its data snapshot: the previous period's rows
    previous_line: int | None = None  # where report.toml names it, for a message about it
    data_sheets: tuple[str, ...] = ()  # per data file: a sheet of a workbook, "" for the first
    min_denominator: int = 5  # fewer cases than this: the cell is suppressed
    population: str = "cancer"  # Tabell 1's first column and the chart; the other is second
    renames: tuple[tuple[str, str], ...] = ()  # [data.rename]: name in the data, name here
    columns: tuple[tuple[str, str], ...] = ()  # [data.columns]: rmr-gen's column, the header
    reference_rows: tuple[str, ...] = ()  # [data] reference: "Riket", a sjukvårdsregion
    #: [data] change_from: "rounded" (from the printed values) or "unrounded"; "" unset
    change_from: str = ""
    #: Tabell 1's value columns: both populations, or the report's one when no data file
    #: has a population column (set once the data is read)
    populations: tuple[str, ...] = ("cancer", "all")
    fraction_files: tuple[Path, ...] = ()  # data files (and their snapshots) holding fractions
    decimals: int = 0
    changes: tuple[str, ...] = ()  # "Förändringar sedan föregående version", one per line
    history: tuple[HistoryEntry, ...] = ()
    tables: dict[str, TableSpec] = field(default_factory=dict)
    charts: dict[str, ChartSpec] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    example_data: bool = False  # synthetic numbers: every page says "Exempeldata"
    parameter: str = ""  # "" | "region" | "sjukvardsregion"
    parameter_values: tuple[str, ...] = ()
    parameter_value: str = ""  # set on each rendered variant
    output_name: str = ""  # file stem in output/<id>/; the id unless parameterised

    @property
    def one_population(self) -> bool:
        return len(self.populations) == 1

    @property
    def needs_data(self) -> bool:
        return bool(self.data_files)

    @property
    def name(self) -> str:
        """The output file stem: ``<id>`` or ``<id>-<value slug>``."""
        return self.output_name or self.id

    @property
    def data_sources(self) -> tuple[tuple[Path, str], ...]:
        """Each data file with its sheet ("" for a CSV file or a workbook's first sheet)."""
        sheets = self.data_sheets + ("",) * (len(self.data_files) - len(self.data_sheets))
        return tuple(zip(self.data_files, sheets, strict=True))


@dataclass(frozen=True)
class Measurement:
    """One validated row of indicator data."""

    indicator: str
    region: str
    period: str
    population: str
    value: float
    path: str
    line: int
    numerator: int | None = None
    denominator: int | None = None
    sheet: str | None = None  # in a workbook: the sheet, and ``line`` is its row
    #: the register suppressed the cell (``<5``, ``*``, ``..``): no value, printed "–"
    suppressed: bool = False

    @property
    def key(self) -> Key:
        """The cell this row gives: (indicator, region, period, population)."""
        return (self.indicator, self.region, self.period, self.population)


@dataclass(frozen=True)
class SummaryRow:
    """One region's line in an indicator group of Tabell 1."""

    region: str
    current: float | None  # None only when suppressed
    change: float | None  # None when either period is suppressed or has no value
    current_all: float | None  # the second column: the population other than the report's
    previous: float | None
    current_suppressed: bool = False  # fewer cases than the report's min_denominator
    previous_suppressed: bool = False
    all_suppressed: bool = False
    #: suppressed by the register itself (a marker such as ``<5`` in the data), not by
    #: the report's min_denominator: the table's note says so
    by_register: bool = False


@dataclass(frozen=True)
class SummaryGroup:
    """One indicator of Tabell 1 with its regions and target."""

    number: int
    indicator: ReportIndicator
    rows: tuple[SummaryRow, ...]
    #: the report's [data] reference rows (``Riket``), under the regions
    reference: tuple[SummaryRow, ...] = ()
