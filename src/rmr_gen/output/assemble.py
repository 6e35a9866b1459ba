"""The body of a document in reading order: one :class:`~rmr_gen.output.render.Block` per entry
of ``contents``, charts drawn once and cached by content, and the HTML they render to."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from rmr_gen.content.charts import Chart, change_chart
from rmr_gen.content.compute import summary_groups
from rmr_gen.content.tabletypes import TABLES
from rmr_gen.core.cache import Cache
from rmr_gen.core.cache import key as cache_key
from rmr_gen.core.files import digest_files
from rmr_gen.core.models import ContentItem, Key, Measurement, Report, SummaryGroup
from rmr_gen.core.project import Project
from rmr_gen.output.render import Block, render_report, svg_data_uri, text_block


class Assembler:
    """Blocks and HTML of a project's reports, reusing cached charts."""

    def __init__(self, project: Project, cache: Cache) -> None:
        self.project = project
        self.cache = cache
        self.fonts = project.font_files()
        self.fonts_key = digest_files(self.fonts, project.root, roots=project.readable_roots)

    def chart(self, report: Report, groups: tuple[SummaryGroup, ...], kind: str) -> Chart:
        args = (groups, report.period, report.previous_period, report.target_year)
        options = (report.decimals, report.min_denominator, kind, report.population)
        digest = cache_key("chart", repr(args), repr(options), self.fonts_key)
        hit = self.cache.get("chart", digest)
        if hit is not None:
            alt, _, svg = hit.partition(b"\0")
            with contextlib.suppress(UnicodeDecodeError):  # else not ours: a miss
                return Chart(svg, alt.decode())
        chart = change_chart(*args, self.fonts, *options)
        self.cache.put("chart", digest, chart.alt.encode() + b"\0" + chart.svg)
        return chart

    def blocks(self, report: Report, data: dict[Key, Measurement]) -> list[Block]:
        """One block per entry of ``contents``, made by its kind's entry in :data:`KINDS`."""
        groups = summary_groups(report, data) if report.indicators and data else ()
        return [KINDS[item.kind](self, report, item, groups) for item in report.contents]

    def text(self, report: Report, item: ContentItem, groups: Groups) -> Block:
        """An editor's Markdown text, made safe, its images checked."""
        limits = report.limits
        path = report.folder / item.ref
        root = self.project.root
        block = text_block(path, root, limits.max_image_mb, report.folder, limits.max_image_pixels)
        if block.html:
            self.hyphenated(block.html)
        return block

    def hyphenated(self, html: str) -> str:
        """``html`` with its soft hyphens, from the cache when the text is unchanged; the
        template's ``hyphenate`` filter then finds it without loading any word data."""
        from rmr_gen.content.hyphenation import dictionaries, hyphenate_html, remember

        digest = cache_key("hyphenated", html, dictionaries())
        hit = self.cache.get("hyphenated", digest)
        if hit is not None:
            with contextlib.suppress(UnicodeDecodeError):  # else not ours: a miss
                if remember(html, hit.decode()):  # else rewritten: a miss
                    return hit.decode()
        hyphenated = hyphenate_html(html)
        self.cache.put("hyphenated", digest, hyphenated.encode())
        return hyphenated

    def table(self, report: Report, item: ContentItem, groups: Groups) -> Block:
        """A table: its rows as its type (:data:`rmr_gen.content.tabletypes.TABLES`) makes them."""
        spec = report.tables[item.ref]
        return Block("table", spec=spec, rows=TABLES[spec.type].rows(spec, groups))

    def figure(self, report: Report, item: ContentItem, groups: Groups) -> Block:
        """A chart of Tabell 1's values, drawn as its type says, with its alt text."""
        spec = report.charts[item.ref]
        chart = self.chart(report, groups, spec.type)
        return Block("chart", spec=spec, image=svg_data_uri(chart.svg), alt=chart.alt)

    def furniture(self, report: Report, item: ContentItem, groups: Groups) -> Block:
        """The list of changes or the version history: the template reads the report."""
        return Block(item.kind)

    def render(self, report: Report, data: dict[Key, Measurement]) -> tuple[str, list[Block]]:
        """The report's HTML and the computed blocks it was made from."""
        blocks = self.blocks(report, data)
        html = render_report(report, blocks, self.project.template_dirs, self.project.root)
        return html, blocks


Groups = tuple[SummaryGroup, ...]

#: Each kind of ``contents`` entry (``ContentItem.kind``) and how its block is made; the
#: base template includes ``templates/partials/<kind>.html.j2`` for it.
KINDS: dict[str, Callable[[Assembler, Report, ContentItem, Groups], Block]] = {
    "text": Assembler.text,
    "table": Assembler.table,
    "chart": Assembler.figure,
    "changes": Assembler.furniture,
    "history": Assembler.furniture,
}
