"""What a diff compares besides texts and numbers: everything else that reaches the page.

* every value in ``report.toml`` (walked generically, so a new key is compared
  without anyone remembering to add it);
* the PDF's metadata (title, author, subject, keywords, identifier, version, date);
* the page header and footer, which repeat on every page;
* link targets, which print nowhere but decide where a click goes;
* images in the texts, by content.

A change already explained by a ``report.toml`` value (the title in the footer,
the version in the metadata) is not reported twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import html as htmlmod
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from rmr_gen.workflows.build import Prepared


@dataclass(frozen=True)
class FieldChange:
    """A value that changed: ``key`` is its path in report.toml (or ``page``, ``metadata.*``)."""

    key: str
    label: str  # what the reader calls it, e.g. "Dokument-ID", "Tabellrubrik"
    old: str  # "" when it was not set
    new: str  # "" when it is no longer set


@dataclass(frozen=True)
class LinkChange:
    text: str  # the link text as printed
    old: str  # the old target; "" for a new link
    new: str  # the new target; "" for a removed link


#: Names printed in the document for the top-level keys of report.toml.
LABELS = {
    "title": "Titel",
    "short_title": "Kort titel",
    "document_id": "Dokument-ID",
    "version": "Version",
    "date": "Fastställd",
    "approved_by": "Fastställd av",
    "content_owner": "Innehållsansvarig",
    "valid_until": "Giltig till",
    "subject": "Ämne (PDF-metadata)",
    "keywords": "Nyckelord (PDF-metadata)",
    "organisation": "Organisation",
    "kind": "Dokumenttyp",
    "target_year": "Målår",
    "example_data": "Exempeldata",
    "changes": "Förändringar sedan föregående version",
    "history": "Versionshistorik",
    "previous": "Föregående plan",
    "contents": "Innehåll (ordning)",
    "data.period": "Period",
    "data.previous_period": "Föregående period",
    "data.files": "Datafiler",
    "data.regions": "Regioner",
    "data.decimals": "Decimaler",
    "data.min_denominator": "Minsta antal fall för att visa ett värde",
}

#: report.toml keys that only record the document's own history: reported and
#: counted, but not drafted into "Förändringar sedan föregående version".
BOOKKEEPING = ("version", "changes", "history")

#: Keys whose changes the cell, row, target and section comparisons report in
#: detail; a change here is listed as a field only when those found nothing.
DETAILED = (
    re.compile(r"^tables\.[^.]+\.rows"),
    re.compile(r"^indicators"),
    re.compile(r"^contents$"),
    re.compile(r"^data\.regions$"),
)

_ELEMENT_KEYS = ("version", "indicator", "id", "label")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} = {_text(v)}" for k, v in value.items())
    return str(value)


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``{"a": {"b": 1}}`` → ``("a.b", "1")``; a list of tables is keyed by a name in it."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        seen: set[str] = set()
        for index, item in enumerate(value, start=1):
            name = next((_text(item[k]) for k in _ELEMENT_KEYS if k in item), str(index))
            if name in seen:
                name = f"{name}#{index}"
            seen.add(name)
            yield from _flatten(item, f"{prefix}[{name}]")
    else:
        yield prefix, _text(value)


def report_values(item: Prepared) -> dict[str, str]:
    """Every value of the report's ``report.toml``, by its key path."""
    with (item.report.folder / "report.toml").open("rb") as file:
        return dict(_flatten(tomllib.load(file)))


def _printed_name(key: str, old: dict[str, str], new: dict[str, str]) -> str:
    """``tables.psv-2022.caption`` → ``Tabellrubrik``; a top-level key by its printed name."""
    match = re.match(r"^(tables|charts)\.([^.\[]+)\.(caption|note)$", key)
    if match:
        what = {"tables": "Tabell", "charts": "Figur"}[match.group(1)]
        part = {"caption": "rubrik", "note": "not"}[match.group(3)]
        if part == "not":
            caption = new.get(f"{match.group(1)}.{match.group(2)}.caption") or old.get(
                f"{match.group(1)}.{match.group(2)}.caption", ""
            )
            return f"{what}{part} under ”{caption}”" if caption else f"{what}{part}"
        return f"{what}{part}"
    if key in LABELS:
        return LABELS[key]
    top = re.split(r"[.\[]", key)[0]
    return f"{LABELS[top]} ({key})" if top in LABELS else key


def field_changes(old: Prepared, new: Prepared, detailed_found: bool) -> list[FieldChange]:
    """Every report.toml value that differs, old and new as written."""
    before, after = report_values(old), report_values(new)
    changes = []
    for key in dict.fromkeys([*after, *before]):
        was, now = before.get(key, ""), after.get(key, "")
        if was == now:
            continue
        if detailed_found and any(p.match(key) for p in DETAILED):
            continue
        changes.append(FieldChange(key, _printed_name(key, before, after), was, now))
    return changes


# ---------------------------------------------------------------- metadata and page furniture

_TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    return " ".join(htmlmod.unescape(_TAG.sub(" ", fragment)).split())


