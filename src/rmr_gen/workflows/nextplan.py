"""Next year's plan: a new report folder carried over from the latest release.

The texts and report.toml come from the release's snapshot (what was
published, not whatever the draft has become); the data period moves on by a
year, the old period becomes ``previous_period``, and ``previous`` names the
release, so the change column and chart read the previous period's rows from
that release's data snapshot. The version starts again at 1.0: a new report id
is a new document with its own version history.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.confine import Refused, read_bytes, real_root
from rmr_gen.core.errors import refusal
from rmr_gen.core.files import MAX_FILE_BYTES, files_below
from rmr_gen.core.i18n import M, reason_of
from rmr_gen.core.project import REPORT_ID, Project
from rmr_gen.inputs.config import normalise_period
from rmr_gen.workflows.releasecheck import check_intact
from rmr_gen.workflows.releases import snapshot, versions


@dataclass(frozen=True)
class NewReport:
    report_id: str
    folder: Path
    source: str  # "<report-id>@<X.Y>"
    period: str
    previous_period: str
    target_year: int | None = None  # the carried-over plan's
    new_target_year: int | None = None  # moved on by a year, like the period


def next_period(period: str) -> str:
    """``2022–2023`` → ``2023–2024``; ``2023`` → ``2024``."""
    return "–".join(str(int(year) + 1) for year in period.split("–"))


def _set(text: str, key: str, value: str, after: str | None = None) -> str:
    """Set ``key = "value"`` on its own line, keeping comments; add it after ``after``."""
    line = re.compile(rf'^(\s*){re.escape(key)}\s*=\s*"[^"\n]*"', re.M)
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    if line.search(text):
        return line.sub(lambda m: f'{m.group(1)}{key} = "{quoted}"', text, count=1)
    anchor = re.compile(rf"^\s*{re.escape(after)}\s*=.*$", re.M) if after else None
    match = anchor.search(text) if anchor else None
    if match is None:
        return f'{key} = "{quoted}"\n' + text
    return text[: match.end()] + f'\n{key} = "{quoted}"' + text[match.end() :]


def _get(text: str, key: str) -> str:
    match = re.search(rf'^\s*{re.escape(key)}\s*=\s*"([^"\n]*)"', text, re.M)
    return match.group(1) if match else ""


def _get_number(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=\s*(\d+)\s*(?:#.*)?$", text, re.M)
    return int(match.group(1)) if match else None


def _snapshot_files(project: Project, folder: Path) -> dict[Path, bytes]:
    """The files of a release's report folder; a release holds no links, so one is refused
    (its target, wherever it leads, is never read), and so is anything not a regular file."""
    try:
        root = real_root(folder, project.root)
        found = {}
        for path in files_below(folder):
            if path.is_symlink():
                raise Refused(
                    M(
                        "next.symbolic-link",
                        "'{path}' is a symbolic link; a release holds none",
                        path=project.shown(path),
                    )
                )
            found[path] = read_bytes(path, (root,), MAX_FILE_BYTES)
    except Refused as exc:
        raise refusal(
            project.shown(folder),
            M(
                "next.cannot-carry-over",
                "cannot carry over the release: {reason}",
                reason=reason_of(exc),
            ),
        ) from None
    return found


def new_report(project: Project, new_id: str, from_id: str) -> NewReport:
    """Create ``reports/<new_id>/`` from the latest release of ``from_id``."""
    if not REPORT_ID.match(new_id):
        raise refusal(
            "reports",
            M(
                "new.bad-report-id",
                "'{report_id}' is not a report id (lowercase letters, digits, '-')",
                report_id=new_id,
            ),
        )
    if not REPORT_ID.match(from_id):
        raise refusal(
            "--from", M("next.bad-report-id", "'{report_id}' is not a report id", report_id=from_id)
        )
    target = project.reports_dir / new_id
    if target.exists() or target.is_symlink():
        raise refusal(
            project.shown(target),
            M("new.report-exists", "report '{report_id}' exists", report_id=new_id),
        )
    released = versions(project, from_id)
    if not released:
        raise refusal(
            f"output/{from_id}",
            M(
                "next.no-release",
                "'{report_id}' has no release to carry over"
                " (release it first: rmr-gen release {report_id} --version X.Y)",
                report_id=from_id,
            ),
        )
    latest = released[-1]
    check_intact(project, from_id, latest)  # carry over what was published, nothing else
    source_folder = snapshot(project, from_id, latest).reports_dir / from_id
    contents = _snapshot_files(project, source_folder)
    try:
        toml = contents[source_folder / "report.toml"].decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        raise refusal(
            project.shown(source_folder),
            M("next.no-report-toml", "no readable report.toml in the release"),
        ) from None

    period = normalise_period(_get(toml, "period")) or ""
    new_period = next_period(period) if period else ""
    if period:
        toml = _set(toml, "period", new_period)
        toml = _set(toml, "previous_period", period, after="period")
        # The new previous period is the released plan's own: no longer an assumption.
        toml = re.sub(r'^\s*previous_period_assumed\s*=\s*"[^"\n]*"[^\n]*\n', "", toml, flags=re.M)
    target_year = _get_number(toml, "target_year")
    new_target_year = target_year + 1 if target_year is not None else None
    if new_target_year is not None:
        toml = re.sub(
            r"^(\s*target_year\s*=\s*)\d+", rf"\g<1>{new_target_year}", toml, count=1, flags=re.M
        )
    toml = _set(toml, "version", "1.0")
    toml = _set(toml, "previous", f"{from_id}@{latest}", after="version")

    staging = Path(tempfile.mkdtemp(prefix=f".new-{new_id}-", dir=project.reports_dir))
    try:
        for path, content in contents.items():
            copy = staging / path.relative_to(source_folder)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(content)  # a new regular file in our own staging folder
            copy.chmod(0o644)
        (staging / "report.toml").write_text(toml, encoding="utf-8")
        staging.chmod(0o755)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return NewReport(
        new_id, target, f"{from_id}@{latest}", new_period, period, target_year, new_target_year
    )
