"""Screenshots of the example web pages against committed images, by the golden page
images' means (tests/golden_pages.py): every kind, a value of each parameterised
report, a list of values and the project's index, at 1280 and 390 px.

The screenshot is made to be the same on every run: the bundled fonts (files
beside the page) are loaded before it is taken, animations and the caret are
off, the window is a fixed size with one device pixel per CSS pixel, and the
pages hold no build date. Refresh after an intended change (and after a
Chromium upgrade that renders text differently), then look at the PNGs::

    .venv/bin/python -m pytest tests/test_golden_web.py --update-golden
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import golden_pages
from tests.test_web_a11y import browser, open_page  # noqa: F401

EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "project"
GOLDEN = golden_pages.GOLDEN / "web"
WIDTHS = (1280, 390)
#: Kept at half size (about 640 and 195 px wide): a moved word still shows.
SCALE = 0.5
PER_REGION = "exempel-processmal-palliativ-per-region"
PAGES = (
    "processmal-palliativ-norr-2025-2028/web/index.html",
    "rmr-palliativ-vard-vgr/web/index.html",
    "processmal-brostcancer-norr-2026-2029/web/index.html",
    f"{PER_REGION}/web/index.html",
    f"{PER_REGION}/web/{PER_REGION}-norrbotten.html",
    "exempel-processmal-palliativ-per-sjukvardsregion/web/"
    "exempel-processmal-palliativ-per-sjukvardsregion-norra-sjukvardsregionen.html",
    "index.html",
)


def golden_name(page: str, width: int) -> str:
    """``<id>/web/index.html`` → ``<id>-390.png``; ``<id>/web/<id>-<value>.html`` →
    ``<id>-<value>-390.png``; the project's ``index.html`` → ``index-390.png``."""
    stem = page.removesuffix("/web/index.html").rsplit("/", 1)[-1].removesuffix(".html")
    return f"{stem}-{width}.png"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's web pages; the report by region keeps three of its 21
    values (the page of one of them is compared, the list shows all three)."""
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project = tmp_path_factory.mktemp("golden-web") / "project"
    for name in ("reports", "data"):
        shutil.copytree(EXAMPLES / name, project / name)
    toml = project / "reports" / PER_REGION / "report.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        re.sub(
            r'(by = "region"\n)',
            r'\1values = ["Norrbotten", "Stockholm", "Skåne"]\n',
            text,
            count=1,
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["--project", str(project), "build", "--web"])
    assert result.exit_code == 0, result.output
    return project / "output"


def screenshot(browser: Any, page: Path, width: int) -> object:  # noqa: F811
    """The whole page at ``width`` CSS pixels, fonts loaded, nothing moving, quantised."""
    from PIL import Image

    tab = open_page(browser, page, width)
    png = tab.screenshot(full_page=True, animations="disabled", caret="hide")
    tab.close()
    image = Image.open(io.BytesIO(png))
    size = (round(image.width * SCALE), round(image.height * SCALE))
    return golden_pages.quantise(image.convert("L").resize(size, Image.Resampling.LANCZOS))


#: Screenshots taken of a page before it is called changed. On a loaded machine Chromium
#: now and then rasterises the narrow page's scrolling table (its sticky first column)
#: with rows a pixel apart: a page that matches once is as committed; a layout change
#: differs every time.
TRIES = 3


def closest(browser: Any, page: Path, width: int, reference: Path) -> golden_pages.Difference:  # noqa: F811
    """The first matching of up to TRIES screenshots of ``page``, else the last one's."""
    for _ in range(TRIES):
        found = golden_pages.difference(reference.name, screenshot(browser, page, width), reference)
        if found.ok:
            break
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_web_pages_look_as_committed(
    browser: Any,  # noqa: F811
    built: Path,
    width: int,
    request: pytest.FixtureRequest,
) -> None:
    names = {golden_name(page, width): page for page in PAGES}
    if request.config.getoption("--update-golden"):
        for stale in GOLDEN.glob(f"*-{width}.png"):
            if stale.name not in names:
                stale.unlink()
        for name, page in names.items():
            golden_pages.save(screenshot(browser, built / page, width), GOLDEN / name)
        return
    failed = [
        d
        for name, page in names.items()
        if not (d := closest(browser, built / page, width, GOLDEN / name)).ok
    ]
    assert not failed, (
        "web pages differ from tests/golden/web/ (look at them; if intended, refresh with"
        " pytest tests/test_golden_web.py --update-golden): "
        + ", ".join(f"{d.page} (mean {d.mean:.2f}, {d.changed} pixels changed)" for d in failed)
    )


def test_every_golden_image_is_of_a_page_compared() -> None:
    kept = {p.name for p in GOLDEN.glob("*.png")}
    assert kept == {golden_name(page, width) for page in PAGES for width in WIDTHS}
