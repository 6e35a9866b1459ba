"""The web edition: each report as an accessible, self-contained web page.

``output/<id>/web/index.html`` (a parameterised report: ``<name>.html`` per value
and an ``index.html`` listing them), its fonts in ``web/fonts/``, and
``output/index.html`` listing the project's reports. The body is made of the
same computed blocks and partial templates as the PDF; only the page around it
(``templates/web/``) is the screen's: a header, the title block, which version
this is, the contents, and a footer, with no print-only notices.

A page loads nothing from elsewhere: images are embedded as ``data:`` URLs (read
through the PDF's confinement check), fonts are files beside it; anything else
a template asks for is refused before a file is written (:mod:`rmr_gen.output.webcheck`,
which also gives every page a Content-Security-Policy).
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rmr_gen.content.compute import summary_groups
from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.files import atomic_write
from rmr_gen.core.i18n import M
from rmr_gen.core.models import Limits, Measurement, Report
from rmr_gen.core.project import Project
from rmr_gen.output.render import Block, read_text, render_report
from rmr_gen.output.webchart import legend, report_model, web_panels
from rmr_gen.output.webcheck import refuse_outside_resources, with_policy
from rmr_gen.output.webfonts import WebFont, font_face_css

WEB = "web"
FONTS = "fonts"
_FILE_IMAGE = re.compile(r'(<img\b[^>]*?\ssrc=")(file:[^"]*)(")')


@dataclass(frozen=True)
class Edition:
    """Which version a web page shows, and where its archival PDF is."""

    version: str
    draft: bool  # not the same as a released version
    released: str = ""  # the latest released version, if any
    pdf: str = ""  # link to that release's PDF, relative to the page
    manifest: str = ""


#: What a project needs in templates/web/ to make web pages.
WEB_TEMPLATES = ("page.html.j2", "shell.html.j2", "index.html.j2", "screen.css")


def check_templates(project: Project) -> None:
    """A project made before the web edition has no templates/web/: say so, once."""
    missing = [
        name for name in WEB_TEMPLATES if not project.template_file(f"{WEB}/{name}").is_file()
    ]
    if missing:
        raise InputError(
            [
                Problem(
                    Location(project.shown(project.template_file(f"{WEB}/{name}"))),
                    M(
                        "web.templates-missing",
                        "missing: --web needs the web templates (rmr-gen's templates/web/)",
                    ),
                )
                for name in missing
            ]
        )


def web_folder(project: Project, report_id: str) -> Path:
    return project.output_folder(report_id) / WEB


def page_path(project: Project, report: Report) -> Path:
    name = f"{report.name}.html" if report.parameter else "index.html"
    return web_folder(project, report.id) / name


def stamp_path(project: Project, report: Report) -> Path:
    return web_folder(project, report.id) / f".build-{report.name}.json"


def of_value(the_edition: Edition, project: Project, report: Report) -> Edition:
    """One page of a parameterised report: its release has a PDF per value, named
    like the page (``<id>-<value>-<X.Y>.pdf``, beside the manifest); a value the
    release has no PDF of is a draft, linking the release's manifest only."""
    if not report.parameter or not the_edition.released:
        return the_edition
    version = the_edition.released
    pdf = f"{report.name}-{version}.pdf"
    if not (web_folder(project, report.id).parent / version / pdf).is_file():
        return replace(the_edition, draft=True, pdf="")
    return replace(the_edition, pdf=f"../{version}/{pdf}")


def web_key(inputs: str, the_edition: Edition, fonts: Sequence[WebFont]) -> str:
    """What a web page is made from: the PDF's inputs, its release state, its fonts."""
    from rmr_gen.core.cache import key

    return key("web", inputs, repr(the_edition), *(f.name + f.family for f in fonts))


def is_current(project: Project, report: Report, key: str) -> bool:
    stamp = stamp_path(project, report)
    if not (stamp.is_file() and page_path(project, report).is_file()):
        return False
    try:
        return bool(json.loads(stamp.read_text()).get("inputs") == key)
    except (OSError, ValueError, AttributeError):
        return False


