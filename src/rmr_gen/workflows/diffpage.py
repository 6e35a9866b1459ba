"""The redline document: the new side's HTML with the summary, the mark and every
change marked; and its web page, with the charts drawn for screens."""

from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path

from rmr_gen.core.project import Project
from rmr_gen.workflows.build import Prepared
from rmr_gen.workflows.diffmeta import (
    FURNITURE,
    IMAGE_SRC,
    furniture,
    image_key,
    plain,
)
from rmr_gen.workflows.diffmodel import DRAFT, Differences
from rmr_gen.workflows.diffwords import invisible
from rmr_gen.workflows.planning import cache_for
from rmr_gen.workflows.redline import mark_up
from rmr_gen.workflows.redlinemarks import fit_rowspans, number_changes

DIFF_CSS = """
ins { text-decoration: underline; color: #0b5e1a; background: #e3f4e6; }
del { text-decoration: line-through; color: #a3121b; background: #fbe6e7; }
.moved del { text-decoration: none; background: none; }  /* a strike would hide a minus */
.diff-said { color: #555; font-size: 0.85em; }
.diff-format { color: #5a3d8a; font-size: 0.85em; font-weight: 700; }
.diff-link { font-size: 0.85em; overflow-wrap: anywhere; }
.diff-no {
  float: left; margin-left: -30pt; width: 18pt; text-align: right; font-size: 7.5pt;
  font-weight: 700; color: #a3121b; text-decoration: none;
  bookmark-level: 2; bookmark-label: "Ändring " content();
}
li > .diff-no { margin-left: -44pt; }  /* left of the list's bullet or number, not on it */
.diff-jump a { color: #a3121b; }
.diff-heading { bookmark-level: 1; }
.diff-moved { font-size: 0.85em; font-weight: 700; color: #5a3d8a; }
.moved .diff-said { display: none; }
p[data-diff], li[data-diff], h1[data-diff], h2[data-diff], h3[data-diff], h4[data-diff],
caption[data-diff], figcaption[data-diff], pre[data-diff], dd[data-diff], dt[data-diff] {
  border-left: 2.5pt solid #a3121b; margin-left: -6pt; padding-left: 3.5pt;
}
tr[data-diff] > :first-child { border-left: 2.5pt solid #a3121b; }
.diff-mark {
  font-weight: 700; color: #a3121b; border: 1pt solid #a3121b; padding: 1pt 4pt;
  margin: 0 0 2pt; font-size: 9pt; text-align: center;
}
img.diff-old { width: 60%; }
.diff-figure { font-size: 10pt; font-weight: 700; margin: 4pt 0 2pt; break-after: avoid; }
figure.chart img { break-after: avoid; }
figure.chart figcaption { break-before: avoid; }
.diff-heading { font-size: 14pt; margin-top: 0; }
.diff-summary { border: 1pt solid #7f7f7f; padding: 6pt 8pt; margin: 0 0 14pt; break-inside: auto; }
.diff-summary h2 { font-size: 11.5pt; }
.diff-summary ul { margin-bottom: 6pt; }
.diff-summary .legend ins, .diff-summary .legend del { padding: 0 2pt; }
"""


SECTION_WORDS = {
    "changed": "ändrat",
    "added": "tillkommet",
    "removed": "borttaget",
    "renamed": "omdöpt",
    "formatting": "med ändrad formatering",
}


MAX_EDITS_SHOWN = 8


def _edit_html(old: str, new: str) -> str:
    esc = htmlmod.escape
    if kind := invisible(old, new):  # two words that look alike: say what differs
        return f"”{esc(_short(new))}”: {esc(kind)}"
    parts = []
    if old:
        parts.append(f"<del>{esc(_short(old))}</del>")
    if new:
        parts.append(f"<ins>{esc(_short(new))}</ins>")
    return " → ".join(parts)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 2].rsplit(" ", 1)[0] + " …"


