"""Limits bind while the work runs (each fires within twice its setting), and inputs
that once ended in exit 1 end in exit 2 with the file and the place."""

from __future__ import annotations

import signal
import time
import zipfile
from pathlib import Path

import pytest

from tests.security.test_round_two import (
    TEMPLATE,
    TEXT,
    TOML,
    add_to_template,
    build,
    set_toml,
    state,
)

DATA_REPORT = """
[data]
files = ["{name}"]
period = "2022–2023"
"""


@pytest.fixture(autouse=True)
def nothing_changes_outside_the_project(tmp_path: Path):
    """No file next to the project (where the outside secrets live) is created or changed."""
    before = state(tmp_path, tmp_path / "project")
    yield
    assert state(tmp_path, tmp_path / "project") == before


def limits(project: Path, **values: int) -> None:
    lines = "".join(f"{key} = {value}\n" for key, value in values.items())
    path = project / TOML
    path.write_text(path.read_text(encoding="utf-8") + f"\n[limits]\n{lines}", encoding="utf-8")


def with_data(project: Path, name: str) -> None:
    path = project / TOML
    text = path.read_text(encoding="utf-8")
    path.write_text(text + DATA_REPORT.format(name=name), encoding="utf-8")


def timed(run, project: Path):
    started = time.monotonic()
    result = build(run, project)
    return result, time.monotonic() - started


# -- time ----------------------------------------------------------------------------


def test_a_catch_all_handler_cannot_outlive_the_deadline() -> None:
    from rmr_gen.output.guard import TimeLimitExceeded, run_with_deadline

    def stubborn() -> None:  # what WeasyPrint's ``except BaseException`` around SVG does
        while True:
            try:  # noqa: SIM105 (a loop that swallows every exception, on purpose)
                time.sleep(10)
            except BaseException:
                pass

    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        run_with_deadline(1.0, stubborn)
    assert time.monotonic() - started < 2.0


def test_the_child_ignores_sigalrm_tricks() -> None:
    from rmr_gen.output.guard import TimeLimitExceeded, run_with_deadline

    def masks_alarm() -> None:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(30)

    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        run_with_deadline(1.0, masks_alarm)
    assert time.monotonic() - started < 2.0


