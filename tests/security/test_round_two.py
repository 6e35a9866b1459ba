"""Second round of attacks: the template sandbox, symbolic links, writes outside
output/, a poisoned cache, foreign attachments, limits that bind, and inputs that
used to end in exit 1.

Every vector asserts the exit status, that MARKER (kept outside the project)
appears nowhere in the output (text, decompressed streams including embedded
files, HTML), and that nothing outside output/ was created or changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.security.conftest import MARKER, Secrets, leaked

TEXT = Path("reports/sec/text.md")
TOML = Path("reports/sec/report.toml")
TEMPLATE = Path("templates/processmal/report.html.j2")


def state(root: Path, skip: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under ``root`` except ``skip``: its mode, size and content hash."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d != skip]
        for name in dirnames + filenames:
            path = here / name
            info = path.lstat()
            digest = ""
            if stat.S_ISREG(info.st_mode) and info.st_size < 50_000_000:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path)] = (info.st_mode, info.st_size, digest)
    return found


@pytest.fixture
def guarded(attack: Path, secrets: Secrets):
    """Run a vector and check that nothing outside output/ changed and nothing leaked."""

    def check(before: dict[str, tuple[int, int, str]]) -> None:
        after = state(attack.parent, attack / "output")
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        assert changed == set(), f"changed outside output/: {sorted(changed)}"
        assert leaked(attack) == []

    return check


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def add_to_template(project: Path, snippet: str) -> None:
    path = project / TEMPLATE
    text = path.read_text(encoding="utf-8")
    marker = "{% block title_block %}"
    if marker not in text:
        text += "\n{% block title_block %}<h1>{{ report.title }}</h1>{% endblock %}\n"
    path.write_text(text.replace(marker, marker + snippet, 1), encoding="utf-8")


def set_toml(project: Path, old: str, new: str) -> None:
    path = project / TOML
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(run, project: Path, *args: str):
    result = run(project, "build", "sec", "--html", *args)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output
    return result


# -- 1. The template sandbox exposes no filesystem ---------------------------------

SANDBOX = [
    "{{ (report.folder/'../../../../outside/secret.txt').read_text() }}",
    "{{ report.folder.read_text() }}",
    "{{ report.folder.parent.parent.parent.joinpath('outside/secret.txt').read_text() }}",
    "{{ report.folder.write_text('x') }}",
    "{{ report.folder.iterdir() | list }}",
    "{{ report.data_files[0].read_text() if report.data_files else report.folder.open() }}",
    "{{ organisation.__class__ }}",
    "{{ blocks[0].__class__.__init__.__globals__ }}",
]


@pytest.mark.parametrize("snippet", SANDBOX)
def test_a_template_cannot_reach_files(
    snippet: str, attack: Path, secrets: Secrets, run, guarded
) -> None:
    add_to_template(attack, snippet)
    before = state(attack.parent, attack / "output")
    result = build(run, attack)
    assert result.exit_code == 2, result.output
    assert f"{TEMPLATE}:" in result.stderr
    assert not list(attack.parent.glob("**/x"))
    guarded(before)


def test_the_template_context_holds_only_plain_values(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walk everything a real template receives, with an allow-list of types."""
    import dataclasses
    import datetime as dt

    from markupsafe import Markup

    from rmr_gen.output import render

    seen: list[dict] = []
    original = render.plain_context

    def spy(context):
        result = original(context)
        seen.append(result)
        return result

    monkeypatch.setattr(render, "plain_context", spy)
    monkeypatch.setattr("rmr_gen.output.guard._in_child", True)  # render here, not in a child
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert len(seen) >= 3
    allowed = (str, int, float, bool, type(None), dt.date, Markup)

    def walk(value, where: str) -> None:
        if type(value) in allowed:
            return
        if type(value) is dict:
            for key, child in value.items():
                assert type(key) is str, where
                walk(child, f"{where}.{key}")
        elif type(value) in (list, tuple):
            for index, child in enumerate(value):
                walk(child, f"{where}[{index}]")
        else:
            assert dataclasses.is_dataclass(value), f"{where}: {type(value)}"
            assert type(value).__dataclass_params__.frozen, where
            assert type(value).__module__.startswith("rmr_gen."), where
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name), f"{where}.{field.name}")

    for context in seen:
        walk(context, "context")


