"""The reviewer's diff, one realistic edit at a time: release 1.0, edit, diff the draft.

Each scenario asserts what the reviewer sees: the summary on stdout, the JSON,
the exit code of ``--exit-code``, the redline's text layer and the drafted
change log.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from typer.testing import CliRunner, Result

from rmr_gen.cli import app
from rmr_gen.core.project import PACKAGE_DATA
from tests.conftest import ROOT, normalise, pdf_pages_text, replace_in_file

FIXTURE = Path(__file__).parent / "fixtures" / "diff-project"
PLAN = "plan-2025"


def cli(project: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--project", str(project), *args])


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with release 1.0 of the plan, made once."""
    project = tmp_path_factory.mktemp("released") / "project"
    shutil.copytree(FIXTURE / "reports", project / "reports")
    shutil.copytree(ROOT / "data", project / "data")
    result = cli(project, "release", PLAN, "--version", "1.0")
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(released: Path, tmp_path: Path) -> Path:
    """A copy of the released project, safe to edit."""
    target = tmp_path / "project"
    shutil.copytree(released, target)
    return target


def edit(project: Path, name: str, old: str, new: str) -> None:
    replace_in_file(project / "reports" / PLAN / name, old, new)


def diff(project: Path, *args: str) -> tuple[Result, dict[str, Any], Result]:
    """The JSON and the text summary of ``diff PLAN 1.0`` (the draft), with --exit-code."""
    as_json = cli(project, "diff", PLAN, "1.0", "--format", "json", "--exit-code", *args)
    text = cli(project, "diff", PLAN, "1.0", *args)
    assert text.exit_code == 0, text.output
    return as_json, json.loads(as_json.stdout), text


def redline(project: Path, name: str = "diff-1.0-draft.pdf") -> str:
    return normalise(" ".join(pdf_pages_text(project / "output" / PLAN / name)))


def test_target_changed_with_its_label_is_a_rename_and_a_target(project: Path) -> None:
    edit(
        project,
        "report.toml",
        'id = "brytpunktssamtal"\ntarget = 90',
        'id = "brytpunktssamtal"\nlabel = "Brytpunktssamtal dokumenterat"\ntarget = 95',
    )
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output
    assert data["targets"] == [
        {"table": "Tabell 1", "indicator": "Brytpunktssamtal dokumenterat",
         "old": "≥\u00a090\u00a0%", "new": "≥\u00a095\u00a0%"}
    ]  # fmt: skip
    assert [(r["change"], r["old"], r["row"]) for r in data["rows"]] == [
        ("renamed", "Brytpunktssamtal", "Brytpunktssamtal dokumenterat")
    ]
    assert data["cells"] == []  # the values are the same indicator's
    assert "Målnivån för Brytpunktssamtal dokumenterat har ändrats från 90 % till 95 %." in [
        line.replace("\u00a0", " ") for line in data["changelog"]
    ]
    assert "target: plan-2025, Tabell 1, Brytpunktssamtal dokumenterat:" in text.stdout
    assert "row renamed: plan-2025, Tabell 1, Brytpunktssamtal → Brytpunktssamtal dokumenterat" in (
        text.stdout
    )


def test_a_new_indicator_is_one_entry_with_its_target(project: Path) -> None:
    edit(
        project,
        "report.toml",
        'id = "smartskattning"\ntarget = 70\n',
        'id = "smartskattning"\ntarget = 70\n\n[[indicators]]\nid = "munhalsa"\ntarget = 80\n',
    )
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output
    assert [(r["change"], r["row"], r["region"], r["target"]) for r in data["rows"]] == [
        ("added", "Munhälsa", "", "≥\u00a080\u00a0%")
    ]
    log = [line.replace("\u00a0", " ") for line in data["changelog"]]
    assert "Raden ”Munhälsa” har lagts till i Tabell 1, med målnivån ≥ 80 %." in log
    assert not any("Norrbotten" in line or "Västerbotten" in line for line in log), log
    assert "row added: plan-2025, Tabell 1, Munhälsa (target ≥\u00a080\u00a0%)" in text.stdout


