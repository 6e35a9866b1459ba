"""Checks that keep untrusted texts, data and templates from reaching outside.

Used by the rendering layer: naming where a refused resource came from,
refusing links and attachments rmr-gen did not add, and bounding time.

Time is bounded by running the work in a forked child process that the parent
kills at the deadline: no ``except BaseException`` in a library (WeasyPrint
wraps SVG drawing in one) can swallow a SIGKILL.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from rmr_gen.core.files import shown

T = TypeVar("T")


class TimeLimitExceeded(Exception):
    pass


class WorkDied(Exception):
    """The child process ended without a result (killed, e.g. by the kernel when out of memory)."""


_in_child = False
#: When the call a child serves began (see :func:`time_limit`).
_call_started: float | None = None


def run_with_deadline(seconds: float, function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a forked child, killed after ``seconds``.

    Its result or exception comes back pickled. Nested calls run inline: the
    outer deadline already binds them.
    """
    if _in_child:
        return function(*args)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _child(reader, writer, function, args)
    os.close(writer)
    try:
        data = _read_until(reader, time.monotonic() + seconds)
    finally:
        os.close(reader)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if data is None:
        raise TimeLimitExceeded
    if not data:
        raise WorkDied
    status, value = pickle.loads(data)
    if status == "error":
        raise value
    return value  # type: ignore[no-any-return]


class DeadlineWorker:
    """A forked child that runs calls one after another, each killed at its deadline.

    Unlike :func:`run_with_deadline` the child keeps what it loaded (compiled
    templates, fonts, hyphenation dictionaries) from one call to the next; a
    call that overruns kills it, and the next call forks a fresh one. Functions
    and arguments are sent pickled, so they must be module-level and plain.
    """

    #: How long a warm-up sent with :meth:`prepare` may take before the child is replaced.
    WARM_UP_SECONDS = 30.0

    def __init__(self) -> None:
        self._pid = 0
        self._send = self._receive = -1
        self._pending = 0  # warm-ups sent whose replies are not read yet

    def prepare(self, target: str, *args: str) -> None:
        """Start the child now and have it call ``target(*args)`` (``"module:function"``,
        imported there) while the parent goes on: loading libraries overlaps the parent's own work.
        Its outcome is never reported; a failed or hung warm-up only costs a fresh child."""
        if _in_child:
            return
        if not self._pid:
            self._start()
        _write_message(self._send, pickle.dumps((call_named, (target, *args))))
        self._pending += 1

    def call(self, seconds: float, function: Callable[..., T], *args: object) -> T:
        if _in_child:
            return function(*args)
        request = pickle.dumps((function, args))
        while self._pending:
            self._pending -= 1
            if not _read_message(self._receive, time.monotonic() + self.WARM_UP_SECONDS):
                self.close()
        if not self._pid:
            self._start()
        try:
            _write_message(self._send, request)
        except BrokenPipeError:  # the child is gone: start again
            self.close()
            self._start()
            _write_message(self._send, request)
        data = _read_message(self._receive, time.monotonic() + seconds)
        if data is None or not data:
            self.close()
            if data is None:
                raise TimeLimitExceeded
            raise WorkDied
        status, value = pickle.loads(data)
        if status == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def _start(self) -> None:
        requests, send = os.pipe()
        receive, replies = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(send)
            os.close(receive)
            _serve(requests, replies)
        os.close(requests)
        os.close(replies)
        self._pid, self._send, self._receive = pid, send, receive

    def close(self) -> None:
        if not self._pid:
            return
        for fd in (self._send, self._receive):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        self._pid = 0
        self._pending = 0

    def __enter__(self) -> DeadlineWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def call_named(target: str, *args: str) -> None:
    """Call ``"module:function"`` with ``args``, importing the module: lets a process
    that has not imported it (yet) ask a child or a pool worker to."""
    module, _, name = target.partition(":")
    getattr(importlib.import_module(module), name)(*args)


def _serve(requests: int, replies: int) -> None:
    """The worker child: answer requests until the parent closes the pipe."""
    global _in_child
    _in_child = True
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        while True:
            data = _read_message(requests, None)
            if not data:
                break
            function, args = pickle.loads(data)
            _write_message(replies, _outcome(function, args))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _write_message(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes; b"" at end of file; None when the deadline passes first."""
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                return None
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_message(fd: int, deadline: float | None) -> bytes | None:
    header = _read_exactly(fd, 8, deadline)
    if not header:
        return header
    return _read_exactly(fd, int.from_bytes(header, "big"), deadline)


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _outcome(function: Callable[..., object], args: tuple[object, ...]) -> bytes:
    """``function(*args)``'s result or exception, pickled for the parent, which decides."""
    global _call_started
    _call_started = time.monotonic()  # every soft limit of this call counts from here
    try:
        result: tuple[str, object] = ("ok", function(*args))
    except BaseException as exc:
        result = ("error", exc)
    try:
        return pickle.dumps(result)
    except Exception as exc:  # an exception that does not pickle
        return pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _child(
    reader: int, writer: int, function: Callable[..., object], args: tuple[object, ...]
) -> None:
    global _in_child
    _in_child = True
    code = 0
    try:
        os.close(reader)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        view = memoryview(_outcome(function, args))
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def origin_of(url: str, files: Iterable[Path], root: Path) -> str:
    """``path:line`` of the first text or template that mentions ``url``, or ""."""
    from urllib.parse import unquote, urlsplit

    needles = {url}
    target = None
    if url.startswith("file:"):
        needles.add(url.removeprefix("file://"))
        target = Path(unquote(urlsplit(url).path))
    files = list(files)
    found = _first_mention(files, needles, root)
    if found or target is None:
        return found
    # a relative name: a Markdown image beside its text, or an <img src="x"> in a template
    return _first_mention(files, {f"({target.name})", f'"{target.name}"'}, root)


def _first_mention(files: list[Path], needles: set[str], root: Path) -> str:
    for path in files:
        here = needles
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 20_000_000:
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if any(needle in line for needle in here):
                return f"{shown(path, root)}:{number}"
    return ""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded after ``seconds`` (main thread on POSIX; else no limit).

    A soft limit inside the child of :func:`run_with_deadline`: it gives the clean
    message when the code can be interrupted; the kill binds when it cannot. In a
    child, ``seconds`` count from the start of the call it serves (a job: its
    templates, web page and PDF together), not from here: the time a job's
    templates took is not given again to WeasyPrint."""
    if _in_child and _call_started is not None:
        seconds = max(seconds - (time.monotonic() - _call_started), 0.001)
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
