"""The publication workflow, measured: every report of the project, as CI builds them.

Prints one table (medians of interleaved runs, whole processes):

- full build, cold (no cache, --force), with --jobs 1 and --jobs 2, and the speed-up;
- raw WeasyPrint turning the very same HTML files into PDFs in one process,
  and rmr-gen --jobs 1 as a ratio to it (goal ≤ 1.2 warm);
- full build with the cache warm (--force: every PDF rendered again);
- a no-op build (nothing changed) as a share of the full cold build (goal ≤ 5 %);
- rmr-gen --help start-up.

Usage: .venv/bin/python benchmarks/workflow.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_TEMPLATES = ROOT / "src" / "rmr_gen" / "templates"
BIN = Path(sys.executable).parent
RAW = """
import sys
from pathlib import Path
from weasyprint import HTML
base, out = sys.argv[1], Path(sys.argv[2])
for i, name in enumerate(sys.argv[3:]):
    HTML(filename=name, base_url=base).write_pdf(out / f"{i}.pdf", pdf_variant="pdf/ua-1")
"""


def run(command: list[str], clear_cache: bool = False) -> float:
    if clear_cache:
        shutil.rmtree(ROOT / "output" / ".cache", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        command, cwd=ROOT, check=True, capture_output=True, env={**os.environ, "CI": "1"}
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rmr = str(BIN / "rmr-gen")
    run([rmr, "build", "--force", "--html"])
    htmls = sorted(str(p) for p in (ROOT / "output").glob("*/*.html"))
    with tempfile.TemporaryDirectory() as scratch:
        cases = {
            "full build --jobs 1, cold": ([rmr, "build", "--force", "--jobs", "1"], True),
            "full build --jobs 2, cold": ([rmr, "build", "--force", "--jobs", "2"], True),
            "full build --jobs 1, warm": ([rmr, "build", "--force", "--jobs", "1"], False),
            "full build --jobs 2, warm": ([rmr, "build", "--force", "--jobs", "2"], False),
            "raw WeasyPrint, same HTML": (
                [sys.executable, "-c", RAW, str(PACKAGE_TEMPLATES) + "/", scratch, *htmls],
                False,
            ),
            "no-op build": ([rmr, "build"], False),
            "rmr-gen --help": ([rmr, "--help"], False),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (command, cold) in cases.items():
                times[name].append(run(command, cold))
    m = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"{len(htmls)} PDFs; {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; median of {args.runs} runs\n"
    )
    print(f"{'case':<30}{'seconds':>9}")
    for name in cases:
        print(f"{name:<30}{m[name]:>9.2f}")
    raw = m["raw WeasyPrint, same HTML"]
    j1c, j2c = m["full build --jobs 1, cold"], m["full build --jobs 2, cold"]
    j1w, j2w = m["full build --jobs 1, warm"], m["full build --jobs 2, warm"]
    print()
    print(f"per PDF, --jobs 1 cold:              {j1c / len(htmls):.2f} s")
    print(f"--jobs 1 warm / raw WeasyPrint:      {j1w / raw:.2f}  (goal ≤ 1.2)")
    print(f"--jobs 1 cold / raw WeasyPrint:      {j1c / raw:.2f}")
    print(f"--jobs 2 speed-up, cold:             {j1c / j2c:.2f}×  (goal ≥ 1.8)")
    print(f"--jobs 2 speed-up, warm:             {j1w / j2w:.2f}×")
    print(
        f"no-op / full cold build (--jobs 2):  {100 * m['no-op build'] / j2c:.1f} %  (goal ≤ 5 %)"
    )


if __name__ == "__main__":
    main()
