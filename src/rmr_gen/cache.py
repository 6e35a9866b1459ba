"""A content-addressed cache for work that only depends on its inputs.

Parsing a data file and drawing a chart are pure functions of their inputs;
keyed by a hash of those inputs, their results are reused across builds (even
with ``--force``), so an edit to a text does not pay for pandas or matplotlib.
Lives in ``output/.cache/``; deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from pathlib import Path

import rmr_gen
from rmr_gen import __version__
from rmr_gen.files import atomic_write


def key(*parts: bytes | str) -> str:
    """A hash of ``parts``, the rmr-gen version and the code that does the work."""
    sha = hashlib.sha256(__version__.encode() + code_digest())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big") + data)
    return sha.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The package's own source, every module in every subpackage: a changed chart or
    parser invalidates its results."""
    package = Path(rmr_gen.__file__).parent
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        sha.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.digest()


class Cache:
    """Reads at once; writes only on :meth:`flush`, after a build has succeeded,
    so that ``check`` and failed builds leave no file behind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: dict[Path, bytes] = {}

    def _path(self, kind: str, digest: str) -> Path:
        return self.folder / kind / digest[:2] / digest

    def get(self, kind: str, digest: str) -> bytes | None:
        try:
            return self._path(kind, digest).read_bytes()
        except OSError:
            return None

    def put(self, kind: str, digest: str, content: bytes) -> None:
        self._pending[self._path(kind, digest)] = content

    def flush(self) -> None:
        for path, content in self._pending.items():
            with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
                atomic_write(path, content)
        self._pending.clear()
