"""What the benchmark scripts share: options, steps that fail loudly, timing, tables.

A step that fails stops the script with its command, exit code and the end of
its stderr, and exit code 1: a benchmark never prints figures measured on a
step that did not do its work.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RMR_GEN = str(BIN / "rmr-gen")
#: Plain output lines, no progress bar: what CI and scripts see.
ENV = {**os.environ, "CI": "1"}
SUMMARY = re.compile(r"(\d+) built, (\d+) skipped, (\d+) failed")


def fail(message: str) -> NoReturn:
    """Stop the benchmark: message on stderr, exit code 1."""
    print(f"{Path(sys.argv[0]).name}: error: {message}", file=sys.stderr)
    raise SystemExit(1)


def parser(doc: str | None, runs: int | None, project: bool = True) -> argparse.ArgumentParser:
    """The options every script takes: --runs, --quick and --project (accepted, unlisted
    and unused when the script makes its own data: ``project=False``)."""
    assert doc is not None
    result = argparse.ArgumentParser(
        description=doc.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    shown = runs if runs is not None else "each script's own"
    result.add_argument("--runs", type=int, default=runs, help=f"rounds (default: {shown})")
    result.add_argument(
        "--quick", action="store_true", help="one short round on a small case: a smoke test"
    )
    result.add_argument(
        "--project",
        type=Path,
        default=ROOT if project else None,
        help="the rmr-gen project to build (default: this repository)"
        if project
        else argparse.SUPPRESS,
    )
    return result


def check_args(args: argparse.Namespace) -> None:
    """``--runs`` at least 1 (1 with --quick), ``--project`` a project folder."""
    if args.quick:
        args.runs = 1
    if args.runs is not None and args.runs < 1:
        fail(f"--runs must be at least 1, not {args.runs}")
    if getattr(args, "project", None) is not None:
        args.project = args.project.resolve()
        if not (args.project / "reports").is_dir():
            fail(f"{args.project}: not an rmr-gen project (no reports/ folder)")


def step(command: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command``; a non-zero exit stops the benchmark with what it printed."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-20:])
        fail(f"step failed with exit code {result.returncode}: {shlex.join(command)}\n{tail}")
    return result


def build(project: Path, *args: str, built: int | None = None) -> subprocess.CompletedProcess[str]:
    """``rmr-gen build ARGS`` in ``project``; with ``built``, exactly that many PDFs
    must have been rendered (a "full build" that skipped would time nothing)."""
    result = step([RMR_GEN, "--project", str(project), "build", *args], project)
    if built is not None:
        found = SUMMARY.search(result.stdout)
        if found is None or int(found[1]) != built or int(found[3]) != 0:
            fail(
                f"rmr-gen build {' '.join(args)}: expected {built} built, 0 failed; "
                f"it printed: {result.stdout.strip().splitlines()[-1:] or '(nothing)'}"
            )
    return result


def base_url(project: Path) -> str:
    """The folder WeasyPrint resolves the HTML's URLs from, as rmr-gen does: the project's
    own templates/ when it has a base.css, else rmr-gen's default templates."""
    from rmr_gen.core.project import Project

    return Project(project).templates_dir.as_uri() + "/"


def clear_cache(project: Path) -> None:
    """Remove parsed data and drawn charts: the next build is cold."""
    shutil.rmtree(project / "output" / ".cache", ignore_errors=True)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(
    action: Callable[[], object], before: Callable[[], object] | None = None
) -> tuple[float, float]:
    """Wall-clock seconds of ``action`` and CPU seconds of the processes it ran (with
    their workers): on a shared machine the CPU time is what other load leaves alone.
    ``before`` runs first, untimed."""
    if before is not None:
        before()
    cpu = _children_cpu()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started, _children_cpu() - cpu


class Timings:
    """Wall and CPU seconds per case, one value per round; rounds interleave every case."""

    def __init__(self, cases: Sequence[str]) -> None:
        self.values: dict[str, list[float]] = {case: [] for case in cases}
        self.cpu: dict[str, list[float]] = {case: [] for case in cases}

    def add(self, case: str, seconds: tuple[float, float]) -> None:
        self.values[case].append(seconds[0])
        self.cpu[case].append(seconds[1])

    def median(self, case: str, cpu: bool = False) -> float:
        return statistics.median((self.cpu if cpu else self.values)[case])

    def ratio(self, case: str, base: str, cpu: bool = False) -> float:
        """Median of the per-round ratios: each pair was measured side by side."""
        values = self.cpu if cpu else self.values
        pairs = zip(values[case], values[base], strict=True)
        return statistics.median(a / b for a, b in pairs)


def rounds(runs: int) -> str:
    return f"{runs} interleaved round{'s' if runs != 1 else ''}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, as the guide's speed page shows it."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def goal(value: float, limit: float, at_most: bool = True, unit: str = "") -> str:
    """``≤ 1.15: met`` or ``≥ 1.85: not met``."""
    met = value <= limit if at_most else value >= limit
    return f"{'≤' if at_most else '≥'} {limit:g}{unit}: {'met' if met else 'not met'}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> str:
    """One line: when and where the figures were measured."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{now}; {platform.machine()}, {usable} cores ({_cpu_model()}), "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"WeasyPrint {_version('weasyprint')}, pikepdf {_version('pikepdf')}, "
        f"rmr-gen {_version('rmr-gen')}"
    )


def tree(pid: int) -> list[int]:
    """``pid`` and its running descendants (Linux /proc), parents first."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in children.read_text().split()]
            except OSError:
                continue
    return found


#: The 21 regions, as the reference data names them (synthetic national files).
REGIONS = (
    "Stockholm", "Uppsala", "Sörmland", "Östergötland", "Jönköping", "Kronoberg", "Kalmar",
    "Gotland", "Blekinge", "Skåne", "Halland", "Västra Götaland", "Värmland", "Örebro",
    "Västmanland", "Dalarna", "Gävleborg", "Västernorrland", "Jämtland/Härjedalen",
    "Västerbotten", "Norrbotten",
)  # fmt: skip
