"""The reviewer's diff: what text changed, which numbers moved, which targets changed.

Both sides are rendered by the build's own code path: a release from its
snapshot, the working draft from the project. Numbers are compared as the
reader sees them (the formatted cells), texts word by word per section. The
diff document is the new side's HTML with insertions and deletions marked
(``<ins>``/``<del>``: underlined/struck through *and* coloured) and every
changed table cell shown as old → new.
"""

from __future__ import annotations

import difflib
import html as htmlmod
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rmr_gen import formatting
from rmr_gen.build import Prepared, cache_for, prepare
from rmr_gen.cache import Cache
from rmr_gen.errors import InputError, Location, Problem, Problems
from rmr_gen.files import atomic_write
from rmr_gen.models import Target
from rmr_gen.pdf import html_to_pdf
from rmr_gen.project import Project
from rmr_gen.release import check_names, read_manifest, single, snapshot

DRAFT = "draft"


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
    change: str  # "added" | "removed"


@dataclass(frozen=True)
class TargetChange:
    table: str
    indicator: str
    old: str
    new: str


@dataclass(frozen=True)
class SectionChange:
    section: str
    change: str  # "changed" | "added" | "removed"
    words_added: int
    words_removed: int


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
    changelog: tuple[str, ...] = field(default=())

    @property
    def words_added(self) -> int:
        return sum(s.words_added for s in self.sections)

    @property
    def words_removed(self) -> int:
        return sum(s.words_removed for s in self.sections)

    @property
    def any(self) -> bool:
        return bool(self.sections or self.cells or self.rows or self.targets or self.figures)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(words_added=self.words_added, words_removed=self.words_removed)
        data["differences"] = self.any
        return data


@dataclass(frozen=True)
class DiffResult:
    differences: Differences
    html: Path
    pdf: Path


# ---------------------------------------------------------------- both sides


def _side(project: Project, report_id: str, which: str, cache: Cache) -> Prepared:
    if which == DRAFT:
        source = project
    else:
        read_manifest(project, report_id, which)  # checks the name; errors if not released
        source = snapshot(project, report_id, which)
    problems = Problems()
    prepared = prepare(source, [report_id], problems, cache)
    problems.raise_if_any()
    return single(prepared, source)


def table_name(caption: str, table_id: str) -> str:
    """``Tabell 1`` from its caption, else the table's id."""
    match = re.match(r"\s*((?:Tabell|Figur)\s+\d+)", caption)
    return match.group(1) if match else table_id


def _target_text(target: Target | None, decimals: int) -> str:
    if target is None:
        return "-"
    return formatting.target(target.level, target.operator, decimals)


def _tables(item: Prepared) -> dict[str, dict[str, Any]]:
    """Per table: its cells ``{(row, column): text}`` and targets ``{indicator: text}``."""
    report = item.report
    tables: dict[str, dict[str, Any]] = {}
    for block in item.blocks:
        if block.kind != "table":
            continue
        spec = block.spec
        cells: dict[tuple[str, str], str] = {}
        targets: dict[str, str] = {}
        rows: list[str] = []
        if spec.type == "indicator-summary":
            for group in block.rows:
                label = group.indicator.label
                targets[label] = _target_text(group.indicator.target, report.decimals)
                for row in group.rows:
                    rows.append(f"{row.region}, {label}")
                    cells[(row.region, label)] = formatting.summary_cell(row, report.decimals)
                    cells[(row.region, f"{label} (alla diagnoser)")] = (
                        formatting.all_diagnoses_cell(row, report.decimals)
                    )
        else:
            for row in block.rows:
                rows.append(row.label)
                targets[row.label] = _target_text(row.target, report.decimals)
        tables[table_name(spec.caption, spec.id)] = {
            "cells": cells,
            "targets": targets,
            "rows": rows,
        }
    return tables


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return htmlmod.unescape(_TAG.sub(" ", fragment))