def test_a_path_in_the_context_is_refused_at_the_boundary() -> None:
    from rmr_gen.core.models import ContentItem
    from rmr_gen.output.sandbox import NotPlain, check_plain

    check_plain({"a": [1, 2.0, "x", None, (True,)], "b": ContentItem("text", "a.md")})
    for bad in (Path("/"), {"a": [Path("/")]}, ContentItem("text", Path("/")), {1: "x"}, open):
        with pytest.raises(NotPlain):
            check_plain(bad)


LINKS = [
    ('<a href="{uri}">läs</a>', 2),
    ('<a href="javascript:alert(1)">läs</a>', 2),
    ('<a href="JaVaScRiPt&#58;alert(1)">läs</a>', 2),
    ('<a href="data:text/html,hej">läs</a>', 2),
    ('<a href="secret.txt">läs</a>', 2),
    ('<a href="https://example.org/">läs</a>', 0),
    ('<a href="mailto:a@example.org">läs</a>', 0),
    ('<a href="#innehall">läs</a>', 0),
]


@pytest.mark.parametrize(("link", "expected"), LINKS)
def test_links_in_templates_obey_the_markdown_rule(
    link: str, expected: int, attack: Path, secrets: Secrets, run, guarded
) -> None:
    add_to_template(attack, link.format(uri=secrets.text.as_uri()))
    before = state(attack.parent, attack / "output")
    result = build(run, attack)
    assert result.exit_code == expected, result.output
    if expected:
        assert "is not allowed" in result.stderr
    guarded(before)


ATTACHMENTS = [
    '<a title=">" rel="attachment" href="../data/regions.toml">bilaga</a>',
    '<a rel="&#97;ttachment" href="../data/regions.toml">bilaga</a>',
    '<link rel="&#x61;ttachment" href="../data/regions.toml">',
    '<link rel="stylesheet attachment" href="../data/regions.toml">',
    '<a rel="ATTACHMENT" href="{uri}">bilaga</a>',
    '<a rel="attachment" href="../reports/sec/text.md">bilaga</a>',
]


@pytest.mark.parametrize("snippet", ATTACHMENTS)
def test_only_rmr_gen_attaches_files(
    snippet: str, attack: Path, secrets: Secrets, run, guarded
) -> None:
    add_to_template(attack, snippet.format(uri=secrets.text.as_uri()))
    before = state(attack.parent, attack / "output")
    result = build(run, attack)
    if "stylesheet" in snippet and result.exit_code == 0:  # read as CSS, never attached
        import pikepdf

        with pikepdf.open(attack / "output" / "sec" / "sec.pdf") as pdf:
            assert set(pdf.attachments) == {"report.toml"}
    else:
        assert result.exit_code == 2, result.output
        assert "stylesheet" in snippet or "attachment" in result.stderr
    guarded(before)


# -- 2. Every file read is confined after resolving symbolic links -----------------


def outside_project_copy(secrets: Secrets, attack: Path) -> Path:
    """A second project outside, whose files carry MARKER."""
    other = secrets.folder / "other"
    for name in ("templates", "data"):
        shutil.copytree(attack / name, other / name)
    (other / "templates" / "base.css").write_text(f'body::after {{ content: "{MARKER}"; }}\n')
    template = other / "templates" / "processmal" / "report.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("<body", f"{MARKER}<body"))
    (other / "reports" / "sec").mkdir(parents=True)
    write(other / "reports" / "sec" / "report.toml", (attack / TOML).read_text(encoding="utf-8"))
    write(other / "reports" / "sec" / "text.md", f"{MARKER}\n")
    (other / "data" / "organisations.toml").write_text(
        f'[rcc-norr]\nname = "{MARKER}"\n', encoding="utf-8"
    )
    return other


def link(path: Path, target: Path) -> None:
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    path.symlink_to(target)