def test_a_no_break_space_between_words_is_a_named_change(project: Path) -> None:
    edit(project, "text.md", "livets slutskede", "livets\u00a0slutskede")
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output  # it was "0 change(s)", exit 0
    (section,) = data["sections"]
    assert section["section"] == "Prioriteringar"
    assert section["notes"] == ["”livets\u00a0slutskede.”: mellanslag → hårt mellanslag"]
    assert "  ”livets\u00a0slutskede.”: mellanslag → hårt mellanslag" in text.stdout
    assert "nothing printed changes" not in text.stdout
    assert (
        "I avsnittet ”Prioriteringar”: mellanslag → hårt mellanslag i ”livets slutskede.”."
        in data["changelog"]
    )
    page = redline(project)
    assert "”livets slutskede.”: mellanslag → hårt mellanslag" in page  # the summary
    assert "i livets [mellanslag → hårt mellanslag]" in page  # the list item, marked


def test_a_text_in_another_unicode_form_is_a_named_change(project: Path) -> None:
    path = project / "reports" / PLAN / "text.md"
    text_md = path.read_text("utf-8")
    nfd = unicodedata.normalize("NFD", "Målet är att")
    path.write_text(text_md.replace("Målet är att", nfd), "utf-8")
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output
    (section,) = data["sections"]
    notes = [unicodedata.normalize("NFC", note) for note in section["notes"]]
    assert notes == ["”Målet är”: Unicode-form NFC → NFD"]
    assert "  ”Målet är”: Unicode-form NFC → NFD" in unicodedata.normalize("NFC", text.stdout)
    assert "[Unicode-form NFC → NFD]" in redline(project)


def test_emphasis_removed_is_marked_on_the_redline(project: Path) -> None:
    edit(project, "text.md", "**tre indikatorer**", "tre indikatorer")
    result, data, _ = diff(project)
    assert result.exit_code == 1, result.output
    assert [(s["section"], s["change"]) for s in data["sections"]] == [("Inledning", "formatting")]
    assert "Formateringen i avsnittet ”Inledning” har ändrats (samma ord)." in data["changelog"]
    page = redline(project)
    assert "[fetstil borttagen: tre indikatorer]" in page
    assert "Markerade ändringar i dokumentet (1)" in page  # a bar and a number


def test_a_heading_level_change_is_named(project: Path) -> None:
    edit(project, "text.md", "## Uppföljning", "### Uppföljning")
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output
    (section,) = data["sections"]
    assert section["notes"] == ["rubriknivå 2 → 3"]
    assert "section formatting: Uppföljning (+0 −0 words, rubriknivå 2 → 3)" in text.stdout
    assert "Rubriken ”Uppföljning” har flyttats från nivå 2 till nivå 3." in data["changelog"]


def test_a_footnote_is_refused_with_its_line(project: Path) -> None:
    """CommonMark has no footnotes: ``[^1]`` would print literally and its definition
    vanish as a link target, while ``check`` said ok."""
    edit(project, "text.md", "föregående period.", "föregående period.[^1]\n\n[^1]: Se bilaga.")
    result = cli(project, "check", PLAN)
    assert result.exit_code == 2, result.output
    folder = "reports/plan-2025/text.md"
    assert f"{folder}:4: error: footnote '[^1]': footnotes are not supported" in result.stderr
    assert f"{folder}:6: error: footnote '[^1]'" in result.stderr
    assert "Traceback" not in result.output and "link" not in result.stderr
    assert not (project / "output" / PLAN / f"{PLAN}.pdf").exists()


