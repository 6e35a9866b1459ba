"""Names as registers and exports write them, matched to the names a report prints.

A name matches when it is the same text after Unicode normalisation (NFC: an
``ä`` typed as ``a`` + combining diaeresis is ``ä``), with runs of white space
(also no-break spaces) as one space, in any case; or, when that leaves only one
candidate, the same text without diacritics (``Orebro``).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field


def visible(text: str) -> str:
    """``text`` without invisible format characters (zero-width space, soft hyphen,
    byte order mark, direction marks) that copying from web pages and PDFs leaves in
    a cell: the text the editor sees."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def key(text: str) -> str:
    """``"  region  ÖREBRO län"`` → ``"region örebro län"``: NFC, one space, no case."""
    return " ".join(unicodedata.normalize("NFC", visible(text)).split()).casefold()


def bare(text: str) -> str:
    """:func:`key` without diacritics: ``Örebro`` → ``orebro``."""
    decomposed = unicodedata.normalize("NFD", key(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Names:
    """The canonical names of one kind (regions, indicators) and every other way to
    write them. ``aliases`` maps an alias (as written in the reference data or a
    report) to its canonical name."""

    canonical: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)
    _loose: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[str, str] = {}
        loose: dict[str, set[str]] = {}
        for name, target in [*((c, c) for c in self.canonical), *self.aliases.items()]:
            exact.setdefault(key(name), target)
            loose.setdefault(bare(name), set()).add(target)
        unique = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_loose", unique)

    def __contains__(self, name: object) -> bool:
        return name in self.canonical

    def __iter__(self) -> Iterator[str]:
        return iter(self.canonical)

    def __len__(self) -> int:
        return len(self.canonical)

    def find(self, text: str) -> str | None:
        """The canonical name ``text`` stands for, or ``None``."""
        found = self._exact.get(key(text))
        if found is None:
            found = self._loose.get(bare(text))
        return found

    def clashes(self) -> list[tuple[str, str, str]]:
        """Aliases that stand for two names: (alias, name, other name)."""
        return clashes(self.canonical, self.aliases)

    def closest(self, text: str) -> str | None:
        """The canonical name closest to ``text`` (or to an alias close to it), if any:
        what a message offers as "did you mean"."""
        choices = {key(c): c for c in self.canonical}
        close = difflib.get_close_matches(key(text), list(choices), n=1, cutoff=0.6)
        if close:
            return choices[close[0]]
        written = {key(a): t for a, t in self.aliases.items()}
        close = difflib.get_close_matches(key(text), list(written), n=1, cutoff=0.75)
        return written[close[0]] if close else None

    def suggest(self, text: str) -> str:
        """`` (did you mean 'x'?)`` with the canonical name closest to ``text``, in English:
        a coded message takes :meth:`closest` and words the hint itself."""
        found = self.closest(text)
        return f" (did you mean '{found}'?)" if found is not None else ""

    def with_aliases(self, more: Iterable[tuple[str, str]]) -> Names:
        """These names, and ``more`` (alias, canonical) pairs on top."""
        extra = dict(more)
        if not extra:
            return self
        return Names(self.canonical, {**extra, **self.aliases})


def clashes(canonical: Iterable[str], aliases: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """Aliases that stand for two names: (alias, name, other name). Without making
    :class:`Names`, whose loose matching is costly for thousands of names."""
    seen: dict[str, str] = {key(c): c for c in canonical}
    found = []
    for alias, target in aliases.items():
        other = seen.setdefault(key(alias), target)
        if other != target:
            found.append((alias, other, target))
    return found
