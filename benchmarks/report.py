"""The speed tables of the user guide (docs/reference/speed.md): run every benchmark and
print them, with machine and date.

Runs, one after the other, each a separate process:

- ``workflow.py``: every report of the project, ``--jobs`` 1, 2 (4 …), no-op;
- ``build_vs_weasyprint.py``: one report against ``weasyprint``;
- ``tagging_overhead.py``: archival PDF against a plain one;
- ``validate_national.py --skip-large``: validating indicator data against pandas;
- ``phases.py``: where one build's time goes, and where ``--jobs 2`` loses time;
- ``editor_loop.py``: from saving a text to the page and the PDF in ``rmr-gen preview``;
- ``national_year.py --regions 3 --diagnoses 5``: a national year's reports (all of
  them, 21 × 30, without the options), sharded builds compared byte for byte.

and prints their Markdown tables under one line saying when, on what machine and
with which versions they were measured. A benchmark that fails stops the report
with its message and exit code 1. Give ``--runs`` to override each script's
default number of rounds.

With ``--write PAGE`` the tables also replace what stands between the lines
``<!-- report.py: begin -->`` and ``<!-- report.py: end -->`` in PAGE (the user
guide's docs/reference/speed.md), so the page shows a run, never numbers typed in.

Usage: .venv/bin/python benchmarks/report.py [--runs N] [--quick] [--project DIR]
       [--write docs/reference/speed.md]
"""

from __future__ import annotations

import contextlib
import shlex
import subprocess
import sys
from pathlib import Path

from common import ROOT, check_args, fail, machine, parser

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    ("workflow.py",),
    ("build_vs_weasyprint.py",),
    ("tagging_overhead.py",),
    ("validate_national.py", "--skip-large"),
    ("phases.py",),
    ("editor_loop.py",),
    # 3 × 5 = 15 PDFs: the whole year (630 PDFs) is national_year.py without options
    ("national_year.py", "--regions", "3", "--diagnoses", "5"),
)


def commit() -> str:
    """The checked-out commit of this repository, if it is one."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return f", commit {found.stdout.strip()}" if found.returncode == 0 else ""


BEGIN = "<!-- report.py: begin -->"
END = "<!-- report.py: end -->"


def written_into(page: str, tables: str) -> str:
    """``page`` with ``tables`` between its BEGIN and END lines."""
    head, begin, rest = page.partition(BEGIN + "\n")
    _, end, tail = rest.partition(END + "\n")
    if not (begin and end):
        fail(f"the page has no lines {BEGIN} … {END} to write the tables between")
    return f"{head}{BEGIN}\n\n{tables.strip()}\n\n{END}\n{tail}"


def main() -> None:
    command = parser(__doc__, runs=None)
    command.add_argument(
        "--write", type=Path, metavar="PAGE", help="also write the tables into PAGE (Markdown)"
    )
    args = command.parse_args()
    check_args(args)
    if args.write is not None and not args.write.is_file():
        fail(f"{args.write}: no such page")
    body: list[str] = []

    def show(text: str) -> None:
        print(text, flush=True)
        body.append(text)

    python = Path(sys.executable)
    with contextlib.suppress(ValueError):
        python = python.relative_to(ROOT)
    print("## Speed\n")
    show(f"Measured {machine()}{commit()}.")
    show(f"Command: `{python} benchmarks/report.py {shlex.join(sys.argv[1:])}`".rstrip() + "\n")
    for script, *extra in SCRIPTS:
        flags = [*extra]
        if args.quick:
            flags.append("--quick")
        elif args.runs is not None:
            flags += ["--runs", str(args.runs)]
        if args.project != ROOT:
            flags += ["--project", str(args.project)]
        command = [sys.executable, str(HERE / script), *flags]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(result.stdout, end="")
            print(result.stderr, end="", file=sys.stderr)
            fail(f"{script} failed with exit code {result.returncode}")
        shown = shlex.join([str(python), f"benchmarks/{script}", *flags])
        out = result.stdout.strip()
        heading, _, rest = out.partition("\n")
        show(f"{heading}\n\n`{shown}`\n{rest}\n")
    if args.write is not None:
        page = args.write.read_text(encoding="utf-8")
        args.write.write_text(written_into(page, "\n".join(body)), encoding="utf-8")


if __name__ == "__main__":
    main()
