"""Releases: immutable, verifiable copies of a report at a version.

``output/<id>/<X.Y>/`` holds the PDF ``<id>-<X.Y>.pdf``, ``manifest.json`` and
``source/``, a snapshot of exactly the inputs the PDF was made from, laid out as
a project of its own (``source/reports/<id>/``, ``source/data/``,
``source/templates/``). The PDF is rendered *from that snapshot*, so that
``verify`` can rebuild it the same way and compare bytes.

Everything is made in a staging folder beside the target and moved into place
with one ``rename``; an ``flock`` on a lock file means two releases of
the same version cannot both win.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.core.cache import Cache
from rmr_gen.core.errors import InputError, Location, Problem, Problems, refusal
from rmr_gen.core.files import chmod_tree
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report
from rmr_gen.core.project import Project
from rmr_gen.inputs.config import load_reference, parse_version
from rmr_gen.output.pdf import report_pdf
from rmr_gen.workflows import gitstate, ledger
from rmr_gen.workflows.build import Prepared, prepare
from rmr_gen.workflows.digests import input_files
from rmr_gen.workflows.planning import cache_for
from rmr_gen.workflows.releases import (
    MANIFEST,
    SOURCE,
    check_names,
    output_path_links,
    refuse_symlinks,
    release_folder,
    source_hashes,
    versions,
)


@dataclass(frozen=True)
class Released:
    report_id: str
    version: str
    folder: Path
    pdf: Path
    pages: int
    files: int
    documents: int = 1  # PDFs: one per value of a parameterised report
    notes: tuple[str, ...] = ()  # what to do so that the release stays verifiable


def single(prepared: list[Prepared], project: Project) -> Prepared:
    """The one document of a report that is not parameterised; an error for one that is."""
    item = prepared[0]
    if len(prepared) > 1 or item.report.parameter:
        raise refusal(
            project.shown(item.report.folder / "report.toml"),
            M(
                "release.parameterised",
                "a parameterised report renders {count} documents, not one:"
                " they are released, verified and compared together (rmr-gen release/verify/diff)",
                count=len(prepared),
            ),
        )
    return item


def _version_line(report: Report) -> int | None:
    lines = (report.folder / "report.toml").read_text(encoding="utf-8").splitlines()
    return next(
        (i for i, line in enumerate(lines, start=1) if re.match(r"\s*version\s*=", line)), None
    )


def _check_new_version(project: Project, report_id: str, version: str) -> None:
    existing = versions(project, report_id)
    where = project.shown(release_folder(project, report_id, version))
    if version in existing or release_folder(project, report_id, version).exists():
        raise refusal(
            where,
            M(
                "release.version-exists",
                "version {version} of {report_id} exists; releases never change",
                version=version,
                report_id=report_id,
            ),
        )
    new = parse_version(version) or (0, 0)
    if existing and new <= (parse_version(existing[-1]) or (0, 0)):
        raise refusal(
            where,
            M(
                "release.version-not-greater",
                "version {version} is not greater than the latest release {latest}",
                version=version,
                latest=existing[-1],
            ),
        )


def manifest_title(report: Report) -> str:
    """The title as report.toml gives it: ``{value}`` where a parameter value is printed."""
    if report.parameter and report.parameter_value:
        return report.title.replace(report.parameter_value, "{value}")
    return report.title


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_not_released_before(project: Project, report_id: str, version: str) -> None:
    """A version once released is never made again, even after its folder was removed."""
    entries, broken = ledger.read(project)
    shown = project.shown(ledger.ledger_path(project))
    if broken:
        raise refusal(shown, broken)
    entry = ledger.find(entries, report_id, version)
    past = ledger.history(project, report_id, version)
    if entry is None and past and past.others:
        entry = ledger.Entry(report_id, version, "", past.others[0][1])
    if entry is not None:
        raise refusal(
            shown,
            M(
                "release.released-before",
                "version {version} of {report_id} was released before{when}; a release is never"
                " made twice: restore its folder from version control, or release a new version",
                version=version,
                report_id=report_id,
                when=" (" + entry.released + ")"
                if entry.released
                else M("release.in-ledger-history", " (in the ledger's git history)"),
            ),
        )


def release_time() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible release pipelines)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def render_snapshot(source: Project, report_id: str, cache: Cache) -> tuple[bytes, int, Prepared]:
    """The one PDF of a report that is not parameterised, built from a project folder."""
    documents = render_documents(source, report_id, cache)
    single([item for _, _, item in documents], source)
    return documents[0]


def render_documents(
    source: Project, report_id: str, cache: Cache
) -> list[tuple[bytes, int, Prepared]]:
    """Every PDF of ``report_id`` built from a project folder: one, or one per parameter value."""
    problems = Problems()
    prepared = prepare(source, [report_id], problems, cache)
    problems.raise_if_any()
    documents = []
    for item in prepared:
        assert item.html is not None
        pdf, pages, _ = report_pdf(source, item.report, item.html, item.info, item.attachments)
        documents.append((pdf, pages, item))
    return documents


def pdf_name(report: Report, version: str) -> str:
    """``<id>-<X.Y>.pdf``; ``<id>-<value slug>-<X.Y>.pdf`` for each value of a parameterised one."""
    return f"{report.name}-{version}.pdf"


def manifest_documents(
    documents: list[tuple[bytes, int, Prepared]], version: str
) -> list[dict[str, object]]:
    return [
        {
            "value": item.report.parameter_value,
            "pdf": pdf_name(item.report, version),
            "title": item.report.title,
            "pages": pages,
        }
        for _, pages, item in documents
    ]


def _make_read_only(folder: Path) -> None:
    chmod_tree(folder, 0o555, 0o444)  # never through a symbolic link


def _make_writable(folder: Path) -> None:
    chmod_tree(folder, 0o755, 0o644)


def _prepared_report(project: Project, report_id: str, version: str, cache: Cache) -> Report:
    """The report, rendered once to prove it renders, and its version is ``version``."""
    problems = Problems()
    prepared = prepare(project, [report_id], problems, cache)
    problems.raise_if_any()
    report = prepared[0].report  # every value of a parameterised report shares report.toml
    if report.version != version:
        raise InputError(
            [
                Problem(
                    Location(project.shown(report.folder / "report.toml"), _version_line(report)),
                    M(
                        "release.version-mismatch",
                        'version is "{found}" but the release is {version}: set'
                        ' version = "{version}" so the document prints the version it is'
                        " released as",
                        found=report.version,
                        version=version,
                    ),
                )
            ]
        )
    return report


def _remove(created: list[Path]) -> None:
    """The folders a refused release made: it leaves no empty folders behind."""
    for made in reversed(created):
        with contextlib.suppress(OSError):
            made.rmdir()


def _lock(project: Project, lock: Path, created: list[Path], report_id: str, version: str) -> int:
    """An exclusive ``flock`` on ``lock``: one release of a version at a time. An flock,
    not a file that exists: the kernel drops it when the process dies, so a release
    that was killed never blocks the next one."""
    try:  # O_NOFOLLOW: a planted link must not create or open its target
        descriptor = os.open(lock, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        _remove(created)
        why = (
            M("release.lock-link", "is a symbolic link")
            if lock.is_symlink()
            else M("release.lock-unopenable", "cannot be opened: {reason}", reason=exc.strerror)
        )
        raise refusal(
            project.shown(lock), M("release.lock-refused", "{why}; releases refuse links", why=why)
        ) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        _remove(created)
        raise refusal(
            project.shown(lock),
            M(
                "release.in-progress",
                "another release of {report_id} {version} is in progress",
                report_id=report_id,
                version=version,
            ),
        ) from None
    return descriptor


def _remove_stale_staging(folder: Path, version: str) -> None:
    """Staging folders left by a killed release of ``version``."""
    for stale in folder.glob(f".release-{version}-*"):
        if stale.is_symlink() or not stale.is_dir():
            stale.unlink(missing_ok=True)  # the link itself, never its target
            continue
        _make_writable(stale)
        shutil.rmtree(stale, ignore_errors=True)  # does not follow links inside


@dataclass(frozen=True)
class _Staged:
    manifest: dict[str, object]
    text: str  # the manifest as written
    pages: int
    files: int
    documents: int
    first: Report  # the first document's report, which names its PDF


def _stage(
    project: Project,
    staging: Path,
    inputs: list[Path],
    report: Report,
    version: str,
    cache: Cache,
) -> _Staged:
    """Snapshot ``inputs`` into ``staging``, render every PDF from that snapshot, and
    write the manifest beside them."""
    for path in inputs:
        copy = staging / SOURCE / project.source_name(path)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    # Without the defaults, as verify renders it: a file missing from the snapshot fails now.
    documents = render_documents(Project(staging / SOURCE, defaults=False), report.id, cache)
    files = source_hashes(project, inputs)
    for pdf, _, item in documents:
        (staging / pdf_name(item.report, version)).write_bytes(pdf)
        files[pdf_name(item.report, version)] = hashlib.sha256(pdf).hexdigest()
    pages = sum(p for _, p, _ in documents)
    first = documents[0][2].report
    manifest: dict[str, object] = {
        "report": report.id,
        "version": version,
        "title": manifest_title(first),
        "date": report.date.isoformat() if report.date else None,
        "released": release_time(),
        "rmr_gen": __version__,
        "git": gitstate.head(project),
        "pdf": None if report.parameter else pdf_name(report, version),
        "pages": pages,
        "files": dict(sorted(files.items())),
    }
    if report.parameter:
        manifest["documents"] = manifest_documents(documents, version)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (staging / MANIFEST).write_text(text, encoding="utf-8")
    return _Staged(manifest, text, pages, len(files), len(documents), first)


def release(project: Project, report_id: str, version: str) -> Released:
    """Release ``report_id`` as ``version``; refuse (nothing touched) if it may not be."""
    check_names(project, report_id, version)
    refuse_symlinks(project, output_path_links(project, report_id, version))
    _check_new_version(project, report_id, version)
    _check_not_released_before(project, report_id, version)
    cache = cache_for(project)
    report = _prepared_report(project, report_id, version, cache)
    problems = Problems()
    reference = load_reference(project, problems)
    problems.raise_if_any()
    inputs = input_files(project, report, reference)
    refuse_symlinks(project, inputs)

    folder = project.output_folder(report_id)
    created = [p for p in (project.output_dir, folder) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / f".release-{version}.lock"
    descriptor = _lock(project, lock, created, report_id, version)
    _remove_stale_staging(folder, version)
    staging = Path(tempfile.mkdtemp(prefix=f".release-{version}-", dir=folder))
    try:
        _check_new_version(project, report_id, version)  # again, now that we hold the lock
        staged = _stage(project, staging, inputs, report, version, cache)
        _make_read_only(staging)
        try:
            os.rename(staging, folder / version)  # fails if a release got there first
        except OSError:
            raise refusal(
                project.shown(folder / version),
                M(
                    "release.version-exists",
                    "version {version} of {report_id} exists; releases never change",
                    version=version,
                    report_id=report_id,
                ),
            ) from None
        (folder / version).chmod(0o555)
        released = str(staged.manifest["released"])
        ledger.append(
            project, ledger.Entry(report_id, version, released, _sha256_text(staged.text))
        )
    except BaseException:
        if staging.exists():
            _make_writable(staging)
            shutil.rmtree(staging, ignore_errors=True)
        lock.unlink(missing_ok=True)
        os.close(descriptor)
        _remove(created)
        raise
    lock.unlink(missing_ok=True)
    os.close(descriptor)
    cache.flush()
    target = folder / version
    pdf = target / pdf_name(staged.first, version)
    return Released(
        report_id,
        version,
        target,
        pdf,
        staged.pages,
        staged.files,
        staged.documents,
        tuple(gitstate.release_notes(project, target)),
    )
