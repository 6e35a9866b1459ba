"""The release files on their own: the sdist and wheel as ``python -m build`` makes them,
checked by ``twine``, the wheel installed with ``pipx`` as the README tells an editor,
and a project elsewhere built, checked, released and verified with it.

Slow (it builds and installs the wheel with its dependencies, from the package index
or pip's cache) but part of every run: it is the only test that sees what a user who
follows the README's install gets. rmr-gen itself runs from pipx's environment only
(asserted), never from the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import rmr_gen

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parents[1]
EXAMPLE = "processmal-palliativ-norr-2025-2028"
#: What other tests may leave in the checkout meanwhile (the suite runs in parallel).
TOOL_CACHES = ("__pycache__/", ".hypothesis/", ".pytest_cache/", ".mypy_cache/", ".ruff_cache/")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=1200
    )


def _in_checkout() -> set[str]:
    """Every file git sees in the checkout, ignored ones too, but the tools' caches."""
    done = _run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], CHECKOUT)
    assert done.returncode == 0, done.stderr
    return {line for line in done.stdout.splitlines() if not any(c in line for c in TOOL_CACHES)}


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    """The sdist and the wheel (built from the sdist, as ``python -m build`` does), and
    what building added to the checkout."""
    out = tmp_path_factory.mktemp("dist")
    before = _in_checkout()
    built = _run([sys.executable, "-m", "build", "--outdir", str(out), str(CHECKOUT)], out)
    assert built.returncode == 0, built.stdout + built.stderr
    (sdist,) = out.glob("rmr_gen-*.tar.gz")
    (wheel,) = out.glob("rmr_gen-*.whl")
    return sdist, wheel, _in_checkout() - before


@pytest.fixture(scope="module")
def installed(dists: tuple[Path, Path, set[str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``rmr-gen`` as ``pipx install rmr_gen-….whl`` puts it on an editor's PATH, with
    pipx's home and bin folder in a temporary folder."""
    home = tmp_path_factory.mktemp("pipx")
    env = _env() | {
        "PIPX_HOME": str(home / "home"),
        "PIPX_BIN_DIR": str(home / "bin"),
        "PIPX_MAN_DIR": str(home / "man"),
    }
    pipx = [sys.executable, "-m", "pipx", "install", "--python", sys.executable, str(dists[1])]
    done = _run(pipx, home, env)
    assert done.returncode == 0, done.stdout + done.stderr
    return home / "bin" / "rmr-gen"


def test_building_writes_nothing_into_the_checkout(dists: tuple[Path, Path, set[str]]) -> None:
    assert dists[2] == set()  # no build/, no src/rmr_gen.egg-info
    assert not (CHECKOUT / "build").exists()


def test_twine_passes_the_sdist_and_the_wheel(dists: tuple[Path, Path, set[str]]) -> None:
    sdist, wheel, _ = dists
    done = _run(
        [sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)], CHECKOUT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_one_version_in_the_wheel_the_command_and_the_changelog(
    dists: tuple[Path, Path, set[str]], installed: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(dists[1]) as wheel:
        (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        text = wheel.read(metadata).decode("utf-8")
    (version,) = re.findall(r"^Version: (\S+)$", text, re.M)
    done = _run([str(installed), "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"rmr-gen {version}"
    assert version == rmr_gen.__version__
    changelog = (CHECKOUT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert released and released[0] == version, f"the top released entry: {released[:1]}"


def test_the_wheel_carries_its_defaults_and_runs_a_project_elsewhere(
    installed: Path, tmp_path: Path
) -> None:
    env = _env() | {"CI": "1"}
    (python,) = (installed.parents[1] / "home" / "venvs").glob("rmr-gen/bin/python")
    where = _run([str(python), "-c", "import rmr_gen; print(rmr_gen.__file__)"], tmp_path, env)
    assert where.stdout.startswith(str(python.parents[1])), where.stdout  # not the checkout

    def rmr_gen(*args: str) -> subprocess.CompletedProcess[str]:
        return _run([str(installed), *args], tmp_path, env)

    assert rmr_gen("init", "projekt").returncode == 0
    project = tmp_path / "projekt"
    assert not (project / "templates").exists() and not (project / "data" / "regions.toml").exists()
    assert "output/** -text" in (project / ".gitattributes").read_text(encoding="utf-8")

    def in_project(*args: str) -> subprocess.CompletedProcess[str]:
        return rmr_gen("--project", "projekt", *args)

    done = in_project("build")
    assert done.returncode == 0, done.stderr
    assert (project / "output" / EXAMPLE / f"{EXAMPLE}.pdf").read_bytes().startswith(b"%PDF-")
    done = in_project("check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ok  {EXAMPLE}"
    done = in_project("release", EXAMPLE, "--version", "1.0")
    assert done.returncode == 0, done.stderr
    source = project / "output" / EXAMPLE / "1.0" / "source"
    assert (source / "templates" / "base.css").is_file()  # the defaults it used, archived
    assert (source / "data" / "regions.toml").is_file()
    done = in_project("verify", EXAMPLE, "1.0")
    assert done.returncode == 0, done.stderr
    swedish = _run([str(installed), "--project", "projekt", "verify", EXAMPLE, "1.0"],
                   tmp_path, env | {"RMR_GEN_LANG": "sv"})  # fmt: skip
    assert swedish.returncode == 0 and swedish.stdout.startswith("kontrollerade "), swedish.stdout

    text = project / "reports" / EXAMPLE / "mal.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEn ny mening om målen.\n", "utf-8")
    done = in_project("diff", EXAMPLE, "1.0", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"words_added": 5' in done.stdout
    assert (project / "output" / EXAMPLE / "diff-1.0-draft.pdf").is_file()

    regions = source / "data" / "regions.toml"
    regions.chmod(0o644)
    regions.write_bytes(regions.read_bytes() + b"# tampered\n")
    done = in_project("verify", EXAMPLE, "1.0")
    assert done.returncode == 2, done.stderr
    assert f"output/{EXAMPLE}/1.0/source/data/regions.toml: error: changed" in done.stderr
