"""Every benchmark script runs (``--quick``) on a small project and prints its tables;
one that fails says so and exits 1, printing no figures."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.small_project import small_project

SPEED = Path(__file__).resolve().parents[2] / "docs" / "reference" / "speed.md"

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
NUMBER = re.compile(r"^\d+\.\d+$")


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def tables(text: str) -> dict[str, list[dict[str, str]]]:
    """Each ``### heading`` and the rows of the Markdown table under it."""
    found: dict[str, list[dict[str, str]]] = {}
    heading, header = "", None
    for line in text.splitlines():
        if line.startswith("### "):
            heading, header = line[4:], None
            found[heading] = []
        elif line.startswith("|") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if header is None:
                header = cells
            else:
                assert len(cells) == len(header), line
                found[heading].append(dict(zip(header, cells, strict=True)))
    return found


def table(found: dict[str, list[dict[str, str]]], start: str) -> list[dict[str, str]]:
    [rows] = [rows for heading, rows in found.items() if heading.startswith(start)]
    return rows


def positive(cell: str) -> float:
    assert NUMBER.match(cell), cell
    value = float(cell)
    assert value > 0, cell
    return value


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """benchmarks/report.py --quick on a copy of the small project: every script once."""
    folder = tmp_path_factory.mktemp("bench")
    project = small_project(folder / "project")
    page = folder / "speed.md"
    shutil.copyfile(SPEED, page)
    return run("report.py", "--quick", "--project", str(project), "--write", str(page))


def test_report_writes_its_tables_into_the_guide_page(
    report: subprocess.CompletedProcess[str],
) -> None:
    """--write replaces the run between the page's markers and leaves the rest alone."""
    assert report.returncode == 0, report.stderr
    page = Path(report.args[report.args.index("--write") + 1]).read_text(encoding="utf-8")
    guide = SPEED.read_text(encoding="utf-8")
    begin, end = "<!-- report.py: begin -->\n", "<!-- report.py: end -->\n"
    assert page.split(begin)[0] == guide.split(begin)[0]
    assert page.split(end)[1] == guide.split(end)[1]
    written = page.split(begin)[1].split(end)[0].strip()
    assert written == report.stdout.removeprefix("## Speed\n").strip()
    assert "--quick" in written and "Measured " in written


def test_report_prints_machine_date_and_every_table(
    report: subprocess.CompletedProcess[str],
) -> None:
    assert report.returncode == 0, report.stderr
    measured = re.search(r"^Measured (\d{4}-\d\d-\d\d \d\d:\d\d UTC); (.*)\.$", report.stdout, re.M)
    assert measured, report.stdout
    for part in ("cores (", "Python 3.", "WeasyPrint ", "pikepdf "):
        assert part in measured[2]
    found = tables(report.stdout)
    assert [heading.split(":")[0].split(",")[0] for heading in found] == [
        "Every report",
        "One report",
        "Archival PDF over plain PDF",
        "Validating indicator data",
        "One build",
        "Parallel build",
        "The editor's loop",
        "A national year",
    ]
    for script in (
        "workflow",
        "build_vs_weasyprint",
        "tagging_overhead",
        "validate_national",
        "phases",
        "editor_loop",
        "national_year",
    ):
        assert re.search(rf"^`\S+ benchmarks/{script}\.py .*--quick.*`$", report.stdout, re.M)


def test_workflow_times_every_kind_of_build(report: subprocess.CompletedProcess[str]) -> None:
    assert "### Every report: 3 PDFs, 1 interleaved round" in report.stdout
    rows = {row["case"]: row for row in table(tables(report.stdout), "Every report")}
    assert list(rows) == [
        "full build `--jobs 1`, cold",
        "full build `--jobs 1`, warm",
        "full build `--jobs 2`, warm",
        "raw WeasyPrint, same HTML, one process",
        "no-op `rmr-gen build`",
        "`rmr-gen --help`",
    ]
    seconds = {case: positive(row["median s"]) for case, row in rows.items()}
    for row in rows.values():
        positive(row["CPU s"])
    assert seconds["no-op `rmr-gen build`"] < seconds["full build `--jobs 1`, cold"]
    figures = {case: row["figure"] for case, row in rows.items()}
    assert re.fullmatch(
        r"\d+\.\d\d× raw WeasyPrint \(goal ≤ 1\.2: (not )?met\); \d+\.\d\d s per PDF",
        figures["full build `--jobs 1`, warm"],
    )
    assert re.fullmatch(
        r"speed-up \d+\.\d\d× over `--jobs 1`", figures["full build `--jobs 2`, warm"]
    )
    assert re.fullmatch(
        r"\d+\.\d % of the warm `--jobs 2` build \(goal ≤ 3 %: (not )?met\)",
        figures["no-op `rmr-gen build`"],
    )


