"""Exit codes, messages and files written, as a user or a script sees them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NORR, own_template, replace_in_file

RMR = "rmr-palliativ-vard-vgr"
CSV = Path("data") / "palliativ-norr.csv"
TOML = Path("reports") / NORR / "report.toml"


def replace_in(path: Path, old: str, new: str) -> None:
    replace_in_file(path, old, new)


def line_of(path: Path, starting: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(starting))


def assert_refused(result, *lines: str) -> None:
    """Exit 2, each expected line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    errors = result.stderr.splitlines()
    for line in lines:
        assert line in errors, f"{line!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.output
    assert errors[-1].endswith("nothing written") or re.search(r" [1-9]\d* failed", errors[-1])


def test_build_writes_pdf_and_html(project: Path, run) -> None:
    result = run(project, "build", "--html", NORR, RMR)
    assert result.exit_code == 0, result.output
    out = project / "output" / NORR
    assert (out / f"{NORR}.pdf").read_bytes().startswith(b"%PDF-")
    assert "<table" in (out / f"{NORR}.html").read_text(encoding="utf-8")
    assert f"built    {NORR}" in result.stdout
    assert "2 built, 0 skipped" in result.stdout


def test_unchanged_report_is_skipped_and_untouched(project: Path, run) -> None:
    assert run(project, "build", NORR).exit_code == 0
    pdf = project / "output" / NORR / f"{NORR}.pdf"
    before = pdf.stat().st_mtime_ns
    result = run(project, "build", NORR)
    assert result.exit_code == 0
    assert f"skipped  {NORR}" in result.stdout
    assert pdf.stat().st_mtime_ns == before
    replace_in(project / "reports" / NORR / "motivering.md", "Valda mål", "Valda  mål")
    result = run(project, "build", NORR)
    assert f"built    {NORR}" in result.stdout
    result = run(project, "build", "--force", NORR)
    assert f"built    {NORR}" in result.stdout


def test_check_writes_nothing(project: Path, run) -> None:
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert f"ok  {NORR}" in result.stdout
    assert not (project / "output").exists(), "check writes nothing, not even a cache"


def test_list_shows_status(project: Path, run) -> None:
    result = run(project, "list")
    assert result.exit_code == 0
    assert f"{NORR}\tprocessmal\t1.0\tnot built" in result.stdout
    run(project, "build", NORR)
    assert f"{NORR}\tprocessmal\t1.0\tup to date" in run(project, "list").stdout
    replace_in(
        project / CSV, ";Västerbotten;2022–2023;cancer;58", ";Västerbotten;2022–2023;cancer;59"
    )
    assert f"{NORR}\tprocessmal\t1.0\tchanged" in run(project, "list").stdout


def test_unknown_report_id(project: Path, run) -> None:
    result = run(project, "build", "processmal-palliativ-norr-2025-2029")
    assert_refused(
        result,
        "reports/processmal-palliativ-norr-2025-2029: error: unknown report "
        f"'processmal-palliativ-norr-2025-2029' (did you mean '{NORR}'?)",
    )
    assert not (project / "output" / NORR).exists()


def test_path_tricks_in_report_id(project: Path, run) -> None:
    result = run(project, "build", "../reports")
    assert result.exit_code == 2
    assert not (project / "output" / NORR).exists()


def test_not_a_project(tmp_path: Path, run) -> None:
    result = run(tmp_path, "build")
    assert_refused(result, f"{tmp_path}: error: not an rmr-gen project (no reports/ folder)")


def test_missing_data_file(project: Path, run) -> None:
    (project / CSV).unlink()
    result = run(project, "build", NORR)
    line = line_of(project / TOML, "files =")
    assert_refused(
        result, f"{TOML}:{line}: error: data file 'palliativ-norr.csv' not found in data/"
    )
    assert not (project / "output" / NORR).exists()


