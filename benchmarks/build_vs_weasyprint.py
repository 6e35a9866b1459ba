"""How much does rmr-gen add on top of WeasyPrint itself?

Times whole processes, interleaved so that the shared machine's noise hits
both sides alike, and prints medians and their ratio:

- ``rmr-gen build REPORT --force`` (load, validate, render, PDF, write), with the
  cache of parsed data and drawn charts warm (an editor's rebuild after an edit);
- the same with the cache removed first (cold: pandas and matplotlib do their work);
- ``rmr-gen build REPORT`` with nothing changed (no-op);
- ``weasyprint`` turning the very HTML that build wrote into a PDF;
- ``rmr-gen --help`` (start-up: must import no heavy library).

Usage: .venv/bin/python benchmarks/build_vs_weasyprint.py [REPORT_ID] [--runs N]
"""

from __future__ import annotations

import argparse
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


def timed(command: list[str]) -> float:
    if command[-1] == "--cold":
        command = command[:-1]
        shutil.rmtree(ROOT / "output" / ".cache", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default="processmal-palliativ-norr-2025-2028")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    rmr_gen = str(BIN / "rmr-gen")
    subprocess.run([rmr_gen, "build", args.report, "--force", "--html"], cwd=ROOT, check=True)
    html = ROOT / "output" / args.report / f"{args.report}.html"
    with tempfile.TemporaryDirectory() as scratch:
        plain_pdf = Path(scratch) / "plain.pdf"
        commands = {
            "rmr-gen build --force": [rmr_gen, "build", args.report, "--force"],
            "  same, cold cache": [rmr_gen, "build", args.report, "--force", "--cold"],
            "rmr-gen build (no-op)": [rmr_gen, "build", args.report],
            "weasyprint (same HTML)": [
                str(BIN / "weasyprint"),
                "--base-url",
                str(PACKAGE_TEMPLATES) + "/",
                "--pdf-variant",
                "pdf/ua-1",
                str(html),
                str(plain_pdf),
            ],
            "rmr-gen --help": [rmr_gen, "--help"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))

    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["weasyprint (same HTML)"]
    print(f"{'command':<26}{'median s':>10}{'min s':>9}{'ratio':>8}   (runs: {args.runs})")
    for name, values in times.items():
        print(f"{name:<26}{medians[name]:>10.3f}{min(values):>9.3f}{medians[name] / base:>8.2f}")
    warm = medians["rmr-gen build --force"] / base
    cold = medians["  same, cold cache"] / base
    print(f"\nrmr-gen build / plain WeasyPrint = {warm:.2f} warm, {cold:.2f} cold (goal ≤ 1.30)")


if __name__ == "__main__":
    main()
