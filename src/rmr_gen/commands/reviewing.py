"""The commands a reviewer and a writer use: diff, preview."""

from __future__ import annotations

from typing import Annotated

import typer

from rmr_gen.cli import (
    ReportId,
    SummaryFormat,
    app,
    refuse,
    run_in_project,
)
from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.i18n import M, ntr, tr


@app.command(
    help=tr(
        "Redline two versions: output/<id>/diff-<OLD>-<NEW>.pdf and .html, a summary on stdout."
    )
)
def diff(
    ctx: typer.Context,
    report_id: ReportId,
    old: Annotated[
        str | None,
        typer.Argument(
            help=tr(
                "The released version to compare from (or REPORT@X.Y, another report's);"
                " default: the release the report was made from with new --from."
            ),
            metavar="OLD",
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(help=tr("A released version; default: the working draft."), metavar="NEW"),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            metavar="REPORT@X.Y",
            help=tr(
                "Compare with a release of another report (e.g. last year's plan);"
                " then the one version given is the new side."
            ),
        ),
    ] = None,
    output_format: Annotated[
        SummaryFormat, typer.Option("--format", help=tr("The summary on stdout."))
    ] = SummaryFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help=tr("Exit with 1 when there are differences."))
    ] = False,
) -> None:
    import json

    from rmr_gen.workflows import diff as differ

    if against is not None:
        if new is not None:
            refuse(
                "diff",
                M(
                    "diff.against-one-version",
                    "with --against, give at most one version of {report} (the new side;"
                    " default: the draft)",
                    report=report_id,
                ),
            )
        if "@" not in against:
            refuse(
                "--against",
                M(
                    "diff.against-form",
                    "'{value}' is not REPORT@X.Y, e.g. plan-2024@1.0",
                    value=against,
                ),
            )
        old, new = against, old
    results = run_in_project(ctx, lambda project: differ.diff_all(project, report_id, old, new))
    old = results[0].differences.old if results else old
    root = ctx.obj.resolve()
    any_change = any(r.differences.any for r in results)
    if output_format is SummaryFormat.json:
        documents = []
        for done in results:
            data = done.differences.as_json()
            data.update(
                pdf=str(done.pdf.relative_to(root)) if done.pdf else None,
                html=str(done.html.relative_to(root)) if done.html else None,
            )
            documents.append(data)
        if len(documents) == 1 and not results[0].differences.value:
            typer.echo(json.dumps(documents[0], ensure_ascii=False, indent=2))
        else:  # a parameterised report: one summary for all values
            summary = {
                "report": report_id,
                "old": old,
                "new": new or differ.DRAFT,
                "differences": any_change,
                "changes": sum(r.differences.count for r in results),
                "values": documents,
            }
            typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        if len(results) > 1:
            changed = [r.differences.value for r in results if r.differences.any]
            typer.echo(
                tr("diff {report}: {documents} documents, {changed} with changes").format(
                    report=report_id, documents=len(results), changed=len(changed)
                )
                + (f" ({', '.join(changed)})" if changed else "")
            )
        for done in results:
            for line in differ.summary_lines(done.differences):
                typer.echo(line)
            if done.pdf:
                typer.echo(tr("wrote {pdf} and .html").format(pdf=done.pdf.relative_to(root)))
    if exit_code and any_change:
        raise typer.Exit(1)


@app.command(
    help=tr(
        "See the report while writing: serve its page on 127.0.0.1 (the PDF at /pdf), "
        "rebuilt and reloaded on every saved change to its texts, data, templates or "
        "report.toml. An error shows on the page; the last good rendering stays. Ctrl-C "
        "stops."
    )
)
def preview(
    ctx: typer.Context,
    report_id: Annotated[
        str | None,
        typer.Argument(
            help=tr("The report. Default: the project's only report."),
            metavar="REPORT",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, metavar="N", help=tr("The port; 0 picks a free one.")
        ),
    ] = 8000,
) -> None:
    import threading
    from http.server import ThreadingHTTPServer

    from rmr_gen.workflows import preview as previewing
    from rmr_gen.workflows.previewserver import make_server

    def start(
        project: object,
    ) -> tuple[previewing.Previewer, tuple[ThreadingHTTPServer, threading.Event]]:
        from rmr_gen.core.project import Project

        assert isinstance(project, Project)
        chosen = previewing.choose_report(project, report_id)
        viewer = previewing.Previewer(project, chosen)
        stop = threading.Event()
        try:
            server = make_server(viewer, port, stop)
        except OSError as exc:
            raise InputError(
                [
                    Problem(
                        Location("--port"),
                        M(
                            "preview.cannot-listen",
                            "cannot listen on 127.0.0.1:{port}: {reason}",
                            port=port,
                            reason=exc.strerror,
                        ),
                    )
                ]
            ) from None
        return viewer, (server, stop)

    viewer, (server, stop) = run_in_project(ctx, start)

    def show(problems: list[Problem]) -> None:
        for problem in dict.fromkeys(problems):
            typer.echo(str(problem), err=True)
        if problems:
            state = ntr(
                "rebuilt, {count} error; the page keeps the last good rendering",
                "rebuilt, {count} errors; the page keeps the last good rendering",
                len(problems),
            ).format(count=len(problems))
        else:
            state = tr("rebuilt")
        typer.echo(f"preview: {state}", err=True)

    watcher = threading.Thread(
        target=previewing.watch_and_rebuild, args=(viewer, stop, show), daemon=True
    )
    try:
        show(viewer.rebuild())
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        typer.echo(
            "preview: "
            + tr("{report} at {url} (PDF: {url}pdf); Ctrl-C stops").format(
                report=viewer.report_id, url=url
            ),
            err=True,
        )
        watcher.start()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=5)
    typer.echo("preview: " + tr("stopped"), err=True)
