"""Third round, the web page's own check: a template that would make the page load from
the network or run a script is refused, text that merely says ``src=`` is not, and
the page's Content-Security-Policy stops what a check might miss.

Pages are opened in headless Chromium with a listener on 127.0.0.1 that records
every request the page makes, and a hook that records every dialog (``alert``).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rmr_gen.core.project import PACKAGE_DATA
from tests.security.test_round_two import TOML
from tests.test_web_a11y import browser  # noqa: F401

PAGE = Path("templates/web/page.html.j2")
BUILT = Path("output/sec/web/index.html")


class Listener:
    """An HTTP server on 127.0.0.1 that answers 200 to anything and remembers the paths."""

    def __init__(self) -> None:
        heard: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                heard.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.heard = heard
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


#: (markup, whether the page's Content-Security-Policy alone stops it in a browser)
VECTORS = {
    "img-slash": ('<img/src="http://{host}/img-slash" alt="">', True),
    "img-quoted-gt": ('<img alt=">" src="http://{host}/img-quoted-gt">', True),
    "style-attribute": ("<p style='background:url(http://{host}/style-attribute)'>x</p>", True),
    "css-escape": ("<style>p {{ background: u\\72 l(http://{host}/css-escape) }}</style>", True),
    "image-set": (
        '<style>p {{ background-image: image-set("http://{host}/image-set" 1x) }}</style>',
        True,
    ),
    "import-escape": ('<style>@\\69mport "http://{host}/import-escape";</style>', True),
    "svg-style-entity": (
        '<svg aria-hidden="true"><style>@&#105;mport "http://{host}/svg-style-entity";'
        "</style></svg>",
        True,
    ),
    "meta-refresh": (
        '<meta http-equiv="refresh" content="0;url=http://{host}/meta-refresh">',
        False,
    ),
    "ontoggle": ('<details open ontoggle="alert(7736)"><summary>s</summary></details>', True),
    "onerror": ('<img src="data:," onerror="alert(7736)" alt="">', True),
    "javascript-link": ('<a href="jav&#x09;ascript:alert(7736)">x</a>', False),
}


def add_to_page(project: Path, markup: str) -> None:
    path = project / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</main>", markup + "\n</main>", 1), encoding="utf-8")


def open_in_chromium(browser: Any, page: Path) -> list[str]:  # noqa: F811
    """Open ``page``, let it settle; the dialogs it opened."""
    tab = browser.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(page.as_uri())
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(300)
    tab.close()
    return dialogs


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_a_template_that_loads_or_runs_anything_is_refused(
    attack: Path,
    run,  # type: ignore[no-untyped-def]
    listener: Listener,
    browser: Any,  # noqa: F811
    name: str,
) -> None:
    markup = VECTORS[name][0].format(host=listener.host)
    add_to_page(attack, markup)
    result = run(attack, "build", "sec", "--web")
    assert result.exit_code == 2, result.output
    assert f"{PAGE}: error: " in result.stderr
    assert "Traceback" not in result.output
    assert not (attack / BUILT).exists()
    assert not (attack / "output/sec/sec.pdf").exists()


@pytest.mark.parametrize("name", sorted(n for n, (_, csp) in VECTORS.items() if csp))
def test_the_page_s_policy_stops_what_a_check_would_miss(
    attack: Path,
    run,  # type: ignore[no-untyped-def]
    listener: Listener,
    browser: Any,  # noqa: F811
    name: str,
) -> None:
    assert run(attack, "build", "sec", "--web").exit_code == 0
    page = attack / BUILT
    html = page.read_text(encoding="utf-8")
    assert html.count('http-equiv="Content-Security-Policy"') == 1
    markup = VECTORS[name][0].format(host=listener.host).replace("{{", "{").replace("}}", "}")
    page.write_text(html.replace("</main>", markup + "</main>", 1), encoding="utf-8")
    assert open_in_chromium(browser, page) == []
    assert listener.heard == []


def test_a_rewritten_cache_entry_never_runs_in_the_page(
    attack: Path,
    run,  # type: ignore[no-untyped-def]
    browser: Any,  # noqa: F811
) -> None:
    (attack / "reports/sec/text.md").write_text(
        "Sjukvårdsregionernas kvalitetsregisteruppföljning.\n", encoding="utf-8"
    )
    assert run(attack, "build", "sec", "--web").exit_code == 0
    entries = [p for p in (attack / "output/.cache/hyphenated").rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_text('<details open ontoggle="alert(7736)"><summary>s</summary></details>')
    result = run(attack, "build", "sec", "--web", "--force")
    assert result.exit_code == 0, result.output
    html = (attack / BUILT).read_text(encoding="utf-8")
    assert "ontoggle" not in html and "kvalitets" in html
    assert open_in_chromium(browser, attack / BUILT) == []


def test_metadata_that_says_src_is_only_text(
    attack: Path,
    run,  # type: ignore[no-untyped-def]
    listener: Listener,
    browser: Any,  # noqa: F811
) -> None:
    said = f'src="http://{listener.host}/said" onerror=alert(7736) url(http://{listener.host}/u)'
    toml = attack / TOML
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'version = "1.0"',
            f'version = "1.0"\nsubject = {said!r}\nkeywords = [{said!r}, "src=x"]',
        ),
        encoding="utf-8",
    )
    shutil.copy(PACKAGE_DATA / "organisations.toml", attack / "data/organisations.toml")
    organisations = attack / "data/organisations.toml"
    organisations.write_text(
        organisations.read_text(encoding="utf-8").replace(
            'name = "Regionalt cancercentrum norr"',
            'name = "Regionalt cancercentrum norr <img src=x onerror=alert(7736)>"',
            1,
        ),
        encoding="utf-8",
    )
    result = run(attack, "build", "sec", "--web")
    assert result.exit_code == 0, result.output
    html = (attack / BUILT).read_text(encoding="utf-8")
    assert "src=&quot;http://" in html or "src=&#34;http://" in html
    assert open_in_chromium(browser, attack / BUILT) == []
    assert listener.heard == []
