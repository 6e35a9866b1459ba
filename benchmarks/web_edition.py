"""The web edition of every example document: what it costs and how it does.

1. Build time: ``rmr-gen build --force`` (PDFs only) against ``build --force
   --web`` (PDFs and web pages), interleaved, cache warm; and ``build --web``
   when the PDFs are already current (web pages only).
2. Every web page in headless chromium: axe-core WCAG 2.0/2.1 A and AA
   violations at 1280 and 390 px, horizontal overflow of the page at 390 px,
   and its weight: the HTML plus the font files the browser actually loaded.

Usage: .venv/bin/python benchmarks/web_edition.py [--runs N] [--jobs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_web_a11y import AXE, WCAG  # noqa: E402


def build(project: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "rmr-gen"), "--project", str(project), "build", *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def timings(project: Path, runs: int, jobs: str) -> None:
    build(project, "--web", "-j", jobs)  # warm the cache: parsed data, charts, fonts
    pdf, both = [], []
    for _ in range(runs):
        pdf.append(build(project, "--force", "-j", jobs))
        both.append(build(project, "--force", "--web", "-j", jobs))
    for page in (project / "output").rglob("*.html"):
        page.unlink()
    web_only = build(project, "--web", "-j", jobs)
    pages = len(list((project / "output").rglob("*.html")))
    print(f"build --force, PDFs only:          {statistics.median(pdf):6.1f} s  (runs {pdf})")
    print(f"build --force --web, PDFs and web:  {statistics.median(both):6.1f} s  (runs {both})")
    print(f"ratio: {statistics.median(both) / statistics.median(pdf):.3f}")
    print(f"build --web with the PDFs current:  {web_only:6.1f} s  ({pages} HTML files)")


def browse(project: Path) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted((project / "output").rglob("*.html"))
    total_violations = 0
    print(f"\n{'page':<75} {'axe 1280':>8} {'axe 390':>8} {'overflow 390':>12} {'bytes':>9}")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for page in pages:
            row = []
            for width in (1280, 390):
                tab = browser.new_page(viewport={"width": width, "height": 800})
                tab.goto(page.as_uri())
                tab.evaluate("document.fonts.ready")
                tab.add_script_tag(path=str(AXE))
                result = tab.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
                )
                row.append(sum(len(v["nodes"]) for v in result["violations"]))
                if width == 390:
                    row.append(
                        tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    )
                    fonts = tab.evaluate(
                        """[...document.fonts].filter(f => f.status === 'loaded')
                           .map(f => [f.family.replaceAll('"', ''), f.weight, f.style])"""
                    )
                tab.close()
            weight = page.stat().st_size
            for family, weight_name, style in fonts:
                face = {("400", "normal"): "Regular", ("700", "normal"): "Bold"}.get(
                    (weight_name, style), "BoldItalic" if weight_name == "700" else "Italic"
                )
                name = f"{family.replace(' ', '')}-{face}.woff2"
                if (page.parent / "fonts" / name).is_file():
                    weight += (page.parent / "fonts" / name).stat().st_size
            total_violations += row[0] + row[1]
            shown = str(page.relative_to(project / "output"))
            print(f"{shown:<75} {row[0]:>8} {row[1]:>8} {max(row[2], 0):>12} {weight:>9}")
        browser.close()
    print(f"\n{len(pages)} pages, {total_violations} axe violations")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", default="2")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name in ("reports", "data"):  # templates and reference data: the defaults
            shutil.copytree(ROOT / name, project / name)
        timings(project, options.runs, options.jobs)
        browse(project)


if __name__ == "__main__":
    main()
