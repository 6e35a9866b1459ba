"""The preview's web server: the standard library's ``ThreadingHTTPServer`` on
127.0.0.1, answering only its own host names (no DNS rebinding), with a few routes —
``/`` redirected to the page, the page and its fonts, the server-sent-events stream
that tells the page to reload, the PDF, the files of ``output/`` the page links to,
the list of reports before a build has written one, and the templates' and report
folder's files. What each route serves is the
:class:`~rmr_gen.workflows.preview.Previewer`'s.
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rmr_gen.core.errors import InputError
from rmr_gen.workflows.preview import Previewer

CONTENT_TYPES = {".ttf": "font/ttf", ".css": "text/css", ".svg": "image/svg+xml",
                 ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".gif": "image/gif", ".webp": "image/webp"}  # fmt: skip


#: A report's web page (or list of values) below ``output/<id>/``.
WEB_INDEX = "web/index.html"


def make_server(previewer: Previewer, port: int, stop: threading.Event) -> ThreadingHTTPServer:
    from rmr_gen.workflows.webfiles import output_file

    built_list = previewer.project.output_folder(previewer.report_id) / WEB_INDEX
    hosts: set[str] = set()  # the Host headers answered: this server's own names

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal shows rebuilds and problems, not requests

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

        def do_GET(self) -> None:
            host = self.headers.get("Host")
            if host is not None and host.lower() not in hosts:  # a browser always sends one
                # A page of another origin whose name was rebound to 127.0.0.1 (DNS
                # rebinding) sends its own name: it reads nothing.
                self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain")
                return
            path = self.path.split("?", 1)[0]
            page = previewer.page_url()
            if path == "/":
                self._redirect(page)
            elif path == page:
                self._send(200, previewer.page().encode(), "text/html; charset=utf-8")
            elif path == f"/{previewer.report_id}/{WEB_INDEX}" and not built_list.is_file():
                self._redirect(page)  # a parameterised report was shown there until it rendered
            elif path == "/events":
                self._events()
            elif (font := previewer.font(path)) is not None:
                self._send(200, font, "font/woff2")
            elif path in ("/pdf", previewer.draft_pdf_url()):
                try:
                    body = previewer.pdf()
                except InputError as exc:
                    text = "\n".join(str(p) for p in exc.problems) + "\n"
                    self._send(HTTPStatus.CONFLICT, text.encode(), "text/plain; charset=utf-8")
                    return
                self._send(200, body, "application/pdf")
            elif (served := output_file(previewer.project, path)) is not None:
                self._send(200, served.content, served.content_type)
            elif path == "/index.html":  # no build has written it yet
                self._send(200, previewer.index().encode(), "text/html; charset=utf-8")
            else:
                content = previewer.static_file(path)
                if content is None:
                    self._send(404, b"not found\n", "text/plain")
                    return
                kind = CONTENT_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")
                self._send(200, content, kind)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                for generation in previewer.events(stop):
                    line = f"data: {generation}\n\n" if generation >= 0 else ": alive\n\n"
                    self.wfile.write(line.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    bound = server.server_address[1]
    hosts.update({f"127.0.0.1:{bound}", f"localhost:{bound}", f"[::1]:{bound}"})
    return server