def next_year(project: Path) -> None:
    """``new plan-2026 --from plan-2025`` and the 2023–2024 rows in the data: the values
    of 2022–2023, one of them changed."""
    result = cli(project, "new", "plan-2026", "--from", PLAN)
    assert result.exit_code == 0, result.output
    csv = project / "data" / "palliativ-norr.csv"
    lines = csv.read_text("utf-8").splitlines()
    new = [line.replace("2022–2023", "2023–2024") for line in lines if "2022–2023" in line]
    new = [line[:-2] + "93" if line.startswith("brytpunktssamtal;Norrbotten;") else line
           for line in new]  # fmt: skip
    csv.write_text("\n".join([*lines, *new]) + "\n", "utf-8")
    replace_in_file(project / "reports" / "plan-2026" / "text.md", "Arbetet", "Arbetet i år")


def test_next_years_plan_against_last_years(project: Path) -> None:
    next_year(project)
    # By default a report made with new --from is compared with its origin.
    result = cli(project, "diff", "plan-2026", "--format", "json", "--exit-code")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["old"] == f"{PLAN}@1.0" and data["new"] == "draft"
    assert data["periods"] == ["2022–2023", "2023–2024"]
    assert data["cells"] == []  # the period shift is stated once, not as every cell changed
    assert len(data["period_cells"]) == 4  # 2 indicators × 2 regions, in the redline
    assert {"key": "data.period", "label": "Period", "old": "2022–2023", "new": "2023–2024"} in (
        data["fields"]
    )
    assert [s["section"] for s in data["sections"]] == ["Prioriteringar"]
    assert (
        "Värdena i Tabell 1 avser nu perioden 2023–2024 (tidigare 2022–2023)."
        in (data["changelog"])
    )
    assert data["pdf"] == f"output/plan-2026/diff-{PLAN}-1.0-draft.pdf"
    # The same with --against, and with the release named as OLD.
    for args in (("--against", f"{PLAN}@1.0"), (f"{PLAN}@1.0",)):
        text = cli(project, "diff", "plan-2026", *args)
        assert text.exit_code == 0, text.output
        assert text.stdout.startswith(f"diff plan-2026 {PLAN}@1.0 → draft: ")
        assert "period: 2022–2023 → 2023–2024: 4 value(s) of Tabell 1" in text.stdout
        assert text.stdout.count("2022–2023 → 2023–2024") == 2  # the field and the period
    page = normalise(" ".join(pdf_pages_text(project / data["pdf"])))
    assert "JÄMFÖRELSE plan-2025 version 1.0 → utkast" in page
    assert "Arbetet[+ i år] prioriteras" in page


def test_a_bad_old_side_names_the_argument_typed(project: Path) -> None:
    result = cli(project, "diff", PLAN, "plan-2024@1")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("OLD: error: 'plan-2024@1' is not a release version")
    assert "--version" not in result.stderr
    result = cli(project, "diff", PLAN)
    assert result.exit_code == 2, result.output
    assert "OLD: error: plan-2025 names no previous plan" in result.stderr
    result = cli(project, "diff", PLAN, "1.0", "--against", "1.0")
    assert result.exit_code == 2, result.output
    assert "--against: error: '1.0' is not REPORT@X.Y" in result.stderr


def test_a_footer_change_is_named_and_marked(project: Path) -> None:
    organisations = (PACKAGE_DATA / "organisations.toml").read_text("utf-8")
    (project / "data" / "organisations.toml").write_text(
        organisations.replace("901 85 UMEÅ", "901 87 UMEÅ"), "utf-8"
    )
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output
    (footer,) = data["fields"]
    assert (footer["key"], footer["label"]) == ("page.footer", "Sidfot (på varje sida)")
    assert (footer["old"], footer["new"]) == ("| 901 85 UMEÅ Besök:", "| 901 87 UMEÅ Besök:")
    assert "field: Sidfot (på varje sida) [page.footer]: | 901 85 UMEÅ Besök: →" in text.stdout
    assert (
        "Sidfot (på varje sida) har ändrats från ”| 901 85 UMEÅ Besök:” till ”| 901 87 UMEÅ Besök:”."
        in data["changelog"]
    )
    assert "universitetssjukhus | 901 [-85][+87] UMEÅ" in redline(project)  # the footer


