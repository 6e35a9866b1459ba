"""Write docs/reference/configuration.md from rmr-gen's declarative schema.

.venv/bin/python scripts/make_reference.py          # write the page
.venv/bin/python scripts/make_reference.py --check  # exit 1 when the page is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from rmr_gen.inputs.schema import reference_markdown

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "configuration.md"


def main() -> int:
    text = reference_markdown()
    if "--check" in sys.argv[1:]:
        current = PAGE.read_text("utf-8") if PAGE.is_file() else ""
        if current != text:
            print(f"{PAGE} is stale: run scripts/make_reference.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