def _sections(item: Prepared) -> list[tuple[str, list[str]]]:
    """The texts as ``(heading, words)`` sections, in reading order."""
    sections: list[tuple[str, list[str]]] = []
    for index, block in enumerate(item.blocks):
        if block.kind != "text":
            continue
        html = str(block.html)
        parts = _HEADING.split(html)
        # parts: text, level, heading, text, level, heading, text ...
        first = parts[0]
        if _plain(first).split():
            title = sections[-1][0] if sections else f"Inledande text {index + 1}"
            sections.append((title, _plain(first).split()))
        for i in range(1, len(parts), 3):
            heading = " ".join(_plain(parts[i + 1]).split())
            sections.append((heading, _plain(parts[i + 2]).split()))
    return sections


def _word_counts(old: list[str], new: list[str]) -> tuple[int, int]:
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def _pair_sections(
    old: list[tuple[str, list[str]]], new: list[tuple[str, list[str]]]
) -> list[SectionChange]:
    changes = []
    old_titles = [t for t, _ in old]
    new_titles = [t for t, _ in new]
    old_by: dict[str, list[str]] = {}
    for title, words in old:
        old_by.setdefault(title, []).extend(words)
    new_by: dict[str, list[str]] = {}
    for title, words in new:
        new_by.setdefault(title, []).extend(words)
    for title in dict.fromkeys(new_titles):
        if title not in old_by:
            changes.append(SectionChange(title, "added", len(new_by[title]), 0))
        elif old_by[title] != new_by[title]:
            added, removed = _word_counts(old_by[title], new_by[title])
            changes.append(SectionChange(title, "changed", added, removed))
    for title in dict.fromkeys(old_titles):
        if title not in new_by:
            changes.append(SectionChange(title, "removed", 0, len(old_by[title])))
    return changes


def compare(
    report_id: str, old_label: str, new_label: str, old: Prepared, new: Prepared
) -> Differences:
    """Everything that differs between two prepared versions of one report."""
    old_tables, new_tables = _tables(old), _tables(new)
    cells: list[CellChange] = []
    rows: list[RowChange] = []
    targets: list[TargetChange] = []
    for name in dict.fromkeys([*new_tables, *old_tables]):
        before = old_tables.get(name, {"cells": {}, "targets": {}, "rows": []})
        after = new_tables.get(name, {"cells": {}, "targets": {}, "rows": []})
        for key, value in after["cells"].items():
            was = before["cells"].get(key)
            if was is not None and was != value:
                cells.append(CellChange(name, key[0], key[1], was, value))
        for row in after["rows"]:
            if row not in before["rows"]:
                rows.append(RowChange(name, row, "added"))
        for row in before["rows"]:
            if row not in after["rows"]:
                rows.append(RowChange(name, row, "removed"))
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
                figures.append(table_name(block.spec.caption, block.spec.id))
    sections = _pair_sections(_sections(old), _sections(new))
    differences = Differences(
        report_id,
        old_label,
        new_label,
        tuple(sections),
        tuple(cells),
        tuple(rows),
        tuple(targets),
        tuple(figures),
    )
    return Differences(**{**differences.__dict__, "changelog": tuple(draft_changelog(differences))})


# ---------------------------------------------------------------- words for the editor


def _level(text: str) -> str:
    """``≥ 90 %`` → ``90 %`` when both sides share an operator (the sentence reads better)."""
    return text.removeprefix("≥\u00a0")


