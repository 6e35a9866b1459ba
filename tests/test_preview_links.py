"""The preview's links lead where the built web edition's do: the project's list of
reports and the released PDFs and manifests, served read only from output/; nothing
else, whatever the URL says."""

from __future__ import annotations

import http.client
import json
import os
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.test_web_a11y import AXE, WCAG, browser, overflow  # noqa: F401
from tests.webproject import make_project


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))


def links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


class Preview:
    """A running preview server on a free port, in this process."""

    def __init__(self, project: Path, report_id: str) -> None:
        from rmr_gen.core.project import Project
        from rmr_gen.workflows.preview import Previewer
        from rmr_gen.workflows.previewserver import make_server

        self.viewer = Previewer(Project.open(project), report_id)
        assert self.viewer.rebuild() == []
        self.stop = threading.Event()
        self.server = make_server(self.viewer, 0, self.stop)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def get(self, path: str) -> tuple[int, str, bytes, str]:
        """Status, content type, body and Location of a GET of ``path``, sent as given."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        kind = response.headers.get("Content-Type", "")
        return response.status, kind, body, response.headers.get("Location", "")

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.viewer.close()


@pytest.fixture
def released(tmp_path: Path, run) -> Path:  # type: ignore[no-untyped-def]
    project = make_project(tmp_path / "project")
    for report, version in (("mal-webb", "1.1"), ("per-region", "1.0")):
        assert run(project, "release", report, "--version", version).exit_code == 0
    return project


@pytest.fixture
def preview(released: Path) -> Iterator[Preview]:
    server = Preview(released, "mal-webb")
    yield server
    server.close()


EXPECTED = {".html": "text/html", ".pdf": "application/pdf", ".json": "application/json"}


def follow(preview: Preview, page_url: str, project: Path) -> dict[str, str]:
    """Every link of the page at ``page_url``: fragments name an element of the page,
    other pages' links are left alone, each of ours answers 200 with the type and
    the bytes of the file it stands for. Returns {url: content type}."""
    status, kind, body, _ = preview.get(page_url)
    assert status == 200 and kind.startswith("text/html"), (page_url, status)
    found = links(body.decode("utf-8"))
    answered = {}
    for href in found.hrefs:
        if href.startswith("#"):
            assert href[1:] in found.ids, (page_url, href)
            continue
        if urlsplit(href).scheme in ("http", "https", "mailto"):
            continue
        url = urljoin(page_url, href).split("#", 1)[0]
        status, kind, content, _ = preview.get(url)
        assert status == 200, (page_url, href, status, content[:200])
        suffix = Path(url).suffix
        assert kind.startswith(EXPECTED[suffix]), (url, kind)
        if suffix == ".pdf":
            assert content == (project / "output" / url.lstrip("/")).read_bytes()
        if suffix == ".json":
            assert "files" in json.loads(content), url
        answered[url] = kind
    return answered


def test_every_link_of_the_previewed_page_resolves(preview: Preview, released: Path, run) -> None:  # type: ignore[no-untyped-def]
    status, _, _, location = preview.get("/")
    assert (status, location) == (303, "/mal-webb/web/index.html")
    # the draft equals release 1.1: its archival PDF and manifest, and the list of reports
    answered = follow(preview, location, released)
    assert set(answered) == {
        "/index.html",
        "/mal-webb/1.1/mal-webb-1.1.pdf",
        "/mal-webb/1.1/manifest.json",
    }
    # no build has written the list yet: the preview's own, whose links resolve too
    assert not (released / "output/index.html").exists()
    index = follow(preview, "/index.html", released)
    assert set(index) == {
        "/mal-webb/web/index.html",
        "/mal-webb/1.1/mal-webb-1.1.pdf",
        "/per-region/1.0/manifest.json",
    }

    # after build --web: the built list, its links to built pages and their fonts
    assert run(released, "build", "--web").exit_code == 0
    status, kind, body, _ = preview.get("/index.html")
    assert body == (released / "output/index.html").read_bytes()
    index = follow(preview, "/index.html", released)
    assert {"/rmr-webb/web/index.html", "/per-region/web/index.html"} <= set(index)
    for url in ("/rmr-webb/web/index.html", "/per-region/web/index.html"):
        follow(preview, url, released)
    status, kind, body, _ = preview.get("/rmr-webb/web/fonts/Carlito-Regular.woff2")
    assert (status, kind) == (200, "font/woff2")
    assert body == (released / "output/rmr-webb/web/fonts/Carlito-Regular.woff2").read_bytes()
    # the previewed page is the live one, not the file the build wrote
    assert preview.get("/mal-webb/web/index.html")[2] == preview.viewer.page().encode()


def test_a_parameterised_report_is_previewed_where_its_first_page_lies(
    released: Path,
) -> None:
    server = Preview(released, "per-region")
    try:
        page = "/per-region/web/per-region-norrbotten.html"
        assert server.get("/")[3] == page
        # no list of values is built: its address leads to the page shown
        assert server.get("/per-region/web/index.html")[::3] == (303, page)
        answered = follow(server, page, released)
        assert set(answered) == {"/index.html", "/per-region/1.0/manifest.json"} | (
            {"/per-region/1.0/per-region-norrbotten-1.0.pdf"}
            if (released / "output/per-region/1.0/per-region-norrbotten-1.0.pdf").is_file()
            else set()
        )
    finally:
        server.close()


SECRET = b"TOPSECRET-outside-output"

HOSTILE = (
    "/../secret.txt",
    "/../../../../etc/passwd",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2E/etc/passwd",
    "/mal-webb/..%2f..%2fsecret.txt",
    "/mal-webb/1.1/..%2f..%2f..%2freports%2fmal-webb%2freport.toml",
    "/mal-webb%2f1.1%2fmal-webb-1.1.pdf",
    "/mal-webb/web/..%5c..%5c..%5creports%5cmal-webb%5creport.toml",
    "//etc/passwd",
    "/etc/passwd",
    "/mal-webb/1.1/%2fetc%2fpasswd",
    "/%2fetc%2fpasswd",
    "/%252e%252e/secret.txt",
    "/index.html%00.pdf",
    "/mal-webb/1.1/mal-webb-1.1.pdf%00",
    "/reports/mal-webb/report.toml",
    "/mal-webb/1.1/source/reports/mal-webb/report.toml",
    "/mal-webb/web/.build-mal-webb.json",
    "/.cache/anything",
    "/mal-webb/web/fonts/..%2f..%2f..%2f..%2fsecret.txt",
    "/fonts/..%2f..%2fsecret.txt",
    "/report-files/../../secret.txt",
    "/linked/1.0/manifest.json",
    "/linked/1.0/linked-1.0.pdf",
    "/rmr-webb/9.0/manifest.json",
    "/rmr-webb/9.1/manifest.json",
    "http://127.0.0.1/../secret.txt",
)


def test_hostile_paths_read_nothing_outside_output(
    preview: Preview, released: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "1.0").mkdir(parents=True)
    for name in ("manifest.json", "linked-1.0.pdf"):
        (outside / "1.0" / name).write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    output = released / "output"
    (output / "linked").symlink_to(outside)  # a folder link out of output/
    (output / "rmr-webb/9.0").mkdir(parents=True)
    (output / "rmr-webb/9.0/manifest.json").symlink_to(tmp_path / "secret.txt")  # a file link
    (output / "rmr-webb/9.1").symlink_to(outside / "1.0")
    opened: list[str] = []
    watching = threading.Event()

    def audit(event: str, args: tuple[object, ...]) -> None:
        if watching.is_set() and event == "open" and isinstance(args[0], (str, bytes, Path)):
            opened.append(os.fsdecode(args[0]))

    sys.addaudithook(audit)  # stays for the process; records only while watching
    watching.set()
    try:
        answers = {path: preview.get(path) for path in HOSTILE}
    finally:
        watching.clear()
    for path, (status, _, body, _) in answers.items():
        assert status in (403, 404, 421), (path, status)  # 421: names another host
        assert SECRET not in body and b"title =" not in body and b"root:" not in body, path
    read = [p for p in opened if Path(p).resolve().is_relative_to(tmp_path.resolve())]
    assert not any(
        Path(p).resolve().is_relative_to(outside.resolve())
        or Path(p).resolve() == (tmp_path / "secret.txt").resolve()
        for p in read
    ), read
    # what the page links to is still served
    assert preview.get("/mal-webb/1.1/manifest.json")[0] == 200


def test_an_editor_clicks_through_to_the_list_and_the_release(
    browser: Any,  # noqa: F811
    preview: Preview,
) -> None:
    tab = browser.new_page(viewport={"width": 390, "height": 800}, bypass_csp=True)  # for axe
    tab.goto(f"http://127.0.0.1:{preview.port}/")
    assert tab.url.endswith("/mal-webb/web/index.html")
    with tab.expect_response(lambda r: r.url.endswith(".pdf")) as pdf:
        tab.get_by_role("link", name="PDF, version 1.1").click()
    assert pdf.value.status == 200 and pdf.value.headers["content-type"] == "application/pdf"
    tab.goto(f"http://127.0.0.1:{preview.port}/")
    tab.get_by_role("link", name="Alla rapporter").click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith("/index.html")
    assert tab.locator("h1").inner_text() == "Rapporter"
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    assert [v["id"] for v in result["violations"]] == []
    assert overflow(tab) <= 0
    tab.get_by_role("link", name="Processmål för webbtest 2025–2028").click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith("/mal-webb/web/index.html")
    tab.close()
