"""A small project of three PDFs, for tests that build a whole project."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

SMALL = Path(__file__).parent / "fixtures" / "small-project"


def small_project(target: Path) -> Path:
    """One report (one PDF) and one parameterised by two sjukvårdsregioner (two PDFs),
    with the fixture project's data files; templates and reference data are rmr-gen's."""
    shutil.copytree(SMALL / "reports", target / "reports")
    shutil.copytree(ROOT / "data", target / "data")
    return target
