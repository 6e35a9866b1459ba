"""The reviewer's diff: exactly what changed, in the PDF, on stdout and as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest

from rmr_gen.workflows.diff import mark_up, tokens
from tests.conftest import NORR, normalise, pdf_pages_text
from tests.test_cli import assert_refused, replace_in
from tests.test_release import make_1_1

RMR = "rmr-palliativ-vard-vgr"
RMR_TOML = Path("reports") / RMR / "report.toml"
# A table without "Tabell N" in its caption is named by its caption, as printed.
SOCIALSTYRELSEN = "tabellen ”Processmål palliativ vård i livets slutskede, målnivåer för …”"


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """Norr released as 1.0, then one value and one sentence changed and released as 1.1."""
    from typer.testing import CliRunner

    from rmr_gen.cli import app
    from tests.conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("diff") / "project")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["--project", str(project), *args])

    assert run("release", NORR, "--version", "1.0").exit_code == 0
    make_1_1(project)
    assert run("release", NORR, "--version", "1.1").exit_code == 0
    result = run("diff", NORR, "1.0", "1.1")
    assert result.exit_code == 0, result.output
    return project, result


def test_diff_summary_shows_exactly_the_two_changes(two_releases) -> None:
    _, result = two_releases
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"diff {NORR} 1.0 → 1.1: 4 change(s): 1 section(s), 1 word(s) added, 1 removed, "
        "1 cell(s), 0 target(s), 1 field(s), 0 link(s)"
    )
    assert "field: Version [version]: 1.0 → 1.1" in lines
    cells = [line for line in lines if line.startswith("cell: ")]
    assert cells == [
        f"cell: {NORR}, Tabell 1, Norrbotten, Täckningsgrad i palliativregistret: 55 (−2) → 60 (+3)"
    ]
    sections = [line for line in lines if line.startswith("section ")]
    assert sections == [
        "section changed: Motivering till val av målindikatorer och planerade insatser för att "
        "utvecklingen ska gå mot målen (+1 −1 words)"
    ]
    assert not [line for line in lines if line.startswith(("target: ", "row "))]
    assert "  Värdena i Tabell 1 har uppdaterats för Täckningsgrad i palliativregistret." in lines


def test_diff_pdf_marks_words_and_cells(two_releases) -> None:
    project, _ = two_releases
    pdf = project / "output" / NORR / "diff-1.0-1.1.pdf"
    html = (project / "output" / NORR / "diff-1.0-1.1.html").read_text(encoding="utf-8")
    assert (
        '<span class="diff-said">[−</span><del>som</del><span class="diff-said">]</span> '
        '<span class="diff-said">[+</span><ins>för</ins><span class="diff-said">]</span>'
    ) in html
    assert (
        '<td class="num"><span class="moved"><del>55 (−2)</del> → <ins>60 (+3)</ins></span></td>'
        in html
    )
    # In the document body (after the summary) nothing else is marked.
    body = html.split("</section>", 1)[1]
    assert body.count("<ins>") == 2 + 1  # the word, the cell, the redrawn figure's label
    assert body.count("<del>") == 2 + 1
    text = normalise(" ".join(pdf_pages_text(pdf)))
    assert "55 (-2) → 60 (+3)" in text
    # The text layer says which word went and which came.
    assert re.search(r"som används \[-som\] ?\[\+för\] utvärdering", text)
    # Every page says it is a comparison, not the document.
    pages = pdf_pages_text(pdf)
    assert all("JÄMFÖRELSE version 1.0 → version 1.1" in page for page in pages)
    # Never colour alone: insertions are underlined, deletions struck through.
    assert "text-decoration: underline" in html and "text-decoration: line-through" in html
    struck, underlined = decorations(pdf, "som", "för")
    assert struck, "the deleted word is not struck through"
    assert underlined, "the inserted word is not underlined"


def decorations(pdf: Path, deleted: str, inserted: str) -> tuple[bool, bool]:
    """Whether a line crosses the middle of ``[−deleted]`` and runs under ``[+inserted]``."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            chars = [c for c in chars for _ in c["text"]]  # a ligature counts as its letters
            text = "".join(c["text"] for c in page.chars if c["text"].strip())
            start = text.find(f"[−{deleted}][+{inserted}]")
            if start < 0:
                continue
            lines = [ln for ln in page.lines if ln["top"] == ln["bottom"]]

            def box(first: int, length: int, chars=chars) -> dict[str, float]:
                run = chars[first : first + length]
                top = min(c["top"] for c in run)
                bottom = max(c["bottom"] for c in run)
                return {
                    "x0": run[0]["x0"],
                    "x1": run[-1]["x1"],
                    "top": top,
                    "height": bottom - top,
                }

            def spans(word, low: float, high: float, lines=lines) -> bool:
                return any(
                    ln["x0"] <= word["x0"] + 1
                    and ln["x1"] >= word["x1"] - 1
                    and word["top"] + low * word["height"]
                    <= ln["top"]
                    <= word["top"] + high * word["height"]
                    for ln in lines
                )

            old = box(start + 2, len(deleted))
            new = box(start + 2 + len(deleted) + 3, len(inserted))
            return spans(old, 0.3, 0.7), spans(new, 0.75, 1.1)
    return False, False


