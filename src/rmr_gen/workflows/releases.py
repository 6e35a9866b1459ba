"""The releases on disk, read only: where a release is, its versions, its manifest and
whether a draft's inputs still match a release's snapshot. Whether a release's files,
manifest and ledger entry still agree is :mod:`rmr_gen.workflows.releasecheck`'s.

Making a release (:mod:`rmr_gen.workflows.release`) renders; nothing here does, so the build's
planning and the web edition can ask about releases without depending on the release
workflow.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from rmr_gen.core.errors import InputError, Problems, refusal
from rmr_gen.core.files import RELEASES, file_digest, refuse_links
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report
from rmr_gen.core.project import REFERENCE_FILES, REPORT_ID, Project
from rmr_gen.inputs.config import Reference, parse_version
from rmr_gen.workflows import ledger
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
    sure it is a table; :func:`rmr_gen.workflows.releasecheck.files_check` checks its names
    and digests)."""
    files = manifest["files"]
    assert isinstance(files, dict)
    return files


def draft_differs(project: Project, report: Report, reference: Reference, version: str) -> bool:
    """Whether the current inputs differ from those snapshotted in release ``version``."""
    try:
        manifest = read_manifest(project, report.id, version)
    except InputError:
        return True
    released = {k: v for k, v in manifest_files(manifest).items() if k.startswith(f"{SOURCE}/")}
    return released != source_hashes(project, input_files(project, report, reference))
