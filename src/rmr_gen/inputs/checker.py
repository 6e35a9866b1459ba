"""Typed reading of TOML tables that records a problem, with its line, instead of raising."""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M
from rmr_gen.core.tomlfile import TomlDocument
from rmr_gen.inputs.schema import Section


def suggest(word: str, choices: Any) -> M | str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing (``""``): a
    message to put at the end of another (``hint=suggest(…)``)."""
    others = [str(c) for c in choices if str(c) != str(word)]
    close = difflib.get_close_matches(str(word), others, n=1, cutoff=0.6)
    return M("toml.did-you-mean", " (did you mean '{word}'?)", word=close[0]) if close else ""


def toml_type(value: Any) -> M:
    """What a TOML value is, in a message: ``a table``, ``a list``, ``a date`` …"""
    kinds = (
        (bool, M("toml.type-true-false", "true/false")),
        (dict, M("toml.type-table", "a table")),
        (list, M("toml.type-list", "a list")),
        (float, M("toml.type-number", "a number")),
    )
    for kind, name in kinds:
        if isinstance(value, kind):
            return name
    if hasattr(value, "isoformat"):
        return M("toml.type-date", "a date")
    return M("toml.type-number", "a number")


class Checker:
    """Small typed getters that record a problem instead of raising."""

    def __init__(self, doc: TomlDocument, problems: Problems) -> None:
        self.doc = doc
        self.problems = problems

    def error(self, keys: tuple[str | int, ...], message: str | M) -> None:
        self.problems.error(self.doc.shown, message, self.doc.line(*keys))

    def note(self, keys: tuple[str | int, ...], message: str | M) -> None:
        self.problems.note(self.doc.shown, message, self.doc.line(*keys))

    def error_at(
        self, keys: tuple[str | int, ...], message: str | M, literal: str = "", occurrence: int = 0
    ) -> None:
        """An error at the value of ``keys`` (line and column), or at an item of it."""
        self.problems.error(self.doc.shown, message, *self.doc.position(keys, literal, occurrence))

    def warning_at(
        self, keys: tuple[str | int, ...], message: str | M, literal: str = "", occurrence: int = 0
    ) -> None:
        """A warning (printed; the build goes on) at the value of ``keys`` or an item of it."""
        where = self.doc.position(keys, literal, occurrence)
        self.problems.warning(self.doc.shown, message, *where)

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], *where: str | int) -> None:
        for key in table:
            if key not in allowed:
                self.error(
                    (*where, key),
                    M(
                        "toml.unknown-key",
                        "unknown key '{key}'{hint}",
                        key=key,
                        hint=suggest(key, allowed),
                    ),
                )

    def string(
        self, table: dict[str, Any], key: str, *where: str | int, required: bool = False
    ) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.error(
                    where or (key,),
                    M("toml.required", "'{key}' is required", key=key_path(where, key)),
                )
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(
                (*where, key),
                M(
                    "toml.non-empty-string",
                    "'{key}' must be a non-empty string",
                    key=key_path(where, key),
                ),
            )
            return ""
        if not self.printable(value, key, *where):
            return ""
        return value.strip()

    def printable(self, value: str, key: str, *where: str | int) -> bool:
        """Control characters (NUL, VT, U+001F …) cannot be stored the same way in a
        PDF's Info dictionary and its XMP metadata (PDF/A): refused, said where."""
        bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), "")
        if bad:
            self.error(
                (*where, key),
                M(
                    "toml.control-character",
                    "'{key}' contains the control character U+{code}; remove it",
                    key=key_path(where, key),
                    code=format(ord(bad), "04X"),
                ),
            )
        return not bad

    def strings(self, table: dict[str, Any], key: str, *where: str | int) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(
                (*where, key),
                M(
                    "toml.list-of-strings",
                    "'{key}' must be a list of strings",
                    key=key_path(where, key),
                ),
            )
            return ()
        if not all(self.printable(v, key, *where) for v in value):
            return ()
        return tuple(v.strip() for v in value)

    def integer(self, table: dict[str, Any], key: str, *where: str | int) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(
                (*where, key),
                M("toml.whole-number", "'{key}' must be a whole number", key=key_path(where, key)),
            )
            return None
        return value

    def table(self, table: dict[str, Any], key: str) -> dict[str, Any]:
        value = table.get(key, {})
        if not isinstance(value, dict):
            self.error((key,), M("toml.must-be-table", "'{key}' must be a table", key=key))
            return {}
        return value


def key_path(where: tuple[str | int, ...], key: str) -> str:
    text = ""
    for part in (*where, key):
        text += f"[{part + 1}]" if isinstance(part, int) else ("." if text else "") + part
    return text


def choice(
    check: Checker, table: dict[str, Any], section: Section, key: str, *where: str | int
) -> str:
    """A key whose values :mod:`rmr_gen.inputs.schema` lists: the value, or its default
    (with a problem when the value is not one of them)."""
    spec = section.key(key)
    default = spec.default.strip('"')
    value = check.string(table, key, *where)
    if not value:
        return default
    if value not in spec.allowed:
        check.error(
            (*where, key),
            M(
                "toml.not-allowed-value",
                "'{key}' must be {allowed}, not '{value}'{hint}",
                key=key_path(tuple(where), key),
                allowed=either(f"'{a}'" for a in spec.allowed),
                value=value,
                hint=suggest(value, spec.allowed),
            ),
        )
        return default
    return value


def either(choices: Any) -> M | str:
    """``'a' or 'b' or 'c'``: each of ``choices`` (already quoted), joined by "or"."""
    items = list(choices)
    joined: M | str = items[0] if items else ""
    for item in items[1:]:
        joined = M("toml.or", "{first} or {second}", first=joined, second=item)
    return joined
