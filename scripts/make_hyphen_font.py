"""Make RmrGenBindestreck-*.ttf (in src/rmr_gen/templates/fonts/): Carlito's hyphen glyph
for U+2010 and U+2011.

Carlito has no glyph for U+2010 HYPHEN, the character WeasyPrint puts at the
end of a hyphenated line, so without this a machine font would be used for it.
The result is a derivative of Carlito under the SIL Open Font License 1.1,
renamed as the licence requires ("Carlito" is a Reserved Font Name).

Run: .venv/bin/python scripts/make_hyphen_font.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[1] / "src" / "rmr_gen" / "templates" / "fonts"
FAMILY = "RmrGen Bindestreck"
CODEPOINTS = (0x2010, 0x2011)


def make(style: str) -> Path:
    font = TTFont(FONTS / f"Carlito-{style}.ttf", recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord("-")])
    subsetter.subset(font)
    glyph = font.getBestCmap()[ord("-")]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap = {cp: glyph for cp in CODEPOINTS}
    names = {
        1: FAMILY,
        2: style,
        3: f"{FAMILY} {style}; derived from Carlito 1.103",
        4: f"{FAMILY} {style}",
        6: f"RmrGenBindestreck-{style}",
        16: FAMILY,
        17: style,
    }
    name_table = font["name"]
    name_table.names = [n for n in name_table.names if n.nameID not in names]
    for name_id, text in names.items():
        name_table.setName(text, name_id, 3, 1, 0x409)
    target = FONTS / f"RmrGenBindestreck-{style}.ttf"
    font.save(target)
    return target


if __name__ == "__main__":
    for style in ("Regular", "Bold"):
        print(make(style))
