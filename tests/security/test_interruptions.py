"""A build killed at any moment, or many builds at once, never leave a partial PDF."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf

from tests.conftest import NORR


def command(project: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rmr_gen",
        "--project",
        str(project),
        "build",
        "--jobs",
        "1",
        *args,
    ]


def assert_whole_pdf(path: Path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 1
    return data


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_pdf(project: Path) -> None:
    assert subprocess.run(command(project, NORR), capture_output=True).returncode == 0
    pdf = project / "output" / NORR / f"{NORR}.pdf"
    old = assert_whole_pdf(pdf)
    text = project / "reports" / NORR / "motivering.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    seen = []
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.7):
        process = subprocess.Popen(
            command(project, NORR, "--force"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.append(assert_whole_pdf(pdf))
    finished = subprocess.run(command(project, NORR), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    new = assert_whole_pdf(pdf)
    assert new != old
    assert all(state in (old, new) for state in seen), "only the old or the new PDF, never another"
    leftovers = [p.name for p in pdf.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], "temporary files of killed builds are cleaned up"


def test_sixteen_concurrent_builds_leave_every_output_valid(attack: Path) -> None:
    processes = [
        subprocess.Popen(
            command(attack, "sec", "--force"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(16)
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
    folder = attack / "output" / "sec"
    assert sorted(p.name for p in folder.iterdir()) == [".build-sec.json", "sec.pdf"]
    assert_whole_pdf(folder / "sec.pdf")
