"""Where a build's time goes: the phases of one report's build, and of a parallel build.

1. ``rmr-gen build REPORT --force --jobs 1`` (cache warm) against WeasyPrint's own
   work on the same HTML (parse, lay out, draw, write PDF/UA-1), phase by phase.
   Each run is a fresh process that times its phases by wrapping the functions
   that do them; the process's start-up is what the parent measures around it.
2. ``rmr-gen build --force --jobs N`` of every report (cache warm), for N = 1 and 2:
   the serial planning, the wait until the first worker renders, how busy the
   workers were over the rendering span (wall and CPU time: on a shared machine
   the difference is other processes' load), and what follows the last PDF.

Rounds interleave the cases; each figure is the median over rounds.

Usage: .venv/bin/python benchmarks/phases.py [REPORT] [--runs N] [--quick] [--project DIR]
       [--part single|parallel]
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from common import ENV, base_url, build, check_args, fail, parser, rounds, table

#: (module, attribute) wrapped in a child, and the phase its time counts as.
PHASES = (
    ("rmr_gen.workflows.build", "plan", "plan: configuration, data, hashing"),
    ("rmr_gen.output.assemble.Assembler", "render", "HTML: texts, table, chart, template"),
    ("rmr_gen.output.pdf", "_per_process", "font configuration"),
    ("weasyprint.HTML", "__init__", "parse HTML and CSS"),
    ("weasyprint.HTML", "render", "style and lay out"),
    ("weasyprint.document.Document", "write_pdf", "draw, tag, write PDF"),
    ("rmr_gen.output.pdf", "finish", "pikepdf: PDF/A-3a, PDF/UA-1, attachments, compress"),
    ("rmr_gen.workflows.drafts", "atomic_write", "write files"),
)
#: What each side imports (rmr-gen imports WeasyPrint and pikepdf lazily: timed here).
IMPORTS = {
    "rmr-gen": ("typer", "rmr_gen.cli", "rmr_gen.workflows.build"),
    "weasyprint": ("weasyprint",),
}


def _resolve(dotted: str) -> Any:
    module = dotted.partition(".")[0]
    found: Any = __import__(module)
    path = module
    for part in dotted.split(".")[1:]:
        path += "." + part
        try:
            found = getattr(found, part)
        except AttributeError:
            __import__(path)
            found = getattr(found, part)
    return found


#: The process that runs ``main()``; its forked children log their phases to a file.
_MAIN_PID = [0]
_LOG: list[Path] = []


def _log(line: str) -> None:
    """Append one line to the log: each process (workers, deadline children) its own."""
    with _LOG[0].open("a") as out:
        out.write(line + "\n")


def _wrap(
    owner: Any, name: str, phase: str, totals: dict[str, float], cpu: dict[str, float]
) -> None:
    """Count the wall and CPU time spent in ``owner.name`` (outermost calls) as ``phase``.

    rmr-gen renders in forked children (its deadline child, pool workers): there the
    time is logged to a file, which the main process adds up at exit, so that every
    phase counts the CPU of every process that did it."""
    try:
        original = getattr(owner, name)
    except AttributeError:
        fail(f"{owner.__name__}.{name} no longer exists: update PHASES in phases.py")
    depth = [0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started, used = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                wall, used = time.perf_counter() - started, time.process_time() - used
                if os.getpid() == _MAIN_PID[0]:
                    totals[phase] += wall
                    cpu[phase] += used
                else:
                    _log(f"phase\t{os.getpid()}\t{wall}\t{used}\t{phase}")

    timed.__name__ = timed.__qualname__ = getattr(original, "__qualname__", name)
    timed.__module__ = getattr(original, "__module__", None)
    setattr(owner, name, timed)


def child(mode: str, spawned: float, target: str, arguments: list[str]) -> None:
    """Run in a fresh process; print the phases as JSON on stdout."""
    entered = time.perf_counter()
    totals: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    cpu["start-up"] = time.process_time()
    _MAIN_PID[0] = os.getpid()
    _LOG[:] = [Path(target)]
    for module in IMPORTS[mode]:
        started, used = time.perf_counter(), _tree_cpu()  # ctypes runs ldconfig: a child
        __import__(module)
        totals[f"import {module}"] = time.perf_counter() - started
        cpu[f"import {module}"] = _tree_cpu() - used
    for owner, name, phase in PHASES:
        # rmr-gen imports WeasyPrint in its rendering processes only: their warm-up wraps it
        if (mode == "rmr-gen") != owner.startswith("weasyprint"):
            _wrap(_resolve(owner), name, phase, totals, cpu)
    jobs: list[list[Any]] = []
    log = Path(target)
    if mode == "rmr-gen":
        from rmr_gen.workflows import renderers

        # the rendering process started before planning resolves its warm-up by name
        renderers.WARM_UP = "__main__:_timed_warm_up"
        from rmr_gen.cli import main
        from rmr_gen.workflows import build as builder
        from rmr_gen.workflows import renderpool

        render_job, in_child = renderpool.render_job, renderpool._render_in_child

        def logged(*args: Any, **kwargs: Any) -> Any:
            started, used = time.perf_counter(), time.process_time()
            try:
                return render_job(*args, **kwargs)
            finally:
                used = time.process_time() - used
                name = args[1].report.name
                _log(f"job\t{os.getpid()}\t{started}\t{time.perf_counter()}\t{used}\t{name}")

        def rendered(*args: Any, **kwargs: Any) -> Any:  # in the deadline child
            used = time.process_time()
            try:
                return in_child(*args, **kwargs)
            finally:
                name = args[1].report.name
                _log(f"child\t{os.getpid()}\t{time.process_time() - used}\t{name}")

        render_all, serial = builder.render_all, [0.0]

        def first_pdf(*args: Any) -> Any:  # the main process's CPU before the first PDF
            serial[0] = _tree_cpu()
            yield from render_all(*args)

        builder.render_all = first_pdf
        # found by name when pickled to a worker or the deadline child, so named alike
        for function, original in ((logged, render_job), (rendered, in_child)):
            function.__name__ = function.__qualname__ = original.__name__
            function.__module__ = "rmr_gen.workflows.renderpool"
            setattr(renderpool, original.__name__, function)
        started = time.perf_counter()

        def report() -> None:  # an exit handler: runs however main() ends the process
            totals["build()"] = time.perf_counter() - started
            in_children: dict[str, float] = defaultdict(float)
            lines = log.read_text().splitlines() if log.exists() else []
            for line in lines:
                kind, pid, *rest = line.split("\t")
                if kind == "job":
                    start, end, used = map(float, rest[:3])
                    jobs.append([start, end, int(pid), used, rest[3]])
                elif kind == "child":
                    in_children[rest[1]] += float(rest[0])
                else:
                    wall, used, phase = float(rest[0]), float(rest[1]), rest[2]
                    totals[phase] += wall
                    cpu[phase] += used
            for job in jobs:  # a job's CPU: its worker's and its deadline child's
                job[3] += in_children[job[4]]
            _print_result(spawned, entered, totals, cpu, jobs, serial[0])

        atexit.register(report)
        sys.argv = ["rmr-gen", *arguments]
        main()  # as the rmr-gen script runs it, exit and all
    else:
        from weasyprint import HTML

        html, base, out = arguments
        HTML(filename=html, base_url=base).write_pdf(out, pdf_variant="pdf/ua-1")
        _print_result(spawned, entered, totals, cpu, jobs)


#: A phase that runs in a rendering process while the main process plans: not part of
#: the main process's sequence, so not subtracted from "everything else".
OVERLAPPING = (
    "warm-up: WeasyPrint, pikepdf, Markdown, fonts, templates (while the main process plans)"
)


def _timed_warm_up(project_root: str) -> None:
    """renderpool.warm_process, timed, in the rendering process started early."""
    from rmr_gen.workflows.renderpool import warm_process

    started, used = time.perf_counter(), time.process_time()
    warm_process(project_root)
    for owner, name, phase in PHASES:  # this process renders: WeasyPrint's phases too
        if owner.startswith("weasyprint"):
            _wrap(_resolve(owner), name, phase, defaultdict(float), defaultdict(float))
    _log(
        f"phase\t{os.getpid()}\t{time.perf_counter() - started}"
        f"\t{time.process_time() - used}\t{OVERLAPPING}"
    )


def _tree_cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (the reading
    and rendering children, pool workers): the exit shows only the shut-down."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _print_result(
    spawned: float,
    entered: float,
    totals: dict[str, float],
    cpu: dict[str, float],
    jobs: list[Any],
    serial: float = 0.0,
) -> None:
    cpu["done"] = _tree_cpu()
    result = {
        "serial cpu": serial,
        "start-up": entered - spawned,
        "phases": totals,
        "cpu": cpu,
        "jobs": jobs,
        "spawned": spawned,
        "done": time.perf_counter(),
    }
    print(json.dumps(result), flush=True)


def measure(mode: str, target: str, arguments: list[str], project: Path) -> dict[str, Any]:
    """One child process; its phases, and its wall time from spawn to exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    spawned = time.perf_counter()
    command = [sys.executable, __file__, "--child", mode, str(spawned), target, "--", *arguments]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=ENV)
    ended = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        fail(f"{mode} {' '.join(arguments)} failed with exit code {result.returncode}\n{tail}")
    try:
        found = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        fail(f"{mode} {' '.join(arguments)} printed no timings\n{result.stderr[-2000:]}")
    found["total"] = ended - spawned
    found["exit"] = ended - found["done"]
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found["cpu"]["total"] = cpu
    found["cpu"]["exit"] = cpu - found["cpu"].pop("done")
    return found


