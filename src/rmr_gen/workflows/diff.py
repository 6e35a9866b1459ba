"""The reviewer's diff: what text changed, which numbers moved, which targets changed.

Both sides are rendered by the build's own code path: a release from its
snapshot, the working draft from the project. Numbers are compared as the
reader sees them (the formatted cells), texts word by word per section. The
diff document is the new side's HTML with insertions and deletions marked
(``<ins>``/``<del>``: underlined/struck through *and* coloured) and every
changed table cell shown as old → new.
"""

from __future__ import annotations

import dataclasses
import difflib
import html as htmlmod
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rmr_gen.content.tabletypes import TABLES
from rmr_gen.core.cache import Cache
from rmr_gen.core.errors import InputError, Location, Problem, Problems
from rmr_gen.core.files import atomic_write
from rmr_gen.core.models import POPULATION_NAMES
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import load_reference
from rmr_gen.output.pdf import html_to_pdf
from rmr_gen.workflows.build import Prepared, prepare
from rmr_gen.workflows.diffmeta import (
    BOOKKEEPING,
    IMAGE_SRC,
    FieldChange,
    LinkChange,
    field_changes,
    furniture_changes,
    image_changes,
    image_key,
    link_changes,
    metadata_changes,
    normalise_images,
)
from rmr_gen.workflows.digests import input_files
from rmr_gen.workflows.planning import cache_for
from rmr_gen.workflows.redline import mark_up, number_changes, tokens  # noqa: F401  (tokens: public)
from rmr_gen.workflows.release import single
from rmr_gen.workflows.releases import (
    SOURCE,
    check_intact,
    check_names,
    manifest_files,
    read_manifest,
    snapshot,
    source_hashes,
)

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


# ---------------------------------------------------------------- both sides


def _side(project: Project, report_id: str, which: str, cache: Cache) -> list[Prepared]:
    if which == DRAFT:
        source = project
    else:
        check_intact(project, report_id, which)  # a changed snapshot is never compared
        source = snapshot(project, report_id, which)
    problems = Problems()
    prepared = prepare(source, [report_id], problems, cache)
    problems.raise_if_any()
    return prepared


def table_name(caption: str, table_id: str, kind: str = "tabellen") -> str:
    """``Tabell 1`` from its caption, else the caption as printed (the id if it has none)."""
    match = re.match(r"\s*((?:Tabell|Figur)\s+\d+)", caption)
    if match:
        return match.group(1)
    caption = " ".join(caption.split())
    if not caption:
        return f"{kind} {table_id}"
    short = caption if len(caption) <= 70 else caption[:67].rsplit(" ", 1)[0] + " …"
    return f"{kind} ”{short}”"


def _tables(item: Prepared) -> dict[str, dict[str, Any]]:
    """Per table: its cells ``{(row, column): text}`` and targets ``{indicator: text}``."""
    tables: dict[str, dict[str, Any]] = {}
    for block in item.blocks:
        if block.kind != "table":
            continue
        spec = block.spec
        found = TABLES[spec.type].cells(block.rows, item.report.decimals, item.report.population)
        tables[spec.id] = {
            "name": table_name(spec.caption, spec.id),
            "cells": found.cells,
            "targets": found.targets,
            "rows": found.rows,
        }
    return tables


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"<(/?)([a-zA-Z0-9]+)\b([^>]*)>")
_KEPT_ATTRIBUTE = re.compile(r"\b(alt|src|title|start|colspan|rowspan|align)=\"[^\"]*\"")


def _plain(fragment: str) -> str:
    return htmlmod.unescape(_TAG.sub(" ", fragment))


_GROUP = re.compile(r"^\d{3}([.,:;)]*|[.,]\d+)$")


def words(text: str) -> list[str]:
    """Words, with a number's digit groups kept together: ``15 000`` is one word."""
    result: list[str] = []
    for word in text.split():
        if result and _GROUP.match(word) and re.search(r"\d$", result[-1]):
            result[-1] += "\u00a0" + word
        else:
            result.append(word)
    return result


def _signature(fragment: str) -> str:
    """Tags (with what they print: alt text, image, list start) and words; no link targets."""

    def tag(match: re.Match[str]) -> str:
        kept = " ".join(m.group(0) for m in _KEPT_ATTRIBUTE.finditer(match.group(3)))
        return f"<{match.group(1)}{match.group(2).lower()}{' ' + kept if kept else ''}>"

    return " ".join(_MARKUP.sub(tag, fragment).split())