def _summary_html(d: Differences) -> str:
    esc = htmlmod.escape
    new_side = "utkastet" if d.new == DRAFT else f"version {esc(d.new)}"
    items = []
    for f in d.fields:
        old = f"<del>{esc(f.old)}</del>" if f.old else "(inte satt)"
        new = f"<ins>{esc(f.new)}</ins>" if f.new else "(inte satt)"
        items.append(f"<li>{esc(f.label)}: {old} → {new}</li>")
    for s in d.sections:
        what = SECTION_WORDS[s.change]
        name = esc(s.section)
        if s.change == "renamed":
            name = f"<del>{esc(s.old_name)}</del> → <ins>{esc(s.section)}</ins>"
        counts = f" (+{s.words_added} / −{s.words_removed} ord)" if s.edits else ""
        edits = "".join(
            f"<li>{_edit_html(old, new)}</li>" for old, new in s.edits[:MAX_EDITS_SHOWN]
        )
        edits += "".join(
            f"<li>Flyttat: {esc(_short(n.removeprefix('flyttat: ')))}</li>"
            for n in s.notes
            if n.startswith("flyttat: ")
        )
        more = len(s.edits) - MAX_EDITS_SHOWN
        if more > 0:
            edits += f"<li>… och {more} ändringar till, markerade i texten</li>"
        edits = f'<ul class="diff-edits">{edits}</ul>' if edits else ""
        items.append(f"<li>Avsnitt {what}: {name}{counts}{edits}</li>")
    for link in d.links:
        old = f"<del>{esc(link.old)}</del>" if link.old else "(ny länk)"
        new = f"<ins>{esc(link.new)}</ins>" if link.new else "(länken borttagen)"
        items.append(f"<li>Länk ”{esc(link.text)}”: {old} → {new}</li>")
    for c in d.cells:
        items.append(
            f"<li>{esc(c.table)}, {esc(c.region)}, {esc(c.indicator)}: "
            f"<del>{esc(c.old)}</del> → <ins>{esc(c.new)}</ins></li>"
        )
    for r in d.rows:
        if r.change == "renamed":
            items.append(
                f"<li>{esc(r.table)}: rad omdöpt: <del>{esc(r.old)}</del> → "
                f"<ins>{esc(r.row)}</ins></li>"
            )
            continue
        word = "tillagd" if r.change == "added" else "borttagen"
        mark = "ins" if r.change == "added" else "del"
        level = f" (målnivå {esc(r.target)})" if r.target else ""
        items.append(f"<li>{esc(r.table)}: rad {word}: <{mark}>{esc(r.row)}</{mark}>{level}</li>")
    for t in d.targets:
        items.append(
            f"<li>Målnivå, {esc(t.table)}, {esc(t.indicator)}: "
            f"<del>{esc(t.old)}</del> → <ins>{esc(t.new)}</ins></li>"
        )
    for figure in d.figures:
        items.append(f"<li>{esc(figure)} har ritats om med de nya värdena.</li>")
    listing = "<ul>" + "".join(items) + "</ul>" if items else "<p>Inga skillnader.</p>"
    draft = "".join(f"<p>{esc(line)}</p>" for line in d.changelog)
    return (
        '<section class="diff-summary">'
        f'<h1 class="diff-heading">Jämförelse: {esc(_side_name(d.old))} → {new_side}</h1>'
        '<p class="legend"><ins>Understruket och grönt</ins> [+…]: tillagt. '
        "<del>Genomstruket och rött</del> [−…]: borttaget. "
        "Ändrade tabellceller visas gammalt → nytt. Ett streck och ett nummer i marginalen"
        " visar varje ändrat stycke.</p>"
        f"{listing}"
        "<h2>Förslag: Förändringar sedan föregående version</h2>"
        f"{draft}"
        "</section>"
    )


def _main(html: str) -> tuple[str, str, str]:
    start = html.index("<main>") + len("<main>")
    end = html.rindex("</main>")
    return html[:start], html[start:end], html[end:]