def single(project: Path, report: str, runs: int) -> None:
    build(project, report, "--force", "--html", built=1)
    [html] = (project / "output" / report).glob("*.html")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / html.name
        shutil.copyfile(html, copy)
        base = base_url(project)
        log = str(Path(scratch) / "jobs.log")
        cases = {
            "rmr-gen": (
                log,
                ["--project", str(project), "build", report, "--force", "--jobs", "1"],
            ),
            "weasyprint": (log, [str(copy), base, str(Path(scratch) / "plain.pdf")]),
        }
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, (target, arguments) in cases.items():
                Path(log).unlink(missing_ok=True)
                results[name].append(measure(name, target, arguments, project))

    def wall(r: dict[str, Any], phase: str) -> float:
        if phase == "total" or phase == "exit" or phase == "start-up":
            return float(r[phase])
        if phase == "rest":
            counted = sum(v for k, v in r["phases"].items() if k not in ("build()", OVERLAPPING))
            return r["total"] - r["start-up"] - counted - r["exit"]
        if phase == OVERLAPPING:  # its wall time is the main process's too: not added
            return 0.0
        return float(r["phases"].get(phase, 0.0))

    def cpu(r: dict[str, Any], phase: str) -> float:
        if phase == "rest":
            counted = sum(v for k, v in r["cpu"].items() if k not in ("build()", "total"))
            return r["cpu"]["total"] - counted
        return float(r["cpu"].get(phase, 0.0))

    # Phases of either side: rmr-gen renders in a child process (killed at the report's
    # time limit), whose phases its parent does not see; WeasyPrint's own still count.
    names = list(dict.fromkeys(k for side in results.values() for r in side for k in r["phases"]))
    names.remove("build()")
    labels = {
        "start-up": "interpreter start-up",
        **{name: name for name in names},
        "rest": "everything else (CLI, checks, messages)",
        "exit": "exit (interpreter shut-down)",
        "total": "**whole process**",
    }
    rows = []
    for phase, label in labels.items():
        cells = []
        for name in cases:
            for pick in (wall, cpu):
                value = statistics.median(pick(r, phase) for r in results[name])
                cells.append(f"{value:.3f}" if value or phase in ("rest", "exit") else "")
        if phase == "total":
            cells = [f"**{cell}**" for cell in cells]
        rows.append([label, *cells])
    print(f"### One build, phase by phase: {report}, {rounds(runs)}\n")
    header = ["phase", "rmr-gen s", "rmr-gen CPU s", "weasyprint s", "weasyprint CPU s"]
    print(table(header, rows))
    pairs = list(zip(results["rmr-gen"], results["weasyprint"], strict=True))
    ratio = statistics.median(a["total"] / b["total"] for a, b in pairs)
    used = statistics.median(a["cpu"]["total"] / b["cpu"]["total"] for a, b in pairs)
    print(f"\nrmr-gen ÷ weasyprint, whole process = {ratio:.2f} wall, {used:.2f} CPU\n")
    overlapped = [r["phases"].get(OVERLAPPING, 0.0) for r in results["rmr-gen"]]
    if any(overlapped):
        print(
            f"The warm-up took {statistics.median(overlapped):.3f} s of wall time in the"
            " rendering process while the main process went on (its CPU time is in the"
            " table; its wall time overlaps the rows above it).\n"
        )


