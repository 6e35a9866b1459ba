"""Writing output so that readers only ever see a whole old or a whole new file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it into place.

    ``os.replace`` is atomic on POSIX: a crash or a failed build leaves the
    previous file as it was, never a half-written one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def digest_files(paths: Iterable[Path], root: Path, salt: str = "") -> str:
    """A sha256 over the names and contents of ``paths`` (order-independent)."""
    sha = hashlib.sha256(salt.encode())
    for path in sorted(set(paths)):
        try:
            name = str(path.relative_to(root))
        except ValueError:
            name = str(path)
        sha.update(name.encode() + b"\0")
        sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


def files_below(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
