"""Checks that keep untrusted texts, data and templates from reaching outside.

Used by the rendering layer: naming where a refused resource came from,
refusing attachments rmr-gen did not add, and bounding rendering time.
"""

from __future__ import annotations

import contextlib
import re
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path

_ATTACHMENT = re.compile(r"""<[^>]*\brel\s*=\s*["']?[^"'>]*\battachment\b""", re.IGNORECASE)


class TimeLimitExceeded(Exception):
    pass


def origin_of(url: str, files: Iterable[Path], root: Path) -> str:
    """``path:line`` of the first text or template that mentions ``url``, or ""."""
    needles = {url}
    if url.startswith("file://"):
        needles.add(url.removeprefix("file://"))
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if any(needle in line for needle in needles):
                try:
                    shown = path.resolve().relative_to(root)
                except ValueError:
                    shown = path
                return f"{shown}:{number}"
    return ""


def has_foreign_attachment(html: str) -> bool:
    """``rel=attachment`` makes WeasyPrint embed a file; only rmr-gen may attach files."""
    return bool(_ATTACHMENT.search(html))


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimeLimitExceeded after ``seconds`` (main thread on POSIX; else no limit)."""
    try:
        previous = signal.signal(signal.SIGALRM, _expired)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _expired(signum: int, frame: object) -> None:
    raise TimeLimitExceeded
