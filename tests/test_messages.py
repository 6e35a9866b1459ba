"""The message catalogues: every message has a Swedish translation that keeps its
placeholders, the catalogues are not stale, every problem is a coded message, and
the language follows RMR_GEN_LANG and the locale."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rmr_gen.core import i18n
from rmr_gen.core.errors import Location, Problem

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rmr_gen"
PO = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "rmr_gen.po"
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:[:!][^}]*)?\}(?!\})")


def swedish() -> list:  # type: ignore[type-arg]
    with PO.open("rb") as handle:
        return [m for m in read_po(handle, locale="sv") if m.id]


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_every_message_has_a_swedish_translation() -> None:
    missing = [
        f"{m.context or ''} {forms(m.id)[0]!r}"
        for m in swedish()
        if m.fuzzy or not all(forms(m.string))
    ]
    assert missing == [], "no Swedish translation in rmr_gen.po: " + "; ".join(missing)


def test_every_translation_keeps_its_placeholders() -> None:
    dropped = []
    for m in swedish():
        wanted = set(PLACEHOLDER.findall(forms(m.id)[-1]))
        for text in forms(m.string):
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                dropped.append(f"{m.context or ''} {forms(m.id)[0]!r} → {text!r}")
    assert dropped == [], "a translation changes the placeholders: " + "; ".join(dropped)


def test_a_code_names_one_message() -> None:
    seen: dict[str, str] = {}
    twice = []
    for m in swedish():
        if m.context:
            if m.context in seen and seen[m.context] != m.id:
                twice.append(m.context)
            seen[m.context] = m.id
    assert twice == []
    assert all(re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)+", code) for code in seen), seen


def test_the_catalogues_are_not_stale() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_check_notices_a_stale_catalogue() -> None:
    """The stale check itself can fail: a message added to the code is missing."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import messages  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    catalog = messages.extracted()
    before = {(m.context, m.id) for m in catalog if m.id}
    committed = read_po(io.BytesIO((PACKAGE / "locale" / "rmr_gen.pot").read_bytes()))
    assert before == {(m.context, m.id) for m in committed if m.id}
    catalog.add("a message nobody translated", context="test.new")
    assert messages.render_po(catalog) != (PACKAGE / "locale" / "rmr_gen.pot").read_bytes()


# -- every problem is a coded message ---------------------------------------------------

#: Calls whose argument at this position (or keyword) is a message a user reads.
MESSAGE_ARGUMENT = {"error": 1, "note": 1, "warning": 1, "refusal": 1, "Problem": 1}


def uncoded_messages() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in MESSAGE_ARGUMENT or len(node.args) <= MESSAGE_ARGUMENT[name]:
                continue
            argument = node.args[MESSAGE_ARGUMENT[name]]
            if isinstance(argument, ast.JoinedStr | ast.Constant | ast.BinOp):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_problem_is_a_coded_message() -> None:
    """A message written as text (a literal or an f-string) has no code and no Swedish."""
    assert uncoded_messages() == []


# -- the language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"RMR_GEN_LANG": "sv"}, "sv"),
        ({"RMR_GEN_LANG": "en", "LANG": "sv_SE.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LC_ALL": "C.UTF-8", "LANG": "sv_SE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_follows_the_environment(
    environment: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("RMR_GEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def test_a_problem_reads_in_swedish_and_its_json_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    message = i18n.M("test.example", "{count} rows", count=3)
    problem = Problem(Location("data/x.csv", 4, 2), message)
    monkeypatch.setenv("RMR_GEN_LANG", "sv")
    assert str(problem).startswith("data/x.csv:4:2: fel: ")
    assert problem.as_json()["message"] == "3 rows"
    assert problem.as_json()["code"] == "test.example"
    monkeypatch.setenv("RMR_GEN_LANG", "en")
    assert str(problem) == "data/x.csv:4:2: error: 3 rows"
