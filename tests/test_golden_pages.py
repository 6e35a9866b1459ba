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


MM = 72 / 25.4


def page_fill(pdf: Path) -> list[tuple[float, float]]:
    """Per page: the share of the text area its text and figures use (from below the
    header's rule), and the distance in mm from its lowest ink to the footer's rule."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            wide = [r for r in page.rects if r["x1"] - r["x0"] > 300]
            header = max(r["bottom"] for r in wide if r["bottom"] < 45 * MM)
            rule = min(r["top"] for r in wide if r["top"] > page.height - 45 * MM)
            ink = [w["bottom"] for w in page.extract_words() if header < w["top"] < rule]
            ink += [c["bottom"] for c in page.curves + page.images if header < c["top"] < rule]
            ink += [r["bottom"] for r in page.rects if header < r["top"] and r["bottom"] < rule]
            lowest = max(ink, default=header)
            found.append(((lowest - header) / (rule - header), (rule - lowest) / MM))
    return found


@pytest.mark.parametrize("report", REPORTS)
def test_no_page_is_nearly_empty_and_text_keeps_clear_of_the_footer(
    built: Path, report: str
) -> None:
    """Every page but the last uses at least 60 % of its text area, the last at least
    30 % (no page holds a heading and two lines), and there are at least 4 mm between
    the lowest text and the footer's rule."""
    for pdf in sorted((built / "output" / report).glob("*.pdf")):
        pages = page_fill(pdf)
        for number, (used, clearance) in enumerate(pages, start=1):
            least = 0.3 if number == len(pages) else 0.6
            assert used >= least, f"{pdf.name} p{number}: {used:.0%} of the text area used"
            assert clearance >= 4.0, f"{pdf.name} p{number}: {clearance:.1f} mm to the footer"


@pytest.mark.parametrize("report", REPORTS)
def test_no_text_prints_under_8_pt(built: Path, report: str) -> None:
    """Figur 1's ticks and region names too: a chart for many regions, capped in height
    by the style sheet, is drawn as large as 8 pt text needs (it printed 7.9 pt)."""
    import pdfplumber

    for pdf in sorted((built / "output" / report).glob("*.pdf")):
        with pdfplumber.open(pdf) as document:
            for number, page in enumerate(document.pages, start=1):
                small = sorted({round(c["size"], 2) for c in page.chars if c["size"] < 7.99})
                assert not small, f"{pdf.name} p{number}: text of {small} pt"
