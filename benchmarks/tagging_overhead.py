"""What do tagging, PDF/A-3 and embedding cost over a plain PDF of the same HTML?

Renders each report's HTML (as ``rmr-gen build`` makes it) to PDF twice per
round, in one process, interleaved in ABBA order so the shared machine's noise hits both
alike: once plain (untagged, not archival), once as rmr-gen writes it (tagged
PDF/A-3a, finished as PDF/UA-1 with pikepdf, source files embedded). Prints
medians of CPU time and their ratio; the goal is at most 1.15.

With --quick: one round on the first PDF only.

Usage: .venv/bin/python benchmarks/tagging_overhead.py [REPORT_ID ...] [--runs N]
       [--quick] [--project DIR]
"""

from __future__ import annotations

import gc
import resource
import statistics
import time
from collections.abc import Callable

from common import check_args, fail, goal, parser, rounds, table

from rmr_gen.core.errors import InputError, Problems
from rmr_gen.core.project import Project
from rmr_gen.output.pdf import html_to_pdf
from rmr_gen.workflows.build import cache_for, prepare


def _cpu() -> float:
    """CPU seconds of this process and of its ended children: html_to_pdf renders in a
    forked child (killed at the time limit), whose time is most of the work."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(work: Callable[[], object]) -> float:
    gc.collect()
    started = _cpu()  # CPU time: other work on a shared machine counts less
    work()
    return _cpu() - started


def main() -> None:
    options = parser(__doc__, runs=11)
    options.add_argument("reports", nargs="*")
    args = options.parse_args()
    check_args(args)

    project = Project(args.project)
    problems = Problems()
    try:
        prepared = prepare(
            project, args.reports or project.report_ids(), problems, cache_for(project)
        )
        problems.raise_if_any()
    except InputError as exc:
        fail("the project has errors:\n" + "\n".join(str(p) for p in exc.problems))
    if not prepared:
        fail("no report to render")
    if args.quick:
        prepared = prepared[:1]

    rows = []
    ratios = []
    for item in prepared:
        assert item.html is not None
        source = project.shown(item.report.folder / "report.toml")

        def plain(html: str = item.html, source: str = source) -> object:
            return html_to_pdf(
                html, project.templates_dir, project.readable_roots, source, variant=None
            )

        def archival(item: object = item, source: str = source) -> object:
            return html_to_pdf(
                item.html,  # type: ignore[attr-defined]
                project.templates_dir,
                project.readable_roots,
                source,
                document=item.info,  # type: ignore[attr-defined]
                attachments=item.attachments,  # type: ignore[attr-defined]
            )

        plain()
        archival()  # warm up: fonts, imports
        times: dict[str, list[float]] = {"plain": [], "archival": []}
        for run in range(args.runs):  # ABBA order: neither side always goes first
            for name in ("plain", "archival") if run % 2 == 0 else ("archival", "plain"):
                times[name].append(timed(plain if name == "plain" else archival))
        base = statistics.median(times["plain"])
        full = statistics.median(times["archival"])
        ratio = statistics.median(
            a / p for a, p in zip(times["archival"], times["plain"], strict=True)
        )
        ratios.append(ratio)
        rows.append([item.report.name, f"{base:.3f}", f"{full:.3f}", f"{ratio:.2f}"])
    print(f"### Archival PDF over plain PDF, same HTML, CPU time, {rounds(args.runs)} (ABBA)\n")
    print(table(["report", "plain CPU s", "archival CPU s", "ratio"], rows))
    worst = max(ratios)
    print(f"\narchival ÷ plain = {worst:.2f} at worst (goal {goal(worst, 1.15)})")


if __name__ == "__main__":
    main()
