"""Starting out: a new project (``rmr-gen init``) and a new report (``rmr-gen new --kind``).

A project needs only ``reports/`` (and its data files in ``data/``): templates,
CSS, fonts and reference data are rmr-gen's defaults until the project adds
its own ``templates/`` or ``data/*.toml``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rmr_gen.core.confine import Refused, read_bytes, real_root
from rmr_gen.core.errors import Location, Problem, Problems, refusal
from rmr_gen.core.files import atomic_write
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report
from rmr_gen.core.project import PACKAGE, REPORT_ID, Project
from rmr_gen.inputs.config import Reference, load_reference, suggest

STARTERS = PACKAGE / "starters"
KINDS = ("processmal", "rmr")
#: Starter files stored without their dot (a package's dotfiles are easily lost): what
#: git ignores (drafts only) and what it keeps byte for byte (releases).
DOTFILES = ("gitignore", "gitattributes")


def init_project(target: Path) -> list[Path]:
    """Make ``target`` a project with one example report that builds; return what was written."""
    if (target / "reports").exists():
        raise refusal(
            str(target),
            M("init.already-a-project", "is already an rmr-gen project (it has reports/)"),
        )
    if target.exists() and not target.is_dir():
        raise refusal(str(target), M("init.not-a-folder", "exists and is not a folder"))
    source = STARTERS / "project"
    if not (source / "reports").is_dir():  # a broken installation, not the user's mistake
        raise RuntimeError(f"rmr-gen's starter project is missing: {source}")
    files = {
        path: target / (f".{name}" if name in DOTFILES else name)
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
                    M(
                        "init.symbolic-link",
                        "is a symbolic link; init writes into the folder given,"
                        " never through a link",
                    ),
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
    data: tuple[str, ...] = ()  # data files written for it, as shown


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _organisation(reference: Reference, organisation: str | None) -> str:
    known = sorted(reference.organisations)
    if organisation is None:
        if len(known) == 1:
            return known[0]
        raise refusal(
            "--organisation",
            M("new.organisation-required", "required; one of: {known}", known=", ".join(known)),
        )
    if organisation not in reference.organisations:
        raise refusal(
            "--organisation",
            M(
                "new.unknown-organisation",
                "unknown organisation '{organisation}'{suggestion} (one of: {known})",
                organisation=organisation,
                suggestion=suggest(organisation, known),
                known=", ".join(known),
            ),
        )
    return organisation


def _regions(reference: Reference, regions: list[str]) -> list[str]:
    problems = Problems()
    for region in regions:
        if region not in reference.regions:
            problems.error(
                "--regions",
                M(
                    "new.unknown-region",
                    "unknown region '{region}'{suggestion}",
                    region=region,
                    suggestion=suggest(region, reference.regions),
                ),
            )
    problems.raise_if_any()
    return regions


#: What an editor must still replace, as ``new --kind`` writes it: ``check`` names each one.
PLACEHOLDER = "FYLL I"


def _processmal(
    report_id: str, organisation: str, regions: list[str], reference: Reference, today: dt.date
) -> tuple[dict[str, str], dict[str, str]]:
    """A processmål that builds as it is: every part of the init example (date, target
    year, Tabell 1, Figur 1, the previous period), made-up numbers in its own data
    file, and a visible ``[FYLL I: …]`` wherever the editor has to write or check."""
    year = today.year
    period, previous = f"{year - 2}–{year - 1}", f"{year - 3}–{year - 2}"
    if not regions:  # a sjukvårdsregion's regions, to be replaced
        regions = list(next(iter(reference.healthcare_regions.values()), ())[:2])
    known = list(reference.indicators)
    indicator = "brytpunktssamtal" if "brytpunktssamtal" in known else known[0]
    data = f"{report_id}.csv"
    fill = f"[{PLACEHOLDER}:"
    toml = f"""# A processmål document. The texts are the Markdown files listed in `contents`; the
# numbers come from data/. Every text in brackets that starts with {PLACEHOLDER} is a
# placeholder: `rmr-gen check` names each one still there.
kind = "processmal"
title = "{fill} Processmål för process … i … sjukvårdsregionen för {year + 1}–{year + 4}]"
organisation = "{organisation}"
date = {today.isoformat()}  # {fill} beslutsdatum]
version = "1.0"
target_year = {year + 4}
contents = ["inledning.md", "mal.md", "table:tabell-1", "chart:figur-1", "motivering.md"]