def test_a_slow_template_is_stopped_at_max_seconds(attack: Path, run) -> None:
    baseline, base_time = timed(run, attack)
    assert baseline.exit_code == 0
    add_to_template(
        attack, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    limits(attack, max_seconds=2)
    result, elapsed = timed(run, attack)
    assert result.exit_code == 2, result.output
    assert "limits.max_seconds = 2" in result.stderr
    assert elapsed - base_time < 2 * 2


def test_max_seconds_cannot_be_raised_past_the_ceiling(attack: Path, run) -> None:
    limits(attack, max_seconds=10_000_000_000)
    result = build(run, attack)
    assert result.exit_code == 2
    assert f"{TOML}:" in result.stderr and "above the ceiling 300" in result.stderr


# -- rows, unpacked size, pixels, file size -----------------------------------------


def test_max_rows_is_checked_while_streaming_a_csv(attack: Path, run) -> None:
    header = "indicator;region;period;population;value\n"
    row = "tackningsgrad;Norrbotten;2022–2023;cancer;55\n"
    (attack / "data" / "big.csv").write_text(header + row * 400_000, encoding="utf-8")
    with_data(attack, "big.csv")
    limits(attack, max_rows=1000)
    result, elapsed = timed(run, attack)
    assert result.exit_code == 2
    assert "data/big.csv: error: more than limits.max_rows = 1000 rows" in result.stderr
    assert elapsed < 15  # parsing 400 000 rows is never started


def _workbook(path: Path, rows: int, cell: str = "x") -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Blad1")
    sheet.append(["indicator", "region", "period", "population", "value"])
    for _ in range(rows):
        sheet.append(["tackningsgrad", "Norrbotten", "2022–2023", "cancer", cell])
    book.save(path)


def test_max_rows_counts_workbook_rows_before_parsing(attack: Path, run) -> None:
    _workbook(attack / "data" / "big.xlsx", 3000, "55")
    with_data(attack, "big.xlsx")
    limits(attack, max_rows=200)
    result = build(run, attack)
    assert result.exit_code == 2
    assert "data/big.xlsx: error: more than limits.max_rows = 200 rows" in result.stderr


def test_max_data_mb_measures_the_unpacked_workbook(attack: Path, run) -> None:
    _workbook(attack / "data" / "bomb.xlsx", 3, "a" * 30_000)
    path = attack / "data" / "bomb.xlsx"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 3_000_000)  # 3 MB that packs to 3 kB
    assert path.stat().st_size < 1_000_000
    with_data(attack, "bomb.xlsx")
    limits(attack, max_data_mb=1)
    result = build(run, attack)
    assert result.exit_code == 2
    assert "data/bomb.xlsx: error: unpacks to 3 MB, more than limits.max_data_mb = 1" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">',
    ],
)
def test_a_workbook_with_a_dtd_is_refused(doctype: str, attack: Path, run) -> None:
    path = attack / "data" / "dtd.xlsx"
    _workbook(path, 3, "55")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    start = parts[sheet].index(b"<worksheet")
    parts[sheet] = parts[sheet][:start] + doctype.encode() + parts[sheet][start:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with_data(attack, "dtd.xlsx")
    result = build(run, attack)
    assert result.exit_code == 2, result.output
    assert "data/dtd.xlsx: error:" in result.stderr and "DTD" in result.stderr


def _big_png(path: Path, side: int) -> None:
    from PIL import Image

    Image.new("1", (side, side)).save(path, optimize=True)


def test_image_pixels_are_counted_before_decoding(attack: Path, run) -> None:
    _big_png(attack / "reports" / "sec" / "stor.png", 12_000)
    assert (attack / "reports" / "sec" / "stor.png").stat().st_size < 1_000_000
    text = attack / TEXT
    text.write_text(text.read_text(encoding="utf-8") + "\n![bild](stor.png)\n", encoding="utf-8")
    limits(attack, max_image_pixels=1_000_000)
    result, elapsed = timed(run, attack)
    assert result.exit_code == 2
    assert f"{TEXT}:3: error: image 'stor.png': 12000 × 12000 pixels" in result.stderr
    assert elapsed < 15


def test_a_template_image_is_counted_too(attack: Path, run) -> None:
    _big_png(attack / "templates" / "stor.png", 3000)
    add_to_template(attack, '<img src="stor.png" alt="">')
    limits(attack, max_image_pixels=1_000_000)
    result = build(run, attack)
    assert result.exit_code == 2
    assert "3000 × 3000 pixels, more than limits.max_image_pixels" in result.stderr
    assert f"{TEMPLATE}:" in result.stderr


def test_a_huge_file_in_the_report_folder_is_refused_unread(attack: Path, run) -> None:
    sparse = attack / "reports" / "sec" / "stor.bin"
    with open(sparse, "wb") as handle:
        handle.truncate(8_000_000_000)  # 8 GB, sparse: no disk used
    result, elapsed = timed(run, attack)
    assert result.exit_code == 2
    assert "reports/sec/stor.bin: error: is 8000.0 MB" in result.stderr
    assert elapsed < 15


# -- no exit 1 -----------------------------------------------------------------------

LONG = "a" * 5000


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("image", "![x](a%00b.png)"),
        ("image", f"![x]({LONG}.png)"),
        ("contents", r'contents = ["te\u0000xt.md"]'),
        ("contents", f'contents = ["{LONG}.md"]'),
        ("files", '[data]\nfiles = ["a\\u0000.csv"]\nperiod = "2022–2023"'),
        ("files", f'[data]\nfiles = ["{LONG}.csv"]\nperiod = "2022–2023"'),
        ("title", r'title = "Ett\u0000prov"'),
        ("title", r'title = "Ett\u000Bprov"'),
        ("title", r'title = "Ett\u001Fprov"'),
    ],
)
def test_names_that_the_system_refuses_are_input_errors(
    where: str, value: str, attack: Path, run
) -> None:
    if where == "image":
        text = attack / TEXT
        text.write_text(text.read_text(encoding="utf-8") + f"\n{value}\n", encoding="utf-8")
        shown = str(TEXT)
    elif where == "contents":
        set_toml(attack, 'contents = ["text.md"]', value)
        shown = str(TOML)
    elif where == "files":
        (attack / TOML).write_text(
            (attack / TOML).read_text(encoding="utf-8") + value + "\n", encoding="utf-8"
        )
        shown = str(TOML)
    else:
        set_toml(attack, 'title = "Säkerhetsprov"', value)
        shown = str(TOML)
    result = build(run, attack)
    assert result.exit_code == 2, result.output
    assert f"{shown}:" in result.stderr
    assert LONG not in result.output


