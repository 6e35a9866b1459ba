"""A national year: every region's processmål for every diagnosis, built and sharded.

Generates a project of its own (synthetic numbers, rmr-gen's templates,
organisations and regions): one processmål report per diagnosis, parameterised by
region (``[parameter] by = "region"``), each from one national data file of its
four indicators (21 regions × 2 periods × 2 populations), with a text, Tabell 1
and Figur 1. 21 regions × 30 diagnoses make 630 PDFs; ``--regions`` and
``--diagnoses`` make it smaller (``--quick``: 2 × 2).

Measures, each build a fresh ``rmr-gen build`` process:

- the first build (cold: every data file parsed, every chart drawn) and a
  ``--force`` build (warm), with wall and CPU time (the process and its workers)
  and the peak memory of the whole process tree (proportional set sizes, so that
  pages forked processes share count once; sampled every 50 ms), and the peak
  resident size of its largest process;
- the CPU time per PDF against raw WeasyPrint turning the very same HTML into
  PDF/UA-1 in one process (a sample of the HTML files);
- ``--shard 1/2`` and ``--shard 2/2``, each in a separate copy of the project (as
  two CI machines would build it), and compares every PDF byte for byte with the
  one-machine build: the two shares must be disjoint, together every PDF, and
  identical. A difference stops the benchmark (exit 1).

Usage: .venv/bin/python benchmarks/national_year.py [--regions N] [--diagnoses M]
       [--jobs J] [--quick]
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ENV, REGIONS, RMR_GEN, SUMMARY, base_url, check_args, fail, parser, table, tree

PERIODS = ("2021–2022", "2022–2023")
INDICATORS = ("ledtid", "mdk", "kontaktsjukskoterska", "rehabilitering")
#: HTML files raw WeasyPrint renders (a sample: its cost per PDF is what is compared).
RAW_SAMPLE = 10

REPORT = """\
kind = "processmal"
title = "Processmål för {name} – {{value}} – 2025–2028"
organisation = "rcc-samverkan"
date = 2025-06-04
version = "1.0"
example_data = true
target_year = 2028
contents = ["inledning.md", "table:tabell-1", "chart:figur-1"]

[parameter]
by = "region"
values = {values}

[data]
files = ["{code}.csv"]
period = "2022–2023"
previous_period = "2021–2022"
{indicators}
[tables.tabell-1]
type = "indicator-summary"
caption = "Tabell 1. Mål och målnivåer, {{value}}. Nuläge {{period}}, förändring sedan \
{{previous_period}}. Exempeldata."

[charts.figur-1]
type = "change"
caption = "Figur 1. Förändring sedan föregående plan, {{value}}. Exempeldata."
"""

TEXT = """\
Processmålen för {name} följer upp hur vården inom regionen når de nationella
målnivåerna. Indikatorerna redovisas per region för perioden 2022–2023, med
förändring sedan föregående plan.

Siffrorna i detta dokument är syntetiska och tagna fram för att mäta hur lång tid
det tar att bygga ett helt års nationella rapporter.
"""

RAW = """
import resource, sys, time
from pathlib import Path
from weasyprint import HTML
base, out = sys.argv[1], Path(sys.argv[2])
HTML(string="<p>x</p>").write_pdf()  # imports and fonts: not the per-PDF cost
started = time.process_time()
for i, name in enumerate(sys.argv[3:]):
    HTML(filename=name, base_url=base).write_pdf(out / f"{i}.pdf", pdf_variant="pdf/ua-1")
