"""Problems in the user's input, reported as ``path:line:column: error: message``.

Every loader collects problems instead of stopping at the first one, so that a
single run shows the editor everything that needs fixing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from rmr_gen.core.i18n import M, severity_word


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a file, and a line and column when they apply.

    In a workbook (``sheet`` set) the line is the row and the column the column
    number, printed the way a spreadsheet names them: ``file.xlsx:Blad1!C7``.
    """

    path: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            if self.line is None:
                return f"{self.path}:{self.sheet}"
            return f"{self.path}:{self.sheet}!{cell_name(self.line, self.column)}"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def column_letters(column: int) -> str:
    """1 → ``A``, 27 → ``AA``: a column as a spreadsheet names it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_name(row: int, column: int | None) -> str:
    """``C7``, or ``7:7`` for a whole row, as a spreadsheet names them."""
    if column is None:
        return f"{row}:{row}"
    return f"{column_letters(column)}{row}"


#: A message longer than this is cut: a 50 MB cell is not echoed whole.
MAX_MESSAGE = 1000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input."""

    location: Location
    message: str | M
    severity: str = "error"  # "error" stops the build; "warning" and "note" are only printed

    def __post_init__(self) -> None:
        if isinstance(self.message, M):
            object.__setattr__(self, "message", self.message.shortened(MAX_MESSAGE // 2))
        elif len(self.message) > MAX_MESSAGE:
            cut = self.message[:MAX_MESSAGE] + f"… ({len(self.message)} characters)"
            object.__setattr__(self, "message", cut)
        if len(self.location.path) > MAX_MESSAGE:
            path = self.location.path[:200] + "…"
            object.__setattr__(self, "location", replace(self.location, path=path))

    @property
    def code(self) -> str:
        """The message's stable code (``--format json``); ``text`` for a message that has none."""
        return self.message.code if isinstance(self.message, M) else "text"

    @property
    def english(self) -> str:
        return self.message.english if isinstance(self.message, M) else self.message

    def as_json(self) -> dict[str, Any]:
        """The problem as ``--format json`` gives it: the same in every language."""
        values = self.message.plain_values() if isinstance(self.message, M) else {}
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "sheet": self.location.sheet,
            "where": str(self.location),
            "message": self.english,
            "values": values,
        }

    def __str__(self) -> str:
        return f"{self.location}: {severity_word(self.severity)}: {self.message}"


class InputError(Exception):
    """The user's input is wrong; carries every problem found (exit code 2)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:  # carried from a child process
        return (InputError, (self.problems,))


def refusal(where: str, message: str | M) -> InputError:
    """One problem at ``where`` (a path, or an option such as ``--version``), to raise."""
    return InputError([Problem(Location(where), message)])


class Problems:
    """A collector that loaders append to; raises once, with everything found."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def error(
        self,
        path: str,
        message: str | M,
        line: int | None = None,
        column: int | None = None,
        sheet: str | None = None,
    ) -> None:
        self._items.append(Problem(Location(path, line, column, sheet), message))

    def note(self, path: str, message: str | M, *where: int | str | None, **named: Any) -> None:
        """Like :meth:`error`, but printed only: it does not stop the build."""
        self.error(path, message, *where, **named)  # type: ignore[arg-type]
        last = self._items[-1]
        self._items[-1] = Problem(last.location, last.message, "note")

    def warning(self, path: str, message: str | M, *where: int | str | None, **named: Any) -> None:
        """Like :meth:`note`, for what is probably a mistake but cannot be wrong output."""
        self.error(path, message, *where, **named)  # type: ignore[arg-type]
        last = self._items[-1]
        self._items[-1] = Problem(last.location, last.message, "warning")

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self._items if p.severity != "error"]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity == "error"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self._items)
