"""What a template may see and load: plain values, and template files in templates/.

A template is code that many people edit, run in Jinja's sandbox. The sandbox
stops ``__class__`` tricks, but any object passed in still offers its public
methods: a ``pathlib.Path`` would offer ``read_text``, ``write_text`` and
``iterdir``. So templates receive plain values only, checked at the render
boundary against an allow-list: strings (including escaped Markup), numbers,
booleans, None, dates, dicts, lists and tuples of them, and rmr-gen's own
frozen value types holding nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound

from rmr_gen.core.confine import Refused, inside, read_bytes, real_root
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report

_SCALARS = (str, int, float, bool, type(None), dt.date, dt.datetime)


class NotPlain(TypeError):
    """A value that is not a plain value reached a template (a bug in rmr-gen)."""


def check_plain(value: Any, where: str = "context") -> None:
    """Raise :class:`NotPlain` naming the first value that is not on the allow-list."""
    seen: set[int] = set()

    def walk(item: Any, path: str) -> None:
        kind = type(item)
        if kind in _SCALARS or (isinstance(item, str) and kind.__module__ == "markupsafe"):
            return
        if id(item) in seen:
            return
        seen.add(id(item))
        if kind in (dict,):
            for key, child in item.items():
                if type(key) is not str:
                    raise NotPlain(f"{path}: key {key!r} is not a string")
                walk(child, f"{path}.{key}")
        elif kind in (list, tuple):
            for index, child in enumerate(item):
                walk(child, f"{path}[{index}]")
        elif _own_frozen(kind):
            for field in dataclasses.fields(item):
                walk(getattr(item, field.name), f"{path}.{field.name}")
        else:
            raise NotPlain(f"{path} is a {kind.__module__}.{kind.__qualname__}, not a plain value")

    walk(value, where)


def _own_frozen(kind: type) -> bool:
    params = getattr(kind, "__dataclass_params__", None)
    return params is not None and params.frozen and kind.__module__.split(".")[0] == "rmr_gen"


def report_view(report: Report, shown: Callable[[Path], str]) -> Report:
    """``report`` with every path replaced by its name relative to the project: the
    templates see text, never a ``Path`` (so the fields typed ``Path`` hold ``str`` here)."""
    names: dict[str, Any] = {
        "folder": shown(report.folder),
        "data_files": tuple(shown(p) for p in report.data_files),
        "previous_data_files": tuple(shown(p) for p in report.previous_data_files),
        "fraction_files": tuple(shown(p) for p in report.fraction_files),
    }
    return dataclasses.replace(report, **names)


def plain_context(context: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(context)
    check_plain(result)
    return result


class ConfinedLoader(BaseLoader):
    """Loads ``name`` from the first templates folder that has it (the project's own,
    then the package's): no ``..``, no link leading out of that folder, no device."""

    def __init__(self, folders: tuple[Path, ...], project_root: Path) -> None:
        self.folders = folders
        self.project_root = project_root

    def list_templates(self) -> list[str]:
        names = {  # every entry that is not a folder: a FIFO or device is seen, and refused
            p.relative_to(folder).as_posix()
            for folder in self.folders
            if folder.is_dir()
            for p in folder.rglob("*")
            if not p.is_dir() and "__pycache__" not in p.parts
        }
        return sorted(names)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.split("/")
        if any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
            raise TemplateNotFound(template)
        for folder in self.folders:
            path = folder.joinpath(*parts)
            if path.exists() or path.is_symlink():
                return self._read(folder, path)
        raise TemplateNotFound(template)

    def _read(self, folder: Path, path: Path) -> tuple[str, str, Callable[[], bool]]:
        try:
            root = real_root(folder, self.project_root)
            real = inside(path, (root,))
            mtime = os.stat(real).st_mtime_ns
            what = M("limit.template", "the size limit of a template")
            raw = read_bytes(real, (root,), 10_000_000, what)
        except Refused as exc:
            raise TemplateRefused(str(path), exc.message) from None
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TemplateRefused(
                str(path), not_utf8(raw[exc.start]), raw[: exc.start].count(b"\n") + 1
            ) from None

        def uptodate() -> bool:
            try:
                return os.stat(real).st_mtime_ns == mtime
            except OSError:
                return False

        return source, str(path), uptodate


def not_utf8(byte: int) -> M:
    """The message for a text file that is not UTF-8, naming its first wrong byte."""
    return M(
        "file.not-utf8",
        "not UTF-8 text (byte {byte}); save the file as UTF-8",
        byte="0x" + format(byte, "02X"),
    )


class TemplateRefused(Exception):
    """A template file that may not be read; carries the file and the reason."""

    def __init__(self, path: str, reason: M | str, line: int | None = None) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason
        self.line = line
