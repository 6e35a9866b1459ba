"""The user guide: docs/ built as a site with ``mkdocs build --strict``, so a broken link
or a missing included file fails the suite (and CI), and the README a newcomer reads
first: its two commands, its links.

The site is built into a temporary folder, never into the checkout. About 2 s.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
#: The README's two commands, which .ci/run and the guide refer to.
BUILD = "scripts/setup.sh && .venv/bin/rmr-gen build"
TEST = "scripts/setup.sh && .venv/bin/python -m pytest"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's banner, not a warning
    command = ["build", "--strict", "--config-file", "mkdocs.yml", "--site-dir", str(out)]
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", *command],
        cwd=ROOT,  # the snippets (README.md, SECURITY.md, data/README.md) are found from here
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def nav_pages(entries: list[object]) -> list[str]:
    pages: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            pages.append(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                pages.extend(nav_pages(value) if isinstance(value, list) else [str(value)])
    return pages


def test_the_guide_builds_strict_outside_the_tree(site: Path) -> None:
    assert (site / "index.html").is_file()
    for page in ("tasks/next-year", "tasks/diff", "reference/configuration", "architecture"):
        assert (site / page / "index.html").is_file(), page
    assert not (ROOT / "site").exists(), "mkdocs wrote into the checkout"


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    in_nav = set(nav_pages(config["nav"]))
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert on_disk - in_nav == set(), "pages not in mkdocs.yml's nav"
    assert in_nav - on_disk == set(), "nav entries without a page"


def test_the_guide_is_swedish_and_searches_swedish(site: Path) -> None:
    assert '<html lang="sv"' in (site / "index.html").read_text("utf-8")
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["sv", "en"]


def test_the_included_files_are_in_the_guide(site: Path) -> None:
    """README's install section, SECURITY.md and data/README.md are written once and shown
    in the guide too: an included text that went missing fails the build, not silently."""
    install = (site / "install" / "index.html").read_text("utf-8")
    assert "pipx install" in install and "libharfbuzz-subset0" in install
    security = (site / "reference" / "security" / "index.html").read_text("utf-8")
    assert "Trust model" in security
    data = (site / "reference" / "data-folder" / "index.html").read_text("utf-8")
    assert "Indicator data (long format)" in data


def test_the_readme_starts_with_the_two_commands_and_links_the_guide() -> None:
    text = README.read_text("utf-8")
    first_block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("  #")[0].strip() for line in first_block.splitlines()] == [BUILD, TEST]
    assert (ROOT / ".ci" / "run").read_text("utf-8").rstrip().splitlines()[-1] == TEST
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert "docs/index.md" in local
    missing = [t for t in local if not (ROOT / t).is_file()]
    assert missing == [], "README links to files that are not there"
