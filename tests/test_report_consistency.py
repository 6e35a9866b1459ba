"""report.toml settings that are each valid but contradict each other: dates, contents."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import NORR
from tests.test_cli import assert_refused, line_of, replace_in

TOML = Path("reports") / NORR / "report.toml"


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
