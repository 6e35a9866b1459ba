"""What differs between two prepared versions: texts per section, table cells, rows,
targets, figures, report.toml values, metadata, page furniture and links."""

from __future__ import annotations

import dataclasses
import difflib
import html as htmlmod
import re
from dataclasses import dataclass

from rmr_gen.workflows.build import Prepared
from rmr_gen.workflows.difflog import draft_changelog
from rmr_gen.workflows.diffmeta import (
    FieldChange,
    field_changes,
    furniture_changes,
    image_changes,
    link_changes,
    metadata_changes,
    normalise_images,
)
from rmr_gen.workflows.diffmodel import (
    FIRST_TEXT,
    CellChange,
    Differences,
    SectionChange,
)
from rmr_gen.workflows.difftables import table_changes, table_name
from rmr_gen.workflows.diffwords import BREAKING, invisible
from rmr_gen.workflows.redline import moved_blocks

_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"<(/?)([a-zA-Z0-9]+)\b([^>]*)>")
_KEPT_ATTRIBUTE = re.compile(r"\b(alt|src|title|start|colspan|rowspan|align)=\"[^\"]*\"")


def _plain(fragment: str) -> str:
    return htmlmod.unescape(_TAG.sub(" ", fragment))


_GROUP = re.compile(r"^\d{3}([.,:;)]*|[.,]\d+)$")


def words(text: str) -> list[str]:
    """Words, with a number's digit groups kept together: ``15 000`` is one word. A
    no-break space joins the words it stands between, so a change of space is a change."""
    result: list[str] = []
    for word in BREAKING.split(text.strip()):
        if not word:
            continue
        if result and (result[-1][-1].isspace() or word[0].isspace()):
            result[-1] += word  # a no-break space next to a tag: still one word
        elif result and _GROUP.match(word) and re.search(r"\d$", result[-1]):
            result[-1] += " " + word
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
    html: str = ""  # the body as printed, for its blocks (a moved list item)


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
                    last.html + first,
                )
            else:
                sections.append(
                    _Section(FIRST_TEXT, 0, words(_plain(first)), _signature(first), first)
                )
        for i in range(1, len(parts), 3):
            heading = " ".join(_plain(parts[i + 1]).split())
            body = parts[i + 2]
            sections.append(
                _Section(
                    heading,
                    int(parts[i]),
                    words(_plain(body)),
                    _signature(parts[i + 1]) + " " + _signature(body),
                    body,
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


def _without(words: list[str], part: list[str]) -> list[str]:
    """``words`` with the first run equal to ``part`` left out."""
    for i in range(len(words) - len(part) + 1):
        if words[i : i + len(part)] == part:
            return words[:i] + words[i + len(part) :]
    return words


def _changed(title: str, old: _Section, new: _Section, old_name: str = "") -> SectionChange | None:
    # A paragraph or list item moved as the redline shows it: named as moved, and its
    # words left out of the word comparison (not "removed" here and "added" there).
    moves = moved_blocks(old.html, new.html)
    old_words, new_words = old.words, new.words
    for text in moves:
        old_words, new_words = _without(old_words, words(text)), _without(new_words, words(text))
    edits = _word_changes(old_words, new_words)
    added = sum(len(n.split()) for _, n in edits)
    removed = sum(len(o.split()) for o, _ in edits)
    moved = old.level and new.level and old.level != new.level
    notes = [f"rubriknivå {old.level} → {new.level}"] if moved else []
    notes += [f"”{n}”: {kind}" for o, n in edits if (kind := invisible(o, n))]
    notes += [f"flyttat: ”{text}”" for text in moves]
    if old_name:
        return SectionChange(title, "renamed", added, removed, tuple(edits), old_name, tuple(notes))
    if edits or moves:
        return SectionChange(title, "changed", added, removed, tuple(edits), notes=tuple(notes))
    if old.signature != new.signature or old.level != new.level:
        return SectionChange(title, "formatting", 0, 0, notes=tuple(notes))
    return None


def _merge(sections: list[_Section]) -> dict[str, _Section]:
    """Sections by heading; two sections under one heading are read as one."""
    by: dict[str, _Section] = {}
    for s in sections:
        if s.title in by:
            was = by[s.title]
            by[s.title] = _Section(
                s.title,
                was.level,
                was.words + s.words,
                was.signature + " " + s.signature,
                was.html + s.html,
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


def _normalised(item: Prepared) -> str:
    """The HTML as it prints: image paths by content, whitespace collapsed outside ``<pre>``."""
    parts = _PRE.split(normalise_images(item.html or "", item.report.folder))
    return "".join(p if i % 2 else " ".join(BREAKING.split(p)) for i, p in enumerate(parts))


def compare(
    report_id: str, old_label: str, new_label: str, old: Prepared, new: Prepared
) -> Differences:
    """Everything that differs between two prepared versions of one report."""
    cells, rows, targets = table_changes(old, new)
    periods: tuple[str, ...] = ()
    period_cells: list[CellChange] = []
    if old.report.period != new.report.period:  # a new period: every value is a new one
        periods = (old.report.period, new.report.period)
        period_cells, cells = cells, []
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
        periods=periods,
        period_cells=tuple(period_cells),
    )
    if not differences.any and _normalised(old) != _normalised(new):
        # Something printed changed that no comparison above names (a template, a
        # style sheet, a label in data/): still a difference, never "no changes".
        other = FieldChange("html", "Mall, stil eller referensdata", "", "ändrad")
        differences = dataclasses.replace(differences, fields=(other,))
    return dataclasses.replace(differences, changelog=tuple(draft_changelog(differences)))
