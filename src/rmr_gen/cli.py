"""The ``rmr-gen`` command line: parse, call the build layer, map errors to exit codes.

Exit codes: 0 success; 1 an unexpected failure (a bug); 2 the user's input is
wrong, with every problem printed to stderr as ``path:line:column: error: message``.
Heavy libraries are imported only inside commands, so ``--help`` stays instant.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from rmr_gen import __version__
from rmr_gen.core.errors import InputError, Location, Problem, Problems

if TYPE_CHECKING:
    from rmr_gen.core.project import Project
    from rmr_gen.workflows.drafts import Summary

app = typer.Typer(
    help="Build versioned, accessible PDFs of process goals and regional guidelines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _argument_types_hidden() -> None:
    """Typer prints each argument's Python type in --help (``REPORT <list[str]>``); an
    editor needs the name and the words only. Options show a metavar (``--jobs N``)."""
    from typer import core

    if hasattr(core.TyperArgument, "display_type_rich"):
        core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


_argument_types_hidden()
T = TypeVar("T")
ReportIds = Annotated[
    list[str] | None,
    typer.Argument(
        help="Report ids (folders in reports/). Default: every report.",
        show_default=False,
        metavar="REPORT",
    ),
]
ReportId = Annotated[
    str, typer.Argument(help="The report (its folder in reports/).", metavar="REPORT")
]


class Kind(StrEnum):
    processmal = "processmal"
    rmr = "rmr"


class SummaryFormat(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rmr-gen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    project: Annotated[
        Path,
        typer.Option(
            "--project",
            help="The project folder (with reports/, and optionally templates/ and data/).",
            metavar="DIR",
        ),
    ] = Path("."),
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print rmr-gen's own version."
        ),
    ] = False,
) -> None:
    ctx.obj = project


def _run(ctx: typer.Context, action: Callable[..., T]) -> T:
    """Open the project and run ``action``; turn errors into messages and exit codes."""
    from rmr_gen.core.project import Project

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
    except (MemoryError, RecursionError) as exc:
        what = "ran out of memory" if isinstance(exc, MemoryError) else "nested too deeply"
        typer.echo(
            f"rmr-gen: error: an input {what}: it is too large or too deeply nested;"
            " nothing written",
            err=True,
        )
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("rmr-gen: interrupted; nothing half-written was left behind", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        # The deepest frame of rmr-gen's own code says where to look; a library's does not.
        own = [f for f in frames if f"{os.sep}rmr_gen{os.sep}" in f.filename]
        frame = (own or frames)[-1]
        typer.echo(
            f"rmr-gen: internal error (this is a bug in rmr-gen {__version__}, please report it): "
            f"{type(exc).__name__}: {exc} at {frame.filename}:{frame.lineno}",
            err=True,
        )
        raise typer.Exit(1) from None


def _shard(value: str | None) -> tuple[int, int] | None:
    """``K/N`` → (K, N), with 1 ≤ K ≤ N."""
    if value is None:
        return None
    k, slash, n = value.partition("/")
    if not (slash and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise typer.BadParameter(
            f"'{value}' is not K/N with 1 ≤ K ≤ N, e.g. 1/4", param_hint="'--shard'"
        )
    return int(k), int(n)


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
    web: Annotated[
        bool,
        typer.Option(
            "--web",
            help="Also write each report's web page: output/<id>/web/index.html, "
            "and output/index.html listing every report.",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Parallel processes. Default: number of CPUs."
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Build only the K-th of N equal shares of the PDFs (for a CI matrix).",
        ),
    ] = None,
) -> None:
    """Build PDFs into output/<id>/; unchanged ones are skipped. A report that fails
    does not stop the others; the exit code is then 2."""
    share = _shard(shard)
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
        summary = _run(ctx, run)
    _show_notes(found)
    reporter.summary(summary)
    if summary.count("failed"):
        raise typer.Exit(2)


@app.command()
def check(
    ctx: typer.Context,
    report_ids: ReportIds = None,
    sources: Annotated[
        bool,
        typer.Option(
            "--sources",
            help="Also print which file each template and reference data file is read from:"
            " the project's own or rmr-gen's default.",
        ),
    ] = False,
) -> None:
    """Validate reports, texts, data and templates; write nothing."""
    from rmr_gen.workflows import build as builder

    found = Problems()
    prepared = _run(ctx, lambda project: builder.check(project, report_ids, found))
    _show_notes(found)
    for item in prepared:
        typer.echo(f"ok  {item.report.id}")
    if sources:
        for line in _run(ctx, _source_lines):
            typer.echo(line)


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


@app.command("list")
def list_reports(ctx: typer.Context) -> None:
    """List reports: kind, version, draft status, title, releases."""
    from rmr_gen.workflows.status import report_statuses

    for row in _run(ctx, report_statuses):
        typer.echo(
            f"{row.report_id}\t{row.kind}\t{row.version}\t{row.status}\t{row.title}\t{row.releases}"
        )


@app.command()
def indicators(
    ctx: typer.Context,
    output_format: Annotated[
        SummaryFormat, typer.Option("--format", help="Text (a line each) or JSON.")
    ] = SummaryFormat.text,
) -> None:
    """List the indicators a project can use: id, label, unit, better, aliases, and
    whether the project's data/indicators.toml or rmr-gen defines it."""
    import json

    from rmr_gen.workflows.catalogue import indicator_entries

    entries = _run(ctx, indicator_entries)
    if output_format is SummaryFormat.json:
        typer.echo(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
        return
    typer.echo("id\tlabel\tunit\tbetter\tdefined by\taliases")
    for e in entries:
        typer.echo(
            f"{e.id}\t{e.label}\t{e.unit}\t{e.better}\t{e.defined_by}\t{'; '.join(e.aliases)}"
        )


Version = Annotated[
    str, typer.Argument(help="A released version, e.g. 1.0.", show_default=False, metavar="X.Y")
]


@app.command()
def release(
    ctx: typer.Context,
    report_id: ReportId,
    version: Annotated[
        str,
        typer.Option(
            "--document-version",
            "--version",
            metavar="X.Y",
            help="The document's version to release (major.minor, e.g. 1.1; the same as"
            " `version` in its report.toml). Not rmr-gen's own version.",
        ),
    ],
) -> None:
    """Release a report: output/<id>/<X.Y>/<id>-<X.Y>.pdf, a snapshot and manifest.json."""
    from rmr_gen.workflows.release import release as make_release

    done = _run(ctx, lambda project: make_release(project, report_id, version))
    for note in done.notes:
        typer.echo(note, err=True)
    where = done.pdf.relative_to(ctx.obj.resolve()) if done.pdf.is_absolute() else done.pdf
    if done.documents > 1:
        typer.echo(
            f"released {done.report_id} {done.version}  {done.documents} PDFs, {done.pages} pages"
            f"  {where.parent}"
        )
    else:
        typer.echo(f"released {done.report_id} {done.version}  {done.pages} pages  {where}")


@app.command()
def verify(
    ctx: typer.Context,
    report_id: ReportId,
    version: Version,
) -> None:
    """Prove a release is intact: manifest hashes match, the snapshot rebuilds the same bytes."""
    from rmr_gen.workflows.release import verify as check_release

    done = _run(ctx, lambda project: check_release(project, report_id, version))
    for note in done.notes:
        typer.echo(note, err=True)
    typer.echo(
        f"verified {done.report_id} {done.version}: {done.files} files intact, "
        + (f"{done.documents} PDFs" if done.documents > 1 else "PDF")
        + " rebuilt from the snapshot byte for byte"
    )


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="The new project's folder.", metavar="DIR", show_default=False)
    ],
) -> None:
    """Start a project in DIR: reports/ with one example report that builds, data/ for
    its numbers. Templates and reference data are rmr-gen's own until DIR has its own."""
    from rmr_gen.workflows.scaffold import init_project

    try:
        written = init_project(folder)
    except InputError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        typer.echo("rmr-gen: 1 error; nothing written", err=True)
        raise typer.Exit(2) from None
    for path in written:
        typer.echo(f"created  {path}")
    typer.echo(f"next: rmr-gen --project {folder} build")