SYMLINKS: list[tuple[str, Callable[[Path, Secrets, Path], None]]] = [
    ("base.css", lambda p, s, o: link(p / "templates/base.css", o / "templates/base.css")),
    (
        "kind style.css",
        lambda p, s, o: link(p / "templates/processmal/style.css", o / "templates/base.css"),
    ),
    (
        "report template",
        lambda p, s, o: link(p / TEMPLATE, o / "templates/processmal/report.html.j2"),
    ),
    (
        "partial template",
        lambda p, s, o: link(p / "templates/partials/text.html.j2", s.text),
    ),
    ("kind folder", lambda p, s, o: link(p / "templates/processmal", o / "templates/processmal")),
    ("templates folder", lambda p, s, o: link(p / "templates", o / "templates")),
    (
        "organisations.toml",
        lambda p, s, o: link(p / "data/organisations.toml", o / "data/organisations.toml"),
    ),
    ("data folder", lambda p, s, o: link(p / "data", o / "data")),
    ("report folder", lambda p, s, o: link(p / "reports/sec", o / "reports/sec")),
    ("text", lambda p, s, o: link(p / TEXT, o / "reports/sec/text.md")),
    ("report.toml", lambda p, s, o: link(p / TOML, o / "reports/sec/report.toml")),
    ("text to /dev/zero", lambda p, s, o: link(p / TEXT, Path("/dev/zero"))),
    (
        "template to /dev/zero",
        lambda p, s, o: link(p / "templates/partials/z.html.j2", Path("/dev/zero")),
    ),
    ("css to /dev/zero", lambda p, s, o: link(p / "templates/base.css", Path("/dev/zero"))),
    ("text is a FIFO", lambda p, s, o: (p / TEXT).unlink() or os.mkfifo(p / TEXT)),
    ("template is a FIFO", lambda p, s, o: os.mkfifo(p / "templates/partials/f.html.j2")),
    ("unused file links out", lambda p, s, o: link(p / "reports/sec/notes.md", s.text)),
]


@pytest.mark.parametrize(("name", "apply"), SYMLINKS, ids=[s[0] for s in SYMLINKS])
def test_links_never_carry_outside_files_in(
    name: str, apply, attack: Path, secrets: Secrets, run, guarded
) -> None:
    other = outside_project_copy(secrets, attack)
    apply(attack, secrets, other)
    before = state(attack.parent, attack / "output")
    result = build(run, attack)
    assert result.exit_code == 2, result.output
    assert ": error: " in result.stderr
    assert MARKER not in result.output
    guarded(before)


def test_a_link_inside_its_own_folder_is_followed(attack: Path, run) -> None:
    (attack / "reports/sec/text.md").rename(attack / "reports/sec/original.md")
    (attack / TEXT).symlink_to("original.md")
    (attack / "templates/processmal/style.css").unlink()
    (attack / "templates/processmal/style.css").symlink_to("../base.css")
    result = build(run, attack)
    assert result.exit_code == 0, result.output


def _release(run, project: Path) -> None:
    result = run(project, "release", "sec", "--version", "1.0")
    assert result.exit_code == 0, result.output


def test_previous_release_data_linked_outside_is_refused(
    attack: Path, secrets: Secrets, run, guarded
) -> None:
    data = attack / "output" / "old" / "1.0" / "source" / "data"
    data.mkdir(parents=True)
    (data / "palliativ.csv").symlink_to(secrets.csv)
    set_toml(attack, 'version = "1.0"', 'version = "1.0"\nprevious = "old@1.0"')
    before = state(attack.parent, attack / "output")
    result = build(run, attack)
    assert result.exit_code == 2, result.output
    assert "old@1.0" in result.stderr
    guarded(before)


def test_new_refuses_a_linked_file_in_the_release(
    attack: Path, secrets: Secrets, run, guarded
) -> None:
    _release(run, attack)
    folder = attack / "output" / "sec" / "1.0" / "source" / "reports" / "sec"
    folder.chmod(0o755)
    (folder / "notes.md").symlink_to(secrets.text)
    before = state(attack.parent, attack / "output")
    result = run(attack, "new", "sec2", "--from", "sec")
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.stderr
    assert not (attack / "reports" / "sec2").exists()
    guarded(before)
    folder.chmod(0o555)


# -- 3. Nothing written, created or chmodded outside output/ -----------------------


def test_a_cache_link_sends_nothing_outside(attack: Path, secrets: Secrets, run, guarded) -> None:
    elsewhere = secrets.folder / "cache"
    elsewhere.mkdir()
    (attack / "output").mkdir()
    (attack / "output" / ".cache").symlink_to(elsewhere)
    before = state(attack.parent, attack / "output")
    result = build(run, attack)
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []
    guarded(before)


