"""The built wheel on its own: a fresh virtual environment, no checkout, a project elsewhere.

Slow (it builds a wheel) but part of every run: it is the only test that sees what
a user who runs ``pip install rmr-gen`` gets. The wheel is installed without its
dependencies, which the new environment finds in the test environment's
site-packages (a ``.pth`` line): reinstalling pandas, matplotlib and WeasyPrint
each run would take minutes and test pip, not rmr-gen. rmr-gen itself is
imported from the new environment only (asserted).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parents[1]
EXAMPLE = "processmal-palliativ-norr-2025-2028"


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``rmr-gen`` of a fresh venv with only the wheel (and its dependencies) installed."""
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(CHECKOUT)],
        work,
        env,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("rmr_gen-*.whl")
    target = work / "venv"
    venv.create(target, with_pip=True)
    python = str(target / "bin" / "python")
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], work, env)
    dependencies = sysconfig.get_path("purelib")  # a plain path: its .pth files are not run
    (Path(site.stdout.strip()) / "rmr-gen-test-dependencies.pth").write_text(dependencies + "\n")
    pip = _run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
         str(wheel)],
        work,
        env,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr
    return target / "bin" / "rmr-gen"


def test_the_wheel_carries_its_defaults_and_runs_a_project_elsewhere(
    installed: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["CI"] = "1"
    python = installed.parent / "python"
    where = _run([str(python), "-c", "import rmr_gen; print(rmr_gen.__file__)"], tmp_path, env)
    assert where.stdout.startswith(str(installed.parent.parent)), where.stdout  # not the checkout

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
