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
``pandas.read_excel``. Usage:
``.venv/bin/python benchmarks/validate_national.py [--runs N] [--skip-large]``
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from rmr_gen.config import Reference
from rmr_gen.data import read_measurements, validate_file
from rmr_gen.errors import Problems
from rmr_gen.models import Indicator

REGIONS = (
    "Stockholm", "Uppsala", "Sörmland", "Östergötland", "Jönköping", "Kronoberg", "Kalmar",
    "Gotland", "Blekinge", "Skåne", "Halland", "Västra Götaland", "Värmland", "Örebro",
    "Västmanland", "Dalarna", "Gävleborg", "Västernorrland", "Jämtland/Härjedalen",
    "Västerbotten", "Norrbotten",
)  # fmt: skip
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


def bench(name: str, indicators: int, runs: int, folder: Path) -> None:
    import pandas as pd

    path = folder / f"{name}.csv"
    rows = generate(path, indicators)
    ref = reference(indicators)

    def baseline() -> object:
        return pd.read_csv(path, sep=";", decimal=",")

    def validated() -> object:
        problems = Problems()
        valid = validate_file(path, path.name, ref, problems)
        assert valid is not None and len(valid.frame) == rows and not problems
        return valid

    def measurements() -> object:
        problems = Problems()
        found = read_measurements(path, path.name, ref, problems)
        assert len(found) == rows and not problems
        return found

    actions = {"pandas.read_csv": baseline, "validate_file": validated}
    if rows <= 100_000:
        actions["read_measurements"] = measurements
    times: dict[str, list[float]] = {label: [] for label in actions}
    for _ in range(runs):  # interleaved, so noise hits every side alike
        for label, action in actions.items():
            times[label].append(median_time(action, 1))
    base = statistics.median(times["pandas.read_csv"])
    size = path.stat().st_size / 2**20
    print(f"\n{name}: {rows:,} rows, {size:.1f} MiB, median of {runs} runs")
    print(f"  {'step':<20} {'seconds':>8} {'ratio':>6} {'peak MiB':>9}")
    for label, action in actions.items():
        seconds = statistics.median(times[label])
        peak = peak_memory(action)
        print(f"  {label:<20} {seconds:8.3f} {seconds / base:6.2f} {peak:9.1f}")
    ratio = statistics.median(times["validate_file"]) / base
    verdict = "met" if ratio <= 3 else "NOT met"
    print(f"  goal validate_file ≤ 3.00 × read_csv: {verdict} ({ratio:.2f})")


def bench_xlsx(runs: int, folder: Path) -> None:
    """The national file as a workbook: validate_file against pandas.read_excel."""
    import pandas as pd

    csv_path, path = folder / "national.csv", folder / "national.xlsx"
    pd.read_csv(csv_path, sep=";", dtype=str, encoding="utf-8-sig").to_excel(path, index=False)
    ref = reference(50)

    def validated() -> object:
        problems = Problems()
        valid = validate_file(path, path.name, ref, problems)
        assert valid is not None and not problems
        return valid

    actions = {"pandas.read_excel": lambda: pd.read_excel(path), "validate_file": validated}
    times = {label: [median_time(run, 1) for _ in range(runs)] for label, run in actions.items()}
    base = statistics.median(times["pandas.read_excel"])
    print(f"\nnational.xlsx: median of {runs} runs")
    for label in actions:
        seconds = statistics.median(times[label])
        print(f"  {label:<20} {seconds:8.3f} {seconds / base:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true", help="only the national file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench("national", 50, args.runs, Path(folder))
        bench_xlsx(max(1, args.runs // 2), Path(folder))
        if not args.skip_large:
            bench("large", 2381, max(1, args.runs // 2 + 1), Path(folder))


if __name__ == "__main__":
    main()
