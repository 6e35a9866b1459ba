"""Shared fixtures: throw-away copies of the fixture project, and PDFs built once per session.

The tests never read the repository's own reports/ or data/: those are the
editors' examples, free to change. ``tests/fixtures/project`` is a project of
its own (reports/ and data/; templates and reference data are rmr-gen's
defaults, as in a project made by ``rmr-gen init``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# The suite reads rmr-gen's English messages, whatever the machine's locale; the tests of
# the Swedish ones (tests/test_messages.py, tests/test_swedish.py) set the language
# themselves. Set before rmr_gen is imported: --help texts are chosen at import.
os.environ["RMR_GEN_LANG"] = "en"

from rmr_gen.cli import app
from rmr_gen.core.project import PACKAGE_TEMPLATES

# Tests run in parallel on shared machines: a slow example is not a failing one.
settings.register_profile("parallel", deadline=None)
settings.load_profile("parallel")

#: The fixture project every test copies; never the repository's reports/.
ROOT = Path(__file__).parent / "fixtures" / "project"
SEEDS = Path(__file__).parent / "fixtures" / "seeds"
NORR = "processmal-palliativ-norr-2025-2028"


def copy_project(target: Path) -> Path:
    for name in ("reports", "data"):
        shutil.copytree(ROOT / name, target / name)
    return target


def replaced(text: str, old: str, new: str, count: int = 1) -> str:
    """``text`` with the first ``count`` (-1: every) ``old`` replaced by ``new``; fails
    when ``old`` is not there, so that a changed fixture cannot make an edit a no-op."""
    assert old in text, f"{old!r} is not in the text to edit"
    return text.replace(old, new, count)


def replace_in_file(path: Path, old: str, new: str, count: int = 1) -> None:
    """:func:`replaced` on a UTF-8 file, written back."""
    path.write_text(replaced(path.read_text(encoding="utf-8"), old, new, count), "utf-8")


def own_template(project_dir: Path, name: str) -> Path:
    """Copy rmr-gen's default ``templates/<name>`` into the project, to edit it there."""
    target = project_dir / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE_TEMPLATES / name, target)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the fixture project, safe to break."""
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
    text = re.sub(r"(?<=\w)-\n(?=[a-zåäö])", "", text)  # a hyphenated line end
    text = re.sub(r"[\u2013\u2014\u2212]", "-", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages_text(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [page.extract_text() or "" for page in document.pages]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the example reports as built now",
    )
