"""The HTML of every report of the fixture project (tests/fixtures/project, the
examples of reports/ as the tests keep them) equals its copy in tests/golden/.

A template, stylesheet or formatting change shows up as a reviewable diff of
those files. After an intended change, refresh them with one command and commit
the result with the change:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from rmr_gen.core.errors import Problems
from rmr_gen.core.project import Project
from rmr_gen.workflows.build import prepare
from tests.conftest import NORR, copy_project

GOLDEN = Path(__file__).parent / "golden"
REFRESH = ".venv/bin/python -m pytest tests/test_golden.py --update-golden"


def portable(html: str, project: Path) -> str:
    """The HTML with the copy's own folder (in file: URLs of images) made neutral."""
    return html.replace(project.resolve().as_uri(), "file:///project")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every fixture report's HTML, by output name, from a throw-away copy."""
    root = copy_project(tmp_path_factory.mktemp("golden"))
    project = Project(root)
    problems = Problems()
    prepared = prepare(project, project.report_ids(), problems)
    problems.raise_if_any()
    return {item.report.name: portable(item.html or "", root) for item in prepared}


def difference(name: str, expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), f"golden/{name}.html", "rendered", lineterm=""
    )
    return "\n".join(list(lines)[:30])


def test_example_html_matches_golden(
    rendered: dict[str, str], request: pytest.FixtureRequest
) -> None:
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        for stale in GOLDEN.glob("*.html"):
            if stale.stem not in rendered:
                stale.unlink()
        for name, html in rendered.items():
            (GOLDEN / f"{name}.html").write_text(html, encoding="utf-8")
        return
    golden = {p.stem: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.html")}
    assert sorted(golden) == sorted(rendered), f"reports and golden files differ; run {REFRESH}"
    changed = [difference(n, golden[n], html) for n, html in rendered.items() if golden[n] != html]
    assert not changed, f"{len(changed)} HTML files changed (run {REFRESH} if intended):\n" + (
        "\n\n".join(changed[:3])
    )


def test_built_html_is_the_golden_html(built_project: Path) -> None:
    """What ``rmr-gen build --html`` writes is what the golden files hold."""
    for name in (NORR, "rmr-palliativ-vard-vgr"):
        written = (built_project / "output" / name / f"{name}.html").read_text(encoding="utf-8")
        assert portable(written, built_project) == (GOLDEN / f"{name}.html").read_text(
            encoding="utf-8"
        ), name
