"""Writing output so that readers only ever see a whole old or a whole new file."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from rmr_gen.core.i18n import M

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
    """Delete temporary files left by a build that was killed (its process is gone),
    through the opened folder: a folder swapped for a link is left alone."""
    try:
        directory = open_folder(folder, create=False)
    except (OSError, WriteRefused):
        return
    try:
        for name in os.listdir(directory):
            match = _TEMP.match(name)
            if match and not _alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=directory)
    finally:
        os.close(directory)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteRefused(Exception):
    """A folder on the way to a file being written is a symbolic link (or became one)."""

    @property
    def message(self) -> M:
        return self.args[0]  # type: ignore[no-any-return]


#: Opening a folder on the way: never through a link, never blocking.
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _anchor(folder: Path) -> Path:
    """Where a write's folder walk starts: the project's ``output/`` when ``folder`` lies
    in it (the project folder is the user's, as named), else ``folder`` itself."""
    for ancestor in (folder, *folder.parents):
        if ancestor.name == "output" and (ancestor.parent / "reports").is_dir():
            return ancestor.parent
    return folder


def open_folder(folder: Path, create: bool = True) -> int:
    """A descriptor of ``folder``, each part below the project (``output/`` and every
    folder in it) opened relative to the one before with ``O_NOFOLLOW`` and made when
    missing: swapping any of them for a link makes this fail, never lead elsewhere."""
    folder = Path(os.path.abspath(folder))
    anchor = _anchor(folder)
    current = os.open(anchor, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in folder.relative_to(anchor).parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=current)
            try:
                below = os.open(part, _DIR_FLAGS, dir_fd=current)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise WriteRefused(
                        M(
                            "file.write-through-link",
                            "'{name}' is a symbolic link (or was made one while rmr-gen wrote"
                            " below it); nothing was written through it",
                            name=part,
                        )
                    ) from None
                raise
            os.close(current)
            current = below
    except BaseException:
        os.close(current)
        raise
    return current


def atomic_write(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place.

    ``os.replace`` is atomic on POSIX: a crash or a failed build leaves the
    previous file as it was, never a half-written one. Every folder on the way
    below the project is opened without following a link and the file is made
    and renamed relative to its folder's descriptor (:func:`open_folder`): a
    folder swapped for a link during a build raises :class:`~rmr_gen.core.errors.
    InputError` naming it, and nothing is written where the link leads.
    """
    from rmr_gen.core.errors import InputError, Location, Problem

    try:
        _write_in(path, content)
    except WriteRefused as exc:
        raise InputError([Problem(Location(str(path)), exc.message)]) from None


def _write_in(path: Path, content: bytes) -> None:
    directory = open_folder(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        temp = f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        fd = os.open(temp, flags, 0o644, dir_fd=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fchmod(handle.fileno(), 0o644)
                os.fsync(handle.fileno())
            os.replace(temp, path.name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=directory)
            raise
    finally:
        os.close(directory)


def remove(path: Path) -> None:
    """Delete ``path`` if it is there, through its opened folder (never a link's target)."""
    try:
        directory = open_folder(path.parent, create=False)
    except (OSError, WriteRefused):
        return
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path.name, dir_fd=directory)
    finally:
        os.close(directory)


#: A file in a report or templates folder larger than this is refused, not hashed.
MAX_FILE_BYTES = 1_000_000_000


def file_digest(path: Path, max_bytes: int = MAX_FILE_BYTES, shown: str | None = None) -> bytes:
    """The sha256 of one file, read in chunks; a file over ``max_bytes`` is refused."""
    from rmr_gen.core.confine import Refused, sha256
    from rmr_gen.core.errors import InputError, Location, Problem

    try:
        return sha256(path, max_bytes, M("limit.input-file", "the size limit of an input file"))
    except Refused as exc:
        raise InputError([Problem(Location(shown or str(path)), exc.message)]) from None


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
            raise InputError([Problem(Location(str(root)), exc.message)]) from None
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
                raise InputError([Problem(Location(name), exc.message)]) from None
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


#: Who refuses a link, in :func:`refuse_links`'s message.
BUILDS = M("file.builds", "builds")
RELEASES = M("file.releases", "releases")


def refuse_links(paths: Iterable[Path], root: Path, what: M) -> None:
    """Writing through a symbolic link could land anywhere: refuse, naming the link.
    ``what`` is :data:`BUILDS` or :data:`RELEASES`."""
    from rmr_gen.core.errors import Problems

    problems = Problems()
    for path in paths:
        if path.is_symlink():  # shown as named, not where the link leads
            message = M("file.link-refused", "is a symbolic link; {what} refuse links", what=what)
            problems.error(shown(path, root), message)
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