def parallel(project: Path, runs: int) -> None:
    build(project, "--force")  # the cache warm
    results: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    same_cost: list[float] = []  # the model with --jobs 1's CPU per PDF, --jobs 2's order
    with tempfile.TemporaryDirectory() as scratch:
        log = str(Path(scratch) / "jobs.log")
        for _ in range(runs):
            for workers in results:
                Path(log).unlink(missing_ok=True)
                arguments = ["--project", str(project), "build", "--force", "--jobs", str(workers)]
                r = measure("rmr-gen", log, arguments, project)
                if not r["jobs"]:
                    fail("no PDF was rendered")
                if workers == 1:
                    serial_cost = {job[4]: job[3] for job in r["jobs"]}
                    serial_path = r["serial cpu"] + sum(serial_cost.values())
                else:
                    dealt = [[*job[:3], serial_cost[job[4]], job[4]] for job in r["jobs"]]
                    same_cost.append(serial_path / (r["serial cpu"] + makespan(dealt, workers)))
                first = min(job[0] for job in r["jobs"])
                last = max(job[1] for job in r["jobs"])
                busy = sum(job[1] - job[0] for job in r["jobs"])
                spawned = r["spawned"]
                plan = r["phases"]["plan: configuration, data, hashing"]
                before = first - spawned
                results[workers].append(
                    {
                        "PDFs": len(r["jobs"]),
                        "processes that rendered": len({job[2] for job in r["jobs"]}),
                        "start-up and imports": r["start-up"]
                        + sum(v for k, v in r["phases"].items() if k.startswith("import")),
                        "plan (serial)": plan,
                        "from plan to first PDF started (pool, pickling)": before
                        - plan
                        - r["start-up"]
                        - sum(v for k, v in r["phases"].items() if k.startswith("import")),
                        "rendering span (first PDF started → last done)": last - first,
                        "rendering, summed over PDFs": busy,
                        "CPU time of rendering, summed over PDFs": sum(job[3] for job in r["jobs"]),
                        "idle in the span (processes × span − summed)": workers * (last - first)
                        - busy,
                        "after the last PDF (write, shut down, exit)": r["total"]
                        - (last - spawned),
                        "**whole process**": r["total"],
                        "CPU: main process until the first PDF (serial)": r["serial cpu"],
                        "CPU: every process (workers, deadline children)": r["cpu"]["total"],
                        "CPU critical path (serial + busiest process, model)": r["serial cpu"]
                        + makespan(r["jobs"], workers),
                    }
                )
    keys = list(results[1][0])
    rows = []
    for key in keys:
        values = [statistics.median(r[key] for r in results[w]) for w in results]
        shown = [
            f"{v:.0f}" if key in ("PDFs", "processes that rendered") else f"{v:.2f}" for v in values
        ]
        rows.append([key, *shown])
    speedup = statistics.median(
        a["**whole process**"] / b["**whole process**"]
        for a, b in zip(results[1], results[2], strict=True)
    )
    print(f"### Parallel build, phase by phase: every report, {rounds(runs)}\n")
    print(table(["", "`--jobs 1` s", "`--jobs 2` s"], rows))
    path = "CPU critical path (serial + busiest process, model)"
    model = statistics.median(
        a[path] / b[path] for a, b in zip(results[1], results[2], strict=True)
    )
    print(f"\nspeed-up of `--jobs 2` = {speedup:.2f}× wall, {model:.2f}× CPU critical path")
    print(
        f"\nwith `--jobs 1`'s CPU time per PDF (no slow-down of two processes side by side):"
        f" {statistics.median(same_cost):.2f}× CPU critical path"
    )
    print(
        "\n(The model: what two idle cores would take, from CPU times that other load"
        " leaves alone: the main process's CPU until the first PDF, plus the PDFs' CPU"
        " times dealt, in the order they started, to whichever process is free first.)"
    )


def makespan(jobs: list[Any], workers: int) -> float:
    """CPU seconds of the busiest process when ``jobs`` (in the order they started) go to
    whichever of ``workers`` processes is free first."""
    free = [0.0] * workers
    for job in sorted(jobs, key=lambda job: job[0]):
        free[free.index(min(free))] += job[3]
    return max(free)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, spawned, target, separator, *arguments = sys.argv[2:]
        assert separator == "--"
        child(mode, float(spawned), target, arguments)
        return
    options = parser(__doc__, runs=5)
    options.add_argument("report", nargs="?", help="a report that builds one PDF")
    options.add_argument(
        "--part", choices=("both", "single", "parallel"), default="both", help="what to time"
    )
    args = options.parse_args()
    check_args(args)
    from build_vs_weasyprint import default_report

    if args.part in ("both", "single"):
        single(args.project, args.report or default_report(args.project), args.runs)
    if args.part in ("both", "parallel"):
        parallel(args.project, args.runs)


if __name__ == "__main__":
    main()