def test_bad_rows_are_all_reported_with_line_and_column(project: Path, run) -> None:
    csv = project / CSV
    replace_in(
        csv,
        "brytpunktssamtal;Norrbotten;2022–2023;cancer;79",
        "brytpunktssamtal;Norrbotten;2022–2023;cancer;7x9",
    )
    replace_in(
        csv,
        "munhalsa;Västerbotten;2022–2023;cancer;66",
        "munhalsa;Västerbotten;2022–2023;cancer;166",
    )
    replace_in(
        csv,
        "smartskattning;Norrbotten;2022–2023;all;57",
        "smartskattning;Norrbotten;2022–2023;all;-3",
    )
    replace_in(
        csv, "vb-angest;Västerbotten;2022–2023;cancer", "vb-angst;Västerbotten;2022–2023;cancer"
    )
    replace_in(csv, "vb-opioid;Norrbotten;2022–2023;cancer", "vb-opioid;Norbotten;2022–2023;cancer")
    result = run(project, "build", NORR)
    lines = {
        "brytpunktssamtal;Norrbotten;2022–2023;cancer;7x9": "5: error: value '7x9' is not a number",
        "munhalsa;Västerbotten;2022–2023;cancer;166": "5: error: value 166 is outside 0–100 (a percentage)",
        "smartskattning;Norrbotten;2022–2023;all;-3": "5: error: value -3 is outside 0–100 (a percentage)",
        "vb-angst;": "1: error: unknown indicator 'vb-angst' (did you mean 'vb-angest'?)",
        "vb-opioid;Norbotten;": (
            "2: error: unknown region 'Norbotten' (did you mean 'Norrbotten'? or map it in"
            ' report.toml: [data.rename] "Norbotten" = "Norrbotten")'
        ),
    }
    expected = [f"{CSV}:{line_of(csv, start)}:{message}" for start, message in lines.items()]
    assert_refused(result, *expected)
    # The cells left without data by these rows are counted on one line, not named each.
    assert (
        f"{CSV}: error: 2 of the 68 values the report needs are missing as a consequence of"
        " the errors above" in result.stderr.splitlines()
    )
    assert ": missing" not in result.stderr
    assert not (project / "output" / NORR).exists()


def test_missing_column_suggests_the_closest(project: Path, run) -> None:
    replace_in(
        project / CSV,
        "indicator;region;period;population;value",
        "indicator;regoin;period;population;value",
    )
    result = run(project, "check")
    assert_refused(
        result,
        f"{CSV}:1: error: missing column 'region' (is it the column 'regoin'? Rename that"
        ' header, or map it in report.toml: [data.columns] region = "regoin")',
    )


def test_jinja_syntax_error_names_template_and_line(project: Path, run) -> None:
    template = own_template(project, "partials/table-indicator-summary.html.j2")
    replace_in(template, "{{ group.number }}.", "{{ group.number }.")
    line = line_of(template, '<th scope="row">{{ group.number }.')  # the broken line
    result = run(project, "build", NORR)
    assert_refused(
        result,
        f"templates/partials/table-indicator-summary.html.j2:{line}: error: template error: unexpected '}}'",
    )


def test_undefined_variable_in_template(project: Path, run) -> None:
    template = own_template(project, "processmal/report.html.j2")
    replace_in(template, "{{ report.version }}", "{{ report.versoin }}")
    result = run(project, "build", NORR)
    assert result.exit_code == 2
    assert "templates/processmal/report.html.j2:" in result.stderr
    assert "versoin" in result.stderr
    assert not (project / "output" / NORR).exists()


def test_bad_report_toml_values(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, "date = 2025-06-04", 'date = "4 juni"')
    replace_in(toml, 'version = "1.0"', "versoin = 1.0")
    replace_in(toml, 'organisation = "rcc-norr"', 'organisation = "rcc-nor"')
    result = run(project, "check")
    assert_refused(
        result,
        f"{TOML}:{line_of(toml, 'date')}: error: 'date' must be a date written as 2025-06-04 (without quotes)",
        f"{TOML}:{line_of(toml, 'versoin')}: error: unknown key 'versoin' (did you mean 'version'?)",
        f"{TOML}: error: 'version' is required",
        f"{TOML}:{line_of(toml, 'organisation')}: error: unknown organisation 'rcc-nor' (did you mean 'rcc-norr'?) (organisations are defined in data/organisations.toml)",
    )


def test_toml_syntax_error_has_line_and_column(project: Path, run) -> None:
    toml = project / TOML
    replace_in(toml, "target_year = 2028", "target_year = = 2028")
    result = run(project, "check")
    line = line_of(toml, "target_year")
    assert result.exit_code == 2
    assert f"{TOML}:{line}:" in result.stderr and "invalid TOML" in result.stderr


def test_failed_build_keeps_the_previous_pdf(project: Path, run) -> None:
    assert run(project, "build", NORR).exit_code == 0
    pdf = project / "output" / NORR / f"{NORR}.pdf"
    before = pdf.read_bytes()
    replace_in(
        project / CSV,
        "munhalsa;Västerbotten;2022–2023;cancer;66",
        "munhalsa;Västerbotten;2022–2023;cancer;6x",
    )
    result = run(project, "build", "--force", NORR)
    assert result.exit_code == 2
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == sorted(
        [pdf.name, f".build-{NORR}.json"]
    ), "no temporary files are left behind"


