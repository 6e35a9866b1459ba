"""Jinja templates + Markdown texts + computed rows → one HTML string.

Templates are loaded in a sandbox with autoescaping and StrictUndefined; data
and Markdown are only ever passed *into* templates, never compiled as one, so
``{{ 1234*5 }}`` in a text prints literally.
"""

from __future__ import annotations

import base64
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rmr_gen import formatting
from rmr_gen.errors import InputError, Location, Problem
from rmr_gen.markdown import render_markdown
from rmr_gen.models import Report


@dataclass(frozen=True)
class Block:
    """One rendered piece of the body, in reading order."""

    kind: str  # "text" | "table" | "chart" | "changes" | "history" (ContentItem.kind)
    html: str = ""
    spec: Any = None
    rows: Any = None
    image: str = ""
    alt: str = ""


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _folders(templates: Path | tuple[Path, ...]) -> tuple[Path, ...]:
    return templates if isinstance(templates, tuple) else (templates,)


@lru_cache(maxsize=4)
def _environment(templates_dir: Path | tuple[Path, ...]) -> Any:
    """One sandboxed environment per templates search path (the project's own folder,
    then the package's defaults): compiled templates are reused."""
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(p) for p in _folders(templates_dir)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=formatting.number,
        percent=formatting.percent,
        change=formatting.change,
        cell=formatting.value_with_change,
        summary_cell=formatting.summary_cell,
        all_diagnoses_cell=formatting.all_diagnoses_cell,
        target=formatting.target,
        isodate=formatting.date,
    )
    return env


def _template_location(
    exc: BaseException, templates_dir: Path | tuple[Path, ...], shown_root: Path
) -> Location:
    """The template file and line an error comes from (Jinja keeps them in frames)."""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if not filename:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                filename, lineno = frame.filename, frame.lineno
                break
    if not filename:
        first = _folders(templates_dir)[0]
        inside = first.is_relative_to(shown_root)
        return Location(str(first.relative_to(shown_root) if inside else first))
    path = Path(filename)
    try:
        shown = str(path.resolve().relative_to(shown_root))
    except ValueError:
        shown = str(path)
    return Location(shown, lineno)


def read_text(path: Path, project_root: Path) -> str:
    """A text file an editor wrote; not UTF-8 is their error, said where, not a crash."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            shown = str(path.resolve().relative_to(project_root))
        except ValueError:
            shown = str(path)
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    Location(shown, line),
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02X}); save the file as UTF-8",
                )
            ]
        ) from None


def read_stylesheets(templates_dir: Path | tuple[Path, ...], kind: str) -> list[str]:
    """``base.css`` and ``<kind>/style.css``, each from the first folder that has it."""
    sheets = []
    for name in ("base.css", f"{kind}/style.css"):
        found = [folder / name for folder in _folders(templates_dir) if (folder / name).is_file()]
        if found:
            sheets.append(read_text(found[0], found[0].parent))
    return sheets


def render_report(
    report: Report,
    blocks: list[Block],
    templates_dir: Path | tuple[Path, ...],
    project_root: Path,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Render ``templates/<kind>/report.html.j2`` for ``report``."""
    from jinja2 import TemplateError
    from markupsafe import Markup

    env = _environment(templates_dir)
    context = {
        "report": report,
        "organisation": report.organisation,
        "blocks": blocks,
        "stylesheets": [Markup(css) for css in read_stylesheets(templates_dir, report.kind)],
        **(extra or {}),
    }
    try:
        template = env.get_template(f"{report.kind}/report.html.j2")
        return str(template.render(context))
    except InputError:
        raise
    except TemplateError as exc:
        location = _template_location(exc, templates_dir, project_root)
        message = getattr(exc, "message", None) or str(exc)
        raise InputError([Problem(location, f"template error: {message}")]) from exc
    except Exception as exc:
        # {{ 1/0 }} or {{ name + 1 }} fail in the template's own code: its author's
        # error (exit 2). A failure inside rmr-gen's filters is a bug (exit 1).
        frames = traceback.extract_tb(exc.__traceback__)
        if not frames or not frames[-1].filename.endswith(".j2"):
            raise
        location = _template_location(exc, templates_dir, project_root)
        message = f"template error: {type(exc).__name__}: {exc}"
        raise InputError([Problem(location, message)]) from exc


def check_templates(templates_dir: Path | tuple[Path, ...], project_root: Path) -> list[Problem]:
    """Compile every template, so syntax errors show even when the data is also wrong."""
    from jinja2 import TemplateSyntaxError

    env = _environment(templates_dir)
    problems = []
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        try:
            env.get_template(name)  # the one in use: the project's own, else the default
        except TemplateSyntaxError as exc:
            location = _template_location(exc, templates_dir, project_root)
            problems.append(Problem(location, f"template error: {exc.message}"))
        except UnicodeDecodeError:
            path = next(f / name for f in _folders(templates_dir) if (f / name).is_file())
            try:
                read_text(path, project_root)
            except InputError as exc:
                problems.extend(exc.problems)
    return problems


def text_block(path: Path, project_root: Path, max_image_mb: int = 10) -> Block:
    """A Markdown text as a block; a refused image or link is an error at its line."""
    from markupsafe import Markup

    html, problems = render_markdown(
        read_text(path, project_root), path.parent, max_image_mb * 1_000_000
    )
    if problems:
        try:
            shown = str(path.resolve().relative_to(project_root))
        except ValueError:
            shown = str(path)
        raise InputError([Problem(Location(shown, p.line), p.message) for p in problems])
    return Block("text", html=Markup(html))