@app.command()
def new(
    ctx: typer.Context,
    new_id: Annotated[
        str, typer.Argument(help="The new report's id.", show_default=False, metavar="ID")
    ],
    from_id: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="REPORT",
            help="Next year's plan: carry over the latest release of REPORT.",
        ),
    ] = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="A new report from scratch, of this kind.")
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            metavar="ORG",
            help="With --kind: the publisher (an id in data/organisations.toml).",
        ),
    ] = None,
    regions: Annotated[
        str | None,
        typer.Option(
            "--regions",
            metavar="R1,R2",
            help="With --kind processmal: the regions its tables show, comma-separated.",
        ),
    ] = None,
) -> None:
    """Start a report in reports/ID/: from scratch (--kind) or as next year's plan
    from the latest release of another (--from)."""
    if (from_id is None) == (kind is None):
        typer.echo("new: error: give either --kind processmal|rmr or --from REPORT", err=True)
        raise typer.Exit(2)
    if kind is not None:
        from rmr_gen.workflows.scaffold import start_report

        chosen = regions.split(",") if regions else []
        started = _run(
            ctx, lambda project: start_report(project, new_id, kind.value, organisation, chosen)
        )
        typer.echo(f"created  reports/{started.report_id}/ ({', '.join(started.files)})")
        for shown in started.data:
            typer.echo(f"created  {shown} (made-up numbers: replace them with the export)")
        typer.echo("next: replace each [FYLL I: …] (rmr-gen check names them), then rmr-gen build")
        return
    if organisation or regions:
        typer.echo("new: error: --organisation and --regions go with --kind", err=True)
        raise typer.Exit(2)
    from rmr_gen.workflows.nextplan import new_report

    assert from_id is not None
    done = _run(ctx, lambda project: new_report(project, new_id, from_id))
    typer.echo(f"created  reports/{done.report_id}/ from {done.source}  (version 1.0)")
    if done.period:
        typer.echo(
            f"period {done.period}; the change is computed against {done.previous_period} "
            f"from the release {done.source}"
        )
        if done.new_target_year is not None:
            typer.echo(
                f"target_year {done.target_year} → {done.new_target_year}: check that the"
                " targets in report.toml are the ones for that year"
            )
        typer.echo(f"next: add the {done.period} rows to the data files in data/, ", nl=False)
    else:
        typer.echo("next: ", nl=False)
    typer.echo("update title, date and targets in report.toml, edit the texts, rmr-gen check")


