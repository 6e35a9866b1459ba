"""Third round: init never writes through a link, a folder of output/ swapped for a link
during builds sends nothing outside (and ends in exit 0 or 2, never 1), and an
animated GIF counts all its frames against the pixel limit."""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rmr_gen.cli import app
from tests.security.test_limits_bind import limits
from tests.security.test_round_two import TEMPLATE, TEXT, add_to_template, build, state

# -- init ------------------------------------------------------------------------------


def init(target: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["init", str(target)])


def test_init_refuses_a_data_folder_that_links_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "ny"
    target.mkdir()
    (target / "data").symlink_to(outside, target_is_directory=True)
    before = state(tmp_path, tmp_path / "none")
    result = init(target)
    assert result.exit_code == 2, result.output
    assert f"{target / 'data'}: error: is a symbolic link" in result.output
    assert "Traceback" not in result.output
    assert list(outside.iterdir()) == []
    assert state(tmp_path, tmp_path / "none") == before  # nothing written anywhere


def test_init_refuses_a_dangling_gitignore_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "ny"
    target.mkdir()
    (target / ".gitignore").symlink_to(outside / "missing")
    result = init(target)
    assert result.exit_code == 2, result.output
    assert f"{target / '.gitignore'}: error: is a symbolic link" in result.output
    assert not (outside / "missing").exists()
    assert not (target / "reports").exists()


def test_init_still_makes_a_project_that_builds(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ny"
    assert init(target).exit_code == 0
    assert (target / ".gitignore").is_file() and not (target / ".gitignore").is_symlink()
    assert (target / "reports").is_dir()


# -- the write race --------------------------------------------------------------------

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def exchange(first: Path, second: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.renameat2(AT_FDCWD, bytes(first), AT_FDCWD, bytes(second), RENAME_EXCHANGE)


def test_a_report_folder_swapped_for_a_link_writes_nothing_outside(
    attack: Path,
    tmp_path: Path,
    run,  # type: ignore[no-untyped-def]
) -> None:
    assert build(run, attack).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    swap = attack / "output" / ".swap"
    swap.symlink_to(elsewhere, target_is_directory=True)
    folder = attack / "output" / "sec"
    before = state(tmp_path, attack / "output")
    stop = threading.Event()

    def swapping() -> None:
        while not stop.is_set():
            exchange(folder, swap)

    swapper = threading.Thread(target=swapping, daemon=True)
    swapper.start()
    codes = []
    try:
        for _ in range(8):
            result = run(attack, "build", "sec", "--html", "--web", "--force")
            assert "Traceback" not in result.output
            codes.append(result.exit_code)
    finally:
        stop.set()
        swapper.join()
    assert set(codes) <= {0, 2}, codes
    assert 2 in codes  # the swap was seen
    assert list(elsewhere.iterdir()) == []
    assert state(tmp_path, attack / "output") == before


def test_a_write_below_a_linked_folder_is_refused(attack: Path, tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (attack / "output").mkdir()
    (attack / "output" / "sec").symlink_to(elsewhere, target_is_directory=True)
    result = build(run, attack)
    assert result.exit_code == 2
    assert "symbolic link" in result.output
    assert list(elsewhere.iterdir()) == []


# -- an animated image -------------------------------------------------------------------


def _animation(path: Path, side: int, frames: int) -> None:
    from PIL import Image

    images = [Image.new("RGB", (side, side), (n * 8 % 256, 0, 0)) for n in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:], duration=40, loop=0)


def test_every_frame_of_a_gif_counts(attack: Path, run) -> None:  # type: ignore[no-untyped-def]
    _animation(attack / "reports" / "sec" / "anim.gif", 300, 30)
    text = attack / TEXT
    text.write_text(text.read_text(encoding="utf-8") + "\n![bild](anim.gif)\n", encoding="utf-8")
    limits(attack, max_image_pixels=1_000_000)
    result = build(run, attack)
    assert result.exit_code == 2
    assert "300 × 300 pixels × 30 frames, more than limits.max_image_pixels" in result.stderr
    assert not (attack / "output" / "sec" / "sec.pdf").exists()


def test_every_frame_of_a_template_gif_counts(attack: Path, run) -> None:  # type: ignore[no-untyped-def]
    _animation(attack / "templates" / "anim.gif", 300, 30)
    add_to_template(attack, '<img src="anim.gif" alt="">')
    limits(attack, max_image_pixels=1_000_000)
    result = build(run, attack)
    assert result.exit_code == 2
    assert "× 30 frames, more than limits.max_image_pixels" in result.stderr
    assert f"{TEMPLATE}:" in result.stderr


@pytest.mark.parametrize("frames", [1, 3])
def test_a_small_animation_still_builds(attack: Path, run, frames: int) -> None:  # type: ignore[no-untyped-def]
    _animation(attack / "reports" / "sec" / "anim.gif", 100, frames)
    text = attack / TEXT
    text.write_text(text.read_text(encoding="utf-8") + "\n![bild](anim.gif)\n", encoding="utf-8")
    limits(attack, max_image_pixels=1_000_000)
    assert build(run, attack).exit_code == 0
