"""How much does validating indicator data cost on top of reading it with pandas?

Generates two files as Swedish Excel writes them (``;``, decimal comma, UTF-8
with BOM, CRLF), with value, numerator and denominator columns:

- national: 21 regions × 50 indicators × 10 periods × 2 populations (21 000 rows);
- large: 21 regions × 2 381 indicators × 10 periods × 2 populations (1 000 020 rows).

For each it times, interleaved, median of N runs:

- ``pandas.read_csv`` of the same file (``sep=";"``, ``decimal=","``, pandas'
  default encoding): the baseline;
- ``validate_file``: read, detect the dialect, check every cell and row against
  the schema and the reference data (the goal: at most 3 × the baseline);
- ``read_measurements``: the same, plus one ``Measurement`` object per row.

and prints the ratios and the peak memory of each (tracemalloc, in a separate
untimed pass). The national file is also timed as a workbook, against
``pandas.read_excel``. With --quick: one round on a national file of 5
indicators (2 100 rows) and its workbook, no large file. Usage:
``.venv/bin/python benchmarks/validate_national.py [--runs N] [--skip-large] [--quick]``
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from common import REGIONS, check_args, fail, goal, parser, rounds, table

from rmr_gen.core.errors import Problems
from rmr_gen.core.models import Indicator
from rmr_gen.inputs.config import Reference
from rmr_gen.inputs.data import read_measurements, validate_file

PERIODS = tuple(f"{year}–{year + 1}" for year in range(2014, 2024))


def reference(indicators: int) -> Reference:
    ids = [f"indikator-{i:04d}" for i in range(indicators)]
    indicators_ = {id_: Indicator(id_, id_.capitalize()) for id_ in ids}
    return Reference({}, indicators_, REGIONS, {"Sverige": REGIONS}, ())


def generate(path: Path, indicators: int) -> int:
    """Write the file; returns its number of data rows."""
    lines = ["indicator;region;period;population;value;numerator;denominator"]
    n = 0
    for i in range(indicators):
        for r, region in enumerate(REGIONS):
            for p, period in enumerate(PERIODS):
                for population in ("cancer", "all"):
                    denominator = 20 + (i * 7 + r * 13 + p * 3) % 480
                    numerator = (denominator * (37 + (i + r + p) % 60)) // 100
                    value = f"{100 * numerator / denominator:.1f}".replace(".", ",")
                    lines.append(
                        f"indikator-{i:04d};{region};{period};{population};"
                        f"{value};{numerator};{denominator}"
                    )
                    n += 1
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return n


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_memory(action: Callable[[], object]) -> float:
    """Peak bytes allocated while ``action`` runs, in MiB."""
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


Row = list[str]


def interleaved(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Seconds of every action, one per round; rounds interleave the actions."""
    times: dict[str, list[float]] = {label: [] for label in actions}
    for _ in range(runs):  # so noise hits every side alike
        for label, action in actions.items():
            times[label].append(median_time(action, 1))
    return times


def rows_of(
    name: str,
    rows: int,
    actions: dict[str, Callable[[], object]],
    times: dict[str, list[float]],
    memory: bool = True,
) -> list[Row]:
    """One table row per step after the first (the baseline): seconds, median of the
    per-round ratios to the baseline, peak memory of each (untimed)."""
    base_label, *steps = actions
    base = times[base_label]
    base_peak = peak_memory(actions[base_label]) if memory else 0.0
    result = []
    for label in steps:
        ratio = statistics.median(s / b for s, b in zip(times[label], base, strict=True))
        peak = f"{peak_memory(actions[label]):.1f} / {base_peak:.1f}" if memory else ""
        result.append(
            [
                name,
                f"{rows:,}".replace(",", " "),
                f"`{label}`",
                f"{statistics.median(times[label]):.3f}",
                f"`{base_label}`",
                f"{statistics.median(base):.3f}",
                f"{ratio:.2f}",
                peak,
            ]
        )
    return result


def bench(name: str, indicators: int, runs: int, folder: Path) -> list[Row]:
    import pandas as pd

    path = folder / f"{name}.csv"
    rows = generate(path, indicators)
    ref = reference(indicators)

    def baseline() -> object:
        return pd.read_csv(path, sep=";", decimal=",")

    def validated() -> object:
        problems = Problems()
        valid = validate_file(path, path.name, ref, problems)
        if valid is None or len(valid.frame) != rows or problems:
            fail(f"validate_file on {name}: not {rows} valid rows: {list(problems)[:3]}")
        return valid

    def measurements() -> object:
        problems = Problems()
        found = read_measurements(path, path.name, ref, problems)
        if len(found) != rows or problems:
            fail(f"read_measurements on {name}: {len(found)} rows, not {rows}")
        return found

    actions = {"pandas.read_csv": baseline, "validate_file": validated}
    if rows <= 100_000:
        actions["read_measurements"] = measurements
    return rows_of(name, rows, actions, interleaved(actions, runs))


def bench_xlsx(indicators: int, runs: int, folder: Path) -> list[Row]:
    """The national file as a workbook: validate_file against pandas.read_excel."""
    import pandas as pd

    csv_path, path = folder / "national.csv", folder / "national.xlsx"
    frame = pd.read_csv(csv_path, sep=";", dtype=str, encoding="utf-8-sig")
    frame.to_excel(path, index=False)
    ref = reference(indicators)

    def validated() -> object:
        problems = Problems()
        valid = validate_file(path, path.name, ref, problems)
        if valid is None or len(valid.frame) != len(frame) or problems:
            fail(f"validate_file on {path.name}: not {len(frame)} valid rows")
        return valid

    actions = {"pandas.read_excel": lambda: pd.read_excel(path), "validate_file": validated}
    return rows_of("national as .xlsx", len(frame), actions, interleaved(actions, runs), False)


def main() -> None:
    options = parser(__doc__, runs=5, project=False)
    options.add_argument("--skip-large", action="store_true", help="only the national file")
    args = options.parse_args()
    del args.project  # generates its own data
    check_args(args)
    indicators = 5 if args.quick else 50
    with tempfile.TemporaryDirectory() as folder:
        rows = bench("national", indicators, args.runs, Path(folder))
        rows += bench_xlsx(indicators, max(1, args.runs // 2), Path(folder))
        if not (args.skip_large or args.quick):
            rows += bench("large", 2381, max(1, args.runs // 2 + 1), Path(folder))
    print(f"### Validating indicator data, {rounds(args.runs)}\n")
    header = [
        "file",
        "rows",
        "step",
        "s",
        "baseline",
        "baseline s",
        "ratio",
        "peak MiB (step / baseline)",
    ]
    print(table(header, rows))
    worst = max(float(row[6]) for row in rows if row[2] == "`validate_file`")
    print(f"\nvalidate_file ÷ pandas = {worst:.2f} at worst (goal {goal(worst, 3)})")


if __name__ == "__main__":
    main()
