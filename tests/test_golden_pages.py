"""Every page of every example report against its committed image (tests/golden_pages.py).

Refresh after an intended layout change, then look at the changed PNGs in review:
``.venv/bin/python -m pytest tests/test_golden_pages.py --update-golden``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import golden_pages

# The fixture project is a copy of the repository's examples, so these are the pages a
# reviewer looks at; a report a user adds to or edits in reports/ cannot fail this test.
EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "project"
REPORTS = sorted(p.name for p in (EXAMPLES / "reports").iterdir() if (p / "report.toml").is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("golden")
    for name in ("reports", "data"):
        shutil.copytree(EXAMPLES / name, project / name)
    out = subprocess.run(
        [sys.executable, "-m", "rmr_gen", "--project", str(project), "build", "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    return project


@pytest.mark.parametrize("report", REPORTS)
def test_pages_look_as_committed(built: Path, report: str, request: pytest.FixtureRequest) -> None:
    pdfs = sorted((built / "output" / report).glob("*.pdf"))
    assert pdfs
    if request.config.getoption("--update-golden"):
        names = {pdf.stem for pdf in pdfs}
        for stale in (golden_pages.GOLDEN / report).glob("*.png"):
            if stale.stem.rsplit("-", 1)[0] not in names:
                stale.unlink()
        for pdf in pdfs:
            golden_pages.update(report, pdf)
        return
    failed = [d for pdf in pdfs for d in golden_pages.compare(report, pdf) if not d.ok]
    assert not failed, (
        "pages differ from tests/golden/ (look at them; if intended, refresh with"
        " pytest tests/test_golden_pages.py --update-golden): "
        + ", ".join(f"{d.page} (mean {d.mean:.2f}, {d.changed} pixels changed)" for d in failed)
    )


@pytest.mark.parametrize("report", REPORTS)
def test_no_page_but_the_last_is_left_half_empty(built: Path, report: str) -> None:
    """A figure or table group that moves on never leaves more than 40 % of a page blank."""
    for pdf in sorted((built / "output" / report).glob("*.pdf")):
        pages = golden_pages.render(pdf)
        for number, page in enumerate(pages[:-1], start=1):
            assert golden_pages.empty_below(page) <= 0.4, f"{pdf.name} p{number}"
