"""Limits checked *before* the expensive work, so that they bind.

A compressed workbook or a small PNG can decode to gigabytes; a CSV file is
parsed whole. These checks stream over the file (counting lines, summing a
workbook's declared sizes, reading an image's header) and refuse it before
pandas, openpyxl or the image decoder see it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

from rmr_gen.core.i18n import M

CHUNK = 1 << 20


class LimitExceeded(Exception):
    """An input over a limit; the message (an :class:`M`) names the limit."""

    def __init__(self, message: M) -> None:
        super().__init__(message)

    @property
    def message(self) -> M:
        return self.args[0]  # type: ignore[no-any-return]


def _over_pixels(max_pixels: int) -> LimitExceeded:
    return LimitExceeded(
        M(
            "limit.image-pixels",
            "more than limits.max_image_pixels = {max_pixels}",
            max_pixels=max_pixels,
        )
    )


def _unreadable_image() -> LimitExceeded:
    return LimitExceeded(M("image.unreadable", "not an image that can be read"))


def _over_rows(max_rows: int) -> LimitExceeded:
    return LimitExceeded(
        M("limit.rows", "more than limits.max_rows = {max_rows} rows", max_rows=max_rows)
    )


def check_image(path: Path, max_pixels: int) -> None:
    """Refuse a raster image with more than ``max_pixels`` pixels, from its header only."""
    if path.suffix.lower() == ".svg":
        return
    from PIL import Image

    try:
        with Image.open(path) as image:  # reads the header, decodes nothing
            _refuse_pixels(image, max_pixels)
    except Image.DecompressionBombError:
        raise _over_pixels(max_pixels) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise _unreadable_image() from None


def _refuse_pixels(image: Any, max_pixels: int) -> None:
    """Every frame counts: an animated GIF (or APNG, WebP, a TIFF's pages) is decoded
    frame by frame at its full size. Frames are counted by skipping over their data,
    never decoding it."""
    width, height = image.size
    frames = int(getattr(image, "n_frames", 1))
    if width * height * frames > max_pixels:
        size = (
            M(
                "image.size-frames",
                "{width} × {height} pixels × {frames} frames",
                width=width,
                height=height,
                frames=frames,
            )
            if frames > 1
            else M("image.size", "{width} × {height} pixels", width=width, height=height)
        )
        raise LimitExceeded(
            M(
                "limit.image-size",
                "{size}, more than limits.max_image_pixels = {max_pixels}",
                size=size,
                max_pixels=max_pixels,
            )
        )


def image_bytes_pixels(data: bytes, max_pixels: int) -> None:
    """:func:`check_image` for an image already in memory (from the URL fetcher)."""
    import io

    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise _over_pixels(max_pixels) from None
    except (OSError, ValueError, SyntaxError):
        return  # not a raster image (SVG, CSS, font): no pixels to count
    with image:
        try:
            _refuse_pixels(image, max_pixels)
        except (OSError, ValueError, SyntaxError, EOFError):
            raise _unreadable_image() from None


def check_csv_rows(path: Path, max_rows: int) -> None:
    """Count line ends while streaming; stop at the first one past the limit."""
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            if lines > max_rows + 1:  # the header line is not a row
                raise _over_rows(max_rows)


def check_xlsx(path: Path, max_bytes: int, max_rows: int) -> None:
    """Refuse a workbook that unpacks to more than ``max_bytes``, has a sheet with more
    than ``max_rows`` rows, or declares a DTD or entities (entity expansion).

    zipfile never inflates a member past its declared size, so the declared sizes
    bound what openpyxl will read; each XML part is then streamed through expat.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says it is not a workbook, with its own message
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > max_bytes:
            megabytes = format(total / 1e6, ".0f")
            raise LimitExceeded(
                M(
                    "limit.unpacked-size",
                    "unpacks to {size} MB, more than limits.max_data_mb = {limit}",
                    size=megabytes,
                    limit=max_bytes // 1_000_000,
                )
            )
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                _check_xml(archive, member, max_rows)


def _check_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int) -> None:
    is_sheet = member.filename.startswith("xl/worksheets/")
    rows = 0

    def refuse_dtd(*args: object) -> None:
        raise LimitExceeded(
            M(
                "limit.xml-entities",
                "{part}: a DTD or entity declaration is not allowed",
                part=member.filename,
            )
        )

    def start(name: str, attributes: object) -> None:
        nonlocal rows
        if is_sheet and (name == "row" or name.endswith(":row") or name.endswith(" row")):
            rows += 1
            if rows > max_rows:
                raise _over_rows(max_rows)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise LimitExceeded(
            M(
                "limit.xml-malformed",
                "{part}: not well-formed XML ({reason}, line {line}, column {column});"
                " save the workbook again in Excel",
                part=member.filename,
                reason=expat.errors.messages[exc.code],
                line=exc.lineno,
                column=exc.offset + 1,
            )
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        return