def test_a_planted_lock_link_creates_nothing(attack: Path, secrets: Secrets, run, guarded) -> None:
    target = secrets.folder / "created-by-lock"
    (attack / "output" / "sec").mkdir(parents=True)
    (attack / "output" / "sec" / ".release-1.0.lock").symlink_to(target)
    before = state(attack.parent, attack / "output")
    result = run(attack, "release", "sec", "--version", "1.0")
    assert result.exit_code == 2, result.output
    assert ".release-1.0.lock: error: is a symbolic link" in result.stderr
    assert not target.exists()
    guarded(before)


def test_stale_staging_cleanup_changes_no_mode_outside(
    attack: Path, secrets: Secrets, run, guarded
) -> None:
    private = secrets.folder / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    secrets.text.chmod(0o600)
    folder = attack / "output" / "sec"
    staging = folder / ".release-1.0-abc123"
    staging.mkdir(parents=True)
    (staging / "file").symlink_to(secrets.text)
    (staging / "dir").symlink_to(private)
    (folder / ".release-1.0-linked").symlink_to(private)
    before = state(attack.parent, attack / "output")
    result = run(attack, "release", "sec", "--version", "1.0")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert stat.S_IMODE(secrets.text.stat().st_mode) == 0o600
    assert not staging.exists() and not (folder / ".release-1.0-linked").is_symlink()
    guarded(before)


# -- 4. The cache cannot change a number ---------------------------------------------


def test_a_tampered_cache_changes_no_number_in_a_release(project: Path, run) -> None:
    import json

    import pdfplumber

    from tests.conftest import NORR

    assert run(project, "build", NORR).exit_code == 0
    fresh = project / "output" / NORR / f"{NORR}.pdf"
    with pdfplumber.open(fresh) as pdf:
        expected = "\n".join(page.extract_text() for page in pdf.pages)
    entries = list((project / "output" / ".cache" / "report-data").rglob("*"))
    entries = [e for e in entries if e.is_file()]
    assert entries
    for entry in entries:
        stored = json.loads(entry.read_bytes())
        for row in stored["rows"]:
            row[4] = 3.0
        entry.write_text(json.dumps(stored), encoding="utf-8")
    version = next(
        line.split('"')[1]
        for line in (project / "reports" / NORR / "report.toml").read_text().splitlines()
        if line.startswith("version")
    )
    result = run(project, "release", NORR, "--version", version)
    assert result.exit_code == 0, result.output
    released = project / "output" / NORR / version / f"{NORR}-{version}.pdf"
    with pdfplumber.open(released) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert text == expected
    assert run(project, "verify", NORR, version).exit_code == 0


# -- 5./6. Attachments: only validated columns, no formulas -----------------------------


def test_ignored_columns_never_reach_the_attachment(project: Path, run) -> None:
    import pikepdf

    from tests.conftest import NORR

    csv = project / "data" / "palliativ-norr.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    formula = '"=HYPERLINK(""http://x.invalid"";""klick"")"'
    lines = [lines[0] + ";kommentar"] + [
        f"{line};{formula}" if i % 2 else f"{line};=cmd|' /C calc'!A0"
        for i, line in enumerate(lines[1:])
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "build", NORR)
    assert result.exit_code == 0, result.output
    with pikepdf.open(project / "output" / NORR / f"{NORR}.pdf") as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    data = files["palliativ-norr.csv"].decode("utf-8")
    assert "kommentar" not in data and "HYPERLINK" not in data and "cmd" not in data
    assert data.splitlines()[0] == "indicator;region;period;population;value"


def test_text_cells_cannot_start_a_formula() -> None:
    from rmr_gen.core.models import Measurement
    from rmr_gen.output.archive import _as_csv

    rows = [
        Measurement("=SUM(A1)", "@Region", "+2023", "-x", 5.0, "d.csv", 2),
        Measurement("ind", "Region", "2023", "cancer", -5.0, "d.csv", 3),
    ]
    text = _as_csv(rows).decode()
    assert text.splitlines()[1] == "'=SUM(A1);'@Region;'+2023;'-x;5"
    assert text.splitlines()[2] == "ind;Region;2023;cancer;-5"