print(time.process_time() - started)
"""


def make_project(folder: Path, regions: int, diagnoses: int) -> int:
    """The project; returns the number of PDFs it builds."""
    data = folder / "data"
    data.mkdir(parents=True)
    names = [f"diagnos {d + 1}" for d in range(diagnoses)]
    entries = []
    for d, name in enumerate(names):
        code = f"d{d + 1:02d}"
        for indicator in INDICATORS:
            entries.append(f'[{code}-{indicator}]\nlabel = "{indicator.capitalize()}, {name}"\n')
        lines = ["indicator;region;period;population;value;numerator;denominator\n"]
        for i, indicator in enumerate(INDICATORS):
            for r, region in enumerate(REGIONS):
                for p, period in enumerate(PERIODS):
                    for population in ("cancer", "all"):
                        denominator = 30 + (d * 11 + i * 7 + r * 13 + p * 3) % 300
                        numerator = denominator * (40 + (d + i + r + 5 * p) % 55) // 100
                        value = f"{100 * numerator / denominator:.1f}".replace(".", ",")
                        lines.append(
                            f"{code}-{indicator};{region};{period};{population};{value};"
                            f"{numerator};{denominator}\n"
                        )
        (data / f"{code}.csv").write_text("".join(lines), encoding="utf-8")
        report = folder / "reports" / f"processmal-{code}-2025-2028"
        report.mkdir(parents=True)
        indicators = "".join(
            f'\n[[indicators]]\nid = "{code}-{indicator}"\ntarget = {70 + 5 * i}\n'
            for i, indicator in enumerate(INDICATORS)
        )
        values = "[" + ", ".join(f'"{r}"' for r in REGIONS[:regions]) + "]"
        (report / "report.toml").write_text(
            REPORT.format(name=name, code=code, values=values, indicators=indicators),
            encoding="utf-8",
        )
        (report / "inledning.md").write_text(TEXT.format(name=name), encoding="utf-8")
    (data / "indicators.toml").write_text("\n".join(entries), encoding="utf-8")
    return regions * diagnoses


def copy_inputs(project: Path, target: Path) -> Path:
    for name in ("reports", "data"):
        shutil.copytree(project / name, target / name)
    return target


def memory_mib(pids: list[int]) -> float:
    """Resident memory of ``pids`` together: proportional set sizes (a page that forked
    processes share counts once, split between them), else resident sizes."""
    total = 0
    for pid in pids:
        for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                lines = Path(f"/proc/{pid}/{name}").read_text().splitlines()
            except OSError:
                continue
            found = [int(line.split()[1]) for line in lines if line.startswith(field)]
            if found:
                total += found[0]
                break
    return total / 1024


def run_build(project: Path, *args: str, built: int) -> dict[str, float]:
    """``rmr-gen build ARGS``: wall and CPU seconds, peak MiB of the process tree (summed)
    and of its largest process; ``built`` PDFs must have been built, none failed."""
    command = [RMR_GEN, "--project", str(project), "build", *args]
    peak = [0.0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
    )
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], memory_mib(tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    stdout = out.decode(errors="replace")
    if process.returncode:
        tail = "\n".join(err.decode(errors="replace").strip().splitlines()[-15:])
        fail(f"{' '.join(command)} failed with exit code {process.returncode}\n{tail}")
    found = SUMMARY.search(stdout)
    if found is None or int(found[1]) != built or int(found[3]):
        fail(f"{' '.join(command)}: expected {built} built; it printed {stdout[-300:]!r}")
    return {"wall": seconds, "peak": peak[0]}


def timed_build(project: Path, *args: str, built: int) -> dict[str, float]:
    """:func:`run_build` with the CPU time and largest resident size of the build's
    processes (all waited for, so counted by RUSAGE_CHILDREN)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_build(project, *args, built=built)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    result["largest"] = after.ru_maxrss / 1024  # the largest process so far (KiB on Linux)
    return result


def pdfs_of(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "output").glob("*/*.pdf"))}


