"""Read TOML files and find the line of a key, so messages can point at it.

``tomllib`` gives values but not positions; a light scan of the source lines
recovers the line of each ``key =`` and ``[table]`` header.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmr_gen.core.errors import Problems
from rmr_gen.core.i18n import M, english, reason_of

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=""")
_DECODE_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _unquote(key: str) -> str:
    key = key.strip()
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


@dataclass
class TomlDocument:
    """A parsed TOML file with the line of every key path (``a.b[2].c``)."""

    path: Path
    shown: str
    data: dict[str, Any]
    lines: dict[str, int] | None = None  # found in ``source`` when first asked for
    source: str = field(default="", repr=False)

    def line(self, *keys: str | int) -> int | None:
        """The line of the deepest known prefix of ``keys``."""
        if self.lines is None:  # most files have no problem: scanning them costs time
            self.lines = _index_lines(self.source)
        parts = list(keys)
        while parts:
            found = self.lines.get(_key_path(parts))
            if found is not None:
                return found
            parts.pop()
        return None

    def position(
        self, keys: tuple[str | int, ...], literal: str = "", occurrence: int = 0
    ) -> tuple[int | None, int | None]:
        """The line and column of the value of ``keys`` (its first character), or of the
        ``occurrence``-th (from 0) quoted ``literal`` in it, for an item of a list
        that may run over several lines; the key's line alone when not found."""
        line = self.line(*keys)
        if line is None:
            return None, None
        lines = self.source.splitlines()
        if not literal:
            key = _KEY.match(lines[line - 1]) if line <= len(lines) else None
            if key is None:
                return line, None
            rest = lines[line - 1][key.end() :]
            return line, key.end() + len(rest) - len(rest.lstrip()) + 1
        quoted = re.compile(r"""(["'])""" + re.escape(literal) + r"\1")
        seen = 0
        for number in range(line, len(lines) + 1):
            text = lines[number - 1]
            if number > line and (_KEY.match(text) or _HEADER.match(text)):
                break  # the next key: the list has ended
            for match in quoted.finditer(text):
                if seen == occurrence:
                    return number, match.start() + 1
                seen += 1
        return line, None


def _key_path(parts: list[str | int]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def _index_lines(source: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    table: list[str | int] = []
    array_counts: dict[str, int] = {}
    for number, text in enumerate(source.splitlines(), start=1):
        header = _HEADER.match(text)
        if header:
            names: list[str | int] = [_unquote(p) for p in header.group(2).split(".")]
            if header.group(1) == "[[":
                base = _key_path(names)
                index = array_counts.get(base, 0)
                array_counts[base] = index + 1
                names = [*names, index]
            table = names
            lines.setdefault(_key_path(table), number)
            continue
        key = _KEY.match(text)
        if key:
            lines.setdefault(_key_path([*table, _unquote(key.group(1))]), number)
    return lines


#: A settings file larger than this is refused before it is read.
MAX_TOML_BYTES = 5_000_000


def read_toml(
    path: Path, shown: str, problems: Problems, folder: tuple[Path, Path] | None = None
) -> TomlDocument | None:
    """Parse ``path``; on a syntax error record it with its line and column.

    With ``folder`` (the folder and the project root) the file is read only if it
    is a regular file inside that folder (see :mod:`rmr_gen.core.confine`).
    """
    from rmr_gen.core.confine import Refused, read_bytes, real_root

    try:
        if folder is None:
            raw = path.read_bytes()
        else:
            root = real_root(folder[0], folder[1])
            limit = M("toml.size-limit", "the size limit of a settings file")
            # a message, worded where the refusal is printed (read_bytes formats it in)
            raw = read_bytes(path, (root,), MAX_TOML_BYTES, limit)
        source = raw.decode("utf-8-sig")
    except Refused as exc:
        reason = reason_of(exc)
        not_found = english(reason) == "not found"
        problems.error(shown, M("toml.file-not-found", "file not found") if not_found else reason)
        return None
    except FileNotFoundError:
        problems.error(shown, M("toml.file-not-found", "file not found"))
        return None
    except UnicodeDecodeError as exc:
        problems.error(
            shown, M("toml.not-utf8", "not UTF-8 text (byte {byte})", byte=exc.start + 1)
        )
        return None
    except OSError as exc:
        problems.error(shown, M("toml.cannot-read", "cannot read: {reason}", reason=exc.strerror))
        return None
    try:
        data = tomllib.loads(source)
    except RecursionError:
        problems.error(shown, M("toml.nested-too-deeply", "invalid TOML: nested too deeply"))
        return None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _DECODE_POSITION.search(message)
        line = column = None
        if position:
            line, column = int(position.group(1)), int(position.group(2))
            message = message[: position.start()].strip()
        problems.error(
            shown, M("toml.invalid", "invalid TOML: {reason}", reason=message), line, column
        )
        return None
    return TomlDocument(path, shown, data, source=source)