def test_resource_outside_project_is_refused(project: Path, run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    template = own_template(project, "processmal/report.html.j2")
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace(
            "{% block page_header %}",
            f'{{% block page_header %}}<link rel="stylesheet" href="file://{secret}">',
            1,
        ),
        encoding="utf-8",
    )
    result = run(project, "build", NORR)
    assert result.exit_code == 2
    assert "resource refused" in result.stderr and "outside the project" in result.stderr
    assert not (project / "output" / NORR / f"{NORR}.pdf").exists()


def test_markdown_raw_html_and_template_code_print_literally(project: Path, run) -> None:
    text = project / "reports" / NORR / "motivering.md"
    text.write_text(
        text.read_text(encoding="utf-8")
        + '\n\n<img src="file:///etc/passwd"> {{ 1234*5 }} [x](javascript:alert(1))\n',
        encoding="utf-8",
    )
    result = run(project, "build", "--html", NORR)
    assert result.exit_code == 0, result.output
    html = (project / "output" / NORR / f"{NORR}.html").read_text(encoding="utf-8")
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "{{ 1234*5 }}" in html and "6170" not in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"]])
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    code = (  # main() ends the process: what it loaded is printed by an exit handler
        "import atexit, sys\n"
        "from rmr_gen.cli import main\n"
        "atexit.register(lambda: print('LOADED', [m for m in ('weasyprint', 'pandas', 'matplotlib', 'pikepdf') if m in sys.modules]))\n"
        f"sys.argv = ['rmr-gen', *{args!r}]\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout, out.stdout


def test_python_dash_m_works(project: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "rmr_gen", "--project", str(project), "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert out.returncode == 0, out.stderr
    assert f"ok  {NORR}" in out.stdout


def test_a_failing_report_does_not_stop_the_others(project: Path, run) -> None:
    replace_in(
        project / CSV,
        "munhalsa;Västerbotten;2022–2023;cancer;66",
        "munhalsa;Västerbotten;2022–2023;cancer;6x",
    )
    result = run(project, "build", NORR, RMR)
    assert result.exit_code == 2
    assert f"failed   {NORR}" in result.stderr
    assert "1 built, 0 skipped, 1 failed" in result.stderr
    assert (project / "output" / RMR / f"{RMR}.pdf").is_file()
    assert not (project / "output" / NORR).exists()


@pytest.mark.parametrize("code", ["{{ 1/0 }}", "{{ organisation.name + 1 }}"])
def test_template_runtime_errors_are_the_templates_fault(project: Path, run, code: str) -> None:
    template = own_template(project, "processmal/report.html.j2")
    replace_in(template, "{% block page_header %}", "{% block page_header %}" + code)
    line = line_of(template, "{% block page_header %}")
    result = run(project, "build", NORR)
    assert result.exit_code == 2, result.output
    assert f"templates/processmal/report.html.j2:{line}: error: template error:" in result.stderr


def test_a_text_that_is_not_utf8_is_named_with_its_line(project: Path, run) -> None:
    text = project / "reports" / NORR / "mal.md"
    text.write_bytes(text.read_bytes() + "\nMål på svenska\n".encode("cp1252"))
    line = text.read_bytes().count(b"\n")
    for command in ("check", "build"):
        result = run(project, command, NORR)
        assert_refused(
            result,
            f"reports/{NORR}/mal.md:{line}: error: not UTF-8 text (byte 0xE5); save the file as UTF-8",
        )


def test_a_rebuild_without_html_removes_the_stale_html(project: Path, run) -> None:
    assert run(project, "build", NORR, "--html").exit_code == 0
    html = project / "output" / NORR / f"{NORR}.html"
    assert html.is_file()
    replace_in(project / "reports" / NORR / "motivering.md", "Valda mål", "Valda  mål")
    assert run(project, "build", NORR).exit_code == 0
    assert not html.exists(), "an HTML that did not become this PDF is not left beside it"


def test_a_report_folder_without_report_toml_is_named(project: Path, run) -> None:
    (project / "reports" / "utkast").mkdir()
    result = run(project, "check")
    assert_refused(
        result,
        "reports/utkast/report.toml: error: missing: every folder in reports/ is a report and needs its report.toml",
    )