def draft_changelog(differences: Differences) -> list[str]:
    """Sentences for "Förändringar sedan föregående version", for the editor to accept or edit."""
    lines = []
    for t in differences.targets:
        same_operator = t.old.startswith("≥") == t.new.startswith("≥")
        old, new = (_level(t.old), _level(t.new)) if same_operator else (t.old, t.new)
        lines.append(f"Målnivån för {t.indicator} har ändrats från {old} till {new}.")
    for s in differences.sections:
        if s.change == "added":
            lines.append(f"Avsnittet ”{s.section}” har tillkommit.")
        elif s.change == "removed":
            lines.append(f"Avsnittet ”{s.section}” har tagits bort.")
        else:
            lines.append(f"Texten i avsnittet ”{s.section}” har reviderats.")
    by_table: dict[str, list[str]] = {}
    for c in differences.cells:
        indicator = c.indicator.removesuffix(" (alla diagnoser)")
        names = by_table.setdefault(c.table, [])
        if indicator not in names:
            names.append(indicator)
    for table, names in by_table.items():
        lines.append(f"Värdena i {table} har uppdaterats för {_join(names)}.")
    for r in differences.rows:
        verb = "lagts till i" if r.change == "added" else "tagits bort från"
        lines.append(f"Raden {r.row} har {verb} {r.table}.")
    if not differences.cells:  # otherwise the figure only follows the new values
        lines += [f"{figure} har uppdaterats." for figure in differences.figures]
    return lines or ["Inga ändringar i sak."]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


# ---------------------------------------------------------------- the marked-up document

_TOKEN = re.compile(r"<[^>]+>|[^<]+")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_CELL_OPEN = re.compile(r"<t[dh][\s>]")


def tokens(html: str) -> list[str]:
    """Tags, words and spaces; a table cell's whole text is one token (it changes as one)."""
    raw = _TOKEN.findall(html)
    result = []
    for i, part in enumerate(raw):
        if part.startswith("<") or (
            i > 0
            and _CELL_OPEN.match(raw[i - 1])
            and i + 1 < len(raw)
            and raw[i + 1].startswith("</t")
        ):
            result.append(part)
        else:
            result.extend(re.findall(r"\s+|\S+", part))
    return result


def _tag_name(tag: str) -> tuple[str, bool]:
    match = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
    return (match.group(1).lower() if match else ""), tag.startswith("</")


