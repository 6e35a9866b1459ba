"""mypy finds no error: --strict on the core and inputs layers, the defaults elsewhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import layers

STRICT_LAYERS = ("core", "inputs")


def mypy(cache: Path, *args: str) -> str:
    """Run mypy on paths below the repository; its report, which says the count."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args],
        cwd=layers.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr  # 2: mypy itself failed
    return done.stdout


@pytest.fixture(scope="module")
def cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mypy's cache in pytest's (later runs take a second), or a fresh one."""
    store = getattr(request.config, "cache", None)
    return Path(store.mkdir("mypy")) if store else tmp_path_factory.mktemp("mypy")


def test_core_and_inputs_pass_mypy_strict(cache: Path) -> None:
    on_disk = layers.modules_on_disk()
    strict = [
        on_disk[name]
        for layer in layers.layers()
        if layer.name in STRICT_LAYERS
        for name in layer.modules
        if name in on_disk
    ]
    assert strict, "no modules found for the strict layers"
    paths = [str(p.parent if p.name == "__init__.py" else p) for p in strict]
    report = mypy(cache, "--strict", "--follow-imports=silent", *paths)
    assert report.startswith("Success: no issues found"), report


def test_the_whole_package_passes_mypy(cache: Path) -> None:
    report = mypy(cache, "src/rmr_gen")
    assert report.startswith("Success: no issues found"), report