def main() -> None:
    options = parser(__doc__, runs=1, project=False)
    options.add_argument("--regions", type=int, default=len(REGIONS), help="regions (≤ 21)")
    options.add_argument("--diagnoses", type=int, default=30, help="diagnoses")
    options.add_argument("--jobs", type=int, default=None, help="build processes")
    args = options.parse_args()
    check_args(args)
    if args.quick:
        args.regions, args.diagnoses = 2, 2
    if not 1 <= args.regions <= len(REGIONS) or args.diagnoses < 1:
        fail(f"--regions must be 1–{len(REGIONS)} and --diagnoses at least 1")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "national"
        pdfs = make_project(project, args.regions, args.diagnoses)
        cold = timed_build(project, "--html", *jobs, built=pdfs)
        htmls = sorted((project / "output").glob("*/*.html"))
        if len(htmls) != pdfs:
            fail(f"build --html wrote {len(htmls)} HTML files for {pdfs} PDFs")
        sample = Path(scratch) / "html"
        sample.mkdir()
        step_by = max(1, len(htmls) // RAW_SAMPLE)
        copies = []
        for html in htmls[::step_by][:RAW_SAMPLE]:
            copies.append(str(sample / html.name))
            shutil.copyfile(html, copies[-1])
        warm = timed_build(project, "--force", "--html", *jobs, built=pdfs)
        one = pdfs_of(project)
        raw = subprocess.run(
            [sys.executable, "-c", RAW, base_url(project), str(sample), *copies],
            capture_output=True,
            text=True,
            check=False,
        )
        if raw.returncode:
            fail(f"raw WeasyPrint failed:\n{raw.stderr[-2000:]}")
        raw_cpu = float(raw.stdout.strip().splitlines()[-1]) / len(copies)

        shares = []
        for k in (1, 2):
            machine = copy_inputs(project, Path(scratch) / f"machine-{k}")
            count = len(range(k - 1, pdfs, 2))
            shares.append(timed_build(machine, "--shard", f"{k}/2", *jobs, built=count))
            shares[-1]["files"] = pdfs_of(machine)  # type: ignore[assignment]
    first, second = (s.pop("files") for s in shares)
    assert isinstance(first, dict) and isinstance(second, dict)
    if set(first) & set(second):
        fail(f"shards 1/2 and 2/2 both built {sorted(set(first) & set(second))[:3]}")
    if set(first) | set(second) != set(one):
        missing = sorted(set(one) - set(first) - set(second))
        fail(f"shards 1/2 + 2/2 did not build every PDF; missing {missing[:3]}")
    differ = [name for name in one if one[name] != {**first, **second}[name]]
    if differ:
        fail(f"{len(differ)} PDFs differ between one build and two shards, first: {differ[0]}")

    label = f"{args.regions} regions × {args.diagnoses} diagnoses = {pdfs} PDFs"
    rows = []
    for name, r in (
        ("first build (cold: data parsed, charts drawn)", cold),
        ("`--force` build (warm)", warm),
        ("`--shard 1/2` (a second machine: cold)", shares[0]),
        ("`--shard 2/2` (a third machine: cold)", shares[1]),
    ):
        rows.append(
            [
                name,
                f"{r['wall']:.2f}",
                f"{r['cpu']:.2f}",
                f"{r['cpu'] / pdfs:.3f}" if "shard" not in name else "",
                f"{r['peak']:.0f}",
            ]
        )
    used = os.cpu_count() if not args.jobs else args.jobs
    print(f"### A national year: {label}\n")
    print(
        table(["build", "wall s", "CPU s", "CPU s per PDF", "peak MiB (process tree, PSS)"], rows)
    )
    ratio = warm["cpu"] / pdfs / raw_cpu
    print(
        f"\nper PDF, warm: {warm['cpu'] / pdfs:.3f} s CPU = {ratio:.2f}× raw WeasyPrint "
        f"({raw_cpu:.3f} s CPU per PDF on {len(copies)} of the same HTML files, one process); "
        f"largest single process {max(cold['largest'], warm['largest']):.0f} MiB; "
        f"--jobs {args.jobs or 'default'} ({used} cores)"
    )
    print(
        f"\n`--shard 1/2` + `--shard 2/2` in two copies of the project: {len(first)} + "
        f"{len(second)} PDFs, every one byte-identical to the one-machine build"
    )


if __name__ == "__main__":
    main()
