"""Whether a release is intact: its manifest's own fields, every file against its hash,
the manifest against the ledger and its git history, the commit it names; and whether
the release a report's ``previous`` names may be trusted. Errors are raised or
recorded, what could not be checked is returned as notes. Nothing is rendered: a
rebuild is :mod:`rmr_gen.workflows.releaseverify`'s.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.errors import InputError, Location, Problem, Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report
from rmr_gen.core.project import Project
from rmr_gen.workflows import gitstate, ledger
from rmr_gen.workflows.releases import (
    MANIFEST,
    SOURCE,
    manifest_files,
    read_manifest,
    release_folder,
    sha256,
)


@dataclass(frozen=True)
class Intact:
    """A release whose files match its manifest and whose manifest matches the ledger."""

    manifest: dict[str, object]
    notes: tuple[str, ...]  # what could not be checked, e.g. an uncommitted ledger


_SAFE_NAME = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[^\0\\]+$")


def _manifest_fields(
    project: Project, manifest: dict[str, object], report_id: str, version: str, problems: Problems
) -> None:
    """The manifest's own fields: the report and version it claims, the PDF it names."""
    where = project.shown(release_folder(project, report_id, version) / MANIFEST)
    documents = manifest.get("documents")
    single_pdf = f"{report_id}-{version}.pdf"
    expected = {"report": report_id, "version": version, "pdf": None if documents else single_pdf}
    for key, value in expected.items():
        if manifest.get(key) != value:
            problems.error(
                where,
                M(
                    "release.manifest-field",
                    "'{key}' is {found}; the release {report_id} {version} must say {expected}",
                    key=key,
                    found=repr(manifest.get(key)),
                    report_id=report_id,
                    version=version,
                    expected=repr(value),
                ),
            )
    files = manifest_files(manifest)
    for name, digest in files.items():
        if not isinstance(name, str) or not _SAFE_NAME.match(name) or not isinstance(digest, str):
            problems.error(
                where,
                M(
                    "release.manifest-bad-file",
                    "'files' lists {name}, which is not a file of the release",
                    name=repr(name),
                ),
            )
    pdfs = [single_pdf]
    if documents is not None:
        one = re.compile(rf"^{re.escape(report_id)}-[a-z0-9-]+-{re.escape(version)}\.pdf$")
        if not isinstance(documents, list) or not all(
            isinstance(d, dict) and isinstance(d.get("pdf"), str) and one.match(d["pdf"])
            for d in documents
        ):
            problems.error(
                where,
                M("release.manifest-documents", "'documents' does not list this release's PDFs"),
            )
            return
        pdfs = [d["pdf"] for d in documents]
    for name in pdfs:
        if name not in files:
            problems.error(
                where,
                M(
                    "release.manifest-pdf-missing",
                    "'files' does not list the PDF {name}",
                    name=name,
                ),
            )
    if not isinstance(manifest.get("pages"), int):
        problems.error(where, M("release.manifest-pages", "'pages' is not a number"))


def commit_check(
    project: Project, manifest: dict[str, object], where: str, problems: Problems
) -> list[str]:
    """The manifest's ``git.commit`` is a commit of this repository. A shallow clone holds
    only its last commits: what it cannot check is a note, not an error."""
    git = manifest.get("git")
    commit = git.get("commit") if isinstance(git, dict) else None
    known = gitstate.commit_known(project, commit)
    if not gitstate.shallow(project):
        if known is False:
            problems.error(
                where,
                M(
                    "verify.unknown-commit",
                    "git.commit {commit} is not a commit of this repository",
                    commit=repr(commit),
                ),
            )
        return []
    missing = (
        M("verify.shallow-commit", "git.commit {commit}… and ", commit=str(commit)[:12])
        if known is False
        else ""
    )
    message = M(
        "verify.shallow-clone",
        "a shallow clone: {missing}the ledger's history before its first"
        " commit are not here and were not checked (the files, the ledger entry and the"
        " rebuild were); `git fetch --unshallow` brings them",
        missing=missing,
    )
    return [str(Problem(Location(where), message, "note"))]