@dataclass(frozen=True)
class _Section:
    title: str
    level: int
    words: list[str]
    signature: str


def _sections(item: Prepared) -> list[_Section]:
    """The texts as sections (heading, level, words, markup), in reading order."""
    sections: list[_Section] = []
    for block in item.blocks:
        if block.kind != "text":
            continue
        html = normalise_images(str(block.html), item.report.folder)
        parts = _HEADING.split(html)
        # parts: text, level, heading, text, level, heading, text ...
        first = parts[0]
        if words(_plain(first)) or "<img" in first:
            if sections:  # text before the block's first heading continues the section
                last = sections[-1]
                sections[-1] = _Section(
                    last.title,
                    last.level,
                    last.words + words(_plain(first)),
                    last.signature + " " + _signature(first),
                )
            else:
                sections.append(_Section(FIRST_TEXT, 0, words(_plain(first)), _signature(first)))
        for i in range(1, len(parts), 3):
            heading = " ".join(_plain(parts[i + 1]).split())
            body = parts[i + 2]
            sections.append(
                _Section(
                    heading,
                    int(parts[i]),
                    words(_plain(body)),
                    _signature(parts[i + 1]) + " " + _signature(body),
                )
            )
    return sections


def _word_changes(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """``(old words, new words)`` for each changed run, in reading order."""
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            edits.append((" ".join(old[i1:i2]), " ".join(new[j1:j2])))
    return edits


def _changed(title: str, old: _Section, new: _Section, old_name: str = "") -> SectionChange | None:
    edits = _word_changes(old.words, new.words)
    added = sum(len(n.split()) for _, n in edits)
    removed = sum(len(o.split()) for o, _ in edits)
    if old_name:
        return SectionChange(title, "renamed", added, removed, tuple(edits), old_name)
    if edits:
        return SectionChange(title, "changed", added, removed, tuple(edits))
    if old.signature != new.signature or old.level != new.level:
        return SectionChange(title, "formatting", 0, 0)
    return None


def _merge(sections: list[_Section]) -> dict[str, _Section]:
    """Sections by heading; two sections under one heading are read as one."""
    by: dict[str, _Section] = {}
    for s in sections:
        if s.title in by:
            was = by[s.title]
            by[s.title] = _Section(
                s.title, was.level, was.words + s.words, was.signature + " " + s.signature
            )
        else:
            by[s.title] = s
    return by


def _similar(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_sections(old: list[_Section], new: list[_Section]) -> list[SectionChange]:
    """Sections changed, added, removed, or renamed (same body, new heading)."""
    old_by, new_by = _merge(old), _merge(new)
    added = [t for t in new_by if t not in old_by]
    removed = [t for t in old_by if t not in new_by]
    renamed: dict[str, str] = {}  # new title -> old title
    for title in added:
        best = max(
            (t for t in removed if t not in renamed.values()),
            key=lambda t: _similar(old_by[t].words, new_by[title].words),
            default=None,
        )
        if best is not None and _similar(old_by[best].words, new_by[title].words) >= 0.6:
            renamed[title] = best
    changes = []
    for title, section in new_by.items():
        if title in renamed:
            change = _changed(title, old_by[renamed[title]], section, renamed[title])
        elif title not in old_by:
            change = SectionChange(title, "added", len(section.words), 0)
        else:
            change = _changed(title, old_by[title], section)
        if change:
            changes.append(change)
    for title in removed:
        if title not in renamed.values():
            words = old_by[title].words
            changes.append(SectionChange(title, "removed", 0, len(words)))
    return changes


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def _renamed_rows(
    before: dict[str, Any],
    after: dict[str, Any],
    gone: list[tuple[str, str]],
    came: list[tuple[str, str]],
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """A row whose label changed in place (same position, same target): a rename."""
    pairs = []
    for old in gone:
        if old[1]:  # rows of a region are added or removed with the region
            continue
        index = before["rows"].index(old)
        for new in came:
            if (
                not new[1]
                and after["rows"].index(new) == index
                and before["targets"].get(old[0]) == after["targets"].get(new[0])
            ):
                pairs.append((old, new))
                break
    return pairs


def _normalised(item: Prepared) -> str:
    """The HTML as it prints: image paths by content, whitespace collapsed outside ``<pre>``."""
    parts = _PRE.split(normalise_images(item.html or "", item.report.folder))
    return "".join(p if i % 2 else " ".join(p.split()) for i, p in enumerate(parts))


def compare(
    report_id: str, old_label: str, new_label: str, old: Prepared, new: Prepared
) -> Differences:
    """Everything that differs between two prepared versions of one report."""
    old_tables, new_tables = _tables(old), _tables(new)
    cells: list[CellChange] = []
    rows: list[RowChange] = []
    targets: list[TargetChange] = []
    for table_id in dict.fromkeys([*new_tables, *old_tables]):
        before = old_tables.get(table_id, {"cells": {}, "targets": {}, "rows": []})
        after = new_tables.get(table_id, {"cells": {}, "targets": {}, "rows": []})
        name = after.get("name") or before["name"]
        for key, value in after["cells"].items():
            was = before["cells"].get(key)
            if was is not None and was != value:
                cells.append(CellChange(name, key[0], key[1], was, value))
        came = [(r, g) for r, g in after["rows"] if (r, g) not in before["rows"]]
        gone = [(r, g) for r, g in before["rows"] if (r, g) not in after["rows"]]
        renamed = _renamed_rows(before, after, gone, came)
        for (old_row, _), (new_row, region) in renamed:
            rows.append(RowChange(name, new_row, "renamed", region, old_row))
        paired = {r for pair in renamed for r in pair}
        rows += [RowChange(name, r, "added", g) for r, g in came if (r, g) not in paired]
        rows += [RowChange(name, r, "removed", g) for r, g in gone if (r, g) not in paired]
        for indicator, value in after["targets"].items():
            was = before["targets"].get(indicator)
            if was is not None and was != value:
                targets.append(TargetChange(name, indicator, was, value))
    figures = []
    old_charts = {b.spec.id: b for b in old.blocks if b.kind == "chart"}
    for block in new.blocks:
        if block.kind == "chart":
            was = old_charts.get(block.spec.id)
            if was is None or was.image != block.image or was.spec.caption != block.spec.caption:
                figures.append(table_name(block.spec.caption, block.spec.id, "figuren"))
    figures += image_changes(old, new)
    sections = _pair_sections(_sections(old), _sections(new))
    fields = field_changes(old, new, detailed_found=bool(cells or rows or targets or sections))
    fields += metadata_changes(old, new, fields)
    fields += furniture_changes(old, new, fields)
    links = link_changes(old, new)
    differences = Differences(
        report_id,
        old_label,
        new_label,
        tuple(sections),
        tuple(cells),
        tuple(rows),
        tuple(targets),
        tuple(figures),
        tuple(fields),
        tuple(links),
    )
    if not differences.any and _normalised(old) != _normalised(new):
        # Something printed changed that no comparison above names (a template, a
        # style sheet, a label in data/): still a difference, never "no changes".
        other = FieldChange("html", "Mall, stil eller referensdata", "", "ändrad")
        differences = dataclasses.replace(differences, fields=(other,))
    return dataclasses.replace(differences, changelog=tuple(draft_changelog(differences)))


# ---------------------------------------------------------------- words for the editor


def _level(text: str) -> str:
    """``≥ 90 %`` → ``90 %`` when both sides share an operator (the sentence reads better)."""
    return text.removeprefix("≥\u00a0")


def _quoted(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"”{text if len(text) <= limit else text[: limit - 2].rsplit(' ', 1)[0] + ' …'}”"


def _section_lines(s: SectionChange) -> list[str]:
    where = f"avsnittet ”{s.section}”"
    if s.change == "added":
        return [f"Avsnittet ”{s.section}” har tillkommit."]
    if s.change == "removed":
        return [f"Avsnittet ”{s.section}” har tagits bort."]
    if s.change == "formatting":
        return [f"Formateringen i {where} har ändrats (samma ord)."]
    lines = []
    if s.change == "renamed":
        lines.append(f"Avsnittet ”{s.old_name}” har bytt namn till ”{s.section}”.")
    said, unsaid = [], False
    for old, new in s.edits:
        if old and new and re.search(r"\d", old + new) and len(old.split()) <= 4:
            said.append(f"{old} har ändrats till {new}")
        elif old and not new and len(old.split()) >= 2:
            said.append(f"{_quoted(old)} har tagits bort")
        elif new and not old and len(new.split()) >= 2:
            said.append(f"{_quoted(new)} har lagts till")
        else:
            unsaid = True
    said = said[:4]
    if not s.edits:
        return lines
    if unsaid or not said:
        lines.append(f"Texten i {where} har reviderats" + "".join(f"; {x}" for x in said) + ".")
    else:
        lines.append(f"I {where}: " + "; ".join(said) + ".")
    return lines


def _field_line(f: FieldChange) -> str:
    if f.key == "html":
        return "Mallen, stilen eller referensdata har ändrats; innehållet i övrigt är oförändrat."
    if f.old and f.new:
        return f"{f.label} har ändrats från {_quoted(f.old)} till {_quoted(f.new)}."
    if f.new:
        return f"{f.label} har lagts till: {_quoted(f.new)}."
    return f"{f.label} har tagits bort (var {_quoted(f.old)})."


_SECOND_COLUMN = re.compile(
    r" \((?:" + "|".join(map(re.escape, POPULATION_NAMES.values())) + r")\)$"
)


def draft_changelog(differences: Differences) -> list[str]:
    """Sentences for "Förändringar sedan föregående version", for the editor to accept or edit."""
    lines = []
    for f in differences.fields:
        if re.split(r"[.\[]", f.key)[0] not in BOOKKEEPING:
            lines.append(_field_line(f))
    for t in differences.targets:
        same_operator = t.old.startswith("≥") == t.new.startswith("≥")
        old, new = (_level(t.old), _level(t.new)) if same_operator else (t.old, t.new)
        lines.append(f"Målnivån för {t.indicator} har ändrats från {old} till {new}.")
    for s in differences.sections:
        lines += _section_lines(s)
    removed_text = " ".join(o for s in differences.sections for o, _ in s.edits)
    for link in differences.links:
        if not link.new and link.text in removed_text:
            continue  # the section's sentence names it already
        if link.old and link.new:
            lines.append(f"Länken ”{link.text}” går nu till {link.new} (tidigare {link.old}).")
        elif link.new:
            lines.append(f"Länken ”{link.text}” ({link.new}) har lagts till.")
        else:
            lines.append(f"Länken ”{link.text}” ({link.old}) har tagits bort.")
    by_table: dict[str, list[str]] = {}
    for c in differences.cells:
        indicator = _SECOND_COLUMN.sub("", c.indicator)
        names = by_table.setdefault(c.table, [])
        if indicator not in names:
            names.append(indicator)
    for table, names in by_table.items():
        lines.append(f"Värdena i {table} har uppdaterats för {_join(names)}.")
    regions: dict[tuple[str, str, str], int] = {}
    for r in differences.rows:
        if r.region:
            key = (r.table, r.region, r.change)
            regions[key] = regions.get(key, 0) + 1
    for (table, region, change), _ in regions.items():
        verb = "lagts till i" if change == "added" else "tagits bort från"
        lines.append(f"{region} har {verb} {table}.")
    for r in differences.rows:
        if r.change == "renamed":
            lines.append(f"Raden ”{r.old}” i {r.table} heter nu ”{r.row}”.")
        elif not r.region:
            verb = "lagts till i" if r.change == "added" else "tagits bort från"
            lines.append(f"Raden ”{r.row}” har {verb} {r.table}.")
    if not differences.cells:  # otherwise the figure only follows the new values
        lines += [f"{_capital(figure)} har uppdaterats." for figure in differences.figures]
    return [_capital(line) for line in lines] or ["Inga ändringar i sak."]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


# ---------------------------------------------------------------- the marked-up document

DIFF_CSS = """
ins { text-decoration: underline; color: #0b5e1a; background: #e3f4e6; }
del { text-decoration: line-through; color: #a3121b; background: #fbe6e7; }
.moved del { text-decoration: none; background: none; }  /* a strike would hide a minus */
.diff-said { color: #555; font-size: 0.85em; }
.diff-link { font-size: 0.85em; overflow-wrap: anywhere; }
.diff-no {
  float: left; margin-left: -30pt; width: 18pt; text-align: right; font-size: 7.5pt;
  font-weight: 700; color: #a3121b; text-decoration: none;
  bookmark-level: 2; bookmark-label: "Ändring " content();
}
.diff-jump a { color: #a3121b; }
.diff-heading { bookmark-level: 1; }
.diff-moved { font-size: 0.85em; font-weight: 700; color: #5a3d8a; }
.moved .diff-said { display: none; }
p[data-diff], li[data-diff], h1[data-diff], h2[data-diff], h3[data-diff], h4[data-diff],
caption[data-diff], figcaption[data-diff], pre[data-diff], dd[data-diff], dt[data-diff] {
  border-left: 2.5pt solid #a3121b; margin-left: -6pt; padding-left: 3.5pt;
}
tr[data-diff] > :first-child { border-left: 2.5pt solid #a3121b; }
.diff-mark {
  font-weight: 700; color: #a3121b; border: 1pt solid #a3121b; padding: 1pt 4pt;
  margin: 0 0 2pt; font-size: 9pt; text-align: center;
}
img.diff-old { width: 60%; }
.diff-figure { font-size: 10pt; font-weight: 700; margin: 4pt 0 2pt; break-after: avoid; }
figure.chart img { break-after: avoid; }
figure.chart figcaption { break-before: avoid; }
.diff-heading { font-size: 14pt; margin-top: 0; }
.diff-summary { border: 1pt solid #7f7f7f; padding: 6pt 8pt; margin: 0 0 14pt; break-inside: auto; }
.diff-summary h2 { font-size: 11.5pt; }
.diff-summary ul { margin-bottom: 6pt; }
.diff-summary .legend ins, .diff-summary .legend del { padding: 0 2pt; }
"""


SECTION_WORDS = {
    "changed": "ändrat",
    "added": "tillkommet",
    "removed": "borttaget",
    "renamed": "omdöpt",
    "formatting": "med ändrad formatering",
}


MAX_EDITS_SHOWN = 8


def _edit_html(old: str, new: str) -> str:
    esc = htmlmod.escape
    parts = []
    if old:
        parts.append(f"<del>{esc(_short(old))}</del>")
    if new:
        parts.append(f"<ins>{esc(_short(new))}</ins>")
    return " → ".join(parts)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 2].rsplit(" ", 1)[0] + " …"


def _summary_html(d: Differences) -> str:
    esc = htmlmod.escape
    new_side = "utkastet" if d.new == DRAFT else f"version {esc(d.new)}"
    items = []
    for f in d.fields:
        old = f"<del>{esc(f.old)}</del>" if f.old else "(inte satt)"
        new = f"<ins>{esc(f.new)}</ins>" if f.new else "(inte satt)"
        items.append(f"<li>{esc(f.label)}: {old} → {new}</li>")
    for s in d.sections:
        what = SECTION_WORDS[s.change]
        name = esc(s.section)
        if s.change == "renamed":
            name = f"<del>{esc(s.old_name)}</del> → <ins>{esc(s.section)}</ins>"
        counts = f" (+{s.words_added} / −{s.words_removed} ord)" if s.edits else ""
        edits = "".join(
            f"<li>{_edit_html(old, new)}</li>" for old, new in s.edits[:MAX_EDITS_SHOWN]
        )
        more = len(s.edits) - MAX_EDITS_SHOWN
        if more > 0:
            edits += f"<li>… och {more} ändringar till, markerade i texten</li>"
        edits = f'<ul class="diff-edits">{edits}</ul>' if edits else ""
        items.append(f"<li>Avsnitt {what}: {name}{counts}{edits}</li>")
    for link in d.links:
        old = f"<del>{esc(link.old)}</del>" if link.old else "(ny länk)"
        new = f"<ins>{esc(link.new)}</ins>" if link.new else "(länken borttagen)"
        items.append(f"<li>Länk ”{esc(link.text)}”: {old} → {new}</li>")
    for c in d.cells:
        items.append(
            f"<li>{esc(c.table)}, {esc(c.region)}, {esc(c.indicator)}: "
            f"<del>{esc(c.old)}</del> → <ins>{esc(c.new)}</ins></li>"
        )
    for r in d.rows:
        if r.change == "renamed":
            items.append(
                f"<li>{esc(r.table)}: rad omdöpt: <del>{esc(r.old)}</del> → "
                f"<ins>{esc(r.row)}</ins></li>"
            )
            continue
        word = "tillagd" if r.change == "added" else "borttagen"
        mark = "ins" if r.change == "added" else "del"
        items.append(f"<li>{esc(r.table)}: rad {word}: <{mark}>{esc(r.row)}</{mark}></li>")
    for t in d.targets:
        items.append(
            f"<li>Målnivå, {esc(t.table)}, {esc(t.indicator)}: "
            f"<del>{esc(t.old)}</del> → <ins>{esc(t.new)}</ins></li>"
        )
    for figure in d.figures:
        items.append(f"<li>{esc(figure)} har ritats om med de nya värdena.</li>")
    listing = "<ul>" + "".join(items) + "</ul>" if items else "<p>Inga skillnader.</p>"
    draft = "".join(f"<p>{esc(line)}</p>" for line in d.changelog)
    return (
        '<section class="diff-summary">'
        f'<h1 class="diff-heading">Jämförelse: version {esc(d.old)} → {new_side}</h1>'
        '<p class="legend"><ins>Understruket och grönt</ins> [+…]: tillagt. '
        "<del>Genomstruket och rött</del> [−…]: borttaget. "
        "Ändrade tabellceller visas gammalt → nytt. Ett streck och ett nummer i marginalen"
        " visar varje ändrat stycke.</p>"
        f"{listing}"
        "<h2>Förslag: Förändringar sedan föregående version</h2>"
        f"{draft}"
        "</section>"
    )


def _main(html: str) -> tuple[str, str, str]:
    start = html.index("<main>") + len("<main>")
    end = html.rindex("</main>")
    return html[:start], html[start:end], html[end:]


def diff_document(old: Prepared, new: Prepared, differences: Differences) -> str:
    assert old.html is not None and new.html is not None
    head, body, tail = _main(new.html)
    _, old_body, _ = _main(old.html)
    head = head.replace("</head>", f"<style>{DIFF_CSS}</style>\n</head>", 1)
    mark = (
        f'<p class="diff-mark">JÄMFÖRELSE version {htmlmod.escape(differences.old)} → '
        f"{htmlmod.escape(_side_name(differences.new))} – inte det gällande dokumentet</p>"
    )
    head = head.replace('<header class="page-header">', '<header class="page-header">' + mark, 1)
    title = f"Jämförelse {differences.old} → {differences.new}: "
    head = head.replace("<title>", "<title>" + htmlmod.escape(title), 1)
    labels = (f"version {differences.old}", _side_name(differences.new))
    # Images by content, so an unchanged picture is equal on both sides; then back to
    # a file each side can read (the new side's when the content is the same).
    sources: dict[str, str] = {}
    body = _images_by_content(body, new.report.folder, sources)
    old_body = _images_by_content(old_body, old.report.folder, sources)
    marked, count = number_changes(mark_up(old_body, body, labels))
    for key, src in sources.items():
        marked = marked.replace(f'src="{key}"', f'src="{src}"')
    jump = ""
    if count:
        links = " · ".join(f'<a href="#andring-{n}">{n}</a>' for n in range(1, count + 1))
        jump = f'<p class="diff-jump">Markerade ändringar i dokumentet ({count}): {links}</p>'
    summary = _summary_html(differences).replace("</section>", jump + "</section>", 1)
    return head + summary + marked + tail


def redline_page(
    project: Project, html: str, roots: tuple[Path, ...], old: Prepared, new: Prepared
) -> str:
    """The redline as a web page: the mark and the marked-up ``<main>`` in the web
    edition's screen layout, fonts and images embedded, each chart drawn for screens
    as the web edition draws it (the PDF keeps ``html``, with its drawn images)."""
    from rmr_gen.output.web import screen_document
    from rmr_gen.output.webfonts import web_fonts

    title = re.search(r"<title>(.*?)</title>", html, re.S)
    mark = re.search(r'<p class="diff-mark">.*?</p>', html, re.S)
    _, body, _ = _main(html)
    body = screen_charts(project, body, old, new)
    cache = cache_for(project)
    fonts = web_fonts(project.font_files(), cache)
    cache.flush()  # the subset fonts, made once
    return screen_document(
        project,
        htmlmod.unescape(title.group(1)) if title else "Jämförelse",
        (mark.group(0) if mark else "") + body,
        fonts,
        roots,
        new.report.limits,
    )


#: A chart's drawn image in the redline (the PDF's ``partials/chart.html.j2``).
_CHART_IMAGE = re.compile(r'<img\b[^>]*?\ssrc="(data:image/svg\+xml;base64,[^"]*)"[^>]*>')


def screen_charts(project: Project, body: str, old: Prepared, new: Prepared) -> str:
    """Each chart image of the redline's ``body`` replaced by the web edition's screen
    chart of the same side's values: its text is text, readable on a phone. A chart
    the same on both sides is the new side's."""
    from rmr_gen.output.web import dotplot

    sides = {
        block.image: side
        for side in (old, new)
        for block in side.blocks
        if block.kind == "chart" and side.data is not None
    }
    drawn: dict[int, str] = {}

    def replace(match: re.Match[str]) -> str:
        side = sides.get(match.group(1))
        if side is None or side.data is None:
            return match.group(0)
        if id(side) not in drawn:
            drawn[id(side)] = dotplot(project, side.report, side.data)
        return drawn[id(side)]

    return _CHART_IMAGE.sub(replace, body)


def _images_by_content(html: str, folder: Path, sources: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = "diff-image:" + image_key(match.group(1), folder)
        sources.setdefault(key, match.group(1))
        return match.group(0).replace(match.group(1), key)

    return IMAGE_SRC.sub(replace, html)


def _side_name(label: str) -> str:
    return "utkast" if label == DRAFT else f"version {label}"


# ---------------------------------------------------------------- the command


def _label(project: Project, report_id: str, which: str) -> str:
    if which != DRAFT:
        check_names(project, report_id, which)
    return which


def _check(project: Project, report_id: str, old: str, new: str) -> None:
    if old == DRAFT:
        raise InputError(
            [Problem(Location("OLD"), "the old side must be a released version, e.g. 1.0")]
        )
    _label(project, report_id, old)
    _label(project, report_id, new)


def compare_all(
    project: Project, report_id: str, old: str, new: str | None = None
) -> list[tuple[Differences, Prepared | None, Prepared | None]]:
    """Per document (one, or one per parameter value): what differs; writes nothing.

    A value on one side only is reported as added or removed, with no redline.
    """
    new = new or DRAFT
    _check(project, report_id, old, new)
    cache = cache_for(project)
    before = {item.report.name: item for item in _side(project, report_id, old, cache)}
    after = {item.report.name: item for item in _side(project, report_id, new, cache)}
    cache.flush()
    sources = _changed_sources(project, report_id, old, new, next(iter(after.values())))
    results: list[tuple[Differences, Prepared | None, Prepared | None]] = []
    for name in dict.fromkeys([*after, *before]):
        was, now = before.get(name), after.get(name)
        if was is not None and now is not None:
            differences = compare(report_id, old, new, was, now)
        else:
            item = now or was
            assert item is not None
            value = item.report.parameter_value
            change = FieldChange(
                "parameter.values", "Parametervärde", "" if now else value, value if now else ""
            )
            differences = Differences(report_id, old, new, fields=(change,))
            differences = dataclasses.replace(
                differences, changelog=tuple(draft_changelog(differences))
            )
        value = (now or was).report.parameter_value  # type: ignore[union-attr]
        results.append((dataclasses.replace(differences, sources=sources, value=value), was, now))
    return results


def compare_versions(
    project: Project, report_id: str, old: str, new: str | None = None
) -> tuple[Differences, Prepared, Prepared]:
    """What differs between release ``old`` and ``new`` of a single document."""
    results = compare_all(project, report_id, old, new)
    differences, before, after = results[0]
    if len(results) > 1 or before is None or after is None:
        single([r for _, r, _ in results if r is not None], project)  # refuses, naming why
    assert before is not None and after is not None
    return differences, before, after


def _changed_sources(
    project: Project, report_id: str, old: str, new: str, after: Prepared
) -> tuple[str, ...]:
    """The snapshot paths whose content differs between the two sides."""
    before = manifest_files(read_manifest(project, report_id, old))
    now: Mapping[str, object]
    if new == DRAFT:
        problems = Problems()
        reference = load_reference(project, problems)
        problems.raise_if_any()
        now = source_hashes(project, input_files(project, after.report, reference))
    else:
        now = manifest_files(read_manifest(project, report_id, new))
    names = {k for k in [*before, *now] if k.startswith(f"{SOURCE}/")}
    return tuple(sorted(n.removeprefix(f"{SOURCE}/") for n in names if before.get(n) != now.get(n)))


def diff_all(
    project: Project, report_id: str, old: str, new: str | None = None
) -> list[DiffResult]:
    """Compare release ``old`` with ``new`` (default: the draft); a PDF and HTML per document:
    ``diff-<OLD>-<NEW>.pdf``, or ``diff-<OLD>-<NEW>-<value>.pdf`` per parameter value."""
    new = new or DRAFT
    results = []
    for differences, before, after in compare_all(project, report_id, old, new):
        if before is None or after is None:
            results.append(DiffResult(differences, None, None))
            continue
        html = diff_document(before, after, differences)
        source = project if new == DRAFT else snapshot(project, report_id, new)
        old_texts = snapshot(project, report_id, old).reports_dir / report_id  # a redrawn image
        pdf, _ = html_to_pdf(
            html,
            source.templates_dir,
            (*source.readable_roots, old_texts),
            f"diff {report_id} {old} {new}",
        )
        page = redline_page(project, html, (*source.readable_roots, old_texts), before, after)
        suffix = after.report.name.removeprefix(report_id)  # "" or "-<value slug>"
        target = project.output_folder(report_id) / f"diff-{old}-{new}{suffix}.pdf"
        atomic_write(target.with_suffix(".html"), page.encode("utf-8"))
        atomic_write(target, pdf)
        results.append(DiffResult(differences, target.with_suffix(".html"), target))
    return results


def diff(project: Project, report_id: str, old: str, new: str | None = None) -> DiffResult:
    """Compare one document's release ``old`` with ``new``; write PDF and HTML."""
    results = diff_all(project, report_id, old, new)
    if len(results) != 1:
        raise InputError([Problem(Location("reports"), f"{report_id} renders several documents")])
    return results[0]


def summary_lines(d: Differences) -> list[str]:
    """The plain-text summary printed on stdout, with the changed words."""
    which = f" [{d.value}]" if d.value else ""
    lines = [
        f"diff {d.report}{which} {d.old} → {d.new}: {d.count} change(s): "
        f"{len(d.sections)} section(s), "
        f"{d.words_added} word(s) added, {d.words_removed} removed, {len(d.cells)} cell(s), "
        f"{len(d.targets)} target(s), {len(d.fields)} field(s), {len(d.links)} link(s)"
    ]
    lines += [
        f"field: {f.label} [{f.key}]: {f.old or '(not set)'} → {f.new or '(not set)'}"
        for f in d.fields
    ]
    for s in d.sections:
        name = f"{s.old_name} → {s.section}" if s.change == "renamed" else s.section
        lines.append(f"section {s.change}: {name} (+{s.words_added} −{s.words_removed} words)")
        lines += [
            f"  [-{old}-]{{+{new}+}}"
            if old and new
            else (f"  [-{old}-]" if old else f"  {{+{new}+}}")
            for old, new in s.edits
        ]
    lines += [
        f"cell: {d.report}, {c.table}, {c.region}, {c.indicator}: {c.old} → {c.new}"
        for c in d.cells
    ]
    lines += [
        f"row {r.change}: {d.report}, {r.table}, "
        + (f"{r.old} → {r.row}" if r.change == "renamed" else r.row)
        for r in d.rows
    ]
    lines += [f"target: {d.report}, {t.table}, {t.indicator}: {t.old} → {t.new}" for t in d.targets]
    lines += [f"link: {k.text}: {k.old or '(new)'} → {k.new or '(removed)'}" for k in d.links]
    lines += [f"figure redrawn: {d.report}, {f}" for f in d.figures]
    lines += [f"input changed: {name}" for name in d.sources]
    if d.sources and not d.any:
        lines.append(
            f"{len(d.sources)} input file(s) differ from {d.old}, but nothing printed changes"
            " (e.g. whitespace or line breaks that do not reach the page)"
        )
    lines.append("Förändringar sedan föregående version (förslag):")
    lines += [f"  {line}" for line in d.changelog]
    return lines
