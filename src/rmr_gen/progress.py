"""What ``rmr-gen build`` shows while it works and when it is done.

On a terminal: a progress bar (rich, which Typer brings). Otherwise, or when
``CI`` is set: one plain line per PDF, for logs. Always a summary at the end;
failures go to stderr as ``path:line:column: error: message``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import typer

from rmr_gen.core.i18n import decimal, tr

if TYPE_CHECKING:
    from rmr_gen.workflows.drafts import Outcome, Summary


def interactive() -> bool:
    return sys.stdout.isatty() and not os.environ.get("CI")


class Reporter:
    def __init__(self, project: Path) -> None:
        self.root = project.resolve()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()

    def start(self, total: int) -> None:
        if not interactive() or total < 2:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        # On a terminal the bar and the lines printed above it share stderr, so that
        # stdout stays free; scripts (not a terminal, or CI) get plain stdout lines.
        self.bar = Progress(
            TextColumn("[bold]" + tr("building")),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            transient=True,
            console=Console(stderr=True),
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def _shown(self, path: Path) -> str:
        from rmr_gen.core.files import shown

        return shown(path, self.root)

    def outcome(self, outcome: Outcome) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=outcome.name)
        if outcome.status == "failed":
            for problem in outcome.problems:
                self._print(str(problem), err=True)
            self._print(tr("failed   {name}").format(name=outcome.name), err=True)
        elif outcome.status == "built":
            self._print(
                tr("built    {name}  {pages} pages  {seconds} s  {pdf}").format(
                    name=outcome.name,
                    pages=outcome.pages,
                    seconds=decimal(outcome.seconds),
                    pdf=self._shown(outcome.pdf),
                )
            )
        elif self.bar is None:
            self._print(
                tr("skipped  {name}  (unchanged; --force rebuilds)").format(name=outcome.name)
            )

    def _print(self, text: str, err: bool = False) -> None:
        if self.bar is not None:
            self.bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            typer.echo(text, err=err)

    def summary(self, summary: Summary) -> None:
        built = [o for o in summary.outcomes if o.status == "built"]
        pages = sum(o.pages for o in built)
        seconds = sum(o.seconds for o in built)
        line = tr("{built} built, {skipped} skipped, {failed} failed").format(
            built=len(built), skipped=summary.count("skipped"), failed=summary.count("failed")
        )
        if built:
            line += tr("; {pages} pages in {seconds} s of rendering").format(
                pages=pages, seconds=decimal(seconds)
            )
        typer.echo(line, err=bool(summary.count("failed")))
