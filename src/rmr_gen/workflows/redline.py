"""The redline: ``new_html`` with what changed since ``old_html`` marked up.

Paragraphs, headings, list items and table rows are compared as blocks first
(added, removed, moved or paired), then words inside paired blocks: a small
edit is marked word by word, a rewritten sentence whole. Insertions are
``<ins>``, deletions ``<del>``, each with ``[+`` / ``[−`` … ``]`` in the text
layer; a changed table cell reads ``old → new``; a changed link names its old
and new target. Changed blocks get ``data-diff`` (a bar in the margin) and a
number.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rmr_gen.workflows.diffwords import format_marks, invisible_mark
from rmr_gen.workflows.redlinemarks import change_bars
from rmr_gen.workflows.redlinetokens import (
    balanced,
    block_name,
    flatten_rows,
    group_rows,
    is_row,
    plain,
    tag_name,
    tokens,
)


def _similar(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _row_label(row: str) -> str:
    cell = re.search(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
    return " ".join(plain(cell.group(1)).split()) if cell else ""


def _mark_row(row: str, mark: str) -> str:
    """A whole block added or removed: its text marked, the block kept as it was."""
    marked = "".join(_wrap(tokens(row), mark, keep_tags=True))
    return re.sub(r"^<([a-zA-Z0-9]+)\b", rf'<\1 class="diff-block-{mark}"', marked, count=1)


def _block_words(block: str) -> list[str]:
    return plain(block).split()


def _pair_blocks(old: list[str], new: list[str]) -> dict[int, int]:
    """``{new index: old index}``: rows by their first cell, other blocks by their words."""
    pairs: dict[int, int] = {}
    start = 0
    for j, block in enumerate(new):
        name = block_name(block)
        best, score = None, 0.0
        for i in range(start, len(old)):
            if block_name(old[i]) != name:
                continue
            if name == "tr":
                same = _row_label(old[i]) == _row_label(block)
                ratio = 1.0 if same else 0.0
            else:
                ratio = _similar(_block_words(old[i]), _block_words(block))
            if ratio > score:
                best, score = i, ratio
        if best is not None and score >= 0.4:
            pairs[j] = best
            start = best + 1
    if not pairs and len(old) == len(new):  # blocks in the same place: a rewrite, a new label
        pairs = {j: j for j in range(len(new)) if block_name(old[j]) == block_name(new[j])}
    return pairs


def _rows(gone: list[str], came: list[str], labels: tuple[str, str]) -> list[str]:
    """Blocks replaced by blocks: paired blocks compared word by word (cell by cell);
    a removed block is shown struck where it stood, an added one underlined."""
    old = [p for p in gone if is_row(p)]
    new = [p for p in came if is_row(p)]
    pairs = _pair_blocks(old, new)
    out: list[str] = []
    shown = 0  # old blocks up to here are shown
    for j, block in enumerate(new):
        if j in pairs:
            i = pairs[j]
            out += [_mark_row(r, "del") + "\n" for r in old[shown:i]]
            out.append(mark_up(old[i], block, labels, bars=False, rows=False))
            shown = i + 1
        else:
            out.append(_mark_row(block, "ins"))
        out.append("\n")
    out += [_mark_row(r, "del") + "\n" for r in old[shown:]]
    return out


#: What the text layer says around a change, so that copied text, ``pdftotext``
#: and a screen reader keep old and new words apart: ``[−gammalt] [+nytt]``.
SAID = {
    "del": ('<span class="diff-said">[−</span>', '<span class="diff-said">]</span>'),
    "ins": ('<span class="diff-said">[+</span>', '<span class="diff-said">]</span>'),
}


def _wrap(parts: list[str], mark: str, keep_tags: bool) -> list[str]:
    """Text runs inside ``<mark>``; tags kept (or dropped) around them."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text.strip():
            out.append(f"{SAID[mark][0]}<{mark}>{text}</{mark}>{SAID[mark][1]}")
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


#: A difflib opcode: tag, old start and end, new start and end.
Opcode = tuple[str, int, int, int, int]


