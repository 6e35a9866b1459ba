"""Write the generated reference pages of the user guide:

- docs/reference/configuration.md from rmr-gen's declarative schema;
- docs/reference/message-codes.md from the message catalogue (every coded message,
  its code, the English text and the Swedish one).

.venv/bin/python scripts/make_reference.py          # write the pages
.venv/bin/python scripts/make_reference.py --check  # exit 1 when a page is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from rmr_gen.inputs.schema import reference_markdown

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION = ROOT / "docs" / "reference" / "configuration.md"
MESSAGES = ROOT / "docs" / "reference" / "message-codes.md"
CATALOGUE = ROOT / "src" / "rmr_gen" / "locale" / "sv" / "LC_MESSAGES" / "rmr_gen.po"

MESSAGES_INTRO = """# Message codes (generated)

Every message about an input has a stable code: `rmr-gen check --format json`
gives it as `code`, with the place, the English text and the values, the same in
every language. The text a person reads is English, or Swedish when the locale is
Swedish (`LANG=sv_SE.UTF-8`) or `RMR_GEN_LANG=sv`
([Exit codes and messages](messages.md)). `{name}` is filled in where the
message is printed.

This page is written by `scripts/make_reference.py` from the catalogue
`src/rmr_gen/locale/sv/LC_MESSAGES/rmr_gen.po`; a test fails when it is stale.

| code | English | Swedish |
|------|---------|---------|
"""


def _cell(text: str) -> str:
    """Text as a code span in a table cell: pipes escaped, backticks fenced."""
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def messages_markdown() -> str:
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="sv")
    rows = [
        f"| `{m.context}` | {_cell(m.id)} | {_cell(m.string)} |"
        for m in sorted(catalogue, key=lambda m: (m.context or "", str(m.id)))
        if m.id and m.context and isinstance(m.id, str)
    ]
    return MESSAGES_INTRO + "\n".join(rows) + "\n"


def main() -> int:
    pages = {CONFIGURATION: reference_markdown(), MESSAGES: messages_markdown()}
    if "--check" in sys.argv[1:]:
        stale = [p for p, text in pages.items() if not p.is_file() or p.read_text("utf-8") != text]
        for page in stale:
            print(f"{page} is stale: run scripts/make_reference.py", file=sys.stderr)
        return 1 if stale else 0
    for page, text in pages.items():
        page.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
