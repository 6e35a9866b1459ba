"""The publication workflow, measured: every report of the project, as CI builds them.

Whole processes, interleaved rounds; prints medians and, for each figure, the
median of its per-round ratios:

- full build, cold (cache removed, ``--force``) and warm (``--force``: every PDF
  rendered again), with ``--jobs`` 1, 2 and, when the machine has them, 4: the
  speed-up over ``--jobs 1``;
- raw WeasyPrint turning copies of the very same HTML files into PDF/UA-1, in
  one process: ``--jobs 1`` warm as a ratio to it, and the cost per PDF;
- a no-op build (nothing changed) as a share of the full cold ``--jobs 2`` build;
- ``rmr-gen --help`` start-up.

With --quick: one round, and ``--jobs 2`` only warm.

Usage: .venv/bin/python benchmarks/workflow.py [--runs N] [--quick] [--project DIR]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import (
    RMR_GEN,
    SUMMARY,
    Timings,
    base_url,
    build,
    check_args,
    clear_cache,
    fail,
    goal,
    parser,
    rounds,
    step,
    table,
    timed,
)

RAW = """
import sys
from pathlib import Path
from weasyprint import HTML
base, out = sys.argv[1], Path(sys.argv[2])
for i, name in enumerate(sys.argv[3:]):
    HTML(filename=name, base_url=base).write_pdf(out / f"{i}.pdf", pdf_variant="pdf/ua-1")
"""


def job_counts() -> list[int]:
    """1, 2, then doublings up to the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    counts = [1, 2]
    while counts[-1] * 2 <= cores:
        counts.append(counts[-1] * 2)
    return counts


def main() -> None:
    args = parser(__doc__, runs=3).parse_args()
    check_args(args)
    project: Path = args.project

    first = build(project, "--force", "--html")
    found = SUMMARY.search(first.stdout)
    if found is None or int(found[3]) or not int(found[1]):
        fail(f"rmr-gen build --force --html: {first.stdout.strip().splitlines()[-1:]}")
    pdfs = int(found[1])
    htmls = sorted((project / "output").glob("*/*.html"))
    if len(htmls) != pdfs:
        fail(f"rmr-gen build --html built {pdfs} PDFs but wrote {len(htmls)} HTML files")

    with tempfile.TemporaryDirectory() as scratch:
        # build --force without --html deletes these: the raw side reads copies.
        copies = []
        for i, html in enumerate(htmls):
            copies.append(str(Path(scratch) / f"{i}-{html.name}"))
            shutil.copyfile(html, copies[-1])
        out = Path(scratch) / "pdf"
        out.mkdir()
        raw = [sys.executable, "-c", RAW, base_url(project), str(out), *copies]

        cold = lambda: clear_cache(project)  # noqa: E731
        cases: dict[str, tuple[Callable[[], object], Callable[[], object] | None]] = {}
        for jobs in job_counts():
            for warmth, before in (("cold", cold), ("warm", None)):
                if args.quick and jobs > 1 and warmth == "cold":
                    continue  # a smoke test: every kind of step once
                cases[f"full build `--jobs {jobs}`, {warmth}"] = (
                    lambda jobs=jobs: build(project, "--force", "--jobs", str(jobs), built=pdfs),
                    before,
                )
        cases["raw WeasyPrint, same HTML, one process"] = (
            lambda: step(raw, project),
            lambda: [pdf.unlink() for pdf in out.glob("*.pdf")],
        )
        cases["no-op `rmr-gen build`"] = (lambda: build(project, built=0), None)
        cases["`rmr-gen --help`"] = (lambda: step([RMR_GEN, "--help"], project), None)

        times = Timings(list(cases))
        for _ in range(args.runs):
            for name, (action, before) in cases.items():
                times.add(name, timed(action, before))
            if len(list(out.glob("*.pdf"))) != pdfs:
                fail(f"raw WeasyPrint wrote {len(list(out.glob('*.pdf')))} PDFs, not {pdfs}")

    raw_case = "raw WeasyPrint, same HTML, one process"
    two_warm = "full build `--jobs 2`, warm"
    rows = []
    for name in cases:
        seconds = times.median(name)
        if name.startswith("full build"):
            warmth = name.rpartition(", ")[2]
            one = f"full build `--jobs 1`, {warmth}"
            if name == one:
                figure = f"{times.ratio(name, raw_case):.2f}× raw WeasyPrint"
                if warmth == "warm":
                    figure += f" (goal {goal(times.ratio(name, raw_case), 1.2)})"
                figure += f"; {seconds / pdfs:.2f} s per PDF"
            else:
                speedup = times.ratio(one, name)
                figure = f"speed-up {speedup:.2f}× over `--jobs 1`"
                if name == "full build `--jobs 2`, cold":
                    figure += f" (goal {goal(speedup, 1.85, at_most=False)})"
        elif name == raw_case:
            figure = f"1.00; {seconds / pdfs:.2f} s per PDF"
        elif name.startswith("no-op"):
            full = next(c for c in ("full build `--jobs 2`, cold", two_warm) if c in cases)
            share = 100 * times.ratio(name, full)
            figure = (
                f"{share:.1f} % of the {full.rpartition(', ')[2]} `--jobs 2` build"
                f" (goal {goal(share, 3, unit=' %')})"
            )
        else:
            figure = f"{times.ratio(name, raw_case):.2f}× raw WeasyPrint"
        rows.append([name, f"{seconds:.2f}", f"{times.median(name, cpu=True):.2f}", figure])
    print(f"### Every report: {pdfs} PDFs, {rounds(args.runs)}\n")
    print(table(["case", "median s", "CPU s", "figure"], rows))


if __name__ == "__main__":
    main()
