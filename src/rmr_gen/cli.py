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
from rmr_gen.errors import InputError, Problems

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
        problems = list(dict.fromkeys(exc.problems))  # a file shared by reports: once
        for problem in problems:
            typer.echo(str(problem), err=True)
        errors = sum(1 for p in problems if p.severity == "error")
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


def _show_notes(problems: Problems) -> None:
    """Notes do not stop a build, but the editor should still read them."""
    for note in dict.fromkeys(problems.notes):
        typer.echo(str(note), err=True)


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
) -> None:
    """Build PDFs into output/<id>/<id>.pdf; unchanged reports are skipped."""
    from rmr_gen import build as builder

    def show(outcome: builder.Outcome) -> None:
        where = (
            outcome.pdf.relative_to(ctx.obj.resolve()) if outcome.pdf.is_absolute() else outcome.pdf
        )
        if outcome.status == "built":
            typer.echo(
                f"built    {outcome.report_id}  {outcome.pages} pages  "
                f"{outcome.seconds:.1f} s  {where}"
            )
        else:
            typer.echo(f"skipped  {outcome.report_id}  (unchanged; --force rebuilds)  {where}")

    found = Problems()
    outcomes = _run(
        ctx,
        lambda project: builder.build(
            project, report_ids, force=force, write_html=html, progress=show, problems=found
        ),
    )
    _show_notes(found)
    built = sum(1 for o in outcomes if o.status == "built")
    typer.echo(f"{built} built, {len(outcomes) - built} skipped")


@app.command()
def check(ctx: typer.Context, report_ids: ReportIds = None) -> None:
    """Validate reports, texts, data and templates; write nothing."""
    from rmr_gen import build as builder

    found = Problems()
    prepared = _run(ctx, lambda project: builder.check(project, report_ids, found))
    _show_notes(found)
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