@dataclass
class _Op:
    """An opcode that can be moved while the edits are regrouped."""

    tag: str
    i1: int
    i2: int
    j1: int
    j2: int

    def tuple(self) -> Opcode:
        return (self.tag, self.i1, self.i2, self.j1, self.j2)


def _align(old: list[str], new: list[str], opcodes: Sequence[Opcode]) -> list[Opcode]:
    """Slide pure deletions and insertions left until their tags balance.

    ``<p>A</p><p>B</p>`` → ``<p>B</p>`` may be matched as deleting
    ``A</p><p>``; the same edit read as deleting ``<p>A</p>`` keeps the
    paragraph whole, so a removed paragraph or row shows as one.
    """
    ops = [_Op(*op) for op in opcodes]
    for k, op in enumerate(ops):
        if op.tag not in ("delete", "insert") or k == 0 or ops[k - 1].tag != "equal":
            continue
        deleting = op.tag == "delete"
        side = old if deleting else new
        for _ in range(64):
            start, end = (op.i1, op.i2) if deleting else (op.j1, op.j2)
            before = ops[k - 1]
            if balanced(side[start:end]) or before.i2 <= before.i1:
                break
            if side[start - 1] != side[end - 1]:
                break
            before.i2 -= 1
            before.j2 -= 1
            op.i1 -= 1
            op.i2 -= 1
            op.j1 -= 1
            op.j2 -= 1
            if k + 1 < len(ops) and ops[k + 1].tag == "equal":
                ops[k + 1].i1 -= 1
                ops[k + 1].j1 -= 1
            else:
                ops.insert(k + 1, _Op("equal", op.i2, op.i2 + 1, op.j2, op.j2 + 1))
    return [op.tuple() for op in ops]


_HREF = re.compile(r'^<a\b[^>]*?\bhref="([^"]*)"')


def _link_targets(parts: list[str]) -> list[str]:
    """The targets of the links opened in ``parts`` (escaped, as in the HTML)."""
    return [m.group(1) for p in parts if (m := _HREF.match(p))]


def _moves(old: list[str], new: list[str], opcodes: Sequence[Opcode]) -> dict[int, tuple[int, str]]:
    """Deleted text that reappears, unchanged, as inserted text elsewhere: a move.

    ``{op index: (move number, "härifrån" | "hit")}``; at least six words, so a
    repeated short phrase is not taken for a moved paragraph.
    """

    def text(parts: list[str]) -> str:
        return " ".join(plain("".join(flatten_rows(parts))).split())

    removed = {
        k: text(old[i1:i2]) for k, (op, i1, i2, _, _) in enumerate(opcodes) if op == "delete"
    }
    added = {k: text(new[j1:j2]) for k, (op, _, _, j1, j2) in enumerate(opcodes) if op == "insert"}
    moves: dict[int, tuple[int, str]] = {}
    for k, words in removed.items():
        if len(words.split()) < 6:
            continue
        target = next((j for j, w in added.items() if w == words and j not in moves), None)
        if target is not None:
            number = len(moves) // 2 + 1
            moves[k] = (number, "härifrån")
            moves[target] = (number, "hit")
    return moves


def _is_text(parts: list[str]) -> bool:
    return not any(p.startswith("<") for p in parts)


def _words_in(parts: list[str]) -> int:
    return sum(1 for p in parts if p.strip())


def _sentences(old: list[str], new: list[str], opcodes: Sequence[Opcode]) -> list[Opcode]:
    """Read a rewritten sentence as one replacement, keep word-level marks for small edits.

    An unchanged run of words between two edits that are each at least as long
    (``Hos dessa`` → ``Andelen äldre`` … ``i`` … ``föreligger`` → ``befolkningen``)
    is folded into one replacement: the old words struck, the new underlined,
    instead of interleaving them word by word.
    """
    ops = [_Op(*op) for op in opcodes]
    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            left, equal, right = ops[k - 1], ops[k], ops[k + 1]
            if equal.tag != "equal" or left.tag == "equal" or right.tag == "equal":
                continue
            span_old, span_new = old[left.i1 : right.i2], new[left.j1 : right.j2]
            if not (_is_text(span_old) and _is_text(span_new)):
                continue
            kept = _words_in(old[equal.i1 : equal.i2])
            left_size = max(_words_in(old[left.i1 : left.i2]), _words_in(new[left.j1 : left.j2]))
            right_size = max(
                _words_in(old[right.i1 : right.i2]), _words_in(new[right.j1 : right.j2])
            )
            if kept <= min(left_size, right_size):
                ops[k - 1 : k + 2] = [_Op("replace", left.i1, right.i2, left.j1, right.j2)]
                changed = True
                break
    return [op.tuple() for op in ops]


