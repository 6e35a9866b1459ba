"""At most two hyphenated line ends in a row.

WeasyPrint has no ``hyphenate-limit-lines``: a narrow paragraph of long compounds can
end line after line in a hyphen (five in twelve lines were seen). This reads the
laid-out lines (WeasyPrint's boxes, read only, as :mod:`rmr_gen.output.pagefit`
does), finds a paragraph's third hyphenated line end in a row and renders the
document again with that word's soft hyphens removed, so the word moves to the
next line whole; a few rounds, since each change moves the lines after it.

A line that ends at a soft hyphen is the only kind that ends in the hyphenate
character after U+00AD (hard hyphens never end a line: see
:mod:`rmr_gen.content.hyphenation`). The word is found again in the HTML by its
text with its soft hyphens and by how many times that text came before it in the
laid-out document; text in markup (tags, attributes, entities) is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

SOFT_HYPHEN = "\u00ad"

#: Hyphenated line ends in a row that a paragraph may have.
MAX_RUN = 2

#: Renderings at most, the first one included: each round mends one run per paragraph.
ROUNDS = 6

#: Between two text boxes of one line (an inline element's edge): no word is looked
#: for across it, as the HTML has a tag there.
_EDGE = "\x00"
_TAG = re.compile(r"(<[^>]*>)")
_BEFORE = re.compile(r"[^\s\x00]*\Z")
_AFTER = re.compile(r"[^\s\x00]*")


@dataclass(frozen=True)
class Line:
    """One laid-out line of the document's flow."""

    owner: int  # the block whose line it is (a paragraph, a list item)
    text: str  # its text boxes joined by _EDGE, the added hyphen left out
    hyphenated: bool  # it ends at a soft hyphen


def _walk(box: Any, stop: type) -> Iterator[Any]:
    """``box`` and what it holds, not looking inside a ``stop`` box below it."""
    yield box
    if isinstance(box, stop):
        return
    for child in getattr(box, "children", None) or ():
        yield from _walk(child, stop)


def lines_of(rendered: Any) -> list[Line]:
    """The lines of a WeasyPrint document (``HTML.render()``), in reading order."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page in rendered.pages:
        roots = [c for c in page._page_box.children if getattr(c, "element_tag", None) == "html"]
        for root in roots:
            for line in _walk(root, boxes.LineBox):
                if not isinstance(line, boxes.LineBox):
                    continue
                texts = [
                    b.text
                    for child in line.children
                    for b in _walk(child, boxes.InlineBlockBox)
                    if isinstance(b, boxes.TextBox)
                ]
                hyphenated = False
                if texts:
                    end = SOFT_HYPHEN + str(line.children[-1].style["hyphenate_character"])
                    if texts[-1].endswith(end):
                        texts[-1] = texts[-1][: -len(end) + 1]  # the soft hyphen stays
                        hyphenated = True
                found.append(Line(id(line.element), _EDGE.join(texts), hyphenated))
    return found


def too_many(lines: list[Line]) -> list[tuple[str, int]]:
    """The words to keep whole: per paragraph, the first that ends a third (or later)
    hyphenated line in a row, as its text with soft hyphens and the number of times that
    text came before it in the document."""
    stream = ""
    ends: list[int] = []  # where in the text each word to keep whole is broken
    mended: set[int] = set()
    run, previous = 0, None
    for line in lines:
        same = previous is not None and previous.owner == line.owner
        if previous is not None:
            stream += "" if previous.hyphenated and same else " "
        stream += line.text
        run = (run + 1 if same else 1) if line.hyphenated else 0
        if run > MAX_RUN and line.owner not in mended:
            mended.add(line.owner)
            ends.append(len(stream))
        previous = line
    out = []
    for end in ends:
        head = _BEFORE.search(stream, 0, end)
        tail = _AFTER.match(stream, end)
        if head is None or tail is None:
            continue
        word = head.group(0) + tail.group(0)
        if SOFT_HYPHEN in word:
            out.append((word, len(re.findall(re.escape(word), stream[: head.start()]))))
    return out


def keep_whole(html: str, words: list[tuple[str, int]]) -> str:
    """``html`` with the soft hyphens of each ``(word, n)``'s occurrence number ``n`` in
    its text (never in a tag) removed; a word not found is left as it is."""
    parts = _TAG.split(html)
    for word, wanted in words:
        seen = 0
        for i in range(0, len(parts), 2):
            count = parts[i].count(word)
            if seen + count > wanted:
                pieces = parts[i].split(word)
                at = wanted - seen + 1
                parts[i] = (
                    word.join(pieces[:at]) + word.replace(SOFT_HYPHEN, "") + word.join(pieces[at:])
                )
                break
            seen += count
    return "".join(parts)


def limit(html: str, rendered: Any, render: Callable[[str], Any]) -> tuple[str, Any]:
    """``html`` and its rendering with at most :data:`MAX_RUN` hyphenated line ends in a
    row where removing soft hyphens can do it (``render`` lays out an HTML string);
    ``rendered`` as it is when it has none."""
    if SOFT_HYPHEN not in html:
        return html, rendered
    for _ in range(ROUNDS - 1):
        words = too_many(lines_of(rendered))
        mended = keep_whole(html, words)
        if mended == html:
            break
        html, rendered = mended, render(mended)
    return html, rendered
