"""Starting out: a new project (``rmr-gen init``) and a new report (``rmr-gen new --kind``).

A project needs only ``reports/`` (and its data files in ``data/``): templates,
CSS, fonts and reference data are rmr-gen's defaults until the project adds
its own ``templates/`` or ``data/*.toml``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.errors import Problems, refusal
from rmr_gen.core.project import PACKAGE, REPORT_ID, Project
from rmr_gen.inputs.config import Reference, load_reference, suggest

STARTERS = PACKAGE / "starters"
KINDS = ("processmal", "rmr")


def init_project(target: Path) -> list[Path]:
    """Make ``target`` a project with one example report that builds; return what was written."""
    if (target / "reports").exists():
        raise refusal(str(target), "is already an rmr-gen project (it has reports/)")
    if target.exists() and not target.is_dir():
        raise refusal(str(target), "exists and is not a folder")
    source = STARTERS / "project"
    if not (source / "reports").is_dir():  # a broken installation, not the user's mistake
        raise RuntimeError(f"rmr-gen's starter project is missing: {source}")
    files = {
        path: target / (".gitignore" if name == "gitignore" else name)
        for path in sorted(source.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
        for name in [path.relative_to(source).as_posix()]
    }
    _refuse_links(target, files.values())
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path, copy in files.items():
        if copy.exists():
            continue  # never overwrite what the user has
        copy.parent.mkdir(parents=True, exist_ok=True)
        if _create(copy, path.read_bytes()):
            written.append(copy)
    return written


def _refuse_links(target: Path, files: Iterable[Path]) -> None:
    """``init`` never writes through a symbolic link: not into a linked ``data/`` (or
    any folder it fills), not to a linked (even dangling) ``.gitignore``."""
    problems = Problems()
    for copy in files:
        current = target
        for part in copy.relative_to(target).parts:
            current = current / part
            if current.is_symlink():
                problems.error(
                    str(current),
                    "is a symbolic link; init writes into the folder given, never through a link",
                )
                break
    problems.raise_if_any()


def _create(path: Path, content: bytes) -> bool:
    """Write a new file, never through a link and never over one (False: it exists)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return False  # made in the meantime: the user's, left alone
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    return True


@dataclass(frozen=True)
class Started:
    report_id: str
    folder: Path
    files: tuple[str, ...]


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _organisation(reference: Reference, organisation: str | None) -> str:
    known = sorted(reference.organisations)
    if organisation is None:
        if len(known) == 1:
            return known[0]
        raise refusal("--organisation", f"required; one of: {', '.join(known)}")
    if organisation not in reference.organisations:
        raise refusal(
            "--organisation",
            f"unknown organisation '{organisation}'{suggest(organisation, known)}"
            f" (one of: {', '.join(known)})",
        )
    return organisation


def _regions(reference: Reference, regions: list[str]) -> list[str]:
    problems = Problems()
    for region in regions:
        if region not in reference.regions:
            problems.error(
                "--regions", f"unknown region '{region}'{suggest(region, reference.regions)}"
            )
    problems.raise_if_any()
    return regions


def _processmal(organisation: str, regions: list[str]) -> dict[str, str]:
    region_line = f"regions = {_toml_list(regions)}" if regions else '# regions = ["Gotland"]'
    toml = f"""# A processmål document. The texts are the Markdown files listed in `contents`.
kind = "processmal"
title = "Processmål (arbetsnamn)"
organisation = "{organisation}"
version = "1.0"
contents = ["inledning.md", "mal.md"]

# Results per region: put the data file in data/, remove the # marks below and
# add "table:tabell-1" to `contents` (see the README, "Indicator data").
[data]
# files = ["mina-data.csv"]
# period = "2023–2024"
# previous_period = "2022–2023"
{region_line}

# [[indicators]]
# id = "brytpunktssamtal"
# target = 90

# [tables.tabell-1]
# type = "indicator-summary"
# caption = "Tabell 1. Mål och målnivåer. Nuläge avser perioden {{period}}."
"""
    return {
        "report.toml": toml,
        "inledning.md": "## Inledning\n\nSkriv inledningen här.\n",
        "mal.md": "## Mål\n\nBeskriv målen här.\n",
    }


def _rmr(organisation: str, regions: list[str]) -> dict[str, str]:
    scope = f"\n# Regions: {', '.join(regions)}" if regions else ""
    toml = f"""# A regional medical guideline (RMR): the texts are the files in `contents`.{scope}
kind = "rmr"
title = "Regional medicinsk riktlinje (arbetsnamn)"
organisation = "{organisation}"
# document_id = "SSN…"   # printed on every page once the document has one
version = "1.0"
contents = ["01-inledning.md", "02-riktlinje.md"]
"""
    return {
        "report.toml": toml,
        "01-inledning.md": "## Inledning\n\nSkriv inledningen här.\n",
        "02-riktlinje.md": "## Riktlinje\n\nSkriv riktlinjen här.\n",
    }


def start_report(
    project: Project,
    report_id: str,
    kind: str,
    organisation: str | None = None,
    regions: list[str] | None = None,
) -> Started:
    """Create ``reports/<report_id>/`` for ``kind``: a report.toml and texts that build."""
    if not REPORT_ID.match(report_id):
        raise refusal(
            "reports", f"'{report_id}' is not a report id (lowercase letters, digits, '-')"
        )
    if kind not in KINDS:
        raise refusal("--kind", f"'{kind}' is not one of: {', '.join(KINDS)}{suggest(kind, KINDS)}")
    target = project.reports_dir / report_id
    if target.exists() or target.is_symlink():
        raise refusal(project.shown(target), f"report '{report_id}' exists")
    problems = Problems()
    reference = load_reference(project, problems)
    problems.raise_if_any()
    org = _organisation(reference, organisation)
    chosen = _regions(reference, [r.strip() for r in regions or [] if r.strip()])
    files = (_processmal if kind == "processmal" else _rmr)(org, chosen)
    staging = Path(tempfile.mkdtemp(prefix=f".new-{report_id}-", dir=project.reports_dir))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
            (staging / name).chmod(0o644)
        staging.chmod(0o755)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Started(report_id, target, tuple(files))
