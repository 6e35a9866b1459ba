"""Golden page images: every page of every example PDF, small, next to the code
(and, by the same means, screenshots of the example web pages: test_golden_web.py).

Each page is rendered at 40 dpi in 16 grey levels (a few kB a page) and compared
with ``tests/golden/<report>/<pdf>-<page>.png`` within a tolerance, so a layout
change shows up in review as changed images. After an intended change::

    .venv/bin/python -m pytest tests/test_golden_pages.py --update-golden

rewrites the references (and removes those of pages that no longer exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
DPI = 40
LEVELS = 16
# A page matches when its mean difference is at most 1 grey level of 255 and at most
# 4 of its pixels (of about 155 000) differ by more than 96 levels: anti-aliasing
# noise passes, a word that moved to another line (some 8 pixels at 40 dpi) does not.
MAX_MEAN = 1.0
MAX_CHANGED = 4
STRONG = 96


@dataclass(frozen=True)
class Difference:
    page: str
    mean: float
    changed: int  # pixels that differ by more than STRONG levels

    @property
    def ok(self) -> bool:
        return self.mean <= MAX_MEAN and 0 <= self.changed <= MAX_CHANGED


def render(pdf: Path) -> list[object]:
    """The PDF's pages as 16-level greyscale images (PIL), DPI dots per inch."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=DPI / 72, grayscale=True)
            pages.append(quantise(bitmap.to_pil()))
        return pages
    finally:
        document.close()


def quantise(image: object) -> object:
    """An image (PIL) in LEVELS grey levels, as the references are kept."""
    grey = image.convert("L")  # type: ignore[attr-defined]
    return grey.point(lambda v: round(v * (LEVELS - 1) / 255) * 255 // (LEVELS - 1))


def reference_paths(report: str, name: str) -> list[Path]:
    return sorted(
        (GOLDEN / report).glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )


def save(image: object, path: Path) -> None:
    """A 4-bit palette PNG: the smallest file that keeps the 16 levels."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    palette = []
    for level in range(LEVELS):
        value = level * 255 // (LEVELS - 1)
        palette += [value] * 3
    indexed = image.point(lambda v: round(v * (LEVELS - 1) / 255)).convert("P")  # type: ignore[attr-defined]
    indexed.putpalette(palette + [0] * (768 - len(palette)))
    indexed.save(path, optimize=True, bits=4)
    assert isinstance(indexed, Image.Image)


def update(report: str, pdf: Path) -> None:
    for old in reference_paths(report, pdf.stem):
        old.unlink()
    for number, page in enumerate(render(pdf), start=1):
        save(page, GOLDEN / report / f"{pdf.stem}-{number}.png")


def compare(report: str, pdf: Path) -> list[Difference]:
    """One Difference per page; a missing page or another page size is ``changed = -1``."""
    pages = render(pdf)
    references = reference_paths(report, pdf.stem)
    result = []
    for number in range(1, max(len(pages), len(references)) + 1):
        label = f"{pdf.stem} p{number}"
        if number > len(pages) or number > len(references):
            result.append(Difference(label, 255.0, -1))
            continue
        result.append(difference(label, pages[number - 1], references[number - 1]))
    return result


def difference(label: str, image: object, reference: Path) -> Difference:
    """How far a quantised image is from its reference; another size is ``changed = -1``."""
    import numpy as np
    from PIL import Image

    if not reference.is_file():
        return Difference(label, 255.0, -1)
    new = np.asarray(image, dtype=np.int16)
    old = np.asarray(Image.open(reference).convert("L"), dtype=np.int16)
    if new.shape != old.shape:
        return Difference(label, 255.0, -1)
    delta = np.abs(new - old)
    return Difference(label, float(delta.mean()), int((delta > STRONG).sum()))


def empty_below(image: object, top_mm: float = 32, bottom_mm: float = 34) -> float:
    """The share of the page's text area (between header and footer) left blank
    under its last line: 0.0 for a full page, 1.0 for an empty one."""
    import numpy as np

    pixels = np.asarray(image)
    per_mm = pixels.shape[0] / 297
    top, bottom = int(top_mm * per_mm), int((297 - bottom_mm) * per_mm)
    inked = np.nonzero((pixels[top:bottom] < 200).any(axis=1))[0]
    last = top + (int(inked.max()) if len(inked) else 0)
    return (bottom - last) / (bottom - top)
