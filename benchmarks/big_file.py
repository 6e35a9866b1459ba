"""A valid national data file of a million rows through ``check`` and ``build``.

Generates a project of its own in a temporary folder (rmr-gen's templates and
regions): a reference list of as many indicators as the file needs, one report (Tabell 1 and
the chart for four regions) and one CSV file as Swedish Excel writes it (``;``,
decimal comma, UTF-8 with BOM, CRLF) with value, numerator and denominator:
21 regions × indicators × 10 periods × 2 populations.

Measures, each command in a fresh process (wall time and peak resident memory
of that process):

- ``rmr-gen check``: reads and validates the whole file;
- ``rmr-gen build``: the first build;
- ``rmr-gen build`` again, nothing changed: must decide from the file's bytes,
  without parsing it, that the PDF is current;
- ``validate_file`` against ``pandas.read_csv`` of the same file, in-process.

Goals: peak memory ≤ 300 MiB for check and build; the no-op build ≤ 0.5 s;
validation ≤ 3 × read_csv. ``--quick`` uses 21 000 rows and finishes in
seconds (for CI: it shows the steps work, not the goals). Exit status 1 when a
goal is not met on a full run.

Usage: ``.venv/bin/python benchmarks/big_file.py [--quick] [--rows N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REGIONS

ROOT = Path(__file__).resolve().parents[1]
PERIODS = tuple(f"{year}–{year + 1}" for year in range(2014, 2024))
MEMORY_MIB, NOOP_SECONDS, VALIDATION_RATIO = 300, 0.5, 3.0

REPORT = """\
kind = "processmal"
title = "Stor fil"
organisation = "rcc-norr"
version = "1.0"
target_year = 2028
contents = ["table:tabell-1", "chart:figur-1"]

[data]
files = ["national.csv"]
period = "2022–2023"
previous_period = "2021–2022"
regions = ["Jämtland/Härjedalen", "Västerbotten", "Norrbotten", "Västernorrland"]

[[indicators]]
id = "indikator-0000"
target = 80

[[indicators]]
id = "indikator-0001"
target = 90

[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1."

[charts.figur-1]
type = "change"
caption = "Figur 1."
"""


def make_project(folder: Path, indicators: int) -> int:
    """The project; returns the number of data rows."""
    data = folder / "data"  # templates, organisations and regions: rmr-gen's own
    data.mkdir()
    ids = [f"indikator-{i:04d}" for i in range(indicators)]
    (data / "indicators.toml").write_text(
        "".join(f'[{id_}]\nlabel = "Indikator {id_[-4:]}"\n\n' for id_ in ids), encoding="utf-8"
    )
    (folder / "reports" / "stor-fil").mkdir(parents=True)
    (folder / "reports" / "stor-fil" / "report.toml").write_text(REPORT, encoding="utf-8")
    rows = 0
    # written as it is made: a child process forked from a big parent would count the
    # parent's memory in its own peak
    with (data / "national.csv").open("w", encoding="utf-8-sig", newline="\r\n") as file:
        file.write("indicator;region;period;population;value;numerator;denominator\n")
        for i, id_ in enumerate(ids):
            lines = []
            for r, region in enumerate(REGIONS):
                for p, period in enumerate(PERIODS):
                    for population in ("cancer", "all"):
                        denominator = 40 + (i * 7 + r * 13 + p * 3) % 400
                        numerator = (denominator * (50 + (i + r + p) % 45)) // 100
                        value = f"{100 * numerator / denominator:.1f}".replace(".", ",")
                        lines.append(
                            f"{id_};{region};{period};{population};{value};{numerator};"
                            f"{denominator}\n"
                        )
            file.write("".join(lines))
            rows += len(lines)
    return rows


def run(folder: Path, *args: str) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system: what a shared, busy machine does not
    inflate), peak resident MiB and exit status of one rmr-gen command."""
    command = [sys.executable, "-m", "rmr_gen", "--project", str(folder), *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        assert process.stderr is not None
        sys.stderr.write(process.stderr.read().decode(errors="replace"))
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, process.returncode


def validation_ratio(folder: Path, runs: int) -> tuple[float, float]:
    """Median seconds of pandas.read_csv and of validate_file on the data file."""
    import pandas as pd

    from rmr_gen.core.errors import Problems
    from rmr_gen.core.project import Project
    from rmr_gen.inputs.config import load_reference
    from rmr_gen.inputs.data import validate_file

    path = folder / "data" / "national.csv"
    reference = load_reference(Project.open(folder), Problems())
    base, ours = [], []
    for _ in range(runs):  # interleaved, so noise hits both alike
        started = time.perf_counter()
        pd.read_csv(path, sep=";", decimal=",")
        base.append(time.perf_counter() - started)
        started = time.perf_counter()
        problems = Problems()
        valid = validate_file(path, path.name, reference, problems)
        ours.append(time.perf_counter() - started)
        assert valid is not None and not problems.errors, [str(p) for p in problems]
    return statistics.median(base), statistics.median(ours)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="21 000 rows, for CI")
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many rows")
    parser.add_argument("--runs", type=int, default=3, help="runs of the validation timing")
    args = parser.parse_args()
    rows_wanted = 21_000 if args.quick else args.rows
    indicators = max(2, round(rows_wanted / (len(REGIONS) * len(PERIODS) * 2)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = make_project(folder, indicators)
        size = (folder / "data" / "national.csv").stat().st_size / 2**20
        print(f"{rows:,} rows, {size:.1f} MiB")
        results = {}
        for label, command in (
            ("check", ("check",)),
            ("build", ("build", "--jobs", "1")),
            ("build, nothing changed", ("build", "--jobs", "1")),
        ):
            seconds, cpu, peak, status = run(folder, *command)
            assert status == 0, f"{label} failed with exit {status}"
            results[label] = (seconds, cpu, peak)
            print(f"  {label:<24} {seconds:6.2f} s  ({cpu:5.2f} s CPU)  {peak:6.0f} MiB peak")
        base, ours = validation_ratio(folder, 1 if args.quick else args.runs)
        ratio = ours / base
        print(f"  {'pandas.read_csv':<24} {base:6.2f} s")
        print(f"  {'validate_file':<24} {ours:6.2f} s  {ratio:.2f} × read_csv")
    noop_wall, noop_cpu, _ = results["build, nothing changed"]
    goals = {
        f"check ≤ {MEMORY_MIB} MiB": results["check"][2] <= MEMORY_MIB,
        f"build ≤ {MEMORY_MIB} MiB": results["build"][2] <= MEMORY_MIB,
        f"no-op build ≤ {NOOP_SECONDS} s (wall)": noop_wall <= NOOP_SECONDS,
        f"no-op build ≤ {NOOP_SECONDS} s (CPU)": noop_cpu <= NOOP_SECONDS,
        f"validation ≤ {VALIDATION_RATIO:g} × read_csv": ratio <= VALIDATION_RATIO,
    }
    for goal, met in goals.items():
        print(f"  goal {goal}: {'met' if met else 'NOT met'}")
    if args.quick:
        print("  (--quick: the goals are for a million rows)")
        return 0
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
