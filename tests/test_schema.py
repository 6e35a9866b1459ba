"""The declarative schema is the one source of report.toml's keys and their reference page."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from rmr_gen.core.models import UNITS, Limits
from rmr_gen.inputs import config, schema

ROOT = Path(__file__).resolve().parent.parent


def test_the_reference_page_is_made_from_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (ROOT / "docs" / "reference" / "configuration.md").read_text("utf-8")
    for section in schema.SECTIONS:
        for key in section.keys:
            assert f"| `{key.name}` |" in page


def test_the_checks_take_their_keys_from_the_schema() -> None:
    assert schema.REPORT.names == config.REPORT_KEYS
    assert schema.DATA.names == config.DATA_KEYS
    assert {f.name for f in dataclasses.fields(Limits)} == schema.LIMITS.names
    assert schema.INDICATOR_DEFINITION.key("unit").allowed == UNITS
    assert set(schema.COLUMNS.names) == set(schema.COLUMN_NAMES)


def test_an_unknown_key_is_named_with_its_line(tmp_path: Path, run) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "data" / "indicators.toml").write_text(
        '[x]\nlabel = "X"\nbeter = "lower"\n', "utf-8"
    )
    result = run(tmp_path, "indicators")
    assert result.exit_code == 2, result.output
    assert "data/indicators.toml:3: error: unknown key 'beter' (did you mean 'better'?)" in (
        result.stderr
    )
