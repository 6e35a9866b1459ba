"""Image names in a PDF that do not depend on where the project lies.

WeasyPrint names a raster image's XObject ``/i<md5 of its URL><interpolate>``,
and the URL is the image's absolute ``file:`` path. The same report built in
two folders (a release's staging folder, then its snapshot for ``verify``; two
clones) would then differ in those names, and in the bytes. Nothing a build
writes may depend on where it was written, so :func:`rename_images` names each
image after its content instead; :func:`renamed_bytes` applies the same names to
the bytes WeasyPrint wrote (what the document's XMP instance id is made from).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

#: WeasyPrint 70's name of an image XObject (images.py, pdf/stream.py ``add_image``).
_NAME = re.compile(rb"/i[0-9a-f]{32}[01](?![0-9A-Za-z])")


def _digest(image: Any) -> str:
    """A name from the image's own bytes (and its soft mask's), dimensions and filters."""
    digest = hashlib.sha256()
    for key in ("/Width", "/Height", "/BitsPerComponent", "/Filter", "/ColorSpace"):
        digest.update(repr(image.get(key)).encode() + b"\0")
    digest.update(image.read_raw_bytes())
    mask = image.get("/SMask")
    if mask is not None:
        digest.update(b"\0mask\0" + mask.read_raw_bytes())
    return digest.hexdigest()[:32]


def _holders(pdf: Any) -> list[Any]:
    """Pages, and the form XObjects and patterns they use: every object with /Resources
    whose content stream may draw an image by name."""
    found: list[Any] = []
    seen: set[tuple[int, int]] = set()
    pending = [page.obj for page in pdf.pages]
    while pending:
        holder = pending.pop(0)
        key = holder.objgen
        if key != (0, 0):
            if key in seen:
                continue
            seen.add(key)
        found.append(holder)
        resources = holder.get("/Resources")
        if resources is None:
            continue
        for kind in ("/XObject", "/Pattern"):
            for value in (resources.get(kind) or {}).values():
                if value.get("/Resources") is not None:
                    pending.append(value)
    return found


def _contents(holder: Any) -> list[Any]:
    """The content streams of a page, or the form XObject or pattern itself."""
    import pikepdf

    if not isinstance(holder, pikepdf.Stream):
        contents = holder.get("/Contents")
        if contents is None:
            return []
        return list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return [holder]


def rename_images(pdf: Any) -> dict[bytes, bytes]:
    """Rename WeasyPrint's image XObjects after their content, in every resource
    dictionary and content stream of ``pdf`` (a ``pikepdf.Pdf``); old name → new name."""
    renamed: dict[bytes, bytes] = {}
    names: set[bytes] = set()
    holders = _holders(pdf)
    for holder in holders:
        xobjects = (holder.get("/Resources") or {}).get("/XObject")
        if xobjects is None:
            continue
        for old in list(xobjects.keys()):
            if not _NAME.fullmatch(old.encode()) or old.encode() in names:
                continue  # not WeasyPrint's, or renamed already (a shared dictionary)
            image = xobjects[old]
            new = renamed.setdefault(old.encode(), f"/i{_digest(image)}{old[-1]}".encode())
            names.add(new)
            del xobjects[old]
            if new.decode() not in xobjects:  # the same image under two URLs: drawn as one
                xobjects[new.decode()] = image
    if not renamed:
        return renamed
    for holder in holders:
        for stream in _contents(holder):
            data = stream.read_bytes()
            changed = renamed_bytes(data, renamed)
            if changed != data:
                stream.write(changed)
    return renamed


def renamed_bytes(data: bytes, renamed: dict[bytes, bytes]) -> bytes:
    """``data`` with the names :func:`rename_images` renamed, renamed the same way."""
    if not renamed:
        return data
    return _NAME.sub(lambda m: renamed.get(m.group(0), m.group(0)), data)
