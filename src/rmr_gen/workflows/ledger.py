"""The release ledger, ``output/releases.lock``: one entry per release, appended, never edited.

A release folder can be rewritten consistently (texts, PDF and manifest
together) or removed and made again; its own hashes then still agree. The
ledger records, at release time, the SHA-256 of each release's manifest (which
holds the hashes of its PDF and every snapshotted file). It lives outside any
report's folder, is committed with the release, and is only ever appended to,
so rewriting a release means editing a committed line: that shows in ``git
diff`` and in the file's history, which ``verify`` reads.

The file is TOML, one ``[[release]]`` table per release::

    [[release]]
    report = "rmr-palliativ-vard-vgr"
    version = "1.0"
    released = "2026-11-26T04:30:00Z"
    manifest = "<sha256 of manifest.json>"
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.i18n import M
from rmr_gen.core.project import Project

LEDGER = "releases.lock"
HEADER = (
    "# rmr-gen release ledger: one entry per release, appended by `rmr-gen release`.\n"
    "# Never edit an entry; commit this file with each release. `rmr-gen verify`\n"
    "# checks every release against it and against this file's git history.\n"
)


@dataclass(frozen=True)
class Entry:
    report: str
    version: str
    released: str
    manifest: str  # sha256 of manifest.json


def ledger_path(project: Project) -> Path:
    return project.output_dir / LEDGER


def parse(text: str) -> list[Entry]:
    """The entries of a ledger's text; malformed entries are skipped (verify names them)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    entries = []
    for item in data.get("release", []):
        if isinstance(item, dict) and all(
            isinstance(item.get(k), str) for k in ("report", "version", "released", "manifest")
        ):
            entries.append(
                Entry(item["report"], item["version"], item["released"], item["manifest"])
            )
    return entries


def read(project: Project) -> tuple[list[Entry], M | None]:
    """The ledger's entries, and why it could not be read (``None`` when it could)."""
    path = ledger_path(project)
    if path.is_symlink():
        return [], M(
            "release.ledger-symbolic-link", "is a symbolic link; the ledger must be a regular file"
        )
    if not path.exists():
        return [], None
    try:
        text = path.read_text(encoding="utf-8")
        tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return [], M("release.ledger-unreadable", "cannot be read: {reason}", reason=str(exc))
    return parse(text), None


def find(entries: list[Entry], report: str, version: str) -> Entry | None:
    return next((e for e in entries if (e.report, e.version) == (report, version)), None)


_TABLE = re.compile(r"^[ \t]*\[\[[ \t]*release[ \t]*\]\]", re.MULTILINE)


def entry_lines(project: Project, report: str, version: str) -> list[int]:
    """The line of every ``[[release]]`` table for ``report`` ``version``: more than one
    is an entry added by hand (``release`` refuses a version the ledger holds)."""
    try:
        text = ledger_path(project).read_text(encoding="utf-8")
        tables = tomllib.loads(text).get("release", [])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    starts = [text.count("\n", 0, m.start()) + 1 for m in _TABLE.finditer(text)]
    if not isinstance(tables, list) or len(starts) != len(tables):
        starts = [0] * len(tables) if isinstance(tables, list) else []  # spelled another way
    wanted = (report, version)
    return [
        line
        for line, table in zip(starts, tables, strict=False)
        if isinstance(table, dict) and (table.get("report"), table.get("version")) == wanted
    ]


def append(project: Project, entry: Entry) -> None:
    """Add ``entry`` at the end, under an exclusive lock; the file is created if missing."""
    path = ledger_path(project)
    text = (
        "\n[[release]]\n"
        f'report = "{entry.report}"\n'
        f'version = "{entry.version}"\n'
        f'released = "{entry.released}"\n'
        f'manifest = "{entry.manifest}"\n'
    )
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        if os.fstat(descriptor).st_size == 0:
            text = HEADER + text
        os.write(descriptor, text.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------- the ledger's git history


def run_git(
    project: Project, *args: str, timeout: float = 30
) -> subprocess.CompletedProcess[str] | None:
    """``git -C <project> args``; ``None`` when there is no git or it did not run."""
    if shutil.which("git") is None:
        return None
    try:
        return subprocess.run(
            ["git", "-C", str(project.root), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _git(project: Project, *args: str) -> str | None:
    done = run_git(project, *args)
    return done.stdout if done is not None and done.returncode == 0 else None


@dataclass(frozen=True)
class History:
    """What git says about the ledger: ``None`` fields when there is no repository."""

    tracked: bool  # the ledger is in a git repository's history
    committed: Entry | None  # the entry as committed at HEAD
    others: tuple[tuple[str, str], ...]  # (commit, manifest hash) of every other recorded value


def history(project: Project, report: str, version: str) -> History | None:
    """Every value the entry for ``report`` ``version`` has had in the ledger's git history."""
    path = ledger_path(project)
    top = _git(project, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    try:
        relative = path.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    except ValueError:
        return None
    commits = (_git(project, "log", "--format=%H", "--", relative) or "").split()
    if not commits:
        return History(False, None, ())
    head_text = _git(project, "show", f"HEAD:{relative}")
    committed = find(parse(head_text), report, version) if head_text is not None else None
    seen: list[tuple[str, str]] = []
    for commit in commits:
        text = _git(project, "show", f"{commit}:{relative}")
        if text is None:
            continue
        entry = find(parse(text), report, version)
        if entry is not None:
            seen.append((commit, entry.manifest))
    return History(True, committed, tuple(seen))