def mark_up(
    old_html: str,
    new_html: str,
    labels: tuple[str, str] = ("före", "efter"),
    bars: bool = True,
    rows: bool = True,
) -> str:
    """``new_html`` with words deleted since ``old_html`` in ``<del>`` and added ones in ``<ins>``.

    The new side's tags are all kept, so the document keeps its structure; a
    removed paragraph, row or section is kept with its tags when they balance.
    """
    old, new = tokens(old_html), tokens(new_html)
    if rows:
        old, new = group_rows(old), group_rows(new)
    out: list[str] = []
    depth_cell = 0

    def track(parts: list[str]) -> None:
        nonlocal depth_cell
        for part in parts:
            if part.startswith("<"):
                name, closing = tag_name(part)
                if name in ("td", "th"):
                    depth_cell += -1 if closing else 1

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    opcodes = _sentences(old, new, _align(old, new, matcher.get_opcodes()))
    moves = _moves(old, new, opcodes)
    for k, (op, i1, i2, j1, j2) in enumerate(opcodes):
        gone, came = old[i1:i2], new[j1:j2]
        if k in moves:
            number, where = moves[k]
            out.append(f'<span class="diff-moved">[Flyttat stycke {number}: {where}]</span> ')
        if op == "equal":
            out.extend(came)
            track(came)
            continue
        if any(is_row(p) for p in gone + came):
            if all(is_row(p) or not p.strip() for p in gone + came):
                out.extend(_rows(gone, came, labels))
                track(came)
                continue
            gone, came = flatten_rows(gone), flatten_rows(came)
        if op == "replace" and depth_cell > 0 and not any(p.startswith("<") for p in gone + came):
            old_text, new_text = "".join(gone), "".join(came)
            out.append(f'<span class="moved"><del>{old_text}</del> → <ins>{new_text}</ins></span>')
        elif op == "replace" and _link_targets(gone) and _link_targets(came):
            was, now = _link_targets(gone), _link_targets(came)
            out.append(
                f'<span class="diff-link">{SAID["del"][0]}<del>länk till {was[0]}</del>'
                f"{SAID['del'][1]} {SAID['ins'][0]}<ins>länk till {now[0]}</ins>{SAID['ins'][1]}"
                "</span> "
            )
            out.extend(_wrap(gone, "del", keep_tags=False))
            out.extend(_wrap(came, "ins", keep_tags=True))
        elif any(p.startswith("<img") for p in gone) and any(p.startswith("<img") for p in came):
            out.extend(_figures(gone, came, labels))
        elif op == "replace" and (note := invisible_mark("".join(gone), "".join(came))):
            out.extend(came)  # looks alike: named, not struck and underlined
            out.append(note)
        elif (marks := format_marks(gone, came)) is not None:
            out.extend(marks)
        else:
            out.extend(_wrap(gone, "del", keep_tags=balanced(gone)))
            if op == "replace" and "".join(gone).strip() and "".join(came).strip():
                out.append(" ")  # the struck and the new words apart, on the page and in the text
            out.extend(_wrap(came, "ins", keep_tags=True))
        track(came)
    return change_bars("".join(out)) if bars else "".join(out)


def moved_blocks(old_html: str, new_html: str) -> list[str]:
    """The text of each paragraph or list item the redline shows as moved, in the
    order of the old side: the summary and the change log name the same one."""
    old, new = group_rows(tokens(old_html)), group_rows(tokens(new_html))
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    opcodes = _sentences(old, new, _align(old, new, matcher.get_opcodes()))
    moves = _moves(old, new, opcodes)
    return [
        " ".join(plain("".join(old[opcodes[k][1] : opcodes[k][2]])).split())
        for k, (_, where) in sorted(moves.items())
        if where == "härifrån"
    ]
