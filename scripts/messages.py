"""Keep the message catalogues in step with the code (Babel).

    .venv/bin/python scripts/messages.py           # extract, update sv, compile
    .venv/bin/python scripts/messages.py --check   # exit 1 when anything is stale
    .venv/bin/python scripts/messages.py --merge OTHER.po   # take OTHER's translations too

Extracts every ``tr("…")``, ``ntr("…", "…", n)``, ``N_("…")`` and
``M("code", "…")`` from ``src/rmr_gen`` into ``locale/rmr_gen.pot`` (sorted, no
dates or line numbers, so the file changes only when a message does), updates
``locale/sv/LC_MESSAGES/rmr_gen.po`` from it (a new message gets an empty
translation, never a guessed one) and compiles the ``.mo`` the package reads.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rmr_gen"
LOCALE = PACKAGE / "locale"
POT = LOCALE / "rmr_gen.pot"
PO = LOCALE / "sv" / "LC_MESSAGES" / "rmr_gen.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "tr": None,
    "ntr": (1, 2),
    "N_": None,
    "M": ((1, "c"), 2),
}
METHOD_MAP = [("**.py", "python"), ("templates/**.j2", "ignore")]
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
HEADER = "# Messages of rmr-gen. Made by scripts/messages.py; translate in the .po files."


def extracted() -> Catalog:
    """Every message in the code, as a catalogue without dates or places."""
    catalog = Catalog(project="rmr-gen", header_comment=HEADER, fuzzy=False)
    found = extract_from_dir(str(PACKAGE), METHOD_MAP, keywords=KEYWORDS, comment_tags=("i18n:",))
    for _filename, _lineno, message, comments, context in found:
        catalog.add(message, context=context, auto_comments=comments)
    return catalog


def render_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, sort_output=True, omit_header=False, no_location=True, width=88)
    return _without_dates(out.getvalue())


def _without_dates(po: bytes) -> bytes:
    """Drop the header's dates and Babel's version: they change with every run and Babel."""
    lines = po.split(b"\n")
    return b"\n".join(
        line
        for line in lines
        if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date', b'"Generated-By'))
    )


def updated(template: Catalog, current: Catalog | None, extra: Catalog | None = None) -> Catalog:
    """The Swedish catalogue for ``template``: the translations kept, none guessed."""
    catalog = Catalog(locale="sv", project="rmr-gen", header_comment=HEADER, fuzzy=False)
    catalog.language_team = "rmr-gen <sv>"
    for message in template:
        if not message.id:
            continue
        kept = None
        for source in (current, extra):
            if source is None:
                continue
            old = source.get(message.id, context=message.context)
            if old is not None and old.string and not old.fuzzy:
                kept = old.string
                break
        if kept is None:
            kept = ("", "") if isinstance(message.id, tuple) else ""
        catalog.add(
            message.id,
            kept,
            context=message.context,
            auto_comments=message.auto_comments,
        )
    return catalog


def compiled(catalog: Catalog) -> bytes:
    # the .mo's header would carry the time of this run: a fixed date keeps it the same
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(path: Path, locale: str | None = None) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether anything is stale")
    parser.add_argument("--merge", type=Path, help="a .po whose translations to take as well")
    args = parser.parse_args()

    template = extracted()
    pot = render_po(template)
    current = read(PO, "sv")
    extra = read(args.merge, "sv") if args.merge else None
    swedish = updated(template, current, extra)
    po = render_po(swedish)
    mo = compiled(read_po(io.BytesIO(po), locale="sv"))
    wanted = {POT: pot, PO: po, MO: mo}
    stale = [p for p, content in wanted.items() if not p.is_file() or p.read_bytes() != content]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run scripts/messages.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
