"""A content-addressed cache for work that only depends on its inputs.

Parsing a data file and drawing a chart are pure functions of their inputs;
keyed by a hash of those inputs, their results are reused across builds (even
with ``--force``), so an edit to a text does not pay for pandas or matplotlib.
Lives in ``output/.cache/``; deleting it is always safe.

An entry is untrusted input: it is used only when the digest of its bytes, stored
apart from it (``output/.cache/.sums/``), matches, so a rewritten entry (other
numbers in parsed data, another drawing) is a miss and the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from pathlib import Path

import rmr_gen
from rmr_gen import __version__
from rmr_gen.core.confine import Refused, no_links_below, read_bytes
from rmr_gen.core.errors import InputError
from rmr_gen.core.files import atomic_write

#: A cache entry larger than this is not read (it was not written by rmr-gen).
MAX_ENTRY = 2_000_000_000
#: The folder of ``output/.cache/`` that holds each entry's digest, apart from it.
SUMS = ".sums"


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

    def __init__(self, folder: Path, trusted: bool = True) -> None:
        self.folder = folder
        self.trusted = trusted
        self._pending: dict[Path, bytes] = {}

    @classmethod
    def untrusted(cls, cache: Cache) -> Cache:
        """A cache that is never read (releases, verify): every result is computed."""
        return cls(cache.folder, trusted=False)

    def _path(self, kind: str, digest: str) -> Path:
        return self.folder / kind / digest[:2] / digest

    def _sum_path(self, path: Path) -> Path:
        """Where the digest of the entry at ``path`` is kept, apart from it."""
        return self.folder / SUMS / path.relative_to(self.folder)

    def _safe(self, path: Path) -> bool:
        """No symbolic link between output/ and ``path``: a planted ``output/.cache``
        link must neither feed results in nor send writes out."""
        try:
            no_links_below(self.folder.parent, path)
        except Refused:
            return False
        return True

    def get(self, kind: str, digest: str) -> bytes | None:
        """The entry, also one put but not yet flushed (a long-lived process, such as the
        preview, reuses its own results without writing them)."""
        path = self._path(kind, digest)
        if not self.trusted:
            return None
        if path in self._pending:
            return self._pending[path]
        sums = self._sum_path(path)
        if not (self._safe(path) and self._safe(sums)):
            return None
        roots = (self.folder.parent.resolve(),)
        try:
            content = read_bytes(path, roots, MAX_ENTRY)
            expected = read_bytes(sums, roots, 100)
        except (Refused, InputError, OSError):  # missing, a link, too large: a miss
            return None
        if hashlib.sha256(content).hexdigest().encode() != expected:
            return None  # rewritten, or written by another version: a miss
        return content

    def put(self, kind: str, digest: str, content: bytes) -> None:
        if self.trusted:
            self._pending[self._path(kind, digest)] = content

    def flush(self) -> None:
        for path, content in self._pending.items():
            sums = self._sum_path(path)
            if not (self._safe(path) and self._safe(sums)):
                continue
            # a cache that cannot be written (or is swapped for a link) only costs time
            with contextlib.suppress(OSError, InputError):
                atomic_write(path, content)
                atomic_write(sums, hashlib.sha256(content).hexdigest().encode())
        self._pending.clear()
