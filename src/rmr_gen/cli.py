"""The ``rmr-gen`` command line: parse, call the build layer, map errors to exit codes.

Exit codes: 0 success; 1 an unexpected failure (a bug); 2 the user's input is
wrong, with every problem printed to stderr as ``path:line:column: error: message``.
Heavy libraries are imported only inside commands, so ``--help`` stays instant.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from rmr_gen import __version__
from rmr_gen.errors import InputError

app = typer.Typer(
    help="Build versioned, accessible PDFs of process goals and regional guidelines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

T = TypeVar("T")
ReportIds = Annotated[
    list[str] | None,
    typer.Argument(
        help="Report ids (folders in reports/). Default: every report.", show_default=False
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rmr-gen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    project: Annotated[
        Path,
        typer.Option("--project", help="The project folder (with reports/, templates/, data/)."),
    ] = Path("."),
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    ctx.obj = project


def _run(ctx: typer.Context, action: Callable[..., T]) -> T:
    """Open the project and run ``action``; turn errors into messages and exit codes."""
    from rmr_gen.project import Project

    try:
        return action(Project.open(ctx.obj))
    except InputError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        typer.echo(
            f"rmr-gen: {errors} error{'s' if errors != 1 else ''}; nothing written", err=True
        )
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("rmr-gen: interrupted; nothing half-written was left behind", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        typer.echo(
            f"rmr-gen: internal error (this is a bug in rmr-gen {__version__}, please report it): "
            f"{type(exc).__name__}: {exc} at {frame.filename}:{frame.lineno}",
            err=True,
        )
        raise typer.Exit(1) from None


@app.command()
def build(
    ctx: typer.Context,
    report_ids: ReportIds = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if nothing changed.")
    ] = False,
    html: Annotated[
        bool, typer.Option("--html", help="Also write the HTML that was turned into the PDF.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Parallel processes. Default: number of CPUs."),
    ] = None,
) -> None:
    """Build PDFs into output/<id>/; unchanged ones are skipped. A report that fails
    does not stop the others; the exit code is then 2."""
    from rmr_gen import build as builder
    from rmr_gen.progress import Reporter

    with Reporter(ctx.obj) as reporter:
        summary = _run(
            ctx,
            lambda project: builder.build(
                project,
                report_ids,
                force=force,
                write_html=html,
                jobs=jobs,
                progress=reporter.outcome,
                planned=reporter.start,
            ),
        )
    reporter.summary(summary)
    if summary.count("failed"):
        raise typer.Exit(2)


@app.command()
def check(ctx: typer.Context, report_ids: ReportIds = None) -> None:
    """Validate reports, texts, data and templates; write nothing."""
    from rmr_gen import build as builder

    prepared = _run(ctx, lambda project: builder.check(project, report_ids))
    for item in prepared:
        typer.echo(f"ok  {item.report.id}")


@app.command("list")
def list_reports(ctx: typer.Context) -> None:
    """List reports with their kind, version and whether the draft is up to date."""
    from rmr_gen.status import report_statuses

    for row in _run(ctx, report_statuses):
        typer.echo(f"{row.report_id}\t{row.kind}\t{row.version}\t{row.status}\t{row.title}")


def main() -> None:
    """Entry point of the ``rmr-gen`` script."""
    try:
        app()
    except SystemExit:
        raise
    sys.exit(0)
