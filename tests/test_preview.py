"""``rmr-gen preview`` in a real browser: Debian's chromium, headless, driven by Playwright.

The server runs as the user runs it (a subprocess on a free port); the test edits
a text as an editor would and watches the page change, then breaks it and sees
the error on the page over the last good rendering, then stops it with Ctrl-C.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import copy_project

RMR = "rmr-palliativ-vard-vgr"


def _ctrl_c_as_in_a_terminal() -> None:
    """A command started in the background of a script ignores SIGINT, and so would the
    preview started from it: give it the disposition a terminal gives, so that the tests'
    Ctrl-C is one a user's would be."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen(
        [sys.executable, "-m", "rmr_gen", "--project", str(project), "preview", RMR, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    url = None
    deadline = time.monotonic() + 120
    while url is None and time.monotonic() < deadline:
        line = process.stderr.readline()  # type: ignore[union-attr]
        if not line and process.poll() is not None:
            break
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        url = found.group(1) if found else None
    assert url, f"preview did not start: {process.stderr.read()}"  # type: ignore[union-attr]
    yield project, url, process
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_preview_reloads_on_save_and_shows_errors_over_the_last_good_page(server) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    project, url, process = server
    text = project / "reports" / RMR / "02-forandringar.md"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        assert "Förhandsgranskningsord" not in page.content()
        # the web page readers get (rmr-gen build --web), not the PDF's print HTML
        html = page.content()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert '<a class="skip-link" href="#innehall">' in html
        assert "<strong>Utkast.</strong>" in html and "OBS! Utskriven" not in html
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert any("Carlito" in family for family in loaded), loaded

        text.write_text(
            text.read_text(encoding="utf-8") + "\nFörhandsgranskningsord i en ny mening.\n",
            encoding="utf-8",
        )
        expect(page.get_by_text("Förhandsgranskningsord i en ny mening.")).to_be_visible(
            timeout=60_000
        )

        broken = text.read_text(encoding="utf-8") + "\n![Bild](saknas.png)\n"
        text.write_text(broken, encoding="utf-8")
        line = broken.splitlines().index("![Bild](saknas.png)") + 1
        alert = page.locator("#rmr-gen-problems")
        expect(alert).to_contain_text(
            f"reports/{RMR}/02-forandringar.md:{line}: error: image 'saknas.png' not found",
            timeout=60_000,
        )
        # in the editor's language (English here), above the page header: it pushes it
        # down, never covers it
        expect(alert).to_contain_text("the last saved change has errors")
        assert alert.get_attribute("lang") == "en"
        header = page.locator(".site-header").first.bounding_box()
        box = alert.bounding_box()
        assert header is not None and box is not None
        assert box["y"] + box["height"] <= header["y"] + 0.5, (box, header)
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
        header, box = page.locator(".site-header").first.bounding_box(), alert.bounding_box()
        assert header is not None and box is not None
        assert box["y"] + box["height"] <= header["y"] + 0.5, (box, header)  # not sticky
        # the last good rendering stays under the message
        expect(page.get_by_text("Förhandsgranskningsord i en ny mening.")).to_be_visible()
        browser.close()

    with urllib.request.urlopen(url + "pdf", timeout=120) as response:  # the last good PDF
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")

    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert err.rstrip().endswith("preview: stopped")
    assert not (project / "output").exists()  # a preview writes nothing into the project


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "REPORT: error: name the report to preview, one of: "),
        (["rmr-palliativ-vard-vgx"], "rmr-palliativ-vard-vgx: error: unknown report"),
    ],
)
def test_preview_names_the_report_it_cannot_show(project: Path, run, args, message) -> None:  # type: ignore[no-untyped-def]
    result = run(project, "preview", *args, "--port", "0")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (project / "output").exists()


def test_the_preview_is_the_web_page_build_writes(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    from rmr_gen.core.project import Project
    from rmr_gen.workflows.preview import RELOAD_SCRIPT, Previewer, allow_reload
    from tests.webproject import make_project

    project = make_project(tmp_path / "project")
    viewer = Previewer(Project.open(project), "mal-webb")
    assert viewer.rebuild() == []
    shown = viewer.page()
    assert not (project / "output").exists()
    assert run(project, "build", "--web", "mal-webb").exit_code == 0
    written = (project / "output/mal-webb/web/index.html").read_text(encoding="utf-8")
    # the same page, its policy widened by exactly the reload script and its event stream
    assert shown == allow_reload(written).replace("</head>", RELOAD_SCRIPT + "</head>", 1)
    assert "script-src 'sha256-" in shown and "connect-src 'self'" in shown
    # its fonts are served where the page looks for them
    for name in ("Carlito-Regular.woff2", "Carlito-Bold.woff2"):
        assert (
            viewer.font(f"/fonts/{name}")
            == (project / "output/mal-webb/web/fonts" / name).read_bytes()
        )
    assert viewer.font("/fonts/../report.toml") is None


def test_ctrl_c_stops_the_preview_while_connections_are_open(server) -> None:  # type: ignore[no-untyped-def]
    """A browser keeps idle connections open (preconnections) and an event stream: Ctrl-C
    must not wait for them."""
    import socket
    from urllib.parse import urlsplit

    _, url, process = server
    where = urlsplit(url)
    idle = socket.create_connection((where.hostname, where.port), timeout=10)  # sends nothing
    events = socket.create_connection((where.hostname, where.port), timeout=10)
    events.sendall(b"GET /events HTTP/1.0\r\n\r\n")
    assert events.recv(64).startswith(b"HTTP/1.0 200")  # the stream is open and not read
    try:
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "preview: stopped" in err
        assert time.monotonic() - started < 15
    finally:
        idle.close()
        events.close()
