"""Where a Swedish word may break at a line end: at a compound's joint first.

WeasyPrint's automatic hyphenation (pyphen's Swedish patterns) knows syllables, not
compounds, so it breaks "vårdför-loppet" and "implemen-teras" wherever the line ends.
Here each long word of running text gets soft hyphens (U+00AD) where it may break,
and the stylesheet uses ``hyphens: manual`` so WeasyPrint breaks only there:

- a compound breaks only at its joints ("vård-förloppet", "sjukvårds-regionen"); the
  joints come from word frequencies (wordfreq's Swedish list): a split into known
  words, a linking ``s`` allowed, is taken when the parts are together more common
  than the whole word (the frequency method of Koehn & Knight, 2003);
- any other long word breaks at pyphen's Swedish syllables;
- every fragment has at least four letters, and the caller leaves a paragraph's last
  word whole, so a paragraph never ends in a lone fragment.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

SOFT_HYPHEN = "\u00ad"
MIN_WORD = 8  # shorter words never break
MIN_PART = 4  # letters on either side of a break
LONG_PART = 13  # a compound's part this long may break at its syllables too
_KNOWN = 2.2  # Zipf frequency of a word that may begin a compound
_WHOLE = 1.5  # Zipf frequency of a word that may end one
_CAP = 4.0  # common short words count no more than this
_PART_COST = 0.25  # fewer, longer parts: "skattnings", not "s|katt|nings"
_WHOLE_BONUS = 0.3  # a known word stays whole unless splitting is clearly better
#: Endings that are words of their own too ("heter", "arna"): never a compound's last part.
_ENDINGS = frozenset(
    {
        "erna",
        "arna",
        "orna",
        "heter",
        "heten",
        "ning",
        "ningen",
        "ningar",
        "ningarna",
        "erat",
        "rade",
        "ande",
        "ende",
        "ella",
        "else",
        "elser",
        "ering",
        "eringen",
        "eringar",
        "isk",
        "iska",
        "iskt",
        "anden",
        "ares",
        "ens",
        "ets",
        "ade",
        "are",
        "ska",
        "nde",
        "het",
        "lig",
        "ing",
        "ars",
        "ers",
        "ors",
        "ten",
        "nas",
        "ter",
        "era",
        "eras",
        "erar",
        "erade",
    }
)
_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD},}}")
_SKIP = re.compile(r"[/@:]|www\.|\.\w")  # URLs, addresses, file names stay as written


@lru_cache(maxsize=1)
def _zipf() -> dict[str, float]:
    """Swedish words and their Zipf frequencies, from wordfreq's "large" list.

    The data file is read directly (its cBpack format is documented by wordfreq: a
    header, then buckets of words, bucket i at Zipf 9 − i/100): importing wordfreq
    itself brings in ftfy, langcodes and regex, a quarter of a second per build."""
    import gzip
    from importlib.util import find_spec

    import msgpack

    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordfreq package is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_sv.msgpack.gz"
    words: dict[str, float] = {}
    with gzip.open(path, "rb") as data:
        unpacker = msgpack.Unpacker(data, raw=False)
        count = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            raise RuntimeError(f"{path}: not a wordfreq cBpack file")
        # rarer words than a compound's last part may be are never unpacked
        for index in range(min(count - 1, int((9 - _WHOLE) * 100) + 1)):
            zipf = 9 - index / 100
            words.update(dict.fromkeys(unpacker.unpack(), zipf))
    return words


def _frequency(word: str) -> float:
    """Zipf frequency, capped: "för" or "upp" must not outweigh the word they begin."""
    return min(_zipf().get(word, 0.0), _CAP)


def _head(head: str) -> float:
    """How well ``head`` stands for a word at the start of a compound: as it is, or with
    a linking form undone ("sjukvårds" → "sjukvård", "vårdgivar" → "vårdgivare",
    "hälso" → "hälsa")."""
    if head in _ENDINGS or head[:-1] in _ENDINGS:
        return 0.0
    score = _frequency(head)
    if score < _KNOWN and len(head) > MIN_PART:
        if head.endswith("s"):
            score = max(score, _frequency(head[:-1]))
        if head.endswith(("o", "u")):
            score = max(score, _frequency(head[:-1] + "a"))
        score = max(score, _frequency(head + "e"))
    return score


@lru_cache(maxsize=65536)
def _parts(word: str, first: bool = True) -> tuple[float, tuple[str, ...]] | None:
    """The best split of a lower-case word into known words, with their mean frequency.

    A part has four letters or more, except the first and the last may have three
    ("vid|behovs|ordination", "process|mål"): a joint next to them is no break point,
    but knowing them keeps syllable breaks out of the compound."""
    options: list[tuple[float, tuple[str, ...]]] = []
    whole = _frequency(word)
    if whole >= _WHOLE and word not in _ENDINGS:
        options.append((whole + _WHOLE_BONUS, (word,)))
    if len(word) == 3 and not first:
        return options[0] if options and whole >= _KNOWN else None
    shortest = 3 if first else MIN_PART
    for cut in range(shortest, len(word) - 2):
        score = _head(word[:cut])
        if score < _KNOWN:
            continue
        tail = _parts(word[cut:], False)
        if tail is None:
            continue
        count = len(tail[1]) + 1
        mean = (score + (tail[0] + _PART_COST) * (count - 1)) / count  # undo the tail's cost
        options.append((mean - _PART_COST * (count - 1), (word[:cut], *tail[1])))
    return max(options) if options else None


def compound_parts(word: str) -> tuple[str, ...]:
    """``word`` split at its compound joints, as written ("Vård", "förloppet")."""
    found = _parts(word.lower())
    if found is None or len(found[1]) == 1:
        return (word,)
    parts, start = [], 0
    for part in found[1]:
        parts.append(word[start : start + len(part)])
        start += len(part)
    return tuple(parts)


@lru_cache(maxsize=1)
def _syllables() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="sv", left=MIN_PART, right=MIN_PART)


def break_points(word: str) -> tuple[int, ...]:
    """Offsets in ``word`` where a line may end with a hyphen, joints preferred."""
    if len(word) < MIN_WORD or (word[1:] != word[1:].lower()):
        return ()  # short, an acronym or a name like "RmrGen": as written
    parts = compound_parts(word)
    points: set[int] = set()
    start = 0
    for part in parts:
        if len(parts) == 1 or len(part) >= LONG_PART:
            points.update(start + p for p in _syllables().positions(part))
        start += len(part)
        points.add(start)
    return tuple(p for p in sorted(points) if MIN_PART <= p <= len(word) - MIN_PART)


def _mark(word: str) -> str:
    points = break_points(word)
    pieces = [word[a:b] for a, b in zip((0, *points), (*points, len(word)), strict=True)]
    return SOFT_HYPHEN.join(pieces)


def soft_hyphenate(text: str, *, keep_last: bool = False) -> str:
    """``text`` with soft hyphens where its long words may break; with ``keep_last``
    its last word stays whole (the end of a paragraph)."""
    chunks = re.split(r"(\s+)", text)
    last = max((i for i, c in enumerate(chunks) if c.strip()), default=-1) if keep_last else -1
    for i, chunk in enumerate(chunks):
        if i != last and chunk.strip() and not _SKIP.search(chunk):
            chunks[i] = _WORD.sub(lambda m: _mark(m.group(0)), chunk)
    return "".join(chunks)


#: A hard hyphen that ends a word ("hälso- och", "GAP-analys"): no line ends there, so a
#: hyphen at a line end is always one that hyphenation added, and text extraction that
#: joins such lines (poppler's) never joins two words.
# A space that ends the text run goes inside the span: WeasyPrint draws no space glyph
# for a space alone between two spans, and extraction would join the words.
# A year range (``2022–2023``, ``2025–28``) is kept on one line the same way: no line
# ends in "2022–". Neighbouring words of either kind share one span, so that no space
# stands alone between two spans.
_BOUND = r"\S*\w-(?:\w\S*| \S+)|\S*\d{4}–\d{2,4}(?!\d)\S*"
_BOUND_RUN = re.compile(rf"(?:{_BOUND})(?:\s+(?:{_BOUND}))*(?:\s+\Z)?")
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
_PROSE = frozenset({"p", "li"})
_KEEP = frozenset(
    {"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}
)
_BLOCKS = frozenset({"p", "li", "ul", "ol", "blockquote", "div", "section", "table", "figure"})


#: Results seeded by :func:`remember` (from the build cache) or already worked out.
_known: dict[str, str] = {}


#: What soft hyphens must never be put into: a tag (its name, attributes) or an entity.
_MARKUP = re.compile(r"<[^>]*>|&[#A-Za-z0-9]*;?")


def remember(html: str, hyphenated: str) -> bool:
    """Take ``hyphenated`` as the result for ``html`` (stored by an earlier build), so
    a build whose texts did not change loads no word frequencies.

    A cache entry is untrusted: it is taken only when it is ``html`` with nothing but
    soft hyphens added between characters of its text (the same tags, attributes and
    entities, the same words); anything else is a miss (False) and is computed again.
    """
    if hyphenated.replace(SOFT_HYPHEN, "") != html.replace(SOFT_HYPHEN, ""):
        return False
    if _MARKUP.findall(hyphenated) != _MARKUP.findall(html):
        return False
    _known[html] = hyphenated
    return True


@lru_cache(maxsize=1)
def dictionaries() -> str:
    """The versions of the word data the result depends on, for a cache key."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("wordfreq", "pyphen"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=none")
    return " ".join(found)


