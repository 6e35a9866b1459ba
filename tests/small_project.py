"""A small project of three PDFs, for tests that build a whole project."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

SMALL = ROOT / "tests" / "fixtures" / "small-project"


def small_project(target: Path) -> Path:
    """One report (one PDF) and one parameterised by two sjukvårdsregioner (two PDFs);
    the shared templates and reference data come from the repository."""
    shutil.copytree(SMALL / "reports", target / "reports")
    for name in ("templates", "data"):
        shutil.copytree(ROOT / name, target / name)
    return target