def test_diff_json_and_exit_code(two_releases) -> None:
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project, _ = two_releases
    result = CliRunner().invoke(
        app,
        ["--project", str(project), "diff", NORR, "1.0", "1.1", "--format", "json", "--exit-code"],
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["differences"] is True
    assert data["cells"] == [
        {
            "table": "Tabell 1",
            "region": "Norrbotten",
            "indicator": "Täckningsgrad i palliativregistret",
            "old": "55 (−2)",
            "new": "60 (+3)",
        }
    ]
    assert (data["words_added"], data["words_removed"]) == (1, 1)
    assert data["pdf"] == f"output/{NORR}/diff-1.0-1.1.pdf"
    same = CliRunner().invoke(app, ["--project", str(project), "diff", NORR, "1.1", "--exit-code"])
    assert same.exit_code == 0, same.output
    assert "Inga ändringar i sak." in same.stdout
    assert (project / "output" / NORR / "diff-1.1-draft.pdf").is_file()


def test_changed_target_and_added_row_in_rmr(project: Path, run) -> None:
    assert run(project, "release", RMR, "--version", "1.0").exit_code == 0
    replace_in(
        project / RMR_TOML,
        'label = "Munhälsobedömning under sista levnadsveckan"\ntarget = { level = 90,',
        'label = "Munhälsobedömning under sista levnadsveckan"\ntarget = { level = 85,',
    )
    replace_in(
        project / RMR_TOML,
        "[tables.psv-2022]",
        '[[tables.socialstyrelsen-2017.rows]]\nindicator = "tackningsgrad"\ntarget = 80\n\n[tables.psv-2022]',
    )
    result = run(project, "diff", RMR, "1.0")
    assert result.exit_code == 0, result.output
    assert (
        f"target: {RMR}, {SOCIALSTYRELSEN}, Munhälsobedömning under sista levnadsveckan: ≥\u00a090\u00a0% → ≥\u00a085\u00a0%"
        in result.stdout.splitlines()
    )
    assert (
        f"row added: {RMR}, {SOCIALSTYRELSEN}, Täckningsgrad i palliativregistret"
        " (target ≥\u00a080\u00a0%)" in result.stdout.splitlines()
    )
    assert (
        "  Målnivån för Munhälsobedömning under sista levnadsveckan har ändrats från 90\u00a0% till 85\u00a0%."
        in result.stdout.splitlines()
    )
    text = normalise(" ".join(pdf_pages_text(project / "output" / RMR / "diff-1.0-draft.pdf")))
    assert "≥ 90 % → ≥ 85 %" in text


def test_diff_of_unknown_version_is_refused(project: Path, run) -> None:
    result = run(project, "diff", NORR, "1.0")
    assert_refused(result, f"output/{NORR}/1.0: error: no release 1.0 of {NORR} (released: none)")
    assert not (project / "output").exists()
    result = run(project, "diff", NORR, "../1.0")
    assert result.exit_code == 2
    assert "is not a release version" in result.stderr


def test_removed_paragraph_keeps_its_structure() -> None:
    old = "<p>Ett.</p><p>Två stycken.</p><p>Tre.</p>"
    new = "<p>Ett.</p><p>Tre.</p>"
    assert mark_up(old, new) == (
        '<p>Ett.</p><p class="diff-block-del" data-diff="1"><span class="diff-said">[−</span>'
        '<del>Två stycken.</del><span class="diff-said">]</span></p>\n<p>Tre.</p>'
    )


def test_a_rewritten_sentence_is_struck_whole_a_small_edit_word_by_word() -> None:
    old = (
        "<p>I VGR dör drygt 15 000 personer per år. Hos dessa patienter föreligger större"
        " eller mindre palliativa vårdbehov. Det är vanligt.</p>"
    )
    new = (
        "<p>I VGR dör drygt 16 000 personer per år. Andelen äldre i befolkningen ökar, och"
        " därmed behovet av planerad vård i livets slutskede. Det är vanligt.</p>"
    )
    marked = re.sub(r'<span class="diff-said">[^<]*</span>', "", mark_up(old, new))
    assert "<del>15 000</del> <ins>16 000</ins>" in marked
    assert (
        "<del>Hos dessa patienter föreligger större eller mindre palliativa vårdbehov.</del>"
        in marked
    )
    assert (
        "<ins>Andelen äldre i befolkningen ökar, och därmed behovet av planerad vård i"
        " livets slutskede.</ins>" in marked
    )


def test_a_moved_paragraph_is_shown_as_moved() -> None:
    paragraph = "<p>Ett stycke med tillräckligt många ord för att räknas.</p>"
    old = f"<h2>A</h2>{paragraph}<p>Andra.</p><h2>B</h2><p>Tredje.</p>"
    new = f"<h2>A</h2><p>Andra.</p><h2>B</h2><p>Tredje.</p>{paragraph}"
    marked = mark_up(old, new)
    assert marked.index("[Flyttat stycke 1: härifrån]") < marked.index("<h2>B</h2>")
    assert marked.index("[Flyttat stycke 1: hit]") > marked.index("<p>Tredje.</p>")


def test_a_removed_row_beside_a_changed_cell_stays_a_row() -> None:
    row = "<tr><td>{}</td><td>{}</td></tr>"
    old = (
        "<table>"
        + row.format("Norrbotten", "55 (−2)")
        + row.format("Västernorrland", "45")
        + "</table>"
    )
    new = "<table>" + row.format("Norrbotten", "60 (+3)") + "</table>"
    marked = mark_up(old, new)
    rows = re.findall(r"<tr.*?</tr>", marked)
    assert len(rows) == 2
    assert "Norrbotten" in rows[0] and "<del>55 (−2)</del> → <ins>60 (+3)</ins>" in rows[0]
    assert "Västernorrland" in rows[1] and 'class="diff-block-del"' in rows[1]


def test_a_table_cell_is_one_token() -> None:
    assert tokens("<td>51 (−9)</td><p>a b</p>") == [
        "<td>",
        "51 (−9)",
        "</td>",
        "<p>",
        "a",
        " ",
        "b",
        "</p>",
    ]


def test_rmr_renders_change_log_and_history_only_when_set(project: Path, run) -> None:
    assert run(project, "build", RMR).exit_code == 0
    pdf = project / "output" / RMR / f"{RMR}.pdf"
    assert "Versionshistorik" not in " ".join(pdf_pages_text(pdf))
    replace_in(
        project / RMR_TOML,
        '    "05-referenser.md",\n]',
        '    "05-referenser.md",\n    "changes",\n    "history",\n]\nchanges = ["Målnivån för Munhälsa har ändrats från 85 % till 90 %."]\n\n[[history]]\nversion = "1.0"\ndate = 2024-03-01\ndescription = "Första versionen."\n\n[[history]]\nversion = "1.1"\ndescription = "Målnivå för munhälsa."',
    )
    result = run(project, "build", RMR)
    assert result.exit_code == 0, result.output
    text = normalise(" ".join(pdf_pages_text(pdf)))
    assert (
        "Förändringar sedan föregående version • Målnivån för Munhälsa har ändrats från 85 % till 90 %."
        in text
    )
    assert (
        "Versionshistorik Version Datum Ändring 1.0 2024-03-01 Första versionen. 1.1 Målnivå för munhälsa."
        in text
    )


def test_history_is_validated(project: Path, run) -> None:
    toml = project / RMR_TOML
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\n[[history]]\nversion = "v1"\ndate = "igår"\n',
        encoding="utf-8",
    )
    result = run(project, "check", RMR)
    assert result.exit_code == 2
    assert "a history 'version' is major.minor, e.g. \"1.0\"" in result.stderr
    assert "a history 'date' is written as 2025-06-04 (no quotes)" in result.stderr