def diff_document(old: Prepared, new: Prepared, differences: Differences) -> str:
    assert old.html is not None and new.html is not None
    head, body, tail = _main(new.html)
    _, old_body, _ = _main(old.html)
    head = head.replace("</head>", f"<style>{DIFF_CSS}</style>\n</head>", 1)
    for _, _, pattern in FURNITURE:  # a changed header or footer, marked on every page
        was, now = furniture(old.html, pattern), furniture(new.html, pattern)
        if now and plain(was) != plain(now):
            head = head.replace(now, mark_up(was, now, bars=False), 1)
    mark = (
        f'<p class="diff-mark">JÄMFÖRELSE {htmlmod.escape(_side_name(differences.old))} → '
        f"{htmlmod.escape(_side_name(differences.new))} – inte det gällande dokumentet</p>"
    )
    head = head.replace('<header class="page-header">', '<header class="page-header">' + mark, 1)
    title = f"Jämförelse {differences.old} → {differences.new}: "
    head = head.replace("<title>", "<title>" + htmlmod.escape(title), 1)
    labels = (_side_name(differences.old), _side_name(differences.new))
    # Images by content, so an unchanged picture is equal on both sides; then back to
    # a file each side can read (the new side's when the content is the same).
    sources: dict[str, str] = {}
    body = _images_by_content(body, new.report.folder, sources)
    old_body = _images_by_content(old_body, old.report.folder, sources)
    marked, count = number_changes(fit_rowspans(mark_up(old_body, body, labels)))
    for key, src in sources.items():
        marked = marked.replace(f'src="{key}"', f'src="{src}"')
    jump = ""
    if count:
        links = " · ".join(f'<a href="#andring-{n}">{n}</a>' for n in range(1, count + 1))
        jump = f'<p class="diff-jump">Markerade ändringar i dokumentet ({count}): {links}</p>'
    summary = _summary_html(differences).replace("</section>", jump + "</section>", 1)
    return head + summary + marked + tail


def redline_page(
    project: Project, html: str, roots: tuple[Path, ...], old: Prepared, new: Prepared
) -> str:
    """The redline as a web page: the mark and the marked-up ``<main>`` in the web
    edition's screen layout, fonts and images embedded, each chart drawn for screens
    as the web edition draws it (the PDF keeps ``html``, with its drawn images)."""
    from rmr_gen.output.web import screen_document
    from rmr_gen.output.webfonts import web_fonts

    title = re.search(r"<title>(.*?)</title>", html, re.S)
    mark = re.search(r'<p class="diff-mark">.*?</p>', html, re.S)
    _, body, _ = _main(html)
    body = screen_charts(project, body, old, new)
    cache = cache_for(project)
    fonts = web_fonts(project.font_files(), cache)
    cache.flush()  # the subset fonts, made once
    return screen_document(
        project,
        htmlmod.unescape(title.group(1)) if title else "Jämförelse",
        (mark.group(0) if mark else "") + body,
        fonts,
        roots,
        new.report.limits,
    )


#: A chart's drawn image in the redline (the PDF's ``partials/chart.html.j2``).
_CHART_IMAGE = re.compile(r'<img\b[^>]*?\ssrc="(data:image/svg\+xml;base64,[^"]*)"[^>]*>')


def screen_charts(project: Project, body: str, old: Prepared, new: Prepared) -> str:
    """Each chart image of the redline's ``body`` replaced by the web edition's screen
    chart of the same side's values: its text is text, readable on a phone. A chart
    the same on both sides is the new side's."""
    from rmr_gen.output.web import dotplot

    sides = {
        block.image: side
        for side in (old, new)
        for block in side.blocks
        if block.kind == "chart" and side.data is not None
    }
    drawn: dict[int, str] = {}

    def replace(match: re.Match[str]) -> str:
        side = sides.get(match.group(1))
        if side is None or side.data is None:
            return match.group(0)
        if id(side) not in drawn:
            drawn[id(side)] = dotplot(project, side.report, side.data)
        return drawn[id(side)]

    return _CHART_IMAGE.sub(replace, body)


def _images_by_content(html: str, folder: Path, sources: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = "diff-image:" + image_key(match.group(1), folder)
        sources.setdefault(key, match.group(1))
        return match.group(0).replace(match.group(1), key)

    return IMAGE_SRC.sub(replace, html)


def _side_name(label: str) -> str:
    if "@" in label:  # another report's release
        other, _, version = label.partition("@")
        return f"{other} version {version}"
    return "utkast" if label == DRAFT else f"version {label}"
