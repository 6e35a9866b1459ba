"""The preview's loop is fast because it reuses work, never because it shows stale work:
an edit reaches the page and the PDF; unchanged data is not read and its chart not
drawn again; nothing is written into the project."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from rmr_gen.core.project import Project
from rmr_gen.output import assemble
from tests.small_project import small_project

REPORT = "liten-processmal"


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)


@pytest.fixture
def previewer(tmp_path: Path):  # type: ignore[no-untyped-def]
    from rmr_gen.workflows.preview import Previewer

    viewer = Previewer(Project.open(small_project(tmp_path / "project")), REPORT)
    yield viewer
    viewer.close()


def test_an_edit_reaches_page_and_pdf_without_redrawing_unchanged_data(
    previewer, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    drawn = []
    draw = assemble.change_chart
    monkeypatch.setattr(assemble, "change_chart", lambda *a: drawn.append(1) or draw(*a))
    assert previewer.rebuild() == []
    first = previewer.pdf()
    assert "Ändrad mening ett." not in pdf_text(first)
    assert previewer.pdf() is first  # the same rendering: made once

    text = previewer.project.root / "reports" / REPORT / "text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nÄndrad mening ett.\n", encoding="utf-8")
    assert previewer.rebuild() == []
    assert "Ändrad mening ett." in previewer.page()
    assert "Ändrad mening ett." in pdf_text(previewer.pdf())  # the reused child is not stale
    assert len(drawn) == 1  # the data did not change: the chart was not drawn again

    data = previewer.project.root / "data" / "palliativ-norr.csv"
    row = "brytpunktssamtal;Norrbotten;2022–2023;cancer;"
    content = data.read_text(encoding="utf-8")
    assert f"{row}79\n" in content
    data.write_text(content.replace(f"{row}79\n", f"{row}64\n"), encoding="utf-8")
    assert previewer.rebuild() == []
    assert len(drawn) == 2  # new numbers: read and drawn again
    assert "64" in previewer.page() and "64" in pdf_text(previewer.pdf())
    assert not (previewer.project.root / "output").exists()  # the preview writes nothing


def test_a_changed_image_shows_in_the_next_pdf(previewer) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    folder = previewer.project.root / "reports" / REPORT
    text = folder / "text.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![En bild](bild.png)\n", encoding="utf-8")
    Image.new("RGB", (40, 20), "red").save(folder / "bild.png")
    assert previewer.rebuild() == []
    red = previewer.pdf()
    Image.new("RGB", (40, 20), "blue").save(folder / "bild.png")
    assert previewer.rebuild() == []
    blue = previewer.pdf()

    import pikepdf

    def colour(pdf: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            for page in document.pages:
                for image in page.get_images().values():
                    return bytes(pikepdf.PdfImage(image).as_pil_image().getpixel((0, 0)))
        raise AssertionError("no image in the PDF")

    assert colour(red) == bytes((255, 0, 0))
    assert colour(blue) == bytes((0, 0, 255))
