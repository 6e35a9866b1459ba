"""Writing output so that readers only ever see a whole old or a whole new file."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def shown(path: Path, root: Path) -> str:
    """``path`` as messages print it: relative to ``root`` when inside it, as named (not
    where a link leads), else where it resolves to, else as given."""
    if path.is_absolute() and path.is_relative_to(root):
        return str(path.relative_to(root))
    try:
        return str(path.resolve().relative_to(root))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files left by a build that was killed (its process is gone)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        match = _TEMP.match(path.name)
        if match and not _alive(int(match.group(1))):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def atomic_write(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place.

    ``os.replace`` is atomic on POSIX: a crash or a failed build leaves the
    previous file as it was, never a half-written one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


#: A file in a report or templates folder larger than this is refused, not hashed.
MAX_FILE_BYTES = 1_000_000_000


def file_digest(path: Path, max_bytes: int = MAX_FILE_BYTES, shown: str | None = None) -> bytes:
    """The sha256 of one file, read in chunks; a file over ``max_bytes`` is refused."""
    from rmr_gen.core.confine import Refused, sha256
    from rmr_gen.core.errors import InputError, Location, Problem

    try:
        return sha256(path, max_bytes, "the size limit of an input file")
    except Refused as exc:
        raise InputError([Problem(Location(shown or str(path)), str(exc))]) from None


def digest_files(
    paths: Iterable[Path],
    root: Path,
    salt: str = "",
    roots: Iterable[Path] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> str:
    """A sha256 over the names and contents of ``paths`` (order-independent).

    With ``roots``, every file must resolve inside one of them (a link that
    leads out of its folder is refused, not read)."""
    from rmr_gen.core.confine import Refused, inside, real_root
    from rmr_gen.core.errors import InputError, Location, Problem

    real = None
    if roots is not None:
        try:
            real = tuple(real_root(r, root) for r in roots)
        except Refused as exc:
            raise InputError([Problem(Location(str(root)), str(exc))]) from None
    sha = hashlib.sha256(salt.encode())
    for path in sorted(set(paths)):
        try:
            name = str(path.relative_to(root))
        except ValueError:
            name = str(path)
        if real is not None:
            try:
                inside(path, real)
            except Refused as exc:
                raise InputError([Problem(Location(name), str(exc))]) from None
        sha.update(name.encode() + b"\0")
        sha.update(file_digest(path, max_bytes, name))
    return sha.hexdigest()


def files_below(folder: Path) -> list[Path]:
    """Files in ``folder`` and its subfolders, and links to anything but a folder
    (so that a link to a device or outside is seen, and refused, by the reader)."""
    if not folder.is_dir():
        return []
    return [
        p
        for p in folder.rglob("*")
        if ((p.is_symlink() and not p.is_dir()) or p.is_file()) and "__pycache__" not in p.parts
    ]


def refuse_links(paths: Iterable[Path], root: Path, what: str) -> None:
    """Writing through a symbolic link could land anywhere: refuse, naming the link."""
    from rmr_gen.core.errors import Problems

    problems = Problems()
    for path in paths:
        if path.is_symlink():  # shown as named, not where the link leads
            problems.error(shown(path, root), f"is a symbolic link; {what} refuse links")
    problems.raise_if_any()


def chmod_tree(folder: Path, dir_mode: int, file_mode: int) -> None:
    """Set the modes of ``folder`` and everything in it, never through a symbolic link.

    Each entry is opened relative to its folder's descriptor with ``O_NOFOLLOW``
    and changed with ``fchmod``: a link planted in the tree (or swapped in while
    this runs) is skipped, so nothing outside it changes mode.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        top = os.open(folder, flags | os.O_DIRECTORY)
    except OSError:
        return  # a link, or gone
    try:
        os.fchmod(top, dir_mode)
        _chmod_below(top, dir_mode, file_mode, flags)
    finally:
        os.close(top)


def _chmod_below(directory: int, dir_mode: int, file_mode: int, flags: int) -> None:
    import stat

    for name in os.listdir(directory):
        try:
            fd = os.open(name, flags, dir_fd=directory)
        except OSError:  # a symbolic link (ELOOP), or unreadable: left alone
            continue
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                os.fchmod(fd, dir_mode if dir_mode & 0o200 else dir_mode | 0o700)
                _chmod_below(fd, dir_mode, file_mode, flags)
                os.fchmod(fd, dir_mode)
            elif stat.S_ISREG(info.st_mode):
                os.fchmod(fd, file_mode)
        finally:
            os.close(fd)
