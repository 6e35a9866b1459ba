"""Jinja templates + Markdown texts + computed rows → one HTML string.

Templates are loaded in a sandbox with autoescaping and StrictUndefined, only
from templates/, and see plain values only (:mod:`rmr_gen.output.sandbox`); data and
Markdown are only ever passed *into* templates, never compiled as one, so
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

from rmr_gen.content.markdown import render_markdown
from rmr_gen.core import formatting
from rmr_gen.core.confine import Refused, read_bytes, real_root
from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.files import shown
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Report, other_population, population_name
from rmr_gen.output.sandbox import (
    ConfinedLoader,
    TemplateRefused,
    not_utf8,
    plain_context,
    report_view,
)

#: Texts and stylesheets larger than this are refused before they are read.
MAX_TEXT_BYTES = 20_000_000


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


def _hyphenate(html: str) -> Any:
    from markupsafe import Markup

    from rmr_gen.content.hyphenation import hyphenate_html

    return Markup(hyphenate_html(str(html)))


def _keep_together(text: str) -> Any:
    from markupsafe import Markup

    return Markup(formatting.keep_together(str(text)))


#: The longest last line a title keeps whole (characters): longer, and it could
#: overflow the line.
_TITLE_TAIL = 50
_DASHES = ("–", "—", "-")


def _title_units(text: str) -> list[str]:
    """A title's words, a spaced-dash run (``vård – Norrbotten``) counted as one."""
    tokens = text.split(" ")
    units: list[str] = []
    index = 0
    while index < len(tokens):
        unit = tokens[index]
        index += 1
        while index + 1 < len(tokens) and tokens[index] in _DASHES:
            unit += f" {tokens[index]} {tokens[index + 1]}"
            index += 2
        units.append(unit)
    return units


def _keep_title(text: str) -> Any:
    """A title as :func:`formatting.keep_together` makes it, whose last line never holds
    one word alone: its last unit stays with the one before it (and, when that is a
    dash run, with the word before that too: "palliativ vård – Norrbotten")."""
    from markupsafe import Markup

    units = _title_units(str(text))
    keep = 3 if len(units) > 2 and " " in units[-2] else 2
    tail = " ".join(units[-keep:])
    if len(units) <= keep or len(tail) > _TITLE_TAIL:
        return Markup(formatting.keep_together(str(text)))
    head = formatting.keep_together(" ".join(units[:-keep]))
    return Markup(f'{head} <span class="nobr title-end">{formatting.keep_together(tail)}</span>')


@lru_cache(maxsize=4)
def _environment(templates_dir: Path | tuple[Path, ...], project_root: Path) -> Any:
    """One sandboxed environment per templates search path (the project's own folder,
    then the package's defaults): compiled templates are reused."""
    from jinja2 import StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=ConfinedLoader(_folders(templates_dir), project_root),
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
        target_levels=formatting.target_levels,
        target_text=formatting.target_text,
        unit_sign=formatting.UNIT_LABELS.__getitem__,
        change_unit=formatting.CHANGE_UNITS.__getitem__,
        isodate=formatting.date,
        keep_together=_keep_together,
        keep_title=_keep_title,
        hyphenate=_hyphenate,
        population_name=population_name,
        other_population=other_population,
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
        return Location(shown(_folders(templates_dir)[0], shown_root))
    return Location(shown(Path(filename), shown_root), lineno)


def read_text(path: Path, project_root: Path, folder: Path | None = None) -> str:
    """A text file an editor wrote, read only from inside ``folder`` (a regular file,
    not too large); not UTF-8 is their error, said where, not a crash."""
    try:
        root = real_root(folder or path.parent, project_root)
        what = M("limit.text", "the size limit of a text")
        raw = read_bytes(path, (root,), MAX_TEXT_BYTES, what)
    except Refused as exc:
        raise InputError([Problem(Location(shown(path, project_root)), exc.message)]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    Location(shown(path, project_root), line),
                    not_utf8(raw[exc.start]),
                )
            ]
        ) from None


def template_error(message: str | M) -> M:
    return M("template.error", "template error: {message}", message=message)


def read_stylesheets(
    templates_dir: Path | tuple[Path, ...], kind: str, project_root: Path
) -> list[str]:
    """``base.css`` and ``<kind>/style.css``, each from the first folder that has it,
    read only from inside that folder."""
    sheets = []
    for name in ("base.css", f"{kind}/style.css"):
        for folder in _folders(templates_dir):
            path = folder / name
            if path.exists() or path.is_symlink():
                sheets.append(read_text(path, project_root, folder))
                break
    return sheets


