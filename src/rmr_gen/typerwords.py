"""Typer's own words in ``--help`` and its usage errors, in the editor's language.

Typer translates its headings and option notes through ``gettext`` in its own
module, and writes "Usage:", the help option's text and the usage errors in
English; in Swedish they are taken from rmr-gen's catalogue instead.
"""

from __future__ import annotations

import re
from typing import Any

from rmr_gen.core.i18n import N_, language, tr

#: Typer's words as it writes them, marked for rmr-gen's catalogue.
WORDS = (
    N_("Usage: "),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("Show this message and exit."),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("Try '{command} {option}' for help."),
    N_("Error"),
    N_("possible options: {options}"),
)

#: Typer's usage errors, as it words them, and the same in the catalogue's words.
USAGE_ERRORS = (
    (re.compile(r"No such option: (?P<option>\S+)(?: \(Possible options: (?P<options>.*)\))?$"),
     N_("No such option: {option}")),
    (re.compile(r"Missing argument '(?P<argument>[^']*)'\.$"),
     N_("Missing argument '{argument}'.")),
    (re.compile(r"Missing option '(?P<option>[^']*)'\.$"), N_("Missing option '{option}'.")),
    (re.compile(r"Option '(?P<option>[^']*)' requires an argument\.$"),
     N_("Option '{option}' requires an argument.")),
    (re.compile(r"Got unexpected extra arguments? \((?P<arguments>.*)\)$"),
     N_("Got unexpected extra arguments ({arguments})")),
    (re.compile(r"Invalid value for (?P<what>.*?): (?P<detail>.*)$", re.S),
     N_("Invalid value for {what}: {detail}")),
)  # fmt: skip


def usage_error(text: str) -> str:
    """A usage error of Typer's in the current language (as it is when no pattern fits)."""
    for pattern, template in USAGE_ERRORS:
        if found := pattern.match(text):
            worded = tr(template).format(**{k: v for k, v in found.groupdict().items() if v})
            if found.groupdict().get("options"):
                worded += (
                    " (" + tr("possible options: {options}").format(options=found["options"]) + ")"
                )
            return worded
    return text


def use_language() -> None:
    """Swedish headings, usage line and help option when the language is Swedish."""
    if language() == "en":
        return
    from typer import core
    from typer._click import core as click_core
    from typer._click import formatting

    core._ = tr  # type: ignore[attr-defined]
    write_usage = formatting.HelpFormatter.write_usage

    def usage_in_language(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, tr("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage_in_language  # type: ignore[method-assign]
    get_help_option = click_core.Command.get_help_option

    def help_option_in_language(self: Any, ctx: Any) -> Any:
        option = get_help_option(self, ctx)
        if option is not None and option.help:
            option.help = tr(option.help)
        return option

    click_core.Command.get_help_option = help_option_in_language  # type: ignore[method-assign]
    from typer._click import exceptions

    def show_in_language(self: Any, file: Any = None) -> None:
        stream = file if file is not None else exceptions.get_text_stderr()
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = (
                    tr("Try '{command} {option}' for help.").format(
                        command=self.ctx.command_path, option=self.ctx.help_option_names[0]
                    )
                    + "\n"
                )
            exceptions.echo(f"{self.ctx.get_usage()}\n{hint}", file=stream)
        word = tr("Error")
        exceptions.echo(f"{word}: {usage_error(self.format_message())}", file=stream)

    exceptions.UsageError.show = show_in_language  # type: ignore[method-assign]
