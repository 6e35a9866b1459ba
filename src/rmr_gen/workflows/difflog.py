"""The drafted "Förändringar sedan föregående version": sentences for the editor."""

from __future__ import annotations

import difflib
import re

from rmr_gen.core.formatting import NOT_APPLICABLE
from rmr_gen.core.models import POPULATION_NAMES
from rmr_gen.workflows.diffmeta import (
    BOOKKEEPING,
    FieldChange,
)
from rmr_gen.workflows.diffmodel import Differences, SectionChange
from rmr_gen.workflows.diffwords import invisible


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
    lines = []
    for note in s.notes:
        if note.startswith("rubriknivå"):
            old_level, new_level = re.findall(r"\d", note)
            lines.append(
                f"Rubriken ”{s.section}” har flyttats från nivå {old_level} till nivå {new_level}."
            )
    if s.change == "formatting":
        if len(s.notes) != len(lines):
            lines.append(f"Formateringen i {where} har ändrats (samma ord).")
        return lines or [f"Formateringen i {where} har ändrats (samma ord)."]
    if s.change == "renamed":
        lines.append(f"Avsnittet ”{s.old_name}” har bytt namn till ”{s.section}”.")
    said, unsaid = [], False
    for old, new in s.edits:
        if kind := invisible(old, new):
            said.append(f"{kind} i {_quoted(new)}")
        elif old and new and re.search(r"\d", old + new) and len(old.split()) <= 4:
            said.append(f"{old} har ändrats till {new}")
        elif old and not new and len(old.split()) >= 2:
            said.append(f"{_quoted(old)} har tagits bort")
        elif new and not old and len(new.split()) >= 2:
            said.append(f"{_quoted(new)} har lagts till")
        else:
            unsaid = True
            said += _numbers_changed(old, new)  # a number inside a rewritten sentence
    said = said[:4]
    moved = [f"{_quoted(n.removeprefix('flyttat: ').strip('”'))} har flyttats" for n in s.notes
             if n.startswith("flyttat: ")]  # fmt: skip
    if not s.edits:
        return lines + ([f"I {where}: " + "; ".join(moved) + "."] if moved else [])
    said = moved + said
    if unsaid or not said:
        lines.append(f"Texten i {where} har reviderats" + "".join(f"; {x}" for x in said) + ".")
    else:
        lines.append(f"I {where}: " + "; ".join(said) + ".")
    return lines


_NUMBER = re.compile(r"\d+(?:[ \u00a0]\d{3})*(?:,\d+)?")


def _numbers_changed(old: str, new: str) -> list[str]:
    """``90 har ändrats till 95`` for each number that differs in a rewritten run."""
    a, b = _NUMBER.findall(old), _NUMBER.findall(new)
    said = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace":
            said.append(f"{' '.join(a[i1:i2])} har ändrats till {' '.join(b[j1:j2])}")
    return said


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
    if differences.periods:
        tables = list(dict.fromkeys(c.table for c in differences.period_cells))
        if tables:
            was, now = differences.periods
            lines.append(f"Värdena i {_join(tables)} avser nu perioden {now} (tidigare {was}).")
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
            named = r.target and r.target != NOT_APPLICABLE  # both sides drawn by this rmr-gen
            level = f", med målnivån {r.target}" if named else ""
            lines.append(f"Raden ”{r.row}” har {verb} {r.table}{level}.")
    if not differences.cells:  # otherwise the figure only follows the new values
        lines += [f"{_capital(figure)} har uppdaterats." for figure in differences.figures]
    return [_capital(line) for line in lines] or ["Inga ändringar i sak."]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
