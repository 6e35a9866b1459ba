"""What do tagging, PDF/A-3 and embedding cost over a plain PDF of the same HTML?

Renders each report's HTML (as ``rmr-gen build`` makes it) to PDF twice per
round, in one process, interleaved in ABBA order so the shared machine's noise hits both
alike: once plain (untagged, not archival), once as rmr-gen writes it (tagged
PDF/A-3a, finished as PDF/UA-1 with pikepdf, source files embedded). Prints
medians of CPU time and their ratio; the goal is at most 1.15.

Usage: .venv/bin/python benchmarks/tagging_overhead.py [REPORT_ID ...] [--runs N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rmr_gen.build import cache_for, prepare
from rmr_gen.errors import Problems
from rmr_gen.pdf import html_to_pdf
from rmr_gen.project import Project

ROOT = Path(__file__).resolve().parents[1]


def timed(work: Callable[[], object]) -> float:
    gc.collect()
    started = time.process_time()  # CPU time: other work on a shared machine counts less
    work()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    project = Project.open(ROOT)
    problems = Problems()
    prepared = prepare(project, args.reports or project.report_ids(), problems, cache_for(project))
    problems.raise_if_any()

    header = f"{'report':<40}{'plain cpu s':>13}{'archival cpu s':>16}{'ratio':>8}"
    print(f"{header}   (median of {args.runs})")
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
        ratios.append(full / base)
        print(f"{item.report.id:<40}{base:>13.3f}{full:>16.3f}{full / base:>8.2f}")
    print(f"\narchival / plain = {max(ratios):.2f} at worst (goal ≤ 1.15)")


if __name__ == "__main__":
    main()