def ledger_check(
    project: Project,
    report_id: str,
    version: str,
    manifest: dict[str, object],
    manifest_text: bytes,
    problems: Problems,
) -> list[str]:
    """The manifest against output/releases.lock and that file's git history; notes returned."""
    shown = project.shown(ledger.ledger_path(project))
    entries, broken = ledger.read(project)
    if broken:
        problems.error(shown, broken)
        return []
    entry = ledger.find(entries, report_id, version)
    digest = hashlib.sha256(manifest_text).hexdigest()
    lines = ledger.entry_lines(project, report_id, version)
    if len(lines) > 1:
        problems.error(
            shown,
            M(
                "verify.ledger-duplicate",
                "{count} entries for {report_id} {version}{where}: a version is released once,"
                " so all but one were added by hand; the ledger's git history shows which",
                count=len(lines),
                report_id=report_id,
                version=version,
                where=M("verify.ledger-lines", " (lines {lines})", lines=", ".join(map(str, lines)))
                if all(lines)
                else "",
            ),
            lines[1] or None,
        )
    if entry is None:
        problems.error(
            shown,
            M(
                "verify.ledger-no-entry",
                "has no entry for {report_id} {version}: the release cannot be vouched for"
                " (it was not made by rmr-gen release here, or the entry was removed)",
                report_id=report_id,
                version=version,
            ),
        )
        return []
    if manifest.get("released") != entry.released:
        problems.error(
            project.shown(release_folder(project, report_id, version) / MANIFEST),
            M(
                "verify.released-differs",
                "'released' is {found} but {ledger} records {recorded}",
                found=repr(manifest.get("released")),
                ledger=shown,
                recorded=repr(entry.released),
            ),
        )
    if entry.manifest != digest:
        path = release_folder(project, report_id, version) / MANIFEST
        problems.error(
            shown,
            M(
                "verify.manifest-differs",
                "{report_id} {version} was released with a different manifest.json"
                " (sha256 {recorded}…, now {digest}…){why}",
                report_id=report_id,
                version=version,
                recorded=entry.manifest[:12],
                digest=digest[:12],
                why=line_endings(path, entry.manifest)
                or M("verify.release-changed", ": the release was changed or remade"),
            ),
        )
    past = ledger.history(project, report_id, version)
    if past is None:
        message = M(
            "verify.not-in-git", "not in a git repository; the ledger itself is not anchored"
        )
        return [str(Problem(Location(shown), message, "note"))]
    notes = []
    for commit, value in past.others:
        if value != entry.manifest:
            problems.error(
                shown,
                M(
                    "verify.ledger-entry-changed",
                    "the entry for {report_id} {version} was changed: commit {commit} recorded"
                    " manifest sha256 {digest}…",
                    report_id=report_id,
                    version=version,
                    commit=commit[:12],
                    digest=value[:12],
                ),
            )
            break
    if past.committed is None:
        message = M(
            "verify.ledger-not-committed",
            "the entry for {report_id} {version} is not committed yet;"
            " commit it so that a later rewrite of the release shows",
            report_id=report_id,
            version=version,
        )
        notes.append(str(Problem(Location(shown), message, "note")))
    return notes


def line_endings(path: Path, digest: str) -> M | str:
    """Why a file's hash differs when only its line endings do: a git checkout converted
    them (``core.autocrlf``); empty otherwise. The bytes still count: such a file is
    changed, and ``.gitattributes`` must keep git from changing it."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    lf = data.replace(b"\r\n", b"\n")
    for other in (lf, lf.replace(b"\n", b"\r\n")):
        if other != data and hashlib.sha256(other).hexdigest() == digest:
            return M(
                "verify.line-endings",
                "; only its line endings differ: git converted them (core.autocrlf); mark the"
                " release files -text in .gitattributes (as rmr-gen init does) and check them"
                " out again",
            )
    return ""


def files_check(project: Project, report_id: str, version: str) -> dict[str, object]:
    """The manifest's names, and every file of the release against its hash; errors raised."""
    manifest = read_manifest(project, report_id, version)
    folder = release_folder(project, report_id, version)
    problems = Problems()
    _manifest_fields(project, manifest, report_id, version, problems)
    problems.raise_if_any()
    files = manifest_files(manifest)
    for link in (p for p in folder.rglob("*") if p.is_symlink()):
        problems.error(
            project.shown(link),
            M(
                "verify.symbolic-link",
                "is a symbolic link inside release {report_id} {version}; a release holds only"
                " regular files (restore the release from version control)",
                report_id=report_id,
                version=version,
            ),
        )
    problems.raise_if_any()
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for name, digest in sorted(files.items()):
        path = folder / name
        if name not in present:
            problems.error(
                project.shown(path), M("verify.file-missing", "listed in manifest.json but missing")
            )
        elif sha256(path) != digest:
            problems.error(
                project.shown(path),
                M(
                    "verify.file-changed",
                    "changed since the release (sha256 differs){why}",
                    why=line_endings(path, str(digest)),
                ),
            )
    for name in sorted(present - set(files) - {MANIFEST}):
        problems.error(
            project.shown(folder / name),
            M("verify.file-extra", "not part of the release (not in manifest)"),
        )
    problems.raise_if_any()
    return manifest


def check_intact(project: Project, report_id: str, version: str) -> Intact:
    """The release's files, manifest and ledger entry agree; errors otherwise. No rebuild."""
    manifest = files_check(project, report_id, version)
    problems = Problems()
    text = (release_folder(project, report_id, version) / MANIFEST).read_bytes()
    notes = ledger_check(project, report_id, version, manifest, text, problems)
    problems.raise_if_any()
    return Intact(manifest, tuple(notes))


def untrusted_previous(project: Project, report: Report) -> list[Problem]:
    """An error at ``previous`` in report.toml when the release it names is not intact, so
    that its data is not used. Inside a release's snapshot there is none: its own manifest
    covers the copied data."""
    if not report.previous:
        return []
    root = project.root
    if root.name == SOURCE and (
        root.parent.name.startswith(".release-") or (root.parent / MANIFEST).is_file()
    ):
        return []
    report_id, _, version = report.previous.partition("@")
    try:
        check_intact(project, report_id, version)
    except InputError as exc:
        untrusted = [str(p) for p in exc.problems if p.severity == "error"]
        where = Location(project.shown(report.folder / "report.toml"), report.previous_line)
        message = M(
            "release.previous-not-intact",
            "the release {report_id}@{version} is not intact, so its data is not used: {problems}",
            report_id=report_id,
            version=version,
            problems="; ".join(untrusted),
        )
        return [Problem(where, message)]
    return []
