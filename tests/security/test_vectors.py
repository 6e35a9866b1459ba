"""Hostile texts, templates, data and names: none may read a file outside the
project, reach the network, run as template code or write outside output/.

Each vector asserts the exit status and that a marker string, kept in files
outside the project, appears nowhere in the output (text, streams, HTML)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.security.conftest import MARKER, Secrets, leaked

TEXT = Path("reports/sec/text.md")
TOML = Path("reports/sec/report.toml")
TEMPLATE = Path("templates/processmal/report.html.j2")


def in_text(snippet: Callable[[Secrets], str]) -> Callable[[Path, Secrets], None]:
    def apply(project: Path, secrets: Secrets) -> None:
        path = project / TEXT
        path.write_text(
            path.read_text(encoding="utf-8") + "\n" + snippet(secrets) + "\n", encoding="utf-8"
        )

    return apply


def in_template(snippet: Callable[[Secrets], str]) -> Callable[[Path, Secrets], None]:
    def apply(project: Path, secrets: Secrets) -> None:
        path = project / TEMPLATE
        text = path.read_text(encoding="utf-8")
        marker = "{% block title_block %}"
        if marker not in text:
            text += "\n{% block title_block %}<h1>{{ report.title }}</h1>{% endblock %}\n"
        path.write_text(text.replace(marker, marker + snippet(secrets), 1), encoding="utf-8")

    return apply


def in_toml(old: str, new: Callable[[Secrets], str]) -> Callable[[Path, Secrets], None]:
    def apply(project: Path, secrets: Secrets) -> None:
        path = project / TOML
        path.write_text(
            path.read_text(encoding="utf-8").replace(old, new(secrets)), encoding="utf-8"
        )

    return apply


def symlinked(name: str, target: Callable[[Secrets], Path], then: Callable[[Path, Secrets], None]):
    def apply(project: Path, secrets: Secrets) -> None:
        (project / name).symlink_to(target(secrets))
        then(project, secrets)

    return apply


def relative_to_report(secrets: Secrets, file: Path) -> str:
    return os.path.relpath(file, secrets.folder.parent / "project" / "reports" / "sec")


def relative_to_templates(secrets: Secrets, file: Path) -> str:
    return os.path.relpath(file, secrets.folder.parent / "project" / "templates")


# (name, how to apply it, expected exit code). Exit 0: the hostile text is printed
# as harmless text; exit 2: refused with a message.
VECTORS = [
    # Markdown: raw HTML is text, unsafe links are text, images must be inside the report.
    ("md image file url", in_text(lambda s: f"![x]({s.svg.as_uri()})"), 0),
    ("md image file://localhost", in_text(lambda s: f"![x](file://localhost{s.svg})"), 0),
    ("md image absolute path", in_text(lambda s: f"![x]({s.svg})"), 2),
    ("md image relative traversal", in_text(lambda s: f"![x]({relative_to_report(s, s.svg)})"), 2),
    (
        "md image encoded traversal",
        in_text(lambda s: "![x](" + relative_to_report(s, s.svg).replace("..", "%2e%2e") + ")"),
        2,
    ),
    ("md image http", in_text(lambda s: "![x](http://127.0.0.1:9/x.svg)"), 2),
    ("md image data url with nested file", in_text(lambda s: f"![x]({s.nested_svg_uri})"), 0),
    ("md link file url", in_text(lambda s: f"[läs]({s.text.as_uri()})"), 0),
    ("md link javascript", in_text(lambda s: "[läs](javascript:alert(1))"), 0),
    ("md relative link", in_text(lambda s: f"[läs]({relative_to_report(s, s.text)})"), 2),
    ("md raw img", in_text(lambda s: f'<img src="{s.svg.as_uri()}">'), 0),
    ("md raw object", in_text(lambda s: f'<object data="{s.svg.as_uri()}"></object>'), 0),
    ("md raw embed", in_text(lambda s: f'<embed src="{s.svg.as_uri()}">'), 0),
    ("md raw iframe", in_text(lambda s: f'<iframe src="{s.text.as_uri()}"></iframe>'), 0),
    (
        "md raw link stylesheet",
        in_text(lambda s: f'<link rel="stylesheet" href="{s.css.as_uri()}">'),
        0,
    ),
    (
        "md raw style import",
        in_text(lambda s: f'<style>@import url("{s.css.as_uri()}");</style>'),
        0,
    ),
    (
        "md raw inline style url",
        in_text(lambda s: f'<div style="background:url({s.svg.as_uri()})">x</div>'),
        0,
    ),
    (
        "md raw font-face",
        in_text(
            lambda s: f"<style>@font-face {{ font-family: x; src: url({s.text.as_uri()}) }}</style>"
        ),
        0,
    ),
    ("md raw svg image", in_text(lambda s: f'<svg><image href="{s.svg.as_uri()}"/></svg>'), 0),
    ("md template code", in_text(lambda s: "{{ 1234*5 }} {% include '" + str(s.text) + "' %}"), 0),
    (
        "md symlinked image",
        symlinked("reports/sec/bild.svg", lambda s: s.svg, in_text(lambda s: "![x](bild.svg)")),
        2,
    ),
    (
        "symlinked text",
        symlinked(
            "reports/sec/extra.md",
            lambda s: s.text,
            in_toml('"text.md"', lambda s: '"text.md", "extra.md"'),
        ),
        2,
    ),
    # Templates: whatever a template asks for goes through rmr-gen's fetcher.
    ("template img file url", in_template(lambda s: f'<img src="{s.svg.as_uri()}">'), 2),
    (
        "template img file://localhost",
        in_template(lambda s: f'<img src="file://localhost{s.svg}">'),
        2,
    ),
    ("template img http", in_template(lambda s: '<img src="http://127.0.0.1:9/x.png">'), 2),
    ("template img https", in_template(lambda s: '<img src="https://example.invalid/x.png">'), 2),
    ("template img ftp", in_template(lambda s: '<img src="ftp://example.invalid/x.png">'), 2),
    (
        "template img relative traversal",
        in_template(lambda s: f'<img src="{relative_to_templates(s, s.svg)}">'),
        2,
    ),
    (
        "template img encoded traversal",
        in_template(
            lambda s: '<img src="' + relative_to_templates(s, s.svg).replace("..", "%2e%2e") + '">'
        ),
        2,
    ),
    (
        "template stylesheet",
        in_template(lambda s: f'<link rel="stylesheet" href="{s.css.as_uri()}">'),
        2,
    ),
    (
        "template style import",
        in_template(lambda s: f'<style>@import url("{s.css.as_uri()}");</style>'),
        2,
    ),
    (
        "template font-face",
        in_template(
            lambda s: (
                f'<style>@font-face {{ font-family: X; src: url("{s.text.as_uri()}") }} h1 {{ font-family: X }}</style>'
            )
        ),
        2,
    ),
    (
        "template css url",
        in_template(lambda s: f'<div style="background-image: url({s.svg.as_uri()})">x</div>'),
        2,
    ),
    (
        "template object",
        in_template(lambda s: f'<object data="{s.svg.as_uri()}" type="image/svg+xml"></object>'),
        2,
    ),
    (
        "template embed",
        in_template(lambda s: f'<embed src="{s.svg.as_uri()}" type="image/svg+xml">'),
        2,
    ),
    (
        "template inline svg image",
        in_template(
            lambda s: (
                f'<svg width="40" height="40"><image href="{s.svg.as_uri()}" width="40" height="40"/></svg>'
            )
        ),
        2,
    ),
    (
        "template inline svg xlink",
        in_template(
            lambda s: (
                f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40"><image xlink:href="{s.svg.as_uri()}" width="40" height="40"/></svg>'
            )
        ),
        2,
    ),
    (
        "template data url nesting a file",
        in_template(lambda s: f'<img src="{s.nested_svg_uri}">'),
        2,
    ),
    (
        "template data css importing a file",
        in_template(
            lambda s: f'<link rel="stylesheet" href="data:text/css,@import url({s.css.as_uri()});">'
        ),
        2,
    ),
    (
        "template attachment link",
        in_template(lambda s: f'<a rel="attachment" href="{s.text.as_uri()}">bilaga</a>'),
        2,
    ),
    (
        "template attachment inside project",
        in_template(lambda s: '<link rel="attachment" href="../data/organisations.toml">'),
        2,
    ),
    (
        "template symlinked image",
        symlinked(
            "templates/evil.svg", lambda s: s.svg, in_template(lambda s: '<img src="evil.svg">')
        ),
        2,
    ),
    (
        "template include outside",
        in_template(lambda s: "{% include '../../outside/secret.txt' %}"),
        2,
    ),
    (
        "template sandbox escape",
        in_template(lambda s: "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        2,
    ),
    # report.toml: values are text, never code; paths stay inside their folders.
    (
        "toml title template code",
        in_toml('title = "Säkerhetsprov"', lambda s: 'title = "{{ 1234*5 }}"'),
        0,
    ),
    (
        "toml title html",
        in_toml('title = "Säkerhetsprov"', lambda s: f'title = "<img src=\\"{s.svg.as_uri()}\\">"'),
        0,
    ),
    (
        "toml contents traversal",
        in_toml('"text.md"', lambda s: f'"{relative_to_report(s, s.text)}.md"'),
        2,
    ),
    ("toml contents absolute", in_toml('"text.md"', lambda s: f'"{s.text}.md"'), 2),
    (
        "toml data file outside",
        in_toml(
            'contents = ["text.md"]',
            lambda s: (
                f'contents = ["text.md"]\n[data]\nfiles = ["{os.path.relpath(s.csv, s.folder.parent / "project" / "data")}"]'
            ),
        ),
        2,
    ),
    ("toml version path", in_toml('version = "1.0"', lambda s: 'version = "../../1.0"'), 2),
]


@pytest.mark.parametrize(("name", "apply", "expected"), VECTORS, ids=[v[0] for v in VECTORS])
def test_vector(name: str, apply, expected: int, attack: Path, secrets: Secrets, run) -> None:
    apply(attack, secrets)
    result = run(attack, "build", "sec", "--html")
    assert "Traceback" not in result.output
    assert result.exit_code == expected, result.output
    if expected == 2:
        assert ": error: " in result.stderr
        assert not (attack / "output" / "sec" / "sec.pdf").exists()
    else:
        assert (attack / "output" / "sec" / "sec.pdf").is_file()
    assert leaked(attack) == []
    if "template code" in name:
        html = (attack / "output" / "sec" / "sec.html").read_text(encoding="utf-8")
        assert "{{ 1234*5 }}" in html and "6170" not in html


def test_there_are_at_least_forty_vectors() -> None:
    assert len(VECTORS) >= 40


def test_refusal_names_the_resource_and_where_it_came_from(
    attack: Path, secrets: Secrets, run
) -> None:
    in_template(lambda s: f'<img src="{s.svg.as_uri()}">')(attack, secrets)
    result = run(attack, "build", "sec")
    assert result.exit_code == 2
    line = next(
        i
        for i, text in enumerate((attack / TEMPLATE).read_text(encoding="utf-8").splitlines(), 1)
        if secrets.svg.as_uri() in text
    )
    assert f"{TEMPLATE}:{line}: error: resource refused: '{secrets.svg.as_uri()}'" in result.stderr


@pytest.mark.parametrize(
    "report_id", ["../sec", "sec/../sec", "/etc", "SEC", "sec\x00", "..", "sec;rm"]
)
def test_path_tricks_in_report_ids(report_id: str, attack: Path, run) -> None:
    result = run(attack, "build", report_id)
    assert result.exit_code == 2
    assert not (attack / "output").exists() or not any((attack / "output").rglob("*.pdf"))


def test_mathtext_in_chart_labels_prints_literally(project: Path, run) -> None:
    toml = project / "reports" / "processmal-palliativ-norr-2025-2028" / "report.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'id = "munhalsa"', 'id = "munhalsa"\nlabel = "Munhälsa $\\\\frac{1}{0}$"'
    )
    toml.write_text(text, encoding="utf-8")
    result = run(project, "build", "processmal-palliativ-norr-2025-2028", "--html")
    assert result.exit_code == 0, result.output
    html = (
        project
        / "output"
        / "processmal-palliativ-norr-2025-2028"
        / "processmal-palliativ-norr-2025-2028.html"
    ).read_text(encoding="utf-8")
    import base64
    import re

    svg = base64.b64decode(
        re.search(r"data:image/svg\+xml;base64,([^\"]+)", html).group(1)
    ).decode()
    assert "$\\frac{1}{0}$" in svg  # the label as written, as text
    assert MARKER not in svg


@pytest.mark.parametrize("link", ["output", "output/sec"])
def test_build_refuses_to_write_through_a_symlink(
    link: str, attack: Path, tmp_path: Path, run
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (attack / link).parent.mkdir(parents=True, exist_ok=True)
    (attack / link).symlink_to(elsewhere)
    result = run(attack, "build", "sec")
    assert result.exit_code == 2
    assert f"{link}: error: is a symbolic link; builds refuse links" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_refused_resource_in_a_stylesheet_names_the_stylesheet(
    attack: Path, secrets: Secrets, run
) -> None:
    css = attack / "templates" / "base.css"
    css.write_text(
        css.read_text(encoding="utf-8")
        + f'\nbody {{ background: url("{secrets.svg.as_uri()}"); }}\n',
        encoding="utf-8",
    )
    line = css.read_text(encoding="utf-8").count("\n")
    result = run(attack, "build", "sec")
    assert result.exit_code == 2
    assert f"templates/base.css:{line}: error: resource refused:" in result.stderr
    assert leaked(attack) == []
