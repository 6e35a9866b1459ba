"""The commands that start and release reports: release, verify, init, new."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rmr_gen.cli import (
    Kind,
    ReportId,
    Version,
    app,
    refuse,
    run_in_project,
    stop_with,
)
from rmr_gen.core.errors import InputError
from rmr_gen.core.i18n import M, tr


@app.command(
    help=tr("Release a report: output/<id>/<X.Y>/<id>-<X.Y>.pdf, a snapshot and manifest.json.")
)
def release(
    ctx: typer.Context,
    report_id: ReportId,
    version: Annotated[
        str,
        typer.Option(
            "--document-version",
            "--version",
            metavar="X.Y",
            help=tr(
                "The document's version to release (major.minor, e.g. 1.1; the same as"
                " `version` in its report.toml). Not rmr-gen's own version."
            ),
        ),
    ],
) -> None:
    from rmr_gen.workflows.release import release as make_release

    done = run_in_project(ctx, lambda project: make_release(project, report_id, version))
    for note in done.notes:
        typer.echo(note, err=True)
    where = done.pdf.relative_to(ctx.obj.resolve()) if done.pdf.is_absolute() else done.pdf
    if done.documents > 1:
        typer.echo(
            tr("released {report} {version}  {documents} PDFs, {pages} pages  {folder}").format(
                report=done.report_id,
                version=done.version,
                documents=done.documents,
                pages=done.pages,
                folder=where.parent,
            )
        )
    else:
        typer.echo(
            tr("released {report} {version}  {pages} pages  {pdf}").format(
                report=done.report_id, version=done.version, pages=done.pages, pdf=where
            )
        )


@app.command(
    help=tr(
        "Prove a release is intact: manifest hashes match, the snapshot rebuilds the same bytes."
    )
)
def verify(
    ctx: typer.Context,
    report_id: ReportId,
    version: Version,
) -> None:
    from rmr_gen.workflows.releaseverify import verify as check_release

    done = run_in_project(ctx, lambda project: check_release(project, report_id, version))
    for note in done.notes:
        typer.echo(note, err=True)
    rebuilt = (
        tr("{documents} PDFs rebuilt from the snapshot byte for byte")
        if done.documents > 1
        else tr("PDF rebuilt from the snapshot byte for byte")
    ).format(documents=done.documents)
    typer.echo(
        tr("verified {report} {version}: {files} files intact, {rebuilt}").format(
            report=done.report_id, version=done.version, files=done.files, rebuilt=rebuilt
        )
    )


@app.command(
    help=tr(
        "Start a project in DIR: reports/ with one example report that builds, data/ "
        "for its numbers. Templates and reference data are rmr-gen's own until DIR has "
        "its own."
    )
)
def init(
    folder: Annotated[
        Path,
        typer.Argument(help=tr("The new project's folder."), metavar="DIR", show_default=False),
    ],
) -> None:
    from rmr_gen.workflows.scaffold import init_project

    try:
        written = init_project(folder)
    except InputError as exc:
        stop_with(exc)
    for path in written:
        typer.echo(tr("created  {path}").format(path=path))
    typer.echo(tr("next: rmr-gen --project {folder} build").format(folder=folder))


@app.command(
    help=tr(
        "Start a report in reports/ID/: from scratch (--kind) or as next year's plan "
        "from the latest release of another (--from)."
    )
)
def new(
    ctx: typer.Context,
    new_id: Annotated[
        str, typer.Argument(help=tr("The new report's id."), show_default=False, metavar="ID")
    ],
    from_id: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="REPORT",
            help=tr("Next year's plan: carry over the latest release of REPORT."),
        ),
    ] = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", help=tr("A new report from scratch, of this kind."))
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            metavar="ORG",
            help=tr("With --kind: the publisher (an id in data/organisations.toml)."),
        ),
    ] = None,
    regions: Annotated[
        str | None,
        typer.Option(
            "--regions",
            metavar="R1,R2",
            help=tr("With --kind processmal: the regions its tables show, comma-separated."),
        ),
    ] = None,
) -> None:
    if (from_id is None) == (kind is None):
        refuse("new", M("new.kind-or-from", "give either --kind processmal|rmr or --from REPORT"))
        raise typer.Exit(2)
    if kind is not None:
        from rmr_gen.workflows.scaffold import start_report

        chosen = regions.split(",") if regions else []
        started = run_in_project(
            ctx, lambda project: start_report(project, new_id, kind.value, organisation, chosen)
        )
        typer.echo(
            tr("created  {path}").format(
                path=f"reports/{started.report_id}/ ({', '.join(started.files)})"
            )
        )
        for shown in started.data:
            typer.echo(
                tr("created  {path} (made-up numbers: replace them with the export)").format(
                    path=shown
                )
            )
        typer.echo(
            tr("next: replace each [FYLL I: …] (rmr-gen check names them), then rmr-gen build")
        )
        return
    if organisation or regions:
        refuse("new", M("new.options-with-kind", "--organisation and --regions go with --kind"))
    from rmr_gen.workflows.nextplan import new_report

    assert from_id is not None
    done = run_in_project(ctx, lambda project: new_report(project, new_id, from_id))
    typer.echo(
        tr("created  reports/{report}/ from {source}  (version 1.0)").format(
            report=done.report_id, source=done.source
        )
    )
    update = tr("update title, date and targets in report.toml, edit the texts, rmr-gen check")
    if done.period:
        typer.echo(
            tr(
                "period {period}; the change is computed against {previous} from the release"
                " {source}"
            ).format(period=done.period, previous=done.previous_period, source=done.source)
        )
        if done.new_target_year is not None:
            typer.echo(
                tr(
                    "target_year {old} → {new}: check that the targets in report.toml are the"
                    " ones for that year"
                ).format(old=done.target_year, new=done.new_target_year)
            )
        typer.echo(
            tr("next: add the {period} rows to the data files in data/, {update}").format(
                period=done.period, update=update
            )
        )
    else:
        typer.echo(tr("next: {update}").format(update=update))
