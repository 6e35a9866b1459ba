"""The rules that have one home: the version grammar, WeasyPrint's internals."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmr_gen.output import tagging
from tests.conftest import NORR
from tests.test_cli import assert_refused, line_of, replace_in

TOML = Path("reports") / NORR / "report.toml"


@pytest.mark.parametrize("version", ["01.0", "1.00", "12345.6", "1", "1.0.0"])
def test_a_version_that_could_never_be_released_is_refused_in_report_toml(
    project: Path, run, version: str
) -> None:
    replace_in(project / TOML, 'version = "1.0"', f'version = "{version}"')
    result = run(project, "check", NORR)
    line = line_of(project / TOML, "version")
    assert_refused(
        result,
        f"{TOML}:{line}: error: 'version' must be a string like \"1.0\""
        " (major.minor, no leading zeros)",
    )


def test_the_release_grammar_is_the_report_grammar(project: Path, run) -> None:
    replace_in(project / TOML, 'version = "1.0"', 'version = "10.12"')
    assert run(project, "check", NORR).exit_code == 0
    result = run(project, "release", NORR, "--version", "10.12")
    assert result.exit_code == 0, result.output
    assert (project / "output" / NORR / "10.12" / f"{NORR}-10.12.pdf").is_file()


@pytest.mark.parametrize("installed", ["71.0", "69.1", "7.0"])
def test_another_weasyprint_is_refused_by_name(installed: str) -> None:
    with pytest.raises(tagging.UnsupportedWeasyPrint, match=r"written for WeasyPrint 70\.x"):
        tagging.check_version(installed)
    tagging.check_version("70.0")
    tagging.check_version("70.2")


def test_moved_internals_stop_the_build_loudly(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.pdf import tags

    monkeypatch.delattr(tags, "_build_box_tree")
    result = run(project, "build", "--jobs", "1", NORR)
    assert result.exit_code == 1
    assert "internal error" in result.stderr
    assert "has moved weasyprint.pdf.tags._build_box_tree" in result.stderr
    assert not (project / "output" / NORR / f"{NORR}.pdf").exists()


def test_an_internal_error_names_rmr_gens_own_line(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that surfaces inside a library is reported at rmr-gen's line that called it."""
    from rmr_gen.workflows import renderers

    monkeypatch.setattr(renderers, "_pdf_times", lambda folder: [Path("/no/such").stat()])
    result = run(project, "build", "--jobs", "1", NORR)
    assert result.exit_code == 1
    assert "internal error" in result.stderr
    assert "FileNotFoundError" in result.stderr
    assert "rmr_gen/workflows/renderers.py:" in result.stderr
    assert "pathlib.py" not in result.stderr


def test_a_fixture_edit_of_text_that_is_not_there_fails(tmp_path: Path) -> None:
    """Tests edit fixtures through ``replaced``: a changed fixture fails them loudly."""
    from tests.conftest import replace_in_file, replaced

    assert replaced("a b a", "a", "c") == "c b a"
    assert replaced("a b a", "a", "c", -1) == "c b c"
    with pytest.raises(AssertionError, match="'x' is not in the text to edit"):
        replaced("a b a", "x", "y")
    path = tmp_path / "report.toml"
    path.write_text('version = "1.0"\n', encoding="utf-8")
    with pytest.raises(AssertionError):
        replace_in_file(path, 'version = "1.1"', 'version = "2.0"')
    assert path.read_text(encoding="utf-8") == 'version = "1.0"\n'