def hyphenate_html(html: str) -> str:
    """Rendered Markdown with soft hyphens in its running text (paragraphs and list
    items; not headings, table cells, links or code), each paragraph's last word whole,
    and hard hyphens and year ranges bound to their words."""
    known = _known.get(html)
    if known is None:
        known = _known[html] = _hyphenate_html(html)
    return known


def _hyphenate_html(html: str) -> str:
    parts = _TAG.split(html)  # text, tag, text, tag, ...
    prose = keep = 0
    spans: list[bool] = []  # open <span>s: True for one whose words stay as written
    eligible: list[int] = []
    last: set[int] = set()
    latest: int | None = None
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if part.strip() and prose and not keep and not any(spans):
                eligible.append(i)
            if part.strip():
                latest = i
            continue
        match = _TAG_NAME.match(part)
        if match is None:
            continue
        name, closing = match.group(1).lower(), part.startswith("</")
        if name in _BLOCKS:
            if closing and latest is not None:
                last.add(latest)  # the last words of a paragraph or list item
            latest = None
        if name in _PROSE:
            prose += -1 if closing else 1
        elif name in _KEEP:
            keep += -1 if closing else 1
        elif name == "span":
            if closing:
                if spans:
                    spans.pop()
            else:
                spans.append("nobr" in part or "last-word" in part)
    for i in eligible:
        text = soft_hyphenate(parts[i], keep_last=i in last)
        parts[i] = _BOUND_RUN.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', text)
    return "".join(parts)