def render_report(
    report: Report,
    blocks: list[Block],
    templates_dir: Path | tuple[Path, ...],
    project_root: Path,
    extra: Mapping[str, Any] | None = None,
    template: str = "",
) -> str:
    """Render ``templates/<kind>/report.html.j2`` (or ``template``) for ``report``."""
    from jinja2 import TemplateError
    from markupsafe import Markup

    env = _environment(templates_dir, project_root)
    stylesheets = read_stylesheets(templates_dir, report.kind, project_root)
    context = plain_context(
        {
            "report": report_view(report, lambda p: shown(p, project_root)),
            "organisation": report.organisation,
            "blocks": list(blocks),
            "stylesheets": [Markup(css) for css in stylesheets],
            **(extra or {}),
        }
    )
    try:
        page = env.get_template(template or f"{report.kind}/report.html.j2")
        return str(page.render(context))
    except InputError:
        raise
    except TemplateRefused as exc:
        where = Location(shown(Path(exc.path), project_root), exc.line)
        raise InputError([Problem(where, exc.reason)]) from None
    except (MemoryError, RecursionError) as exc:
        location = _template_location(exc, templates_dir, project_root)
        what = (
            M("template.too-much-memory", "too much memory")
            if isinstance(exc, MemoryError)
            else M("template.too-deep", "recursion too deep")
        )
        raise InputError([Problem(location, template_error(what))]) from None
    except TemplateError as exc:
        location = _template_location(exc, templates_dir, project_root)
        message = getattr(exc, "message", None) or str(exc)
        raise InputError([Problem(location, template_error(message))]) from exc
    except Exception as exc:
        # {{ 1/0 }}, {{ name + 1 }} or {{ range(10**10) }} fail in the template's own
        # code or in Jinja on its behalf: its author's error (exit 2). A failure
        # inside rmr-gen's own filters is a bug (exit 1).
        frames = traceback.extract_tb(exc.__traceback__)
        if not any(f.filename.endswith(".j2") for f in frames) or _in_own_code(frames):
            raise
        location = _template_location(exc, templates_dir, project_root)
        message = template_error(f"{type(exc).__name__}: {exc}")
        raise InputError([Problem(location, message)]) from exc


def _in_own_code(frames: traceback.StackSummary) -> bool:
    """Whether the innermost frame after the template's is in rmr-gen's own code."""
    import rmr_gen  # the whole package, wherever this module sits in it

    package = str(Path(rmr_gen.__file__).resolve().parent)
    last_template = max(i for i, f in enumerate(frames) if f.filename.endswith(".j2"))
    return any(f.filename.startswith(package) for f in frames[last_template + 1 :])


def engine_version() -> str:
    """The template engine's version: a template that compiled with one may not with another."""
    import jinja2

    return jinja2.__version__


def check_templates(templates_dir: Path | tuple[Path, ...], project_root: Path) -> list[Problem]:
    """Compile every template, so syntax errors show even when the data is also wrong."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    try:
        for folder in _folders(templates_dir):
            real_root(folder, project_root)
    except Refused as exc:
        return [Problem(Location(shown(_folders(templates_dir)[0], project_root)), exc.message)]
    env = _environment(templates_dir, project_root)
    problems = []
    for name in env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        try:
            env.get_template(name)  # the one in use: the project's own, else the default
        except TemplateSyntaxError as exc:
            location = _template_location(exc, templates_dir, project_root)
            problems.append(Problem(location, template_error(str(exc.message))))
        except TemplateRefused as exc:
            where = Location(shown(Path(exc.path), project_root), exc.line)
            problems.append(Problem(where, exc.reason))
        except TemplateNotFound:
            where = Location(f"templates/{name}")
            message = M("template.not-found", "not found (a symbolic link to nothing?)")
            problems.append(Problem(where, message))
    return problems


def text_block(
    path: Path,
    project_root: Path,
    max_image_mb: int = 10,
    folder: Path | None = None,
    max_image_pixels: int = 50_000_000,
) -> Block:
    """A Markdown text as a block; a refused image or link is an error at its line."""
    from markupsafe import Markup

    html, problems = render_markdown(
        read_text(path, project_root, folder or path.parent),
        path.parent,
        max_image_mb * 1_000_000,
        max_image_pixels,
    )
    if problems:
        where = shown(path, project_root)
        raise InputError([Problem(Location(where, p.line), p.message) for p in problems])
    return Block("text", html=Markup(html))
