"""Shared fixtures: a throw-away copy of the project, and PDFs built once per session."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rmr_gen.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parent / "fixtures" / "seeds"
NORR = "processmal-palliativ-norr-2025-2028"


def copy_project(target: Path) -> Path:
    for name in ("reports", "templates", "data"):
        shutil.copytree(ROOT / name, target / name)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the repository's project, safe to break."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def run() -> Callable[..., object]:
    """Invoke the CLI in-process: ``run(project, "build", ...)``."""
    runner = CliRunner()

    def invoke(project_dir: Path, *args: str) -> object:
        return runner.invoke(app, ["--project", str(project_dir), *args])

    return invoke


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two published reports, built once with --html."""
    project_dir = copy_project(tmp_path_factory.mktemp("built"))
    result = CliRunner().invoke(
        app, ["--project", str(project_dir), "build", "--html", NORR, "rmr-palliativ-vard-vgr"]
    )
    assert result.exit_code == 0, result.output
    return project_dir


def normalise(text: str) -> str:
    """Compare words, not layout: one space, one kind of dash, no soft hyphens."""
    text = text.replace("\u00ad", "").replace("\u2010\n", "")
    text = re.sub(r"[\u2013\u2014\u2212]", "-", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages_text(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [page.extract_text() or "" for page in document.pages]
