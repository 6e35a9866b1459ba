"""``rmr-gen verify``: a release proved intact and reproducible. Its files, manifest,
ledger entry and commit are checked (:mod:`rmr_gen.workflows.releasecheck`), its
snapshot is rendered again as :mod:`rmr_gen.workflows.release` rendered it, and the
PDFs must come out byte for byte the same; the manifest's title, date, pages and
documents must be what the snapshot gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.core.cache import Cache
from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.project import Project
from rmr_gen.workflows.release import (
    manifest_documents,
    manifest_title,
    pdf_name,
    render_documents,
)
from rmr_gen.workflows.releasecheck import commit_check, files_check, ledger_check
from rmr_gen.workflows.releases import MANIFEST, manifest_files, release_folder, snapshot


@dataclass(frozen=True)
class Verified:
    report_id: str
    version: str
    pdf: Path
    files: int
    notes: tuple[str, ...] = ()
    documents: int = 1


def verify(project: Project, report_id: str, version: str) -> Verified:
    """Prove the release is intact and that its snapshot rebuilds to the same PDF bytes
    (every PDF, for a parameterised report)."""
    manifest = files_check(project, report_id, version)
    folder = release_folder(project, report_id, version)
    where = project.shown(folder / MANIFEST)
    documents = render_documents(
        snapshot(project, report_id, version), report_id, Cache(project.output_dir / ".cache")
    )
    problems = Problems()
    first = documents[0][2].report
    claims: dict[str, object] = {
        "title": manifest_title(first),
        "date": first.date.isoformat() if first.date else None,
        "pages": sum(pages for _, pages, _ in documents),
    }
    if first.parameter:
        claims["documents"] = manifest_documents(documents, version)
    for key, value in claims.items():
        if manifest.get(key) != value:
            problems.error(
                where,
                M(
                    "verify.snapshot-differs",
                    "'{key}' is {found} but the release's snapshot gives {expected}",
                    key=key,
                    found=repr(manifest.get(key)),
                    expected=repr(value),
                ),
            )
    notes = commit_check(project, manifest, where, problems)
    text = (folder / MANIFEST).read_bytes()
    notes += ledger_check(project, report_id, version, manifest, text, problems)
    problems.raise_if_any()
    made_by = manifest.get("rmr_gen")
    hint = (
        M(
            "verify.other-rmr-gen",
            " (released with rmr-gen {made_by}, this is {version})",
            made_by=made_by,
            version=__version__,
        )
        if made_by != __version__
        else ""
    )
    for rebuilt, _, item in documents:
        pdf_path = folder / pdf_name(item.report, version)
        if rebuilt != pdf_path.read_bytes():
            problems.error(
                project.shown(pdf_path),
                M(
                    "verify.different-bytes",
                    "the snapshot rebuilds to different bytes{hint}",
                    hint=hint,
                ),
            )
    problems.raise_if_any()
    pdf_path = folder / pdf_name(first, version)
    return Verified(
        report_id, version, pdf_path, len(manifest_files(manifest)), tuple(notes), len(documents)
    )
