"""The releases on disk, read only: where a release is, its versions, its manifest and
whether its files, manifest and ledger entry still agree.

Making a release (:mod:`rmr_gen.workflows.release`) renders; nothing here does, so the build's
planning and the web edition can ask about releases without depending on the release
workflow.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.errors import InputError, Location, Problem, Problems, refusal
from rmr_gen.core.files import RELEASES, file_digest, refuse_links
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report
from rmr_gen.core.project import REFERENCE_FILES, REPORT_ID, Project
from rmr_gen.inputs.config import Reference, parse_version
from rmr_gen.workflows import gitstate, ledger
from rmr_gen.workflows.digests import input_files

MANIFEST = "manifest.json"


SOURCE = "source"
#: Where releases made by an editable install inside the project (this repository's own
#: setup) kept rmr-gen's default templates and reference data before they were
#: snapshotted as ``templates/`` and ``data/``: such releases still verify.
LEGACY_PACKAGE = "src/rmr_gen"


def release_folder(project: Project, report_id: str, version: str) -> Path:
    return project.output_folder(report_id) / version


def release_pdf(project: Project, report_id: str, version: str) -> Path:
    return release_folder(project, report_id, version) / f"{report_id}-{version}.pdf"


def snapshot(project: Project, report_id: str, version: str) -> Project:
    """The release's inputs, as a project that renders like the original."""
    source = release_folder(project, report_id, version) / SOURCE
    legacy = source / LEGACY_PACKAGE
    if not (source / "data" / REFERENCE_FILES[0]).is_file() and (legacy / "data").is_dir():
        return Project(source, defaults=False, snapshotted_package=legacy)
    return Project(source, defaults=False)


def versions(project: Project, report_id: str) -> list[str]:
    """Released versions of ``report_id``, oldest first."""
    folder = project.output_folder(report_id)
    if not folder.is_dir():
        return []
    found = [
        p.name
        for p in folder.iterdir()
        if parse_version(p.name) and (p / MANIFEST).is_file() and not p.is_symlink()
    ]
    return sorted(found, key=lambda v: parse_version(v) or (0, 0))


def sha256(path: Path) -> str:
    return file_digest(path).hex()  # in chunks; a device or FIFO is refused


def source_hashes(project: Project, paths: Iterable[Path]) -> dict[str, str]:
    """``{"source/<path in project>": sha256}`` for the snapshot of ``paths``."""
    return {f"{SOURCE}/{project.source_name(path)}": sha256(path) for path in paths}


def check_names(project: Project, report_id: str, version: str) -> None:
    """Ids and versions become paths: check them before they are used as one."""
    problems = Problems()
    if not REPORT_ID.match(report_id):
        problems.error(
            "reports",
            M(
                "release.bad-report-id",
                "'{report_id}' is not a report id (lowercase letters, digits and '-')",
                report_id=report_id,
            ),
        )
    if parse_version(version) is None:
        problems.error(
            "--version",
            M(
                "release.bad-version",
                "'{version}' is not a release version: use major.minor, e.g. 1.0 or 2.3",
                version=version,
            ),
        )
    problems.raise_if_any()


def refuse_symlinks(project: Project, paths: Iterable[Path]) -> None:
    refuse_links(paths, project.root, RELEASES)


def output_path_links(project: Project, report_id: str, version: str) -> list[Path]:
    folder = project.output_folder(report_id)
    return [project.output_dir, folder, folder / version]


def read_manifest(project: Project, report_id: str, version: str) -> dict[str, object]:
    """The release's manifest; an error when the release does not exist."""
    check_names(project, report_id, version)
    refuse_symlinks(project, output_path_links(project, report_id, version))
    path = release_folder(project, report_id, version) / MANIFEST
    if not path.is_file():
        known = ", ".join(versions(project, report_id)) or M("release.none", "none")
        entries, _ = ledger.read(project)
        entry = ledger.find(entries, report_id, version)
        recorded = (
            M(
                "release.folder-removed",
                "; but {ledger} records {report_id} {version} (released {released}):"
                " its folder was removed or never checked out;"
                " restore {folder}/ from version control",
                ledger=project.shown(ledger.ledger_path(project)),
                report_id=report_id,
                version=version,
                released=entry.released,
                folder=project.shown(path.parent),
            )
            if entry is not None
            else ""
        )
        raise refusal(
            project.shown(path.parent),
            M(
                "release.no-such-release",
                "no release {version} of {report_id} (released: {known}){recorded}",
                version=version,
                report_id=report_id,
                known=known,
                recorded=recorded,
            ),
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise refusal(
            project.shown(path),
            M("release.bad-manifest", "not a valid manifest: {reason}", reason=str(exc)),
        ) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise refusal(
            project.shown(path), M("release.manifest-no-files", "not a valid manifest: no 'files'")
        )
    return manifest


def manifest_files(manifest: dict[str, object]) -> dict[str, object]:
    """The manifest's ``files``: path in the release → sha256 (:func:`read_manifest` made
    sure it is a table; :func:`files_check` checks its names and digests)."""
    files = manifest["files"]
    assert isinstance(files, dict)
    return files


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


def draft_differs(project: Project, report: Report, reference: Reference, version: str) -> bool:
    """Whether the current inputs differ from those snapshotted in release ``version``."""
    try:
        manifest = read_manifest(project, report.id, version)
    except InputError:
        return True
    released = {k: v for k, v in manifest_files(manifest).items() if k.startswith(f"{SOURCE}/")}
    return released != source_hashes(project, input_files(project, report, reference))


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