def _balanced(parts: list[str]) -> bool:
    stack: list[str] = []
    for part in parts:
        if not part.startswith("<") or part.startswith("<!"):
            continue
        name, closing = _tag_name(part)
        if name in _VOID or part.endswith("/>"):
            continue
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def _wrap(parts: list[str], mark: str, keep_tags: bool) -> list[str]:
    """Text runs inside ``<mark>``; tags kept (or dropped) around them."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text.strip():
            out.append(f"<{mark}>{text}</{mark}>")
        elif text:
            out.append(text)
        run.clear()

    for part in parts:
        if part.startswith("<"):
            flush()
            if keep_tags:
                out.append(part)
        else:
            run.append(part)
    flush()
    return out


def _figures(gone: list[str], came: list[str], labels: tuple[str, str]) -> list[str]:
    """A redrawn figure: the old one, smaller and labelled, then the new one, labelled."""
    old_images = [
        p.replace("<img", '<img class="diff-old"', 1) for p in gone if p.startswith("<img")
    ]
    new_images = [p for p in came if p.startswith("<img")]
    rest = [p for p in came if not p.startswith("<img")]
    return [
        f'<p class="diff-figure"><del>Tidigare figur ({labels[0]})</del></p>',
        *old_images,
        f'<p class="diff-figure"><ins>Ny figur ({labels[1]})</ins></p>',
        *new_images,
        *_wrap(rest, "ins", keep_tags=True),
    ]


def _align(
    old: list[str], new: list[str], opcodes: Sequence[tuple[str, int, int, int, int]]
) -> list[tuple[str, int, int, int, int]]:
    """Slide pure deletions and insertions left until their tags balance.

    ``<p>A</p><p>B</p>`` → ``<p>B</p>`` may be matched as deleting
    ``A</p><p>``; the same edit read as deleting ``<p>A</p>`` keeps the
    paragraph whole, so a removed paragraph or row shows as one.
    """
    ops: list[list[Any]] = [list(op) for op in opcodes]
    for k, op in enumerate(ops):
        if op[0] not in ("delete", "insert") or k == 0 or ops[k - 1][0] != "equal":
            continue
        side = old if op[0] == "delete" else new
        lo, hi = (1, 2) if op[0] == "delete" else (3, 4)
        for _ in range(64):
            start, end = op[lo], op[hi]
            before = ops[k - 1]
            if _balanced(side[start:end]) or before[2] <= before[1]:
                break
            if side[start - 1] != side[end - 1]:
                break
            before[2] -= 1
            before[4] -= 1
            op[1] -= 1
            op[2] -= 1
            op[3] -= 1
            op[4] -= 1
            if k + 1 < len(ops) and ops[k + 1][0] == "equal":
                ops[k + 1][1] -= 1
                ops[k + 1][3] -= 1
            else:
                ops.insert(k + 1, ["equal", op[2], op[2] + 1, op[4], op[4] + 1])
    return [(str(o[0]), int(o[1]), int(o[2]), int(o[3]), int(o[4])) for o in ops]


def mark_up(old_html: str, new_html: str, labels: tuple[str, str] = ("före", "efter")) -> str:
    """``new_html`` with words deleted since ``old_html`` in ``<del>`` and added ones in ``<ins>``.

    The new side's tags are all kept, so the document keeps its structure; a
    removed paragraph, row or section is kept with its tags when they balance.
    """
    old, new = tokens(old_html), tokens(new_html)
    out: list[str] = []
    depth_cell = 0

    def track(parts: list[str]) -> None:
        nonlocal depth_cell
        for part in parts:
            if part.startswith("<"):
                name, closing = _tag_name(part)
                if name in ("td", "th"):
                    depth_cell += -1 if closing else 1

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in _align(old, new, matcher.get_opcodes()):
        gone, came = old[i1:i2], new[j1:j2]
        if op == "equal":
            out.extend(came)
        elif op == "replace" and depth_cell > 0 and not any(p.startswith("<") for p in gone + came):
            old_text, new_text = "".join(gone), "".join(came)
            out.append(f'<span class="moved"><del>{old_text}</del> → <ins>{new_text}</ins></span>')
        elif any(p.startswith("<img") for p in gone) and any(p.startswith("<img") for p in came):
            out.extend(_figures(gone, came, labels))
        else:
            out.extend(_wrap(gone, "del", keep_tags=_balanced(gone)))
            if op == "replace" and "".join(gone).strip() and "".join(came).strip():
                # Keep the struck and the new word apart; a space between two inline
                # elements may not reach the PDF's text layer, one inside <ins> does.
                came = [" ", *came]
            out.extend(_wrap(came, "ins", keep_tags=True))
        track(came)
    return "".join(out)


DIFF_CSS = """
ins { text-decoration: underline; color: #0b5e1a; background: #e3f4e6; }
del { text-decoration: line-through; color: #a3121b; background: #fbe6e7; }
.moved { white-space: nowrap; }
img.diff-old { width: 60%; }
.diff-figure { font-size: 10pt; font-weight: 700; margin: 4pt 0 2pt; }
.diff-heading { font-size: 14pt; margin-top: 0; }
.diff-summary { border: 1pt solid #7f7f7f; padding: 6pt 8pt; margin: 0 0 14pt; break-inside: auto; }
.diff-summary h2 { font-size: 11.5pt; }
.diff-summary ul { margin-bottom: 6pt; }
.diff-summary .legend ins, .diff-summary .legend del { padding: 0 2pt; }
"""


def _summary_html(d: Differences) -> str:
    esc = htmlmod.escape
    new = "utkastet" if d.new == DRAFT else f"version {esc(d.new)}"
    items = []
    for s in d.sections:
        what = {"changed": "ändrat", "added": "tillkommet", "removed": "borttaget"}[s.change]
        items.append(
            f"<li>Avsnitt {what}: {esc(s.section)} (+{s.words_added} / −{s.words_removed} ord)</li>"
        )
    for c in d.cells:
        items.append(
            f"<li>{esc(c.table)}, {esc(c.region)}, {esc(c.indicator)}: "
            f"<del>{esc(c.old)}</del> → <ins>{esc(c.new)}</ins></li>"
        )
    for r in d.rows:
        word = "tillagd" if r.change == "added" else "borttagen"
        mark = "ins" if r.change == "added" else "del"
        items.append(f"<li>{esc(r.table)}: rad {word}: <{mark}>{esc(r.row)}</{mark}></li>")
    for t in d.targets:
        items.append(
            f"<li>Målnivå, {esc(t.table)}, {esc(t.indicator)}: "
            f"<del>{esc(t.old)}</del> → <ins>{esc(t.new)}</ins></li>"
        )
    for f in d.figures:
        items.append(f"<li>{esc(f)} har ritats om med de nya värdena.</li>")
    listing = "<ul>" + "".join(items) + "</ul>" if items else "<p>Inga skillnader.</p>"
    draft = "".join(f"<p>{esc(line)}</p>" for line in d.changelog)
    return (
        '<section class="diff-summary">'
        f'<h1 class="diff-heading">Jämförelse: version {esc(d.old)} → {new}</h1>'
        '<p class="legend"><ins>Understruket och grönt</ins>: tillagt. '
        "<del>Genomstruket och rött</del>: borttaget. "
        "Ändrade tabellceller visas gammalt → nytt.</p>"
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
    title = f"Jämförelse {differences.old} → {differences.new}: "
    head = head.replace("<title>", "<title>" + htmlmod.escape(title), 1)
    labels = (f"version {differences.old}", _side_name(differences.new))
    return head + _summary_html(differences) + mark_up(old_body, body, labels) + tail


def _side_name(label: str) -> str:
    return "utkast" if label == DRAFT else f"version {label}"


# ---------------------------------------------------------------- the command


def _label(project: Project, report_id: str, which: str) -> str:
    if which != DRAFT:
        check_names(project, report_id, which)
    return which


def diff(project: Project, report_id: str, old: str, new: str | None = None) -> DiffResult:
    """Compare release ``old`` with ``new`` (default: the working draft); write PDF and HTML."""
    new = new or DRAFT
    if old == DRAFT:
        raise InputError(
            [Problem(Location("OLD"), "the old side must be a released version, e.g. 1.0")]
        )
    _label(project, report_id, old)
    _label(project, report_id, new)
    cache = cache_for(project)
    before = _side(project, report_id, old, cache)
    after = _side(project, report_id, new, cache)
    differences = compare(report_id, old, new, before, after)
    html = diff_document(before, after, differences)
    source = project if new == DRAFT else snapshot(project, report_id, new)
    pdf, _ = html_to_pdf(
        html,
        source.templates_dir,
        source.readable_roots,
        f"diff {report_id} {old} {new}",
    )
    folder = project.output_folder(report_id)
    target = folder / f"diff-{old}-{new}.pdf"
    atomic_write(target.with_suffix(".html"), html.encode("utf-8"))
    atomic_write(target, pdf)
    cache.flush()
    return DiffResult(differences, target.with_suffix(".html"), target)


def summary_lines(d: Differences) -> list[str]:
    """The plain-text summary printed on stdout."""
    lines = [
        f"diff {d.report} {d.old} → {d.new}: {len(d.sections)} section(s) changed, "
        f"{d.words_added} word(s) added, {d.words_removed} removed, {len(d.cells)} cell(s), "
        f"{len(d.targets)} target(s)"
    ]
    lines += [
        f"section {s.change}: {s.section} (+{s.words_added} −{s.words_removed} words)"
        for s in d.sections
    ]
    lines += [
        f"cell: {d.report}, {c.table}, {c.region}, {c.indicator}: {c.old} → {c.new}"
        for c in d.cells
    ]
    lines += [f"row {r.change}: {d.report}, {r.table}, {r.row}" for r in d.rows]
    lines += [f"target: {d.report}, {t.table}, {t.indicator}: {t.old} → {t.new}" for t in d.targets]
    lines += [f"figure redrawn: {d.report}, {f}" for f in d.figures]
    lines.append("Förändringar sedan föregående version (förslag):")
    lines += [f"  {line}" for line in d.changelog]
    return lines
