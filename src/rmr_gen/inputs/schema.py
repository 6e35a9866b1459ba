"""The keys of report.toml and of the reference data files, as one declarative table.

Each table of a file is a :class:`Section`: its keys with their type, default, allowed
values and one line of help. The loaders in :mod:`rmr_gen.inputs.config` take the keys a
table may hold, the allowed values of a choice and its default from here (a new key is a
row here, not another hand-written check), and ``scripts/make_reference.py`` writes the
reference page ``docs/reference/configuration.md`` from the same rows, so that the
page and the checks cannot drift apart (``tests/test_schema.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """One key of a TOML table."""

    name: str
    type: str  # as the reference page names it: "string", "list of strings", "table" …
    help: str
    default: str = ""  # as written in TOML, or a sentence; "" = no default (optional)
    allowed: tuple[str, ...] = ()  # a choice: the values it may take
    required: bool = False


@dataclass(frozen=True)
class Section:
    """A table of a file: where it is, what it is for and its keys."""

    file: str
    table: str  # "" for the top level, "[data]", "[[indicators]]" …
    help: str
    keys: tuple[Key, ...]

    @property
    def names(self) -> set[str]:
        return {k.name for k in self.keys}

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)


UNITS = ("procent", "dagar", "antal")
BETTER = ("higher", "lower")
POPULATION_CHOICES = ("cancer", "all")
COLUMN_NAMES = ("indicator", "region", "period", "population", "value", "numerator", "denominator")

REPORT = Section(
    "report.toml",
    "",
    "One report: its document, its texts in reading order, its data and what it prints.",
    (
        Key("kind", "string", "The document kind, a folder of templates: processmal, rmr or one of the project's own templates/.", required=True),
        Key("title", "string", "The title on page 1 and in the PDF's metadata; may use {period}, {previous_period}, {target_year}.", required=True),
        Key("short_title", "string", "The title in the page header."),
        Key("organisation", "string", "An organisation id of data/organisations.toml (footer, metadata).", required=True),
        Key("date", "date", "The document's date, written 2025-06-04 (no quotes)."),
        Key("version", "string", 'The document version, major.minor: "1.0".', required=True),
        Key("subject", "string", "The PDF's subject."),
        Key("keywords", "list of strings", "The PDF's keywords."),
        Key("document_id", "string", "RMR: the controlled document's id."),
        Key("approved_by", "string", "RMR: who approved it."),
        Key("content_owner", "string", "RMR: who owns its content."),
        Key("valid_until", "date", "RMR: valid until, not before `date`."),
        Key("contents", "list of strings", 'The blocks in reading order: "text.md", "table:ID", "chart:ID", "changes", "history".', required=True),
        Key("target_year", "integer", "The year the targets are for ({target_year})."),
        Key("data", "table", "Where the numbers come from: see [data]."),
        Key("indicators", "list of tables", "The indicators the report prints: see [[indicators]]."),
        Key("tables", "table", "Tables by id: see [tables.ID]."),
        Key("charts", "table", "Charts by id: see [charts.ID]."),
        Key("example_data", "boolean", 'Synthetic numbers: every page says "Exempeldata".', "false"),
        Key("parameter", "table", "One PDF per region or sjukvårdsregion: see [parameter]."),
        Key("limits", "table", "Lower limits for this report: see [limits]."),
        Key("previous", "string", 'The previous plan\'s release, "report-id@1.0": its data gives the previous period.'),
        Key("changes", "list of strings", '"Förändringar sedan föregående version", a line each.'),
        Key("history", "list of tables", "The version history: see [[history]]."),
    ),
)  # fmt: skip

DATA = Section(
    "report.toml",
    "[data]",
    "The data files and what the report reads from them.",
    (
        Key("files", "list of strings", 'Files in data/: CSV or .xlsx ("book.xlsx#Sheet" for one sheet).'),
        Key("period", "string", 'This plan\'s results ("Nuläge"): "2022–2023" or "2023".'),
        Key("previous_period", "string", "The previous plan's period: the change is computed against it."),
        Key("previous_period_assumed", "string", "Why the previous period is an assumption: printed as a note until removed."),
        Key("regions", "list of strings", "The regions printed, in order, as tables print them."),
        Key("decimals", "integer", "Decimals of printed values and changes (0–3).", "0"),
        Key("min_denominator", "integer", "Fewer cases than this: the cell is suppressed (–).", "5"),
        Key("population", "string", "Tabell 1's first column and the chart; the other population is the second column.", '"cancer"', POPULATION_CHOICES),
        Key("rename", "table", 'Names as the data writes them = the region or indicator: "Landstinget X" = "X".'),
        Key("columns", "table", "The export's own header for each of rmr-gen's columns: see [data.columns]."),
        Key("reference", "list of strings", 'Comparison rows printed under each indicator\'s regions, never counted as regions: "Riket" or a sjukvårdsregion.'),
        Key("fractions", "list of strings", "Data files whose values are fractions of 1 (0,514 = 51,4 %)."),
        Key("change_from", "string", "The change from the unrounded values (as registers compute it) or from the two printed, rounded values (as a reader computes it); when set, a note under Tabell 1 says which.", '"unrounded"', ("unrounded", "rounded")),
    ),
)  # fmt: skip

COLUMNS = Section(
    "report.toml",
    "[data.columns]",
    "The export's own header for each column rmr-gen reads, written rmr-gen's column ="
    ' the header in the file: indicator = "Indikator".',
    tuple(
        Key(name, "string", f"The header of the column read as `{name}`.") for name in COLUMN_NAMES
    ),
)

INDICATOR = Section(
    "report.toml",
    "[[indicators]]",
    "An indicator the report prints, in order.",
    (
        Key("id", "string", "An indicator id (rmr-gen indicators lists them).", required=True),
        Key("label", "string", "The label printed, if not the indicator's own."),
        Key("target", "number, [lower, higher] or table", "One target level (28), two levels in the direction of improvement ([80, 95]; [10, 5] when lower is better), or {level = 90, operator = \"≥\"}; printed with its operator."),
        Key("populations", "list of strings", 'The populations the data has for it: "cancer", "all".', '["cancer", "all"]', POPULATION_CHOICES),
    ),
)  # fmt: skip

TABLE = Section(
    "report.toml",
    "[tables.ID]",
    "A table, placed in contents as table:ID.",
    (
        Key("type", "string", "How the table is made.", required=True, allowed=("indicator-summary", "targets")),
        Key("caption", "string", "The caption (Tabell 1. …); may use {period}, {previous_period}, {target_year}.", required=True),
        Key("note", "string", "A note under the table."),
        Key("rows", "list of tables", "For type targets: [[tables.ID.rows]] with label, indicator, target."),
    ),
)  # fmt: skip

TARGET_ROW = Section(
    "report.toml",
    "[[tables.ID.rows]]",
    "A goal of a targets table.",
    (
        Key("label", "string", "The goal as printed (else the indicator's label)."),
        Key("indicator", "string", "The indicator the goal measures."),
        Key("target", "number, [lower, higher] or table", "Its target level(s)."),
    ),
)

CHART = Section(
    "report.toml",
    "[charts.ID]",
    "A chart, placed in contents as chart:ID.",
    (
        Key("type", "string", "How the chart is drawn.", required=True, allowed=("change", "change-bars")),
        Key("caption", "string", "The caption (Figur 1. …).", required=True),
    ),
)  # fmt: skip

PARAMETER = Section(
    "report.toml",
    "[parameter]",
    "One PDF per value.",
    (
        Key("by", "string", "What varies.", required=True, allowed=("region", "sjukvardsregion")),
        Key("values", "list of strings", "Only these values (default: all)."),
    ),
)

LIMITS = Section(
    "report.toml",
    "[limits]",
    "Lower limits for one report (they cannot be raised above the defaults).",
    (
        Key("max_pages", "integer", "Pages of one PDF.", "500"),
        Key("max_seconds", "integer", "Seconds to read the data and to render one PDF.", "300"),
        Key("max_data_mb", "integer", "MB of one data file (a workbook: unpacked).", "200"),
        Key("max_rows", "integer", "Rows of one data file.", "2000000"),
        Key("max_image_mb", "integer", "MB of one image in a text.", "10"),
        Key("max_image_pixels", "integer", "Pixels of one image (all frames).", "50000000"),
    ),
)

HISTORY = Section(
    "report.toml",
    "[[history]]",
    "A row of the version history.",
    (
        Key("version", "string", '"1.0"', required=True),
        Key("date", "date", "2025-06-04 (no quotes)."),
        Key("description", "string", "What changed."),
    ),
)

INDICATOR_DEFINITION = Section(
    "indicators.toml",
    "[ID]",
    "An indicator any report may use (rmr-gen's data/indicators.toml, or the project's own).",
    (
        Key("label", "string", "Its name as printed.", required=True),
        Key("description", "string", "What it measures."),
        Key("aliases", "list of strings", "Other names the data files use for it."),
        Key("unit", "string", "procent: a share 0–100; dagar: a lead time in days (≥ 0); antal: a count (whole, ≥ 0).", '"procent"', UNITS),
        Key("better", "string", "Which way is an improvement.", '"higher"', BETTER),
    ),
)  # fmt: skip

ORGANISATION = Section(
    "organisations.toml",
    "[ID]",
    "An organisation that publishes documents (the page footer).",
    (
        Key("name", "string", "As printed.", required=True),
        Key("postal_address", "string", "Postadress."),
        Key("visiting_address", "string", "Besöksadress."),
        Key("phone", "string", "Telefon."),
        Key("email", "string", "E-post."),
        Key("website", "string", "Webbplats."),
    ),
)

REGION = Section(
    "regions.toml",
    '[regions."Name"]',
    "Other names of a region (the name printed is in [sjukvardsregioner]).",
    (
        Key("official", "string", "Its official name (Region Örebro län)."),
        Key("county", "string", "Its county (Örebro län)."),
        Key("code", "string", 'The two-digit county code ("18").'),
        Key("aliases", "list of strings", "Other names data files use."),
    ),
)

SECTIONS = (
    REPORT, DATA, COLUMNS, INDICATOR, TABLE, TARGET_ROW, CHART, PARAMETER, LIMITS, HISTORY,
    INDICATOR_DEFINITION, ORGANISATION, REGION,
)  # fmt: skip


def reference_markdown() -> str:
    """The reference page of every section: what ``scripts/make_reference.py`` writes."""
    lines = [
        "# report.toml and indicators.toml: every key",
        "",
        "Generated from `src/rmr_gen/inputs/schema.py` by `scripts/make_reference.py`;"
        " `rmr-gen check` takes the keys, choices and defaults from the same table.",
    ]
    for section in SECTIONS:
        lines += ["", f"## {section.file} {section.table}".rstrip(), "", section.help, ""]
        lines += ["| key | type | default | allowed | meaning |", "|---|---|---|---|---|"]
        for k in section.keys:
            default = "required" if k.required else (f"`{k.default}`" if k.default else "")
            allowed = ", ".join(f"`{a}`" for a in k.allowed)
            lines.append(f"| `{k.name}` | {k.type} | {default} | {allowed} | {k.help} |")
    return "\n".join(lines) + "\n"
