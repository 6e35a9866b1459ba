"""How much does rmr-gen add on top of WeasyPrint itself, for one report?

Times whole processes, interleaved so that the shared machine's noise hits
every case alike, and prints medians and, for each case, the median of its
per-round ratios to WeasyPrint:

- ``rmr-gen build REPORT --force`` (load, validate, render, PDF, write), with the
  cache of parsed data and drawn charts warm (an editor's rebuild after an edit);
- the same with the cache removed first (cold: pandas and matplotlib do their work);
- ``rmr-gen build REPORT`` with nothing changed (no-op);
- ``weasyprint --pdf-variant pdf/ua-1`` on a copy of the very HTML build wrote;
- ``rmr-gen --help`` (start-up: must import no heavy library).

REPORT must build one PDF (default: the Norr report, else the project's first
report without a parameter).

Usage: .venv/bin/python benchmarks/build_vs_weasyprint.py [REPORT] [--runs N]
       [--quick] [--project DIR]
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from pathlib import Path

from common import (
    BIN,
    RMR_GEN,
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

NORR = "processmal-palliativ-norr-2025-2028"


def default_report(project: Path) -> str:
    """The Norr report when the project has it, else its first report of one PDF."""
    ids = sorted(p.name for p in (project / "reports").iterdir() if p.is_dir())
    if NORR in ids:
        return NORR
    for report_id in ids:
        try:
            config = tomllib.loads((project / "reports" / report_id / "report.toml").read_text())
        except (OSError, ValueError):
            continue  # the build says what is wrong with it
        if "parameter" not in config:
            return report_id
    fail(f"{project}: no report that builds one PDF; name one")


def main() -> None:
    options = parser(__doc__, runs=5)
    options.add_argument("report", nargs="?", help="a report that builds one PDF")
    args = options.parse_args()
    check_args(args)
    project: Path = args.project
    if args.report is None:
        args.report = default_report(project)
    report = args.report

    # The HTML that build --force (without --html) would delete: copied aside first.
    build(project, report, "--force", "--html", built=1)
    written = sorted((project / "output" / report).glob("*.html"))
    if len(written) != 1:
        fail(f"rmr-gen build {report} --html wrote {len(written)} HTML files, not 1")
    with tempfile.TemporaryDirectory() as scratch:
        html = Path(scratch) / written[0].name
        shutil.copyfile(written[0], html)
        plain_pdf = Path(scratch) / "plain.pdf"
        weasyprint = [
            str(BIN / "weasyprint"),
            "--base-url",
            base_url(project),
            "--pdf-variant",
            "pdf/ua-1",
            str(html),
            str(plain_pdf),
        ]
        cases = {
            "`rmr-gen build REPORT --force`, cache warm": (
                lambda: build(project, report, "--force", built=1),
                None,
            ),
            "same, cache removed (cold)": (
                lambda: build(project, report, "--force", built=1),
                lambda: clear_cache(project),
            ),
            "`rmr-gen build REPORT`, nothing changed": (
                lambda: build(project, report, built=0),
                None,
            ),
            "`weasyprint --pdf-variant pdf/ua-1`, same HTML": (
                lambda: step(weasyprint, project),
                lambda: plain_pdf.unlink(missing_ok=True),
            ),
            "`rmr-gen --help`": (lambda: step([RMR_GEN, "--help"], project), None),
        }
        times = Timings(list(cases))
        for _ in range(args.runs):
            for name, (action, before) in cases.items():
                times.add(name, timed(action, before))
                if name.startswith("`weasyprint") and not plain_pdf.is_file():
                    fail("weasyprint exited 0 but wrote no PDF")

    base = "`weasyprint --pdf-variant pdf/ua-1`, same HTML"
    warm = "`rmr-gen build REPORT --force`, cache warm"
    rows = [
        [
            name.replace("REPORT", "<id>"),
            f"{times.median(name):.3f}",
            f"{times.ratio(name, base):.2f}",
            f"{times.median(name, cpu=True):.3f}",
            f"{times.ratio(name, base, cpu=True):.2f}",
        ]
        for name in cases
    ]
    print(f"### One report: {report}, {rounds(args.runs)}\n")
    header = ["command", "median s", "ratio to WeasyPrint", "CPU s", "CPU ratio"]
    print(table(header, rows))
    ratio, cpu = times.ratio(warm, base), times.ratio(warm, base, cpu=True)
    print(
        f"\nrmr-gen build --force ÷ WeasyPrint = {ratio:.2f} (goal {goal(ratio, 1.15)}),"
        f" {cpu:.2f} in CPU time"
    )


if __name__ == "__main__":
    main()
