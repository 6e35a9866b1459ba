"""Nothing printed changes unreported: every report.toml key and every Markdown element kind.

A release is made once; each edit is then applied to the draft alone, compared
with the release, and undone. The keys come from the schema (``REPORT_KEYS``),
so a key added to report.toml without an edit here fails this test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rmr_gen.cli import app
from rmr_gen.core.project import PACKAGE_DATA, Project
from rmr_gen.inputs.config import REPORT_KEYS
from rmr_gen.workflows.diff import Differences, compare_versions
from tests.conftest import NORR, copy_project, own_template, replace_in_file, replaced

RMR = "rmr-palliativ-vard-vgr"

ELEMENTS = """## Exempelrubrik

Ett stycke med *betonad* text, **fet** text, `kod` och en [länk](https://example.org/a).
Rad ett\\
rad två.

- punkt ett
- punkt två

3. tredje
4. fjärde

> Ett citat.

---

    kodblock rad

| Kolumn | Värde |
|---|---|
| a | 1 |

![Bildtext](bild.png)

<https://example.org/auto>
"""


def png(colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Norr (with a text holding every Markdown element kind) and the RMR, released as 1.0."""
    project = copy_project(tmp_path_factory.mktemp("complete") / "project")
    folder = project / "reports" / NORR
    (folder / "element.md").write_text(ELEMENTS, encoding="utf-8")
    (folder / "bild.png").write_bytes(png((200, 0, 0)))
    toml = folder / "report.toml"
    replace_in_file(toml, '    "chart:figur-1",\n]', '    "chart:figur-1",\n    "element.md",\n]')
    runner = CliRunner()
    for report in (NORR, RMR):
        result = runner.invoke(
            app, ["--project", str(project), "release", report, "--version", "1.0"]
        )
        assert result.exit_code == 0, result.output
    return project


def edited(project: Path, report: str, name: str, change: Callable[[str], str]) -> Differences:
    """Compare the draft with ``change`` applied to ``name`` against 1.0, then undo it."""
    path = project / "reports" / report / name
    original = path.read_text(encoding="utf-8")
    changed = change(original)
    assert changed != original, f"the edit of {name} changed nothing"
    path.write_text(changed, encoding="utf-8")
    try:
        differences, _, _ = compare_versions(Project.open(project), report, "1.0")
    finally:
        path.write_text(original, encoding="utf-8")
    return differences


def replace(old: str, new: str) -> Callable[[str], str]:
    return lambda text: replaced(text, old, new)


def add_line(line: str) -> Callable[[str], str]:
    return lambda text: line + "\n" + text


NORR_TOML = {
    "kind": replace('kind = "processmal"', 'kind = "rmr"'),
    "title": replace('title = "Processmål för process', 'title = "Processmålen för process'),
    "short_title": replace('short_title = "Processmål Palliativ', 'short_title = "Mål Palliativ'),
    "organisation": replace('organisation = "rcc-norr"', 'organisation = "rcc-samverkan"'),
    "date": replace("date = 2025-06-04", "date = 2025-06-05"),
    "version": replace('version = "1.0"', 'version = "1.1"'),
    "subject": replace('subject = "Processmål och', 'subject = "Processmålen och'),
    "keywords": replace('"Svenska palliativregistret"]', '"Svenska palliativregistret", "NVP"]'),
    "document_id": add_line('document_id = "RCC-1"'),
    "approved_by": add_line('approved_by = "Regionala cancercentrum norr"'),
    "content_owner": add_line('content_owner = "Processledare"'),
    "valid_until": add_line("valid_until = 2028-12-31"),
    "contents": replace('    "inledning.md",\n    "mal.md",', '    "mal.md",\n    "inledning.md",'),
    "target_year": replace("target_year = 2028", "target_year = 2029"),
    "data": replace('"Norrbotten", "Västernorrland"]', '"Västernorrland", "Norrbotten"]'),
    "indicators": replace(
        'id = "brytpunktssamtal"\ntarget = 90', 'id = "brytpunktssamtal"\ntarget = 85'
    ),
    "tables": replace(
        "Sammanfattning av mål och målnivåer.", "Sammanfattning av målen och målnivåerna."
    ),
    "charts": replace("Förändring sedan föregående plan:", "Förändringen sedan föregående plan:"),
    "example_data": add_line("example_data = true"),
    "limits": lambda text: text + "\n[limits]\nmax_pages = 400\n",
    "previous": add_line(f'previous = "{NORR}@1.0"'),
    "changes": add_line('changes = ["Målnivån för brytpunktssamtal är sänkt."]'),
    "history": lambda text: (
        text
        + '\n[[history]]\nversion = "1.0"\ndate = 2025-06-04\ndescription = "Första versionen."\n'
    ),
}

#: A parameterised report is compared per value; making one parameterised is refused.
REFUSED = {"parameter"}


def test_every_report_toml_key_has_an_edit() -> None:
    assert set(NORR_TOML) | REFUSED == REPORT_KEYS


@pytest.mark.parametrize("key", sorted(NORR_TOML))
def test_each_report_toml_key_is_reported(released: Path, key: str) -> None:
    differences = edited(released, NORR, "report.toml", NORR_TOML[key])
    assert differences.any, f"changing {key} was not reported"
    reported = [f.key for f in differences.fields]
    detailed = {
        "indicators": bool(differences.targets),
        "contents": bool(differences.sections) or "contents" in reported,
    }
    assert detailed.get(key) or any(k.split(".")[0].split("[")[0] == key for k in reported), (
        key,
        differences,
    )
    assert differences.changelog != ("Inga ändringar i sak.",) or key in (
        "version",
        "changes",
        "history",
    )


def test_changing_the_parameter_is_refused_not_missed(released: Path) -> None:
    from rmr_gen.core.errors import InputError

    with pytest.raises(InputError):
        edited(released, NORR, "report.toml", add_line('[parameter]\nby = "region"'))


MARKDOWN = {
    "paragraph word": (replace("Ett stycke med", "Ett stycke utan"), "changed"),
    "heading text": (replace("## Exempelrubrik", "## Exempelrubriken"), "renamed"),
    "heading level": (replace("## Exempelrubrik", "### Exempelrubrik"), "formatting"),
    "emphasis": (replace("*betonad*", "betonad"), "formatting"),
    "strong": (replace("**fet**", "*fet*"), "formatting"),
    "code span": (replace("`kod`", "kod"), "formatting"),
    "link text": (replace("[länk]", "[länken]"), "changed"),
    "link target": (replace("(https://example.org/a)", "(https://example.org/b)"), "link"),
    "hard line break": (replace("Rad ett\\\n", "Rad ett\n"), "formatting"),
    "list item": (replace("- punkt två", "- punkt tre"), "changed"),
    "list start": (replace("3. tredje\n4. fjärde", "5. tredje\n6. fjärde"), "formatting"),
    "block quote": (replace("> Ett citat.", "Ett citat."), "formatting"),
    "thematic break": (replace("---\n\n", ""), "formatting"),
    "code block": (replace("    kodblock rad", "    kodblock rader"), "changed"),
    "table cell": (replace("| a | 1 |", "| a | 2 |"), "changed"),
    "image alt text": (replace("![Bildtext]", "![Annan bildtext]"), "formatting"),
    "autolink": (replace("<https://example.org/auto>", "<https://example.org/other>"), "changed"),
}


@pytest.mark.parametrize("kind", sorted(MARKDOWN))
def test_each_markdown_element_kind_is_reported(released: Path, kind: str) -> None:
    change, expected = MARKDOWN[kind]
    differences = edited(released, NORR, "element.md", change)
    assert differences.any, f"changing a {kind} was not reported"
    if expected == "link":
        assert [(k.old, k.new) for k in differences.links] == [
            ("https://example.org/a", "https://example.org/b")
        ]
    else:
        assert [s.change for s in differences.sections] == [expected], differences.sections


def test_a_redrawn_image_with_the_same_name_is_reported(released: Path) -> None:
    image = released / "reports" / NORR / "bild.png"
    image.write_bytes(png((0, 0, 200)))
    try:
        differences, _, _ = compare_versions(Project.open(released), NORR, "1.0")
        # The redline shows the old picture (from the release) and the new one.
        result = CliRunner().invoke(
            app, ["--project", str(released), "diff", NORR, "1.0", "--exit-code"]
        )
    finally:
        image.write_bytes(png((200, 0, 0)))
    assert differences.figures == ("Bild bild.png",)
    assert result.exit_code == 1, result.output
    html = (released / "output" / NORR / "diff-1.0-draft.html").read_text(encoding="utf-8")
    # both pictures are in the page, embedded: the old one read from the release's snapshot
    images = re.findall(r'<img (?:class="diff-old" )?src="(data:image/png;base64,[^"]+)"', html)
    assert len(images) == 2 and images[0] != images[1]


def test_a_template_change_is_never_no_change(released: Path) -> None:
    css = own_template(released, "processmal/style.css")
    css.write_text(css.read_text(encoding="utf-8") + "\nh2 { color: #123456; }\n", encoding="utf-8")
    try:
        differences, _, _ = compare_versions(Project.open(released), NORR, "1.0")
    finally:
        shutil.rmtree(released / "templates")
    assert differences.any
    assert differences.changelog != ("Inga ändringar i sak.",)


def test_an_organisation_name_reaches_the_summary(released: Path) -> None:
    orgs = released / "data" / "organisations.toml"  # the project's own, over the default
    text = (PACKAGE_DATA / "organisations.toml").read_text(encoding="utf-8")
    orgs.write_text(
        replaced(text, "Västra Götalandsregionen", "Region Västra Götaland", -1), encoding="utf-8"
    )
    try:
        differences, _, _ = compare_versions(Project.open(released), RMR, "1.0")
    finally:
        orgs.unlink()
    labels = {f.label for f in differences.fields}
    assert labels & {"Sidhuvud (på varje sida)", "Sidfot (på varje sida)", "PDF-metadata: author"}
    assert differences.any


def test_no_edit_is_no_change(released: Path) -> None:
    differences, _, _ = compare_versions(Project.open(released), NORR, "1.0")
    assert not differences.any, differences
    assert differences.changelog == ("Inga ändringar i sak.",)


def test_rmr_fields_reach_summary_json_and_exit_code(released: Path) -> None:
    toml = released / "reports" / RMR / "report.toml"
    original = toml.read_text(encoding="utf-8")
    edit = replaced(original, "PSV palliativ vård 2022.", "PSV palliativ vård 2023.")
    edit = replaced(edit, 'note = "Datakälla saknas i nuläget."', 'note = "Datakälla saknas."')
    edit = replaced(edit, "-826", "-827")
    edit = 'approved_by = "Hälso- och sjukvårdsdirektör"\nvalid_until = 2027-12-31\n' + edit
    toml.write_text(edit, encoding="utf-8")
    refs = released / "reports" / RMR / "05-referenser.md"
    refs_text = refs.read_text(encoding="utf-8")
    refs.write_text(replaced(refs_text, "lagen.nu/2017:612", "lagen.nu/2018:999"), encoding="utf-8")
    try:
        import json

        result = CliRunner().invoke(
            app, ["--project", str(released), "diff", RMR, "1.0", "--format", "json", "--exit-code"]
        )
        assert result.exit_code == 1, result.output
        data = json.loads(result.stdout)
        fields = {f["key"]: (f["old"], f["new"]) for f in data["fields"]}
        assert fields["document_id"] == ("SSN11800-2140136717-826", "SSN11800-2140136717-827")
        assert fields["approved_by"] == ("", "Hälso- och sjukvårdsdirektör")
        assert fields["valid_until"] == ("", "2027-12-31")
        assert fields["tables.psv-2022.caption"][1].endswith("2023.")
        assert fields["tables.psv-2022.note"] == (
            "Datakälla saknas i nuläget.",
            "Datakälla saknas.",
        )
        assert data["links"] == [
            {
                "text": "Lag (2017:612) om samverkan vid utskrivning från sluten hälso- och sjukvård",
                "old": "https://lagen.nu/2017:612",
                "new": "https://lagen.nu/2018:999",
            }
        ]
        log = "\n".join(data["changelog"])
        assert "Fastställd av har lagts till: ”Hälso- och sjukvårdsdirektör”." in log
        assert "https://lagen.nu/2018:999" in log
        # The redline's first page says what changed, not "Inga skillnader."
        import pdfplumber

        with pdfplumber.open(released / "output" / RMR / "diff-1.0-draft.pdf") as pdf:
            first = pdf.pages[0].extract_text()
            text = "\n".join(page.extract_text() for page in pdf.pages)
        assert "Inga skillnader" not in first
        assert "Fastställd av" in first and "Giltig till" in first
        assert "[−länk till https://lagen.nu/2017:612]" in text.replace("\n", " ")
        assert "[+länk till https://lagen.nu/2018:999]" in text.replace("\n", " ")
    finally:
        toml.write_text(original, encoding="utf-8")
        refs.write_text(refs_text, encoding="utf-8")
    shutil.rmtree(released / "output" / RMR / "diff-1.0-draft.pdf", ignore_errors=True)


def test_a_whitespace_edit_list_and_diff_agree(released: Path) -> None:
    text = released / "reports" / NORR / "motivering.md"
    original = text.read_text(encoding="utf-8")
    text.write_text(replaced(original, ". ", ".  "), encoding="utf-8")
    try:
        listed = CliRunner().invoke(app, ["--project", str(released), "list"])
        diffed = CliRunner().invoke(app, ["--project", str(released), "diff", NORR, "1.0"])
    finally:
        text.write_text(original, encoding="utf-8")
    assert "(draft differs from 1.0)" in next(
        line for line in listed.stdout.splitlines() if line.startswith(NORR)
    )
    assert diffed.exit_code == 0, diffed.output
    assert f"input changed: reports/{NORR}/motivering.md" in diffed.stdout
    assert "1 input file(s) differ from 1.0, but nothing printed changes" in diffed.stdout
