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
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rmr_gen import __version__
from rmr_gen.build import Prepared, cache_for, prepare
from rmr_gen.cache import Cache
from rmr_gen.config import Reference, load_reference, parse_version
from rmr_gen.errors import InputError, Location, Problem, Problems
from rmr_gen.files import files_below, refuse_links
from rmr_gen.models import Report
from rmr_gen.pdf import html_to_pdf
from rmr_gen.project import REPORT_ID, Project

MANIFEST = "manifest.json"
SOURCE = "source"


def release_folder(project: Project, report_id: str, version: str) -> Path:
    return project.output_folder(report_id) / version


def release_pdf(project: Project, report_id: str, version: str) -> Path:
    return release_folder(project, report_id, version) / f"{report_id}-{version}.pdf"


def snapshot(project: Project, report_id: str, version: str) -> Project:
    """The release's inputs, as a project that renders like the original."""
    return Project(release_folder(project, report_id, version) / SOURCE, defaults=False)


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


def input_files(project: Project, report: Report, reference: Reference) -> list[Path]:
    """The files a release snapshots: the report folder, its data files whole (and the
    previous release's), the reference data and the templates. The build's input hash
    covers the same files except the data, of which it hashes only the rows it uses."""
    paths = {
        *files_below(report.folder),
        *report.data_files,
        *report.previous_data_files,  # output/<prev>/<X.Y>/source/data/: kept at that path
        *reference.files,
        *project.template_files().values(),  # the project's own and the defaults it uses
    }
    return sorted(paths)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_hashes(project: Project, paths: Iterable[Path]) -> dict[str, str]:
    """``{"source/<path in project>": sha256}`` for the snapshot of ``paths``."""
    return {f"{SOURCE}/{project.source_name(path)}": sha256(path) for path in paths}


@dataclass(frozen=True)
class Released:
    report_id: str
    version: str
    folder: Path
    pdf: Path
    pages: int
    files: int


@dataclass(frozen=True)
class Verified:
    report_id: str
    version: str
    pdf: Path
    files: int


def _refuse(where: str, message: str) -> InputError:
    return InputError([Problem(Location(where), message)])


def single(prepared: list[Prepared], project: Project) -> Prepared:
    """Releases and diffs are of one document; a parameterised report has many."""
    item = prepared[0]
    if len(prepared) > 1 or item.report.parameter:
        raise _refuse(
            project.shown(item.report.folder / "report.toml"),
            "releasing or comparing a parameterised report is not supported yet:"
            f" it renders {len(prepared)} documents",
        )
    return item


def check_names(project: Project, report_id: str, version: str) -> None:
    """Ids and versions become paths: check them before they are used as one."""
    problems = Problems()
    if not REPORT_ID.match(report_id):
        problems.error(
            "reports", f"'{report_id}' is not a report id (lowercase letters, digits and '-')"
        )
    if parse_version(version) is None:
        problems.error(
            "--version",
            f"'{version}' is not a release version: use major.minor, e.g. 1.0 or 2.3",
        )
    problems.raise_if_any()


def _refuse_symlinks(project: Project, paths: Iterable[Path]) -> None:
    refuse_links(paths, project.root, "releases")


def _output_path_links(project: Project, report_id: str, version: str) -> list[Path]:
    folder = project.output_folder(report_id)
    return [project.output_dir, folder, folder / version]


def _version_line(report: Report) -> int | None:
    lines = (report.folder / "report.toml").read_text(encoding="utf-8").splitlines()
    return next(
        (i for i, line in enumerate(lines, start=1) if re.match(r"\s*version\s*=", line)), None
    )


def _check_new_version(project: Project, report_id: str, version: str) -> None:
    existing = versions(project, report_id)
    where = project.shown(release_folder(project, report_id, version))
    if version in existing or release_folder(project, report_id, version).exists():
        raise _refuse(where, f"version {version} of {report_id} exists; releases never change")
    new = parse_version(version) or (0, 0)
    if existing and new <= (parse_version(existing[-1]) or (0, 0)):
        raise _refuse(
            where,
            f"version {version} is not greater than the latest release {existing[-1]}",
        )


def _git(project: Project) -> dict[str, object] | None:
    """The commit the project is at, and whether its inputs have uncommitted changes."""
    if shutil.which("git") is None:
        return None

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(project.root), *args],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    commit = git("rev-parse", "HEAD")
    if not top or not commit:
        return None
    status = git("status", "--porcelain", "--", "reports", "data", "templates")
    return {"commit": commit, "dirty": bool(status)}


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
    """The PDF of ``report_id`` built from a project folder: release and verify share it."""
    problems = Problems()
    prepared = prepare(source, [report_id], problems, cache)
    problems.raise_if_any()
    item = single(prepared, source)
    assert item.html is not None
    pdf, pages = html_to_pdf(
        item.html,
        source.templates_dir,
        source.readable_roots,
        source.shown(item.report.folder / "report.toml"),
        document=item.info,
        attachments=item.attachments,
        limits=item.report.limits,
    )
    return pdf, pages, item


def _make_read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)