def test_build_vs_weasyprint_compares_one_report(report: subprocess.CompletedProcess[str]) -> None:
    rows = table(tables(report.stdout), "One report: liten-processmal")
    assert [row["command"] for row in rows] == [
        "`rmr-gen build <id> --force`, cache warm",
        "same, cache removed (cold)",
        "`rmr-gen build <id>`, nothing changed",
        "`weasyprint --pdf-variant pdf/ua-1`, same HTML",
        "`rmr-gen --help`",
    ]
    for row in rows:
        for column in ("median s", "ratio to WeasyPrint", "CPU s", "CPU ratio"):
            positive(row[column])
    assert rows[3]["ratio to WeasyPrint"] == rows[3]["CPU ratio"] == "1.00"
    assert re.search(
        r"^rmr-gen build --force ÷ WeasyPrint = \d+\.\d\d \(goal ≤ 1\.15: (not )?met\), "
        r"\d+\.\d\d in CPU time$",
        report.stdout,
        re.M,
    )


def test_tagging_overhead_renders_one_pdf(report: subprocess.CompletedProcess[str]) -> None:
    [row] = table(tables(report.stdout), "Archival PDF over plain PDF")
    assert row["report"].startswith("liten-")
    plain, archival = positive(row["plain CPU s"]), positive(row["archival CPU s"])
    ratio = archival / plain  # of the printed values, each rounded to 0.0005 s
    assert abs(positive(row["ratio"]) - ratio) < 0.01 + ratio * (0.0005 / plain + 0.0005 / archival)


def test_validate_national_compares_with_pandas(report: subprocess.CompletedProcess[str]) -> None:
    rows = table(tables(report.stdout), "Validating indicator data")
    assert [(row["file"], row["step"], row["baseline"]) for row in rows] == [
        ("national", "`validate_file`", "`pandas.read_csv`"),
        ("national", "`read_measurements`", "`pandas.read_csv`"),
        ("national as .xlsx", "`validate_file`", "`pandas.read_excel`"),
    ]
    assert {row["rows"] for row in rows} == {"2 100"}
    for row in rows:
        positive(row["s"]), positive(row["baseline s"]), positive(row["ratio"])
    assert re.fullmatch(r"\d+\.\d / \d+\.\d", rows[0]["peak MiB (step / baseline)"])


def test_phases_add_up_to_the_whole_process(report: subprocess.CompletedProcess[str]) -> None:
    found = tables(report.stdout)
    rows = {
        row["phase"]: row for row in table(found, "One build, phase by phase: liten-processmal")
    }
    for side in ("rmr-gen s", "rmr-gen CPU s", "weasyprint s", "weasyprint CPU s"):
        whole = float(rows["**whole process**"][side].strip("*"))
        parts = [
            float(row[side]) for name, row in rows.items() if row[side] and "whole" not in name
        ]
        assert abs(sum(parts) - whole) < 0.002 + 0.01 * whole
    for phase in ("lay out", "interpreter start-up"):
        [name] = [name for name in rows if phase in name]
        positive(rows[name]["rmr-gen s"]), positive(rows[name]["weasyprint s"])
    positive(rows["import weasyprint"]["weasyprint s"])
    # rmr-gen imports WeasyPrint in its rendering process, started before planning
    [warm_up] = [name for name in rows if name.startswith("warm-up:")]
    positive(rows[warm_up]["rmr-gen CPU s"])
    assert rows[warm_up]["rmr-gen s"] == ""
    assert re.search(r"^The warm-up took \d+\.\d{3} s of wall time", report.stdout, re.M)
    # rmr-gen draws and writes the PDF in its deadline child, whose phases count too
    for side in ("rmr-gen s", "rmr-gen CPU s", "weasyprint s", "weasyprint CPU s"):
        positive(rows["draw, tag, write PDF"][side])
        positive(rows["style and lay out"][side])
    positive(rows["plan: configuration, data, hashing"]["rmr-gen s"])
    assert rows["plan: configuration, data, hashing"]["weasyprint s"] == ""

    jobs = {row[""]: row for row in table(found, "Parallel build, phase by phase")}
    assert (jobs["PDFs"]["`--jobs 1` s"], jobs["PDFs"]["`--jobs 2` s"]) == ("3", "3")
    assert jobs["processes that rendered"]["`--jobs 1` s"] == "1"
    assert jobs["processes that rendered"]["`--jobs 2` s"] == "2"
    for row in jobs.values():
        assert all(
            NUMBER.match(row[c]) or row[c].isdigit() for c in ("`--jobs 1` s", "`--jobs 2` s")
        )
    assert re.search(
        r"^speed-up of `--jobs 2` = \d+\.\d\d× wall, \d+\.\d\d× CPU critical path$",
        report.stdout,
        re.M,
    )
    for side in ("`--jobs 1` s", "`--jobs 2` s"):
        whole = positive(jobs["CPU: every process (workers, deadline children)"][side])
        rendering = positive(jobs["CPU time of rendering, summed over PDFs"][side])
        serial = positive(jobs["CPU: main process until the first PDF (serial)"][side])
        assert rendering + serial <= whole * 1.05 + 0.05  # counted once, not twice
        assert rendering > serial / 10  # the deadline children's work is counted