@app.command()
def diff(
    ctx: typer.Context,
    report_id: ReportId,
    old: Annotated[
        str | None,
        typer.Argument(
            help="The released version to compare from (or REPORT@X.Y, another report's);"
            " default: the release the report was made from with new --from.",
            metavar="OLD",
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(help="A released version; default: the working draft.", metavar="NEW"),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            metavar="REPORT@X.Y",
            help="Compare with a release of another report (e.g. last year's plan);"
            " then the one version given is the new side.",
        ),
    ] = None,
    output_format: Annotated[
        SummaryFormat, typer.Option("--format", help="The summary on stdout.")
    ] = SummaryFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit with 1 when there are differences.")
    ] = False,
) -> None:
    """Redline two versions: output/<id>/diff-<OLD>-<NEW>.pdf and .html, a summary on stdout."""
    import json

    from rmr_gen.workflows import diff as differ

    if against is not None:
        if new is not None:
            typer.echo(
                "diff: error: with --against, give at most one version of"
                f" {report_id} (the new side; default: the draft)",
                err=True,
            )
            raise typer.Exit(2)
        if "@" not in against:
            typer.echo(
                f"--against: error: '{against}' is not REPORT@X.Y, e.g. plan-2024@1.0", err=True
            )
            raise typer.Exit(2)
        old, new = against, old
    results = _run(ctx, lambda project: differ.diff_all(project, report_id, old, new))
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
                f"diff {report_id}: {len(results)} documents, {len(changed)} with changes"
                + (f" ({', '.join(changed)})" if changed else "")
            )
        for done in results:
            for line in differ.summary_lines(done.differences):
                typer.echo(line)
            if done.pdf:
                typer.echo(f"wrote {done.pdf.relative_to(root)} and .html")
    if exit_code and any_change:
        raise typer.Exit(1)


@app.command()
def preview(
    ctx: typer.Context,
    report_id: Annotated[
        str | None,
        typer.Argument(
            help="The report. Default: the project's only report.",
            metavar="REPORT",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option("--port", min=0, max=65535, metavar="N", help="The port; 0 picks a free one."),
    ] = 8000,
) -> None:
    """See the report while writing: serve its page on 127.0.0.1 (the PDF at /pdf),
    rebuilt and reloaded on every saved change to its texts, data, templates or
    report.toml. An error shows on the page; the last good rendering stays. Ctrl-C stops."""
    import threading
    from http.server import ThreadingHTTPServer

    from rmr_gen.workflows import preview as previewing

    def start(
        project: object,
    ) -> tuple[previewing.Previewer, tuple[ThreadingHTTPServer, threading.Event]]:
        from rmr_gen.core.project import Project

        assert isinstance(project, Project)
        chosen = previewing.choose_report(project, report_id)
        viewer = previewing.Previewer(project, chosen)
        stop = threading.Event()
        try:
            server = previewing.make_server(viewer, port, stop)
        except OSError as exc:
            raise InputError(
                [Problem(Location("--port"), f"cannot listen on 127.0.0.1:{port}: {exc.strerror}")]
            ) from None
        return viewer, (server, stop)

    viewer, (server, stop) = _run(ctx, start)

    def show(problems: list[Problem]) -> None:
        for problem in dict.fromkeys(problems):
            typer.echo(str(problem), err=True)
        state = f"{len(problems)} error(s); the page keeps the last good rendering"
        typer.echo(f"preview: rebuilt{'' if not problems else ', ' + state}", err=True)

    watcher = threading.Thread(
        target=previewing.watch_and_rebuild, args=(viewer, stop, show), daemon=True
    )
    try:
        show(viewer.rebuild())
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        typer.echo(f"preview: {viewer.report_id} at {url} (PDF: {url}pdf); Ctrl-C stops", err=True)
        watcher.start()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=5)
    typer.echo("preview: stopped", err=True)


def main() -> None:
    """Entry point of the ``rmr-gen`` script."""
    try:
        app()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: object) -> NoReturn:
    """Exit with ``code`` without tearing the interpreter down: freeing every object
    WeasyPrint, fontTools and the imported modules hold costs about as much as the
    rest of rmr-gen's own work on one report (benchmarks/phases.py). Exit handlers
    still run and output is flushed; every file rmr-gen writes is closed (and
    renamed) before this."""
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush to
            stream.flush()
    os._exit(code)