def _embed_images(block: Block, roots: Sequence[Path], limits: Limits) -> Block:
    """A text's images as data: URLs, read only from inside the project's folders, under
    the same size and pixel limits as the PDF's images."""
    from markupsafe import Markup

    from rmr_gen.core.limits import LimitExceeded, image_bytes_pixels
    from rmr_gen.output.urlfetcher import ResourceRefused, read_local, real_roots

    if block.kind != "text" or "file:" not in block.html:
        return block
    readable = real_roots(roots)
    max_bytes = limits.max_image_mb * 1_000_000

    def embed(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        try:
            path, content = read_local(url, readable, max_bytes)
            image_bytes_pixels(content, limits.max_image_pixels)
        except ResourceRefused as exc:
            raise InputError([Problem(Location(url), exc.message)]) from None
        except LimitExceeded as exc:
            message = M("pdf.resource-limit", "'{url}': {reason}", url=url, reason=exc.message)
            raise InputError([Problem(Location(url), message)]) from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(content).decode("ascii")
        return f"{match.group(1)}data:{kind};base64,{data}{match.group(3)}"

    return Block("text", html=Markup(_FILE_IMAGE.sub(embed, block.html)))


def _title_block(project: Project, report: Report, blocks: Sequence[Block]) -> str:
    """The kind's own title block (the one the PDF's first page has), rendered alone,
    with the same plain values the PDF's templates get."""
    from rmr_gen.output.render import _environment
    from rmr_gen.output.sandbox import plain_context, report_view

    context = plain_context(
        {
            "report": report_view(report, project.shown),
            "organisation": report.organisation,
            "blocks": list(blocks),
        }
    )
    env = _environment(project.template_dirs, project.root)
    template = env.get_template(f"{report.kind}/report.html.j2")
    if "title_block" not in template.blocks:  # the kind keeps the plain <h1>
        template = env.get_template("base.html.j2")
    render = template.blocks["title_block"]
    return "".join(render(template.new_context(context)))


def dotplot(project: Project, report: Report, data: dict[Any, Measurement]) -> str:
    """The screen chart's legend and panels (``web/dotplot.html.j2``, which the web
    page's charts include) for ``report``'s values, in a ``<div class="dotplot">``:
    for other screen pages, e.g. a redline, in place of the PDF's drawn image."""
    groups = summary_groups(report, data) if report.indicators and data else ()
    model = report_model(report, groups)
    extra = {"panels": web_panels(model), "legend": legend(model)}
    template = f"{WEB}/dotplot.html.j2"
    body = render_report(report, [], project.template_dirs, project.root, extra, template)
    return f'<div class="dotplot">\n{body}</div>'


_H2 = re.compile(r"<h2>(.*?)</h2>", re.S)
#: A page with this many sections or more gets a table of contents.
CONTENTS_FROM = 4


def with_contents(blocks: Sequence[Block]) -> tuple[list[Block], tuple[tuple[str, str], ...]]:
    """The blocks with an id on each text's section heading (``avsnitt-N``), and the
    headings as (id, words) when there are :data:`CONTENTS_FROM` or more."""
    from markupsafe import Markup

    found: list[tuple[str, str]] = []

    def number(match: re.Match[str]) -> str:
        anchor = f"avsnitt-{len(found) + 1}"
        words = html.unescape(re.sub(r"<[^>]+>|\u00ad", "", match.group(1)))
        found.append((anchor, " ".join(words.split())))
        return f'<h2 id="{anchor}">{match.group(1)}</h2>'

    out = [
        replace(b, html=Markup(_H2.sub(number, b.html))) if b.kind == "text" else b for b in blocks
    ]
    if len(found) < CONTENTS_FROM:
        return list(blocks), ()
    return out, tuple(found)


def render_page(
    project: Project,
    report: Report,
    blocks: Sequence[Block],
    data: dict[Any, Measurement],
    the_edition: Edition,
    fonts: Sequence[WebFont],
) -> str:
    """The report's web page, checked to load nothing from outside."""
    from markupsafe import Markup

    templates = project.template_dirs
    blocks = [_embed_images(b, project.readable_roots, report.limits) for b in blocks]
    blocks, contents = with_contents(blocks)
    groups = summary_groups(report, data) if report.indicators and data else ()
    model = report_model(report, groups)
    title = _title_block(project, report, blocks)
    css = read_text(project.template_file(f"{WEB}/screen.css"), project.root)
    page = render_report(
        report,
        list(blocks),
        templates,
        project.root,
        template=f"{WEB}/page.html.j2",
        extra={
            "title_block": Markup(title),
            "edition": the_edition,
            "panels": web_panels(model),
            "legend": legend(model),
            "screen_css": Markup(font_face_css(list(fonts)) + "\n" + css),
            "home": "../../index.html",
            "contents": contents,
            "data_table": next(
                (b.spec.id for b in blocks if b.kind == "table" and b.spec.type != "targets"),
                "",
            ),
        },
    )
    refuse_outside_resources(page, project.shown(project.template_file(f"{WEB}/page.html.j2")))
    return with_policy(page)


def write_fonts(folder: Path, fonts: Iterable[WebFont], licence: Path | None) -> None:
    """The fonts beside the pages, written only when they changed."""
    files = {f"{FONTS}/{f.name}": f.data for f in fonts}
    if licence is not None and licence.is_file():
        files[f"{FONTS}/{licence.name}"] = licence.read_bytes()
    for name, data in files.items():
        write_if_changed(folder / name, data)


def remove_other_pages(folder: Path, keep: set[str]) -> None:
    """The page of a value no longer in the report would live on with old numbers."""
    for path in folder.glob("*.html"):
        if path.name != "index.html" and path.name not in keep:
            path.unlink()
            (folder / f".build-{path.stem}.json").unlink(missing_ok=True)


def write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
    return True


@dataclass(frozen=True)
class Listed:
    """One entry of an index page."""

    title: str
    href: str  # "" when the page could not be made
    kind: str = ""
    version: str = ""
    edition: Edition | None = None
    releases: tuple[str, ...] = ()
    report_id: str = ""
    parameterised: bool = False  # a release has a PDF per value: link its manifest


#: A parameter as a column heading, and as words in a title ("per region").
PARAMETERS = {"region": "Region", "sjukvardsregion": "Sjukvårdsregion"}


def title_of_all(report: Report) -> str:
    """The title of a parameterised report's pages together: the value becomes
    "per region" (or is followed by it), so that two such reports stay apart."""
    words = f"per {PARAMETERS.get(report.parameter, report.parameter).lower()}"
    if report.parameter_value and report.parameter_value in report.title:
        return report.title.replace(report.parameter_value, words)
    return f"{report.title} ({words})"


def render_index(
    project: Project,
    heading: str,
    entries: Sequence[Listed],
    fonts: Sequence[WebFont],
    fonts_at: str | None = FONTS,
    home: str = "",
    column: str = "",
) -> str:
    """An index page: the project's reports, or one report's parameter values
    (``column``: the parameter)."""
    first = PARAMETERS.get(column, "Dokument")
    return _render_shell(
        project, "index.html.j2", heading, fonts, fonts_at, home, entries=entries, first=first
    )


def screen_page(project: Project, title: str, body: str, fonts: Sequence[WebFont]) -> str:
    """Content rmr-gen made (e.g. a redline's ``<main>`` content, with ``<ins>`` and
    ``<del>``) as a self-contained screen page: the web edition's layout, fonts
    embedded, checked to load nothing from elsewhere."""
    from markupsafe import Markup

    return _render_shell(project, "shell.html.j2", title, fonts, None, "", body=Markup(body))


_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)