def test_editor_loop_times_a_real_edit(report: subprocess.CompletedProcess[str]) -> None:
    assert "### The editor's loop: liten-processmal, 1 edit" in report.stdout
    rows = {row["step"]: row for row in table(tables(report.stdout), "The editor's loop")}
    assert list(rows) == [
        "saved → reload event received",
        "saved → page shows the change (HTML)",
        "saved → `/pdf` shows the change",
    ]
    event, page, pdf = (positive(row["median s"]) for row in rows.values())
    assert event <= page <= pdf
    positive(rows["saved → `/pdf` shows the change"]["preview CPU s"])
    assert re.search(
        r"^saved → page = \d+\.\d\d s \(goal ≤ 1 s: (not )?met\); preview ready in \d+\.\d\d s$",
        report.stdout,
        re.M,
    )


def test_national_year_builds_shards_and_compares_bytes(
    report: subprocess.CompletedProcess[str],
) -> None:
    assert "### A national year: 2 regions × 2 diagnoses = 4 PDFs" in report.stdout
    rows = {row["build"]: row for row in table(tables(report.stdout), "A national year")}
    assert list(rows) == [
        "first build (cold: data parsed, charts drawn)",
        "`--force` build (warm)",
        "`--shard 1/2` (a second machine: cold)",
        "`--shard 2/2` (a third machine: cold)",
    ]
    for row in rows.values():
        positive(row["wall s"]), positive(row["CPU s"])
        assert float(row["peak MiB (process tree, PSS)"]) > 50
    assert re.search(
        r"^per PDF, warm: \d+\.\d{3} s CPU = \d+\.\d\d× raw WeasyPrint ", report.stdout, re.M
    )
    assert "2 + 2 PDFs, every one byte-identical to the one-machine build" in report.stdout


def test_national_year_refuses_a_shard_that_differs(tmp_path: Path) -> None:
    """A second machine whose PDFs differ (here: one text edited there) stops it."""
    script = tmp_path / "national_year_changed.py"
    text = (BENCHMARKS / "national_year.py").read_text(encoding="utf-8")
    copy = '            machine = copy_inputs(project, Path(scratch) / f"machine-{k}")\n'
    assert copy in text
    edit = (
        "            for md in machine.glob('reports/*/inledning.md'):\n"
        "                md.write_text(md.read_text() + '\\nEn annan mening.\\n')\n"
    )
    script.write_text(text.replace(copy, copy + edit), encoding="utf-8")
    shutil.copyfile(BENCHMARKS / "common.py", tmp_path / "common.py")
    result = subprocess.run(
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 1, result.stdout
    assert "national_year_changed.py: error: 4 PDFs differ between one build and two shards" in (
        result.stderr
    )
    assert result.stdout == ""


def test_a_failing_build_stops_the_benchmark(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    toml = project / "reports" / "liten-processmal" / "report.toml"
    toml.write_text(toml.read_text().replace('version = "1.0"', 'version = "ett"'))
    result = run("build_vs_weasyprint.py", "liten-processmal", "--quick", "--project", str(project))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "build_vs_weasyprint.py: error: step failed with exit code 2: " in result.stderr
    assert "reports/liten-processmal/report.toml:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_report_of_many_pdfs_is_refused(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    result = run(
        "build_vs_weasyprint.py", "liten-per-sjukvardsregion", "--quick", "--project", str(project)
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "expected 1 built, 0 failed; it printed: ['2 built, 0 skipped, 0 failed" in result.stderr


def test_not_a_project(tmp_path: Path) -> None:
    result = run("workflow.py", "--quick", "--project", str(tmp_path))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"workflow.py: error: {tmp_path}: not an rmr-gen project (no reports/ folder)\n"
    )
