"""Reading input files only from inside their folder, only regular files, bounded.

The symlink policy: a folder a document may read from (``reports/<id>/``,
``templates/``, ``data/``, a release's ``source/``) must be reached from the
project folder without passing a symbolic link; inside it, a link is followed
only when its target, fully resolved, stays inside that same folder. What is
read must be a regular file (never a device, FIFO or socket: those are refused
before a byte is read) and not larger than the limit that applies to it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from rmr_gen.core.i18n import M

CHUNK = 1 << 20


class Refused(Exception):
    """A path that may not be read; the message (an :class:`M`) says why, without the
    content. Compare ``exc.message.code``, never its text: it may be Swedish."""

    def __init__(self, message: M | str) -> None:
        super().__init__(message)

    @property
    def message(self) -> M | str:
        return self.args[0]  # type: ignore[no-any-return]

    @property
    def code(self) -> str:
        """The message's code (``text`` for a message that is plain text)."""
        return self.message.code if isinstance(self.message, M) else "text"


#: The default name of a size limit in :func:`read_bytes`'s message.
THE_LIMIT = M("limit.the-limit", "the limit")
NOT_REGULAR = M(
    "path.not-regular", "is not a regular file (a device, FIFO or socket is never read)"
)


def real_root(root: Path, base: Path | None = None) -> Path:
    """``root`` itself, after checking that no part of it below ``base`` is a link.

    A symlinked ``data/`` (or report folder) would move the boundary: everything
    its target holds would count as inside.
    """
    root = Path(os.path.abspath(root))
    base = Path(os.path.abspath(base)) if base is not None else None
    parts = root.relative_to(base).parts if base and root.is_relative_to(base) else ()
    current = base if parts else None
    for part in parts:
        assert current is not None
        current = current / part
        if current.is_symlink():
            raise Refused(
                M(
                    "path.read-folder-is-link",
                    "'{name}' is a symbolic link; a folder that is read must not be",
                    name=current.name,
                )
            )
    if current is None or base is None:  # not below base: rmr-gen's defaults, as installed
        return root.resolve()
    return base.resolve().joinpath(*parts)


def inside(path: Path, roots: Iterable[Path]) -> Path:
    """``path`` fully resolved, if it lies inside one of ``roots`` (already real)."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except ValueError:
        raise Refused(M("path.nul-byte", "the name contains a NUL byte")) from None
    except OSError as exc:
        raise Refused(_why(exc)) from None
    if not any(real.is_relative_to(root) for root in roots):
        if not real.is_file() and not real.is_dir():
            raise Refused(NOT_REGULAR)
        raise Refused(
            M("path.outside", "is outside the folder it must be in (or a link that leads outside)")
        )
    return real


def _why(exc: OSError) -> M:
    if exc.errno == errno.ENAMETOOLONG:
        return M("path.name-too-long", "the name is too long")
    if exc.errno == errno.ELOOP:
        return M("path.link-loop", "is a symbolic link loop")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return M("path.not-found", "not found")
    return M("path.unreadable", "cannot be read: {reason}", reason=str(exc.strerror or exc))


def _open_regular(real: Path) -> tuple[int, int]:
    """An open descriptor of a regular file and its size; never blocks on a FIFO."""
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise Refused(_why(exc)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise Refused(NOT_REGULAR)
    return fd, info.st_size


def _too_large(size: int, limit: int, what: str | M) -> Refused:
    megabytes, most = format(size / 1e6, ".1f"), format(limit / 1e6, "g")
    return Refused(
        M(
            "limit.file-size",
            "is {size} MB, more than {what} = {limit} MB",
            size=megabytes,
            what=what,
            limit=most,
        )
    )


def read_bytes(
    path: Path, roots: Iterable[Path], max_bytes: int | None = None, what: str | M = THE_LIMIT
) -> bytes:
    """The content of ``path`` if it is a regular file inside ``roots`` and small enough."""
    fd, size = _open_regular(inside(path, roots))
    try:
        if max_bytes is not None and size > max_bytes:
            raise _too_large(size, max_bytes, what)
        chunks, total = [], 0
        while chunk := os.read(fd, CHUNK):
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:  # grew while being read
                raise _too_large(total, max_bytes, what)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def head(path: Path, roots: Iterable[Path], size: int) -> bytes:
    """At most the first ``size`` bytes of ``path``, a regular file inside ``roots``."""
    fd, _ = _open_regular(inside(path, roots))
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def regular_file(path: Path, roots: Iterable[Path]) -> Path:
    """``path`` resolved, if it is a regular file inside ``roots``; else :class:`Refused`."""
    real = inside(path, roots)
    fd, _ = _open_regular(real)
    os.close(fd)
    return real


def sha256(path: Path, max_bytes: int | None = None, what: str | M = THE_LIMIT) -> bytes:
    """The sha256 of a regular file, read in chunks; refused when over ``max_bytes``."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except (OSError, ValueError) as exc:
        if isinstance(exc, OSError):
            raise Refused(_why(exc)) from None
        raise Refused(M("path.nul-byte-in-name", "NUL byte in name")) from None
    fd, size = _open_regular(real)
    try:
        if max_bytes is not None and size > max_bytes:
            raise _too_large(size, max_bytes, what)
        digest = hashlib.sha256()
        total = 0
        while chunk := os.read(fd, CHUNK):
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                raise _too_large(total, max_bytes, what)
            digest.update(chunk)
        return digest.digest()
    finally:
        os.close(fd)


def no_links_below(base: Path, path: Path) -> None:
    """Refuse when a folder between ``base`` and ``path`` (or ``path``) is a symbolic link.

    Used before writing into ``output/``: a planted ``output/.cache`` link must not
    send writes elsewhere.
    """
    base = Path(os.path.abspath(base))
    path = Path(os.path.abspath(path))
    if not path.is_relative_to(base):
        raise Refused(
            M("path.outside-base", "'{path}' is outside '{base}'", path=str(path), base=str(base))
        )
    current = base
    if current.is_symlink():
        raise Refused(M("path.is-link", "'{name}' is a symbolic link", name=current.name))
    for part in path.relative_to(base).parts:
        current = current / part
        if current.is_symlink():
            name = str(current.relative_to(base.parent))
            raise Refused(M("path.is-link", "'{name}' is a symbolic link", name=name))