def screen_document(
    project: Project,
    title: str,
    body: str,
    fonts: Sequence[WebFont],
    roots: Sequence[Path],
    limits: Limits,
) -> str:
    """A print document's ``<main>`` content (e.g. a redline) as a screen page: each
    table in its own scrolling, named box, images read from ``roots`` and embedded,
    in the web edition's layout (:func:`screen_page`)."""

    def scrolling(match: re.Match[str]) -> str:
        caption = _CAPTION.search(match.group(0))
        words = html.unescape(re.sub(r"<[^>]+>", " ", caption.group(1))) if caption else ""
        label = html.escape(" ".join(words.split()) or "Tabell", quote=True)
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )

    from markupsafe import Markup

    body = _TABLE.sub(scrolling, body)
    body = _embed_images(Block("text", html=Markup(body)), roots, limits).html
    return screen_page(project, title, body, fonts)


def _render_shell(
    project: Project,
    template: str,
    heading: str,
    fonts: Sequence[WebFont],
    fonts_at: str | None,
    home: str,
    **context: Any,
) -> str:
    from markupsafe import Markup

    from rmr_gen.output.render import _environment
    from rmr_gen.output.sandbox import plain_context

    css = read_text(project.template_file(f"{WEB}/screen.css"), project.root)
    values = plain_context(
        {
            "heading": heading,
            "home": home,
            "screen_css": Markup(font_face_css(list(fonts), fonts_at) + "\n" + css),
            **context,
        }
    )
    page = (
        _environment(project.template_dirs, project.root)
        .get_template(f"{WEB}/{template}")
        .render(values)
    )
    refuse_outside_resources(page, project.shown(project.template_file(f"{WEB}/{template}")))
    return with_policy(str(page))
