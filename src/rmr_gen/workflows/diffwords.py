"""Changes a reader cannot see in the words themselves, named: a no-break space that
became a space, a text in another Unicode form, emphasis added or removed.

Every change to the printed text is a change (the line may wrap differently, a
search may not find the word); the summary, the change log and the redline say
what kind it is instead of showing two identical-looking words.
"""

from __future__ import annotations

import re
import unicodedata

#: The spaces that print alike but differ, by their Swedish names.
SPACES = {
    " ": "mellanslag",
    "\u00a0": "hårt mellanslag",
    "\u202f": "smalt hårt mellanslag",
    "\u2007": "siffermellanslag",
    "\u2009": "smalt mellanslag",
}

#: Whitespace that separates words; a no-break space keeps its words together.
BREAKING = re.compile(r"[^\S\u00a0\u202f\u2007]+")


def _form(text: str) -> str:
    return "NFC" if unicodedata.is_normalized("NFC", text) else "NFD"


def _spaces(text: str) -> list[str]:
    return re.findall(r"\s", text)


def invisible(old: str, new: str) -> str:
    """What differs between two texts that look alike (``hårt mellanslag → mellanslag``,
    ``Unicode-form NFD → NFC``); "" when they look different or are equal."""
    if old == new:
        return ""
    names = []
    if unicodedata.normalize("NFC", old) != old or unicodedata.normalize("NFC", new) != new:
        if _form(old) != _form(new):
            names.append(f"Unicode-form {_form(old)} → {_form(new)}")
        old, new = unicodedata.normalize("NFC", old), unicodedata.normalize("NFC", new)
    if old != new:
        if re.sub(r"\s", " ", old) != re.sub(r"\s", " ", new):
            return ""  # a visible change
        pairs = [(a, b) for a, b in zip(_spaces(old), _spaces(new), strict=False) if a != b]
        for a, b in dict.fromkeys(pairs):
            names.append(f"{SPACES.get(a, f'U+{ord(a):04X}')} → {SPACES.get(b, f'U+{ord(b):04X}')}")
    return ", ".join(names)


#: Inline emphasis by the name a reader gives it.
EMPHASIS = {"strong": "fetstil", "b": "fetstil", "em": "kursiv stil", "i": "kursiv stil"}


def _note(text: str) -> str:
    return f'<span class="diff-format">[{text}]</span>'


def invisible_mark(old: str, new: str) -> str:
    """The redline's note after a change that looks alike: ``[hårt mellanslag →
    mellanslag]``; "" when the change is visible (it is marked as words are)."""
    kind = invisible(old, new)
    if not kind:
        return ""
    return _note(kind) + " " if not new.strip() else " " + _note(kind)


_EMPHASIS_TAG = re.compile(r"<(/?)([a-z]+)\b[^>]*>$")


def format_marks(gone: list[str], came: list[str]) -> list[str] | None:
    """Emphasis added or removed around unchanged words, marked where it starts and
    ends (``[fetstil borttagen: tre indikatorer]``); None when more than emphasis changed."""
    marks: list[str] = []
    for parts, verb in ((gone, "borttagen"), (came, "tillagd")):
        for part in parts:
            match = _EMPHASIS_TAG.match(part)
            if not part.strip():
                continue
            if not match or match.group(2) not in EMPHASIS:
                return None
            name = EMPHASIS[match.group(2)]
            kept = [part] if verb == "tillagd" else []  # the new side's tags stay
            if match.group(1):  # where the emphasis ends
                marks += [*kept, '<span class="diff-format">]</span>']
            else:
                marks += [f'<span class="diff-format">[{name} {verb}:</span> ', *kept]
    return marks or None
