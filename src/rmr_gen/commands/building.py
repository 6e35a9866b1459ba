"""The commands that build and inspect: build, check, list, indicators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rmr_gen.cli import (
    ReportIds,
    SummaryFormat,
    app,
    parse_shard,
    run_in_project,
    show_notes,
)
from rmr_gen.core.errors import InputError, Problem, Problems
from rmr_gen.core.i18n import tr

if TYPE_CHECKING:
    from rmr_gen.core.project import Project
    from rmr_gen.workflows.drafts import Summary


@app.command(
    help=tr(
        "Build PDFs into output/<id>/; unchanged ones are skipped. A report that fails "
        "does not stop the others; the exit code is then 2."
    )
)
def build(
    ctx: typer.Context,
    report_ids: ReportIds = None,
    force: Annotated[
        bool, typer.Option("--force", help=tr("Rebuild even if nothing changed."))
    ] = False,
    html: Annotated[
        bool, typer.Option("--html", help=tr("Also write the HTML that was turned into the PDF."))
    ] = False,
    web: Annotated[
        bool,
        typer.Option(
            "--web",
            help=tr(
                "Also write each report's web page: output/<id>/web/index.html, "
                "and output/index.html listing every report."
            ),
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help=tr("Parallel processes. Default: number of CPUs."),
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help=tr("Build only the K-th of N equal shares of the PDFs (for a CI matrix)."),
        ),
    ] = None,
) -> None:
    share = parse_shard(shard)
    from rmr_gen.progress import Reporter

    found = Problems()

    def run(project: Project) -> Summary:
        from rmr_gen.workflows import renderers

        # forked before the build's own imports: they warm up while it plans
        with renderers.start(project, report_ids, force=force, jobs=jobs) as started:
            from rmr_gen.workflows import build as builder

            return builder.build(
                project,
                report_ids,
                force=force,
                write_html=html,
                write_web=web,
                jobs=jobs,
                shard=share,
                progress=reporter.outcome,
                planned=reporter.start,
                problems=found,
                renderers=started,
            )

    with Reporter(ctx.obj) as reporter:
        summary = run_in_project(ctx, run)
    show_notes(found)
    reporter.summary(summary)
    if summary.count("failed"):
        raise typer.Exit(2)


@app.command(help=tr("Validate reports, texts, data and templates; write nothing."))
def check(
    ctx: typer.Context,
    report_ids: ReportIds = None,
    sources: Annotated[
        bool,
        typer.Option(
            "--sources",
            help=tr(
                "Also print which file each template and reference data file is read from:"
                " the project's own or rmr-gen's default."
            ),
        ),
    ] = False,
    output_format: Annotated[
        SummaryFormat,
        typer.Option(
            "--format",
            help=tr(
                "text: messages on stderr in the editor's language; json: on stdout, each"
                " problem with its code, place and English text, the same in every language."
            ),
        ),
    ] = SummaryFormat.text,
) -> None:
    from rmr_gen.workflows import build as builder

    found = Problems()
    if output_format is SummaryFormat.json:
        _check_as_json(ctx, report_ids, found)
        return
    prepared = run_in_project(ctx, lambda project: builder.check(project, report_ids, found))
    show_notes(found)
    for item in prepared:
        typer.echo(f"ok  {item.report.id}")
    if sources:
        for line in run_in_project(ctx, _source_lines):
            typer.echo(line)


def _check_as_json(ctx: typer.Context, report_ids: list[str] | None, found: Problems) -> None:
    """``check --format json``: the reports that passed and every problem, on stdout."""
    import json

    from rmr_gen.workflows import build as builder

    def attempt(project: Project) -> tuple[list[str], list[Problem]]:
        try:
            return [item.report.id for item in builder.check(project, report_ids, found)], []
        except InputError as exc:
            return [], list(exc.problems)

    checked, stopped = run_in_project(ctx, attempt)
    problems = list(dict.fromkeys([*found.notes, *stopped]))
    typer.echo(
        json.dumps(
            {"ok": checked, "problems": [p.as_json() for p in problems]},
            ensure_ascii=False,
            indent=2,
        )
    )
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(2)


def _source_lines(project: object) -> list[str]:
    """``source  data/regions.toml  <file> (project|rmr-gen default)``, one per input."""
    from rmr_gen.core.project import REFERENCE_FILES, Project

    assert isinstance(project, Project)
    lines = [
        f"source  data/{name}  {project.origin(project.reference_file(name))}"
        for name in REFERENCE_FILES
    ]
    lines += [
        f"source  templates/{name}  {project.origin(path)}"
        for name, path in project.template_files().items()
    ]
    return lines


@app.command(
    "list",
    help=tr("List reports: kind, version, draft status, title, releases."),
)
def list_reports(ctx: typer.Context) -> None:
    from rmr_gen.workflows.status import report_statuses

    for row in run_in_project(ctx, report_statuses):
        typer.echo(
            f"{row.report_id}\t{row.kind}\t{row.version}\t{row.status}\t{row.title}\t{row.releases}"
        )


@app.command(
    help=tr(
        "List the indicators a project can use: id, label, unit, better, aliases, and "
        "whether the project's data/indicators.toml or rmr-gen defines it."
    )
)
def indicators(
    ctx: typer.Context,
    output_format: Annotated[
        SummaryFormat, typer.Option("--format", help=tr("Text (a line each) or JSON."))
    ] = SummaryFormat.text,
) -> None:
    import json

    from rmr_gen.workflows.catalogue import indicator_entries

    entries = run_in_project(ctx, indicator_entries)
    if output_format is SummaryFormat.json:
        typer.echo(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
        return
    typer.echo("id\tlabel\tunit\tbetter\tdefined by\taliases")
    for e in entries:
        typer.echo(
            f"{e.id}\t{e.label}\t{e.unit}\t{e.better}\t{e.defined_by}\t{'; '.join(e.aliases)}"
        )