def _explained(words: list[str], fields: list[FieldChange]) -> bool:
    """Whether every changed word is part of a report.toml value that changed."""
    known = {w for f in fields for w in f"{f.old} {f.new}".split()}
    return all(w in known for w in words)


def changed_words(old: str, new: str) -> tuple[list[str], list[str]]:
    """The words removed from ``old`` and added in ``new``, in order."""
    a, b = old.split(), new.split()
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def metadata_changes(old: Prepared, new: Prepared, fields: list[FieldChange]) -> list[FieldChange]:
    """PDF metadata that changed for a reason report.toml does not show (e.g. the author)."""
    if old.info is None or new.info is None:
        return []
    changes = []
    for spec in dataclasses.fields(old.info):
        was, now = _text(getattr(old.info, spec.name)), _text(getattr(new.info, spec.name))
        if was == now:
            continue
        removed, added = changed_words(was, now)
        if not _explained(removed + added, fields):
            changes.append(
                FieldChange(f"metadata.{spec.name}", f"PDF-metadata: {spec.name}", was, now)
            )
    return changes


#: The page header and the footer, printed on every page outside the body, by the
#: name the reader gives them.
FURNITURE = (
    ("page.header", "Sidhuvud", re.compile(r'<header class="page-header">(.*?)</header>', re.S)),
    ("page.footer", "Sidfot", re.compile(r'<footer class="page-footer">(.*?)</footer>', re.S)),
)


def furniture(html: str, pattern: re.Pattern[str]) -> str:
    """The part of the page furniture ``pattern`` finds, as HTML ("" when there is none)."""
    start, end = html.find("<body"), html.find("<main>")
    match = pattern.search(html, start if start >= 0 else 0, end if end >= 0 else len(html))
    return match.group(1) if match else ""


def _in_context(old: str, new: str, around: int = 2) -> tuple[str, str]:
    """The changed words with ``around`` words either side: ``Box 85 Umeå`` → ``Box 87 Umeå``."""
    a, b = old.split(), new.split()
    was: list[str] = []
    now: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            was.append(" ".join(a[max(i1 - around, 0) : i2 + around]))
            now.append(" ".join(b[max(j1 - around, 0) : j2 + around]))
    return " … ".join(was), " … ".join(now)


def furniture_changes(old: Prepared, new: Prepared, fields: list[FieldChange]) -> list[FieldChange]:
    """The page header and footer, each named, with the changed words in their context."""
    changes = []
    for key, label, pattern in FURNITURE:
        was = plain(furniture(old.html or "", pattern))
        now = plain(furniture(new.html or "", pattern))
        if was == now:
            continue
        removed, added = changed_words(was, now)
        if not _explained(removed + added, fields):
            changes.append(FieldChange(key, f"{label} (på varje sida)", *_in_context(was, now)))
    return changes


# ---------------------------------------------------------------- links and images

_LINK = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)


def links(html: str) -> list[tuple[str, str]]:
    """``(text, target)`` of every link, in reading order."""
    return [(plain(text), htmlmod.unescape(href)) for href, text in _LINK.findall(html)]


def link_changes(old: Prepared, new: Prepared) -> list[LinkChange]:
    before, after = links(old.html or ""), links(new.html or "")
    changes = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = before[i1:i2], after[j1:j2]
        came_by_text = {text: href for text, href in came}
        gone_by_text = {text: href for text, href in gone}
        for text, href in gone:
            if text in came_by_text:
                if came_by_text[text] != href:
                    changes.append(LinkChange(text, href, came_by_text[text]))
            else:
                changes.append(LinkChange(text, href, ""))
        for text, href in came:
            if text not in gone_by_text:
                changes.append(LinkChange(text, "", href))
    return changes


IMAGE_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"(file:[^\"]*)\"")


def image_key(src: str, folder: Path) -> str:
    """A text's image as ``name@sha256``: the same picture under both sides' paths is equal."""
    path = Path(unquote(urlsplit(htmlmod.unescape(src)).path))
    try:
        name = path.relative_to(folder.resolve()).as_posix()
    except ValueError:
        name = path.name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        digest = "?"
    return f"{name}@{digest}"


def normalise_images(html: str, folder: Path) -> str:
    """``src="file:…/bild.png"`` → ``src="bild.png@<hash>"``, for comparing two sides."""
    return IMAGE_SRC.sub(
        lambda m: m.group(0).replace(m.group(1), image_key(m.group(1), folder)), html
    )


def image_changes(old: Prepared, new: Prepared) -> list[str]:
    """``Bild x.png`` for each image in the texts that was added, removed or redrawn."""

    def images(item: Prepared) -> list[str]:
        return [image_key(src, item.report.folder) for src in IMAGE_SRC.findall(item.html or "")]

    before, after = images(old), images(new)
    changed = [k for k in after if k not in before] + [k for k in before if k not in after]
    return list(dict.fromkeys(f"Bild {k.rsplit('@', 1)[0]}" for k in changed))
