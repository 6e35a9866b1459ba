"""rmr-gen started as an editor starts it: under a Swedish locale it speaks Swedish,
under C.UTF-8 English; ``RMR_GEN_LANG`` decides over the locale; ``--format json``
is the same in both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project, replace_in_file

REPORT = "processmal-palliativ-norr-2025-2028"


def rmr_gen(project: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("RMR_GEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "rmr_gen", "--project", str(project), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose report.toml has a key rmr-gen does not know."""
    project = copy_project(tmp_path_factory.mktemp("swedish") / "project")
    replace_in_file(
        project / "reports" / REPORT / "report.toml", "\ndate = ", "\ndatum = 1\ndate = "
    )
    return project


def test_check_speaks_swedish_under_a_swedish_locale(broken: Path) -> None:
    result = rmr_gen(broken, "check", REPORT, LANG="sv_SE.UTF-8")
    assert result.returncode == 2
    assert f"reports/{REPORT}/report.toml:" in result.stderr
    assert ": fel: " in result.stderr and ": error: " not in result.stderr
    assert "datum" in result.stderr
    assert "inget skrevs" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_speaks_english_under_c_utf8(broken: Path) -> None:
    result = rmr_gen(broken, "check", REPORT, LANG="C.UTF-8")
    assert result.returncode == 2
    assert ": error: " in result.stderr and ": fel: " not in result.stderr
    assert "nothing written" in result.stderr


def test_rmr_gen_lang_decides_over_the_locale(broken: Path) -> None:
    swedish = rmr_gen(broken, "check", REPORT, LANG="C.UTF-8", RMR_GEN_LANG="sv")
    english = rmr_gen(broken, "check", REPORT, LANG="sv_SE.UTF-8", RMR_GEN_LANG="en")
    assert ": fel: " in swedish.stderr
    assert ": error: " in english.stderr


def test_json_is_the_same_in_both_languages(broken: Path) -> None:
    swedish = rmr_gen(broken, "check", REPORT, "--format", "json", LANG="sv_SE.UTF-8")
    english = rmr_gen(broken, "check", REPORT, "--format", "json", LANG="C.UTF-8")
    assert swedish.returncode == english.returncode == 2
    assert swedish.stdout == english.stdout
    problems = json.loads(english.stdout)["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors and all(p["code"] != "text" for p in errors), errors
    assert any("datum" in json.dumps(p, ensure_ascii=False) for p in errors)


def test_help_follows_the_language(tmp_path: Path) -> None:
    swedish = rmr_gen(tmp_path, "check", "--help", LANG="sv_SE.UTF-8")
    english = rmr_gen(tmp_path, "check", "--help", LANG="C.UTF-8")
    assert swedish.stdout.startswith("Användning: ")
    assert "Kontrollera rapporter, texter, data och mallar" in swedish.stdout
    assert "Flaggor:" in swedish.stdout and "Visa den här hjälpen" in swedish.stdout
    assert english.stdout.startswith("Usage: ")
    assert "Validate reports, texts, data and templates" in english.stdout


def test_a_usage_error_follows_the_language(tmp_path: Path) -> None:
    swedish = rmr_gen(tmp_path, "build", "--nope", LANG="sv_SE.UTF-8")
    assert swedish.returncode == 2
    assert "Fel: Flaggan finns inte: --nope" in swedish.stderr
    assert "Prova '" in swedish.stderr and "build --help' för hjälp." in swedish.stderr


@pytest.mark.parametrize(
    ("lang", "heading", "severity"),
    [
        ("sv", "rmr-gen: den senast sparade ändringen har fel", ": fel: "),
        ("en", "rmr-gen: the last saved change has errors", ": error: "),
    ],
)
def test_the_preview_banner_follows_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, heading: str, severity: str
) -> None:
    from rmr_gen.core.project import Project
    from rmr_gen.workflows.preview import Previewer

    monkeypatch.setenv("RMR_GEN_LANG", lang)
    project = copy_project(tmp_path / "project")
    viewer = Previewer(Project.open(project), REPORT)
    assert viewer.rebuild() == []
    replace_in_file(
        project / "reports" / REPORT / "report.toml", "\ndate = ", "\ndatum = 1\ndate = "
    )
    assert viewer.rebuild() != []
    page = viewer.page()
    banner = page.split('id="rmr-gen-problems"', 1)[1].split("</div>", 1)[0]
    assert f'id="rmr-gen-problems" role="alert" lang="{lang}"' in page
    assert heading in banner
    assert severity in banner and "datum" in banner
