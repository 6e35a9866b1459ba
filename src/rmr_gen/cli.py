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
from rmr_gen.core.i18n import M, ntr, tr
from rmr_gen.typerwords import use_language

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help=tr("Build versioned, accessible PDFs of process goals and regional guidelines."),
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
use_language()
T = TypeVar("T")
ReportIds = Annotated[
    list[str] | None,
    typer.Argument(
        help=tr("Report ids (folders in reports/). Default: every report."),
        show_default=False,
        metavar="REPORT",
    ),
]
ReportId = Annotated[
    str, typer.Argument(help=tr("The report (its folder in reports/)."), metavar="REPORT")
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
            help=tr("The project folder (with reports/, and optionally templates/ and data/)."),
            metavar="DIR",
        ),
    ] = Path("."),
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=tr("Print rmr-gen's own version.")
        ),
    ] = False,
) -> None:
    ctx.obj = project


def stop_with(exc: InputError) -> NoReturn:
    """Print every problem once (a file shared by reports gives them twice) and how many
    errors there were, then exit with 2."""
    problems = list(dict.fromkeys(exc.problems))
    for problem in problems:
        typer.echo(str(problem), err=True)
    errors = sum(1 for p in problems if p.severity == "error")
    summary = ntr("{count} error; nothing written", "{count} errors; nothing written", errors)
    typer.echo("rmr-gen: " + summary.format(count=errors), err=True)
    raise typer.Exit(2) from None


def run_in_project(ctx: typer.Context, action: Callable[..., T]) -> T:
    """Open the project and run ``action``; turn errors into messages and exit codes."""
    from rmr_gen.core.project import Project

    try:
        return action(Project.open(ctx.obj))
    except InputError as exc:
        stop_with(exc)
    except (MemoryError, RecursionError) as exc:
        message = (
            M(
                "input.out-of-memory",
                "an input ran out of memory: it is too large or too deeply nested; nothing written",
            )
            if isinstance(exc, MemoryError)
            else M(
                "input.too-deep",
                "an input nested too deeply: it is too large or too deeply nested; nothing written",
            )
        )
        typer.echo(str(Problem(Location("rmr-gen"), message)), err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("rmr-gen: " + tr("interrupted; nothing half-written was left behind"), err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        # The deepest frame of rmr-gen's own code says where to look; a library's does not.
        own = [f for f in frames if f"{os.sep}rmr_gen{os.sep}" in f.filename]
        frame = (own or frames)[-1]
        typer.echo(
            "rmr-gen: "
            + tr("internal error (this is a bug in rmr-gen {version}, please report it)").format(
                version=__version__
            )
            + f": {type(exc).__name__}: {exc} at {frame.filename}:{frame.lineno}",
            err=True,
        )
        raise typer.Exit(1) from None


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """``K/N`` → (K, N), with 1 ≤ K ≤ N."""
    if value is None:
        return None
    k, slash, n = value.partition("/")
    if not (slash and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise typer.BadParameter(
            tr("'{value}' is not K/N with 1 ≤ K ≤ N, e.g. 1/4").format(value=value),
            param_hint="'--shard'",
        )
    return int(k), int(n)


def refuse(where: str, message: M) -> NoReturn:
    """Print one problem with an option or argument and exit with 2."""
    typer.echo(str(Problem(Location(where), message)), err=True)
    raise typer.Exit(2)


def show_notes(problems: Problems) -> None:
    """Notes do not stop a build, but the editor should still read them."""
    for note in dict.fromkeys(problems.notes):
        typer.echo(str(note), err=True)


Version = Annotated[
    str, typer.Argument(help=tr("A released version, e.g. 1.0."), show_default=False, metavar="X.Y")
]


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


# The commands, in the order --help lists them (each module adds its own to app).
from rmr_gen.commands import building, releasing, reviewing  # noqa: E402, F401
