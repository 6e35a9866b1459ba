"""Third round, the preview server: attacks sent over real HTTP to a running preview.

Each vector checks the status and that MARKER (kept outside the project) is not in
the answer: links out of templates/ or a report folder, a device behind a name, a
NUL byte in the path, and a request for another host (DNS rebinding).
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.conftest import MARKER, Secrets


class Server:
    """A preview of ``report_id`` on a free port of 127.0.0.1, in this process."""

    def __init__(self, project: Path, report_id: str) -> None:
        from rmr_gen.core.project import Project
        from rmr_gen.workflows.preview import Previewer
        from rmr_gen.workflows.previewserver import make_server

        self.viewer = Previewer(Project.open(project), report_id)
        self.viewer.rebuild()  # a refused input is shown on the page, the server runs
        self.stop = threading.Event()
        self.server = make_server(self.viewer, 0, self.stop)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.viewer.close()


@pytest.fixture
def serve() -> Iterator[object]:
    started: list[Server] = []

    def start(project: Path, report_id: str = "sec") -> Server:
        started.append(Server(project, report_id))
        return started[-1]

    yield start
    for server in started:
        server.close()


def test_a_template_linked_out_is_not_served(attack: Path, secrets: Secrets, serve) -> None:  # type: ignore[no-untyped-def]
    (attack / "templates" / "leak.css").symlink_to(secrets.css)
    server = serve(attack)
    assert server.get("/base.css")[0] == 200  # the templates in use still are
    for path in ("/leak.css", "/%6ceak.css", "/./leak.css", "//leak.css"):
        status, body, _ = server.get(path)
        assert status == 404, path
        assert MARKER.encode() not in body


def test_a_templates_folder_linked_out_is_not_served(
    attack: Path,
    secrets: Secrets,
    serve,  # type: ignore[no-untyped-def]
) -> None:
    os.rename(attack / "templates", attack / "own-templates")
    (attack / "templates").symlink_to(secrets.folder, target_is_directory=True)
    server = serve(attack)
    status, body, _ = server.get("/secret.txt")
    assert status == 404
    assert MARKER.encode() not in body


def test_a_report_folder_linked_out_is_not_served(
    attack: Path,
    secrets: Secrets,
    serve,  # type: ignore[no-untyped-def]
) -> None:
    (attack / "reports" / "ext").symlink_to(secrets.folder, target_is_directory=True)
    server = serve(attack, "ext")
    for path in ("/report-files/secret.txt", "/report-files/secret.css"):
        status, body, _ = server.get(path)
        assert status == 404, path
        assert MARKER.encode() not in body


def test_a_file_of_the_report_linked_out_is_not_served(
    attack: Path,
    secrets: Secrets,
    serve,  # type: ignore[no-untyped-def]
) -> None:
    (attack / "reports" / "sec" / "inside.txt").write_text("inne\n")
    (attack / "reports" / "sec" / "leak.txt").symlink_to(secrets.text)
    server = serve(attack)
    assert server.get("/report-files/inside.txt")[:2] == (200, b"inne\n")
    status, body, _ = server.get("/report-files/leak.txt")
    assert status == 404 and MARKER.encode() not in body


def test_a_device_behind_a_template_name_is_refused_unread(attack: Path, serve) -> None:  # type: ignore[no-untyped-def]
    (attack / "templates" / "zero.css").symlink_to("/dev/zero")
    (attack / "reports" / "sec" / "zero.png").symlink_to("/dev/zero")
    server = serve(attack)
    started = time.monotonic()
    assert server.get("/zero.css")[0] == 404
    assert server.get("/report-files/zero.png")[0] == 404
    assert time.monotonic() - started < 10


def test_a_template_too_large_is_not_served(attack: Path, serve) -> None:  # type: ignore[no-untyped-def]
    from rmr_gen.workflows.preview import MAX_SERVED

    with (attack / "templates" / "huge.css").open("wb") as handle:
        handle.truncate(MAX_SERVED + 1)  # sparse: costs no disk
    server = serve(attack)
    assert server.get("/huge.css")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/report-files/inside.txt%00.png",
        "/report-files/%00",
        "/inside.txt%00.css",
        "/sec/web/index.html%00",
        "/%00/x",
        "/report-files/%ff.png",
    ],
)
def test_a_nul_byte_answers_404(attack: Path, serve, path: str, capfd) -> None:  # type: ignore[no-untyped-def]
    (attack / "reports" / "sec" / "inside.txt").write_text("inne\n")
    server = serve(attack)
    status, _, _ = server.get(path)
    assert status == 404
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:{port}", "127.0.0.1", "localhost:1", ""]
)
def test_another_host_reads_nothing(attack: Path, serve, host: str) -> None:  # type: ignore[no-untyped-def]
    server = serve(attack)
    for path in ("/", "/sec/web/index.html", "/report.toml", "/base.css", "/pdf"):
        status, body, headers = server.get(path, host.format(port=server.port))
        assert status == 421, (host, path)
        assert b"Ett stycke" not in body and b"<html" not in body
        assert "access-control-allow-origin" not in headers


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_the_preview_s_own_hosts_are_answered_without_cors(attack: Path, serve, host: str) -> None:  # type: ignore[no-untyped-def]
    server = serve(attack)
    status, body, headers = server.get("/sec/web/index.html", host.format(port=server.port))
    assert status == 200 and b"Ett stycke" in body
    assert not any(h.startswith("access-control-") for h in headers)
