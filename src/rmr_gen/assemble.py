"""The body of a document in reading order: one :class:`~rmr_gen.render.Block` per entry
of ``contents``, charts drawn once and cached by content, and the HTML they render to."""

from __future__ import annotations

import contextlib

from rmr_gen.cache import Cache
from rmr_gen.cache import key as cache_key
from rmr_gen.charts import Chart, change_chart
from rmr_gen.compute import summary_groups
from rmr_gen.files import digest_files
from rmr_gen.models import Key, Measurement, Report, SummaryGroup
from rmr_gen.project import Project
from rmr_gen.render import Block, render_report, svg_data_uri, text_block


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
        groups = summary_groups(report, data) if report.indicators and data else ()
        blocks = []
        for item in report.contents:
            if item.kind == "text":
                blocks.append(
                    text_block(
                        report.folder / item.ref,
                        self.project.root,
                        report.limits.max_image_mb,
                        report.folder,
                        report.limits.max_image_pixels,
                    )
                )
            elif item.kind == "table":
                table = report.tables[item.ref]
                rows = groups if table.type == "indicator-summary" else table.rows
                blocks.append(Block("table", spec=table, rows=rows))
            elif item.kind in ("changes", "history"):
                blocks.append(Block(item.kind))
            else:
                spec = report.charts[item.ref]
                chart = self.chart(report, groups, spec.type)
                blocks.append(
                    Block(
                        "chart",
                        spec=spec,
                        image=svg_data_uri(chart.svg),
                        alt=chart.alt,
                    )
                )
        return blocks

    def render(self, report: Report, data: dict[Key, Measurement]) -> tuple[str, list[Block]]:
        """The report's HTML and the computed blocks it was made from."""
        blocks = self.blocks(report, data)
        html = render_report(report, blocks, self.project.template_dirs, self.project.root)
        return html, blocks