[data]
# {fill} registrets utdrag; data/{data} har påhittade tal, inga resultat]
files = [{json.dumps(data)}]
period = "{period}"           # this plan's results ("Nuläge")
previous_period = "{previous}"  # the previous plan's: the change is computed against it
regions = {_toml_list(regions)}

[[indicators]]
id = "{indicator}"
target = 90  # {fill} målnivån]
populations = ["cancer"]

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1. {fill} Mål och målnivåer.] Nuläge avser perioden {{period}}."

[charts.figur-1]
type = "change"
caption = "Figur 1. Förändring sedan föregående plan: {{period}} jämfört med \
{{previous_period}}, med målnivå {{target_year}}."
"""
    rows = [
        f"{indicator};{region};{when};cancer;{value}"
        for region in regions
        for when, value in ((previous, 40), (period, 50))
    ]
    csv = "\n".join(["indicator;region;period;population;value", *rows]) + "\n"
    return {
        "report.toml": toml,
        "inledning.md": f"## Inledning\n\n{fill} Skriv inledningen här.]\n",
        "mal.md": f"## Mål\n\n**Mål 1:**\n\n{fill} Beskriv målet här.]\n",
        "motivering.md": f"## Motivering\n\n{fill} Motivera målen och målnivåerna här.]\n",
    }, {data: csv}


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
            "reports",
            M(
                "new.bad-report-id",
                "'{report_id}' is not a report id (lowercase letters, digits, '-')",
                report_id=report_id,
            ),
        )
    if kind not in KINDS:
        raise refusal(
            "--kind",
            M(
                "new.unknown-kind",
                "'{kind}' is not one of: {kinds}{suggestion}",
                kind=kind,
                kinds=", ".join(KINDS),
                suggestion=suggest(kind, KINDS),
            ),
        )
    target = project.reports_dir / report_id
    if target.exists() or target.is_symlink():
        raise refusal(
            project.shown(target),
            M("new.report-exists", "report '{report_id}' exists", report_id=report_id),
        )
    problems = Problems()
    reference = load_reference(project, problems)
    problems.raise_if_any()
    org = _organisation(reference, organisation)
    chosen = _regions(reference, [r.strip() for r in regions or [] if r.strip()])
    if kind == "processmal":
        files, data = _processmal(report_id, org, chosen, reference, dt.date.today())
    else:
        files, data = _rmr(org, chosen), {}
    for name in data:
        if (project.data_dir / name).exists() or (project.data_dir / name).is_symlink():
            raise refusal(
                project.shown(project.data_dir / name),
                M("new.data-file-exists", "exists (new writes it)"),
            )
    staging = Path(tempfile.mkdtemp(prefix=f".new-{report_id}-", dir=project.reports_dir))
    written: list[Path] = []
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
            (staging / name).chmod(0o644)
        staging.chmod(0o755)
        for name, text in data.items():  # made-up numbers, named as such in report.toml
            project.data_dir.mkdir(exist_ok=True)
            atomic_write(project.data_dir / name, text.encode("utf-8"))
            written.append(project.data_dir / name)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return Started(report_id, target, tuple(files), tuple(project.shown(p) for p in written))


_MARK = re.compile(r"\[" + PLACEHOLDER + r"\b")


def placeholders(project: Project, report: Report) -> list[Problem]:
    """A warning for each ``[FYLL I: …]`` still in the report's report.toml or texts,
    where it is (``new --kind`` writes them; a release should have none)."""
    names = ["report.toml", *(item.ref for item in report.contents if item.kind == "text")]
    found = []
    for name in dict.fromkeys(names):
        path = report.folder / name
        try:
            text = read_bytes(path, (real_root(report.folder, project.root),))
        except (OSError, Refused):
            continue  # loading the report said what is wrong with it
        for number, line in enumerate(text.decode("utf-8", "replace").splitlines(), start=1):
            for match in _MARK.finditer(line):
                end = line.find("]", match.end())
                said = line[match.start() : end + 1] if end >= 0 else line[match.start() :]
                where = Location(project.shown(path), number, match.start() + 1)
                found.append(
                    Problem(
                        where,
                        M("new.placeholder", "placeholder still there: {said}", said=said),
                        "warning",
                    )
                )
    return found