def test_a_number_in_a_rewritten_sentence_reaches_the_change_log(project: Path) -> None:
    edit(
        project,
        "text.md",
        "Målet är att minst 90 procent av patienterna ska ha fått ett brytpunktssamtal.",
        "Minst 95 procent av alla patienter ska ha erbjudits ett brytpunktssamtal i tid.",
    )
    result, data, _ = diff(project)
    assert result.exit_code == 1, result.output
    (line,) = [x for x in data["changelog"] if "Uppföljning" in x]
    assert "90 har ändrats till 95" in line, line


def test_the_change_number_stays_clear_of_a_list_bullet(project: Path) -> None:
    edit(project, "text.md", "ett validerat instrument", "ett beprövat instrument")
    result, _, _ = diff(project)
    assert result.exit_code == 1, result.output
    with pdfplumber.open(project / "output" / PLAN / "diff-1.0-draft.pdf") as document:
        chars = [c for page in document.pages for c in page.chars]
    # the margin's number 1 (left of the text column), and the bullet on its line
    red = (0.639216, 0.070588, 0.105882)
    (number,) = [c for c in chars if c["text"] == "1" and c["non_stroking_color"] == red
                 and c["x0"] < 80]  # fmt: skip
    (bullet,) = [c for c in chars if c["text"] == "•" and abs(c["top"] - number["top"]) < 4]
    assert number["x1"] + 2 <= bullet["x0"], (number, bullet)


def test_a_removed_regions_rows_stay_under_their_target_cell(project: Path) -> None:
    edit(
        project,
        "report.toml",
        'regions = ["Norrbotten", "Västerbotten"]',
        'regions = ["Norrbotten"]',
    )
    result, data, _ = diff(project)
    assert result.exit_code == 1, result.output
    assert "Västerbotten har tagits bort från Tabell 1." in data["changelog"]
    html = (project / "output" / PLAN / "diff-1.0-draft.html").read_text("utf-8")
    groups = re.findall(r'<tbody class="indicator-group">(.*?)</tbody>', html, re.S)
    assert len(groups) == 2
    for group in groups:
        (span,) = re.findall(r'<td class="target" rowspan="(\d+)"', group)
        assert int(span) == group.count("<tr"), group  # the struck rows too


def test_two_list_items_swapped_are_one_move_everywhere(project: Path) -> None:
    first = "- Brytpunktssamtal dokumenteras för alla patienter i livets slutskede.\n"
    second = "- Smärtskattning görs med ett validerat instrument under sista levnadsveckan.\n"
    edit(project, "text.md", first + second, second + first)
    result, data, text = diff(project)
    assert result.exit_code == 1, result.output
    (section,) = data["sections"]
    moved = "Smärtskattning görs med ett validerat instrument under sista levnadsveckan."
    assert section["edits"] == []  # not "removed" here and "added" there
    assert section["notes"] == [f"flyttat: ”{moved}”"]
    assert f"  moved: ”{moved}”" in text.stdout
    (line,) = [x for x in data["changelog"] if "Prioriteringar" in x]
    assert (
        line == "I avsnittet ”Prioriteringar”: ”Smärtskattning görs med ett validerat"
        " instrument under sista levnadsveckan.” har flyttats."
    )
    page = redline(project)
    assert re.search(r"\[Flyttat stycke 1: hit\] \d • \[\+Smärtskattning görs", page), page
    assert re.search(r"\[Flyttat stycke 1: härifrån\] \d • \[-Smärtskattning görs", page)
    assert "Brytpunktssamtal dokumenteras för alla patienter i livets slutskede." in page