def test_deeply_nested_toml_is_an_input_error(attack: Path, run) -> None:
    path = attack / TOML
    path.write_text(
        path.read_text(encoding="utf-8") + "x = " + "[" * 50_000 + "]" * 50_000 + "\n",
        encoding="utf-8",
    )
    result = build(run, attack)
    assert result.exit_code == 2
    assert f"{TOML}: error: invalid TOML: nested too deeply" in result.stderr


def test_a_huge_range_in_a_template_is_an_input_error(attack: Path, run) -> None:
    add_to_template(attack, "{% for i in range(10**10) %}{% endfor %}")
    result = build(run, attack)
    assert result.exit_code == 2, result.output
    assert f"{TEMPLATE}:" in result.stderr and "range" in result.stderr


def test_a_huge_cell_is_not_echoed_whole(attack: Path, run) -> None:
    header = "indicator;region;period;population;value\n"
    cell = "X" * 5_000_000
    (attack / "data" / "cell.csv").write_text(
        header + f"tackningsgrad;{cell};2022–2023;cancer;55\n", encoding="utf-8"
    )
    with_data(attack, "cell.csv")
    result = build(run, attack)
    assert result.exit_code == 2
    assert "data/cell.csv:2" in result.stderr
    assert len(result.stderr) < 20_000


def test_a_report_toml_that_is_a_device_is_named_not_suggested(attack: Path, run) -> None:
    folder = attack / "reports" / "zero"
    folder.mkdir()
    (folder / "report.toml").symlink_to("/dev/zero")
    result = run(attack, "build", "zero")
    assert result.exit_code == 2
    assert "did you mean 'zero'" not in result.stderr
    assert "reports/zero/report.toml: error: is not a regular file" in result.stderr


def test_a_broken_svg_is_named_at_the_text_that_uses_it(attack: Path, run) -> None:
    (attack / "reports" / "sec" / "bild.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"')
    text = attack / TEXT
    text.write_text(text.read_text(encoding="utf-8") + "\n![bild](bild.svg)\n", encoding="utf-8")
    result = build(run, attack)
    assert result.exit_code == 2
    assert f"{TEXT}:3: error: 'reports/sec/bild.svg' could not be used" in result.stderr
    assert "report.toml" not in result.stderr


def test_running_out_of_memory_is_an_input_error(
    attack: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("rmr_gen.workflows.build.plan", exhausted)
    result = run(attack, "check")
    assert result.exit_code == 2
    assert "error: an input ran out of memory" in result.stderr
    assert "internal error" not in result.output


def test_a_child_killed_by_the_kernel_is_reported_not_a_crash() -> None:
    import os

    from rmr_gen.output.guard import WorkDied, run_with_deadline

    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer does

    with pytest.raises(WorkDied):
        run_with_deadline(5, killed)


def test_the_render_worker_survives_a_call_it_had_to_kill() -> None:
    from rmr_gen.output.guard import DeadlineWorker, TimeLimitExceeded

    with DeadlineWorker() as worker:
        assert worker.call(5, sum, [1, 2, 3]) == 6
        started = time.monotonic()
        with pytest.raises(TimeLimitExceeded):
            worker.call(1, time.sleep, 30)
        assert time.monotonic() - started < 2
        assert worker.call(5, max, [4, 7]) == 7  # a fresh child takes over
        with pytest.raises(ZeroDivisionError):
            worker.call(5, divmod, 1, 0)


def test_reading_a_very_wide_csv_is_stopped_at_max_seconds(attack: Path, run) -> None:
    columns = 200_000
    header = "indicator;region;period;population;value;" + ";".join(f"c{i}" for i in range(columns))
    row = "tackningsgrad;Norrbotten;2022–2023;cancer;55;" + ";".join("=1" for _ in range(columns))
    (attack / "data" / "wide.csv").write_text(header + "\n" + (row + "\n") * 20, encoding="utf-8")
    with_data(attack, "wide.csv")
    limits(attack, max_seconds=2)
    started = time.monotonic()
    result = run(attack, "check")
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, result.output[:2000]
    assert "data/wide.csv: error: reading took longer than limits.max_seconds = 2 s" in (
        result.stderr
    )
    assert elapsed < 2 * 2 + 6  # the limit, at most twice over, plus loading the project
