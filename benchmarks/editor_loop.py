"""The editor's loop: from saving a Markdown text to the updated page in the browser.

Starts ``rmr-gen preview REPORT --port 0`` on a copy of the project, waits until it
serves the page, listens to its server-sent events as a browser does, and then,
each round, really changes one of the report's Markdown texts (a new sentence
with a number of its own, written as an editor saves it) and times:

- until the event that tells the browser to reload arrives;
- until the page the server then serves contains the new sentence (HTML);
- until ``/pdf`` returns a PDF that contains it (the PDF comes after the page).

Besides wall time (from the save), the CPU time the preview process (with its
children) spent on the round, which other load on a shared machine leaves alone.
The goal is the page in the browser within 1 s of saving.

Usage: .venv/bin/python benchmarks/editor_loop.py [REPORT] [--runs N] [--quick]
       [--project DIR]
"""

from __future__ import annotations

import http.client
import io
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import ENV, RMR_GEN, check_args, fail, goal, parser, table

#: The goal: the new text on the page within this many seconds of saving.
PAGE_SECONDS = 1.0
#: Longest wait for one step before the benchmark gives up.
TIMEOUT = 120.0
READY = re.compile(r"preview: (\S+) at http://127\.0\.0\.1:(\d+)/")


def copy_project(project: Path, target: Path) -> Path:
    """What the preview reads: reports/, data/ and the project's own templates/."""
    for name in ("reports", "data", "templates"):
        if (project / name).is_dir():
            shutil.copytree(project / name, target / name, symlinks=True)
    return target


def process_cpu(pid: int) -> float:
    """CPU seconds of a running process, of its running children (the PDF child) and
    of its ended ones (Linux /proc)."""
    from common import tree

    total = 0.0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile: its parent counts it
            continue
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


class Preview:
    """A running ``rmr-gen preview`` and a browser's event stream to it."""

    def __init__(self, project: Path, report: str) -> None:
        command = [RMR_GEN, "--project", str(project), "preview", report, "--port", "0"]
        self.process = subprocess.Popen(
            command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.events: queue.Queue[tuple[float, str]] = queue.Queue()
        self._connected = threading.Event()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.port = self._wait_ready(command)
        threading.Thread(target=self._listen, daemon=True).start()
        self._connected.wait(TIMEOUT)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.lines.put(raw.decode("utf-8", errors="replace"))

    def _wait_ready(self, command: list[str]) -> int:
        deadline = time.monotonic() + TIMEOUT
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            seen.append(line)
            found = READY.search(line)
            if found:
                return int(found[2])
        self.stop()
        fail(f"{' '.join(command)} did not start:\n{''.join(seen[-20:])}")

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        connection.request("GET", "/events")
        response = connection.getresponse()
        self._connected.set()
        while True:
            line = response.readline()
            if not line:
                return
            if line.startswith(b"data:"):
                self.events.put((time.perf_counter(), line[5:].strip().decode()))

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status == 303:  # "/" leads to the page's place below output/
            return self.get(response.headers["Location"])
        if response.status != 200:
            fail(f"GET {path}: {response.status}: {body[:500]!r}")
        return body

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def pdf_text(pdf: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join((page.extract_text() or "") for page in document.pages)


def edit_round(preview: Preview, text: Path, number: int) -> dict[str, float]:
    """Save a changed text; seconds until the event, the page and the PDF show it."""
    while not preview.events.empty():  # events of earlier rounds
        preview.events.get_nowait()
    marker = f"Mätpunkt {number} klar."
    original = text.read_text(encoding="utf-8")
    cpu = process_cpu(preview.process.pid)
    saved = time.perf_counter()
    with text.open("w", encoding="utf-8") as file:  # as an editor saves: in place
        file.write(original.rstrip("\n") + f"\n\n{marker}\n")
    try:
        event, _ = preview.events.get(timeout=TIMEOUT)
    except queue.Empty:
        fail(f"no reload event within {TIMEOUT:.0f} s of saving {text.name}")
    page = preview.get("/").decode("utf-8")
    shown = time.perf_counter()
    if marker not in page:
        fail(f"the page after the reload event does not show the change to {text.name}")
    html_cpu = process_cpu(preview.process.pid) - cpu
    pdf = preview.get("/pdf")
    done = time.perf_counter()
    total_cpu = process_cpu(preview.process.pid) - cpu
    if marker not in " ".join(pdf_text(pdf).split()):
        fail(f"/pdf after the change to {text.name} does not contain it")
    return {
        "event": event - saved,
        "page": shown - saved,
        "pdf": done - saved,
        "page CPU": html_cpu,
        "pdf CPU": total_cpu,
    }


def main() -> None:
    options = parser(__doc__, runs=5)
    options.add_argument("report", nargs="?", help="the report to preview (default: Norr)")
    args = options.parse_args()
    check_args(args)
    from build_vs_weasyprint import default_report

    report = args.report or default_report(args.project)
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(args.project, Path(scratch) / "project")
        texts = sorted((project / "reports" / report).glob("*.md"))
        if not texts:
            fail(f"{report} has no Markdown text to change")
        started = time.perf_counter()
        preview = Preview(project, report)
        try:
            preview.get("/")
            ready = time.perf_counter() - started
            preview.get("/pdf")  # a browser that shows the PDF has asked for it once
            results = [
                edit_round(preview, texts[number % len(texts)], number)
                for number in range(args.runs)
            ]
        finally:
            preview.stop()
    rows = []
    for key, label in (
        ("event", "saved → reload event received"),
        ("page", "saved → page shows the change (HTML)"),
        ("pdf", "saved → `/pdf` shows the change"),
    ):
        wall = statistics.median(r[key] for r in results)
        cpu_key = "page CPU" if key != "pdf" else "pdf CPU"
        cpu = statistics.median(r[cpu_key] for r in results) if key != "event" else None
        rows.append([label, f"{wall:.2f}", f"{cpu:.2f}" if cpu is not None else ""])
    print(f"### The editor's loop: {report}, {args.runs} edit{'s' if args.runs != 1 else ''}\n")
    print(table(["step", "median s", "preview CPU s"], rows))
    page = statistics.median(r["page"] for r in results)
    print(
        f"\nsaved → page = {page:.2f} s (goal {goal(page, PAGE_SECONDS, unit=' s')}); "
        f"preview ready in {ready:.2f} s"
    )


if __name__ == "__main__":
    main()
