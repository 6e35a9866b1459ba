"""What git knows about a project's releases, in the checkout at hand.

A release is anchored by git: its manifest names the commit it was made at, and the
ledger's history shows every value an entry has had. What can be checked depends on
the checkout: a full clone has the history, a shallow clone (``git clone --depth 1``)
has only its last commits, a project outside git has none. Line endings must never
change a release (``core.autocrlf``), so release files are marked ``-text`` in
``.gitattributes`` (``rmr-gen init`` writes it). The release and verify workflows ask
here, and say what they could not check.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rmr_gen.core.i18n import M, severity_word
from rmr_gen.core.project import Project
from rmr_gen.workflows.ledger import ledger_path, run_git


def _out(project: Project, *args: str) -> str | None:
    done = run_git(project, *args, timeout=20)
    return done.stdout.strip() if done is not None and done.returncode == 0 else None


def in_repository(project: Project) -> bool:
    return _out(project, "rev-parse", "--is-inside-work-tree") == "true"


def shallow(project: Project) -> bool:
    """Whether the checkout is a shallow clone: older commits are not here."""
    return _out(project, "rev-parse", "--is-shallow-repository") == "true"


def head(project: Project) -> dict[str, object] | None:
    """The commit the project is at, and whether its inputs have uncommitted changes."""
    top = _out(project, "rev-parse", "--show-toplevel")
    commit = _out(project, "rev-parse", "HEAD")
    if not top or not commit:
        return None
    status = _out(project, "status", "--porcelain", "--", "reports", "data", "templates")
    return {"commit": commit, "dirty": bool(status)}


def commit_known(project: Project, commit: object) -> bool | None:
    """Whether the manifest's commit is in this repository (``None``: cannot tell)."""
    if not isinstance(commit, str) or not in_repository(project):
        return None
    known = run_git(project, "cat-file", "-e", f"{commit}^{{commit}}", timeout=20)
    return None if known is None else known.returncode == 0


def _ignored(project: Project, paths: Sequence[Path]) -> list[str]:
    """The ``.gitignore`` rules that ignore any of ``paths``: ``file:line:pattern``."""
    done = run_git(project, "check-ignore", "-v", "--no-index", *map(str, paths), timeout=20)
    if done is None or done.returncode != 0:
        return []
    return sorted({line.split("\t")[0] for line in done.stdout.splitlines() if "\t" in line})


def release_notes(project: Project, folder: Path) -> list[str]:
    """What ``release`` says about keeping a new release: it must be committed, with the
    ledger, for ``verify`` to anchor it."""
    ledger = ledger_path(project)
    shown = M(
        "git.release-and-ledger",
        "{folder}/ and {ledger}",
        folder=project.shown(folder),
        ledger=project.shown(ledger),
    )
    if run_git(project, "--version", timeout=20) is None:
        message = M(
            "git.not-found",
            "git was not found: commit {shown} to version control when you can;"
            " verify cannot anchor a release that is not committed",
            shown=shown,
        )
    elif not in_repository(project):
        message = M(
            "git.not-a-repository",
            "the project is not in a git repository: commit {shown} to version"
            " control, or verify cannot tell a remade release from this one",
            shown=shown,
        )
    elif ignored := _ignored(project, [folder / "manifest.json", ledger]):
        message = M(
            "git.release-ignored",
            "git ignores this release ({rules}): it would never be"
            " committed; ignore only drafts, then commit {shown}",
            rules=", ".join(ignored),
            shown=shown,
        )
    else:
        message = M(
            "git.commit-release",
            "commit {shown} now: verify anchors a release in the ledger's git history",
            shown=shown,
        )
    return [f"{severity_word('note')}: {message}"]
