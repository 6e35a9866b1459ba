"""The bundled fonts for the web edition: subset to the characters Swedish text
uses and compressed as WOFF2, so a page loads about 0.1 MB of fonts, not 3 MB.

The subset is a fixed set of Unicode ranges (not the characters of one page),
so every page of a build shares the same files and a browser loads them once.
It is made once per font file and kept in the build cache.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.cache import Cache
from rmr_gen.core.cache import key as cache_key

#: Basic Latin, Latin-1, Latin Extended-A, general punctuation (dashes, quotes,
#: U+2010 hyphen, U+202F narrow no-break space), arrows, ≤ ≥ − and the like.
UNICODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2000, 0x206F),
    (0x20AC, 0x20AC),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
)
FONT_WEIGHTS = {"Regular": (400, "normal"), "Bold": (700, "normal")}
FONT_WEIGHTS |= {"Italic": (400, "italic"), "BoldItalic": (700, "italic")}


@dataclass(frozen=True)
class WebFont:
    """One font face: the CSS family, weight and style, its file name and bytes."""

    family: str
    weight: int
    style: str
    name: str  # e.g. "Carlito-Bold.woff2"
    data: bytes


def _family_and_face(path: Path) -> tuple[str, int, str]:
    """``Carlito-BoldItalic.ttf`` → ("Carlito", 700, "italic"); the family name is
    read from the font itself, so the CSS matches what the print stylesheet names."""
    from fontTools.ttLib import TTFont

    family = TTFont(str(path), lazy=True)["name"].getBestFamilyName() or path.stem
    face = path.stem.rpartition("-")[2]
    weight, style = FONT_WEIGHTS.get(face, (400, "normal"))
    return str(family), weight, style


def _subset(path: Path) -> bytes:
    import logging

    from fontTools import subset

    # fontTools warns about the fonts' 1904-based dates; nothing for an editor to act on
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keep kerning, ligatures, tabular figures
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screens hint for themselves; a third of the size
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in UNICODE_RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def web_fonts(font_files: list[Path], cache: Cache) -> list[WebFont]:
    """Each bundled .ttf as a subset WOFF2, from the cache when it was made before."""
    fonts = []
    for path in font_files:
        family, weight, style = _family_and_face(path)
        digest = cache_key("webfont", path.name, path.read_bytes())
        data = cache.get("webfont", digest)
        if data is None:
            data = _subset(path)
            cache.put("webfont", digest, data)
        fonts.append(WebFont(family, weight, style, path.stem + ".woff2", data))
    return fonts


def font_face_css(fonts: list[WebFont], folder: str | None = "fonts") -> str:
    """``@font-face`` rules for ``fonts`` stored in ``folder`` beside the page, or
    embedded as ``data:`` URLs when ``folder`` is None."""

    def source(font: WebFont) -> str:
        if folder is None:
            return "data:font/woff2;base64," + base64.b64encode(font.data).decode("ascii")
        return f"{folder}/{font.name}"

    return "\n".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{source(f)}") format("woff2");'
        f" font-weight: {f.weight}; font-style: {f.style}; font-display: swap; }}"
        for f in fonts
    )