def _make_writable(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def release(project: Project, report_id: str, version: str) -> Released:
    """Release ``report_id`` as ``version``; refuse (nothing touched) if it may not be."""
    check_names(project, report_id, version)
    _refuse_symlinks(project, _output_path_links(project, report_id, version))
    _check_new_version(project, report_id, version)

    problems = Problems()
    cache = cache_for(project)
    prepared = prepare(project, [report_id], problems, cache)
    problems.raise_if_any()
    report = single(prepared, project).report
    if report.version != version:
        raise InputError(
            [
                Problem(
                    Location(project.shown(report.folder / "report.toml"), _version_line(report)),
                    f'version is "{report.version}" but the release is {version}: set '
                    f'version = "{version}" so the document prints the version it is released as',
                )
            ]
        )
    reference = load_reference(project, problems)
    problems.raise_if_any()
    inputs = input_files(project, report, reference)
    _refuse_symlinks(project, inputs)

    folder = project.output_folder(report_id)
    created = [p for p in (project.output_dir, folder) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / f".release-{version}.lock"
    # flock, not a file that exists: the kernel drops it when the process dies, so a
    # release that was killed never blocks the next one.
    descriptor = os.open(lock, os.O_CREAT | os.O_WRONLY, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        for made in reversed(created):
            with contextlib.suppress(OSError):
                made.rmdir()
        raise _refuse(
            project.shown(lock), f"another release of {report_id} {version} is in progress"
        ) from None
    for stale in folder.glob(f".release-{version}-*"):  # staging left by a killed release
        _make_writable(stale)
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".release-{version}-", dir=folder))
    try:
        _check_new_version(project, report_id, version)  # again, now that we hold the lock
        for path in inputs:
            copy = staging / SOURCE / project.source_name(path)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
        pdf, pages, _ = render_snapshot(Project(staging / SOURCE), report_id, cache)
        pdf_name = f"{report_id}-{version}.pdf"
        (staging / pdf_name).write_bytes(pdf)
        files = {pdf_name: hashlib.sha256(pdf).hexdigest(), **source_hashes(project, inputs)}
        manifest = {
            "report": report_id,
            "version": version,
            "title": report.title,
            "date": report.date.isoformat() if report.date else None,
            "released": release_time(),
            "rmr_gen": __version__,
            "git": _git(project),
            "pdf": pdf_name,
            "pages": pages,
            "files": dict(sorted(files.items())),
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (staging / MANIFEST).write_text(text, encoding="utf-8")
        _make_read_only(staging)
        try:
            os.rename(staging, folder / version)  # fails if a release got there first
        except OSError:
            raise _refuse(
                project.shown(folder / version),
                f"version {version} of {report_id} exists; releases never change",
            ) from None
        (folder / version).chmod(0o555)
    except BaseException:
        if staging.exists():
            _make_writable(staging)
            shutil.rmtree(staging, ignore_errors=True)
        lock.unlink(missing_ok=True)
        os.close(descriptor)
        for made in reversed(created):  # a refused release leaves no empty folders either
            with contextlib.suppress(OSError):
                made.rmdir()
        raise
    lock.unlink(missing_ok=True)
    os.close(descriptor)
    cache.flush()
    target = folder / version
    return Released(report_id, version, target, target / pdf_name, pages, len(files))


def read_manifest(project: Project, report_id: str, version: str) -> dict[str, object]:
    """The release's manifest; an error when the release does not exist."""
    check_names(project, report_id, version)
    _refuse_symlinks(project, _output_path_links(project, report_id, version))
    path = release_folder(project, report_id, version) / MANIFEST
    if not path.is_file():
        known = ", ".join(versions(project, report_id)) or "none"
        raise _refuse(
            project.shown(path.parent),
            f"no release {version} of {report_id} (released: {known})",
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise _refuse(project.shown(path), f"not a valid manifest: {exc}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise _refuse(project.shown(path), "not a valid manifest: no 'files'")
    return manifest


def verify(project: Project, report_id: str, version: str) -> Verified:
    """Prove the release is intact and that its snapshot rebuilds to the same PDF bytes."""
    manifest = read_manifest(project, report_id, version)
    folder = release_folder(project, report_id, version)
    files: dict[str, str] = manifest["files"]  # type: ignore[assignment]
    problems = Problems()
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for name, digest in sorted(files.items()):
        path = folder / name
        if name not in present:
            problems.error(project.shown(path), "listed in manifest.json but missing")
        elif sha256(path) != digest:
            problems.error(project.shown(path), "changed since the release (sha256 differs)")
    for name in sorted(present - set(files) - {MANIFEST}):
        problems.error(project.shown(folder / name), "not part of the release (not in manifest)")
    problems.raise_if_any()
    pdf_path = folder / str(manifest.get("pdf", f"{report_id}-{version}.pdf"))
    rebuilt, _, _ = render_snapshot(
        snapshot(project, report_id, version), report_id, Cache(project.output_dir / ".cache")
    )
    if rebuilt != pdf_path.read_bytes():
        made_by = manifest.get("rmr_gen")
        hint = (
            f" (released with rmr-gen {made_by}, this is {__version__})"
            if (made_by != __version__)
            else ""
        )
        raise _refuse(project.shown(pdf_path), f"the snapshot rebuilds to different bytes{hint}")
    return Verified(report_id, version, pdf_path, len(files))


def draft_differs(project: Project, report: Report, reference: Reference, version: str) -> bool:
    """Whether the current inputs differ from those snapshotted in release ``version``."""
    try:
        manifest = read_manifest(project, report.id, version)
    except InputError:
        return True
    files = manifest["files"]
    assert isinstance(files, dict)  # read_manifest checked it
    released = {k: v for k, v in files.items() if k.startswith(f"{SOURCE}/")}
    return released != source_hashes(project, input_files(project, report, reference))
