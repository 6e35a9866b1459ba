"""report.toml settings that are each valid but contradict each other: dates, contents."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import NORR
from tests.test_cli import assert_refused, line_of, replace_in

TOML = Path("reports") / NORR / "report.toml"
CHART = '    "chart:figur-1"'
TEXT = '    "mal.md"'


def test_valid_until_before_the_date_is_refused(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, "date = 2025-06-04\n", "date = 2025-06-04\nvalid_until   = 2025-06-03\n")
    result = run(project, "build", NORR)
    assert_refused(
        result,
        f"{TOML}:{line_of(toml, 'valid_until')}:17: error: 'valid_until' = 2025-06-03 is before"
        " the report's 'date' = 2025-06-04: the document would be out of date when it is"
        " published",
    )
    assert not (project / "output" / NORR).exists()


def test_valid_until_on_or_after_the_date_is_built(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, "date = 2025-06-04\n", "date = 2025-06-04\nvalid_until = 2025-06-04\n")
    result = run(project, "check")
    assert result.exit_code == 0, result.output


def test_history_dates_after_the_date_or_going_back_are_refused(project: Path, run) -> None:
    toml = project / TOML
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[history]]\nversion = "1.1"\ndate = 2024-01-10\ndescription = "Rättelse."\n'
        + '\n[[history]]\nversion = "1.0"\ndate = 2024-03-01\ndescription = "Första."\n'
        + '\n[[history]]\nversion = "2.0"\ndate = 2025-07-01\ndescription = "Ny plan."\n',
        encoding="utf-8",
    )
    lines = toml.read_text(encoding="utf-8").splitlines()
    dates = [i for i, line in enumerate(lines, start=1) if line.startswith("date = 202")][1:]
    result = run(project, "check")
    assert_refused(
        result,
        f"{TOML}:{dates[2]}:8: error: history[3] (version 2.0) is dated 2025-07-01, after the"
        " report's 'date' = 2025-06-04",
        f"{TOML}:{dates[0]}:8: error: history[1]: version 1.1 is dated 2024-01-10, before"
        " version 1.0 (2024-03-01)",
    )
    assert len(result.stderr.splitlines()) == 3


def test_a_table_placed_twice_is_refused_at_the_second(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, '    "chart:figur-1",\n', '    "chart:figur-1", "table:tabell-1",\n')
    result = run(project, "build", NORR)
    assert_refused(
        result,
        f"{TOML}:{line_of(toml, CHART)}:22: error: contents lists"
        " 'table:tabell-1' twice (items 3 and 6): each text, table and chart is placed once;"
        " remove one",
    )
    assert not (project / "output" / NORR).exists()


def test_a_text_placed_twice_on_one_line_is_refused(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, '    "mal.md",\n', '    "mal.md", "changes", "changes",\n')
    result = run(project, "check")
    assert_refused(
        result,
        f"{TOML}:{line_of(toml, TEXT)}:26: error: contents lists 'changes' twice"
        " (items 3 and 4): each text, table and chart is placed once; remove one",
    )


def test_a_chart_defined_but_not_placed_is_a_warning(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, '    "chart:figur-1",\n', "")
    result = run(project, "build", NORR)
    assert result.exit_code == 0, result.output
    assert (
        f"{TOML}:{line_of(toml, '[charts.figur-1]')}: warning: [charts.figur-1] is defined but"
        ' not in contents: it is not printed (add "chart:figur-1" to contents where it'
        " belongs, or remove it)" in result.stderr.splitlines()
    )
    assert (project / "output" / NORR / f"{NORR}.pdf").exists()


def test_a_table_defined_but_not_placed_is_a_warning_in_check(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, '    "table:tabell-1",\n', "")
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert (
        f"{TOML}:{line_of(toml, '[tables.tabell-1]')}: warning: [tables.tabell-1] is defined but"
        ' not in contents: it is not printed (add "table:tabell-1" to contents where it'
        " belongs, or remove it)" in result.stderr.splitlines()
    )
