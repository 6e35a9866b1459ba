"""Messages in the editor's language: Swedish or English, from gettext catalogues.

Swedish when ``RMR_GEN_LANG=sv``, or when it is unset and the locale is Swedish
(``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``sv``); English otherwise
(``RMR_GEN_LANG=en`` forces it). The catalogue is ``locale/sv/LC_MESSAGES/rmr_gen.po``,
compiled beside it to ``.mo`` (``scripts/messages.py`` extracts, updates and compiles).

A message a script may read (a problem in the input) is an :class:`M`: a stable
``code`` (the catalogue's message context), the English template and its values.
It is worded in the language at the moment it is printed; ``--format json``
gives the code, the English text and the values, never the Swedish one.
"""

from __future__ import annotations

import gettext as _gettext
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "rmr_gen"
LANGUAGES = ("en", "sv")


def language() -> str:
    """``sv`` or ``en``, read from the environment each time (tests change it)."""
    chosen = os.environ.get("RMR_GEN_LANG", "").strip().lower()
    if chosen:
        return "sv" if chosen.startswith("sv") else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def tr(message: str) -> str:
    """``message`` in the current language."""
    return _translations(language()).gettext(message)


def ntr(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    return _translations(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class M:
    """A message with a stable code: ``M("data.value-range", "value {value} is outside
    {range}", value=…, range=…)``. Values may themselves be messages."""

    code: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)

    def __init__(self, code: str, template: str, /, **values: Any) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "values", values)

    def __hash__(self) -> int:  # a problem is a key (printed once): its values are a dict
        return hash((self.code, self.template, repr(sorted(self.values.items()))))

    def __reduce__(self) -> tuple[Any, ...]:  # carried from a child process
        return (_rebuild, (self.code, self.template, self.values))

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the current language when None)."""
        lang = lang or language()
        template = self.template
        if lang != "en":
            template = _translations(lang).pgettext(self.code, self.template)
        values = {k: v.text(lang) if isinstance(v, M) else v for k, v in self.values.items()}
        return template.format(**values) if values else template

    @property
    def english(self) -> str:
        return self.text("en")

    def plain_values(self) -> dict[str, Any]:
        """The values as JSON takes them: a message value as its English text."""
        return {
            k: v.english if isinstance(v, M) else v if _scalar(v) else str(v)
            for k, v in self.values.items()
        }

    def as_json(self) -> dict[str, Any]:
        """What :meth:`from_json` reads back (a cache keeps messages this way)."""
        return {
            "code": self.code,
            "template": self.template,
            "values": {k: v.as_json() if isinstance(v, M) else v for k, v in self.values.items()},
        }

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> M:
        values = {
            k: cls.from_json(v) if isinstance(v, dict) else v for k, v in stored["values"].items()
        }
        return cls(stored["code"], stored["template"], **values)

    def shortened(self, limit: int) -> M:
        """The message with each value of text cut to ``limit`` characters."""
        long = [k for k, v in self.values.items() if isinstance(v, str) and len(v) > limit]
        if not long:
            return self
        values = dict(self.values)
        for k in long:
            values[k] = f"{values[k][:limit]}… ({len(values[k])})"
        return M(self.code, self.template, **values)

    def __str__(self) -> str:
        return self.text()

    def __len__(self) -> int:
        return len(self.english)


def english(message: M | str) -> str:
    """A message's English text, the same whatever the language: to compare it."""
    return message.english if isinstance(message, M) else message


def reason_of(exc: BaseException) -> M | str:
    """What an exception says, coded when it is (``str(exc)`` would be its text in the
    current language), for a message of rmr-gen's to hold or :func:`english` to read."""
    said = exc.args[0] if exc.args else str(exc)
    return said if isinstance(said, M) else str(exc)


def _rebuild(code: str, template: str, values: dict[str, Any]) -> M:
    return M(code, template, **values)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def decimal(value: float, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals and the language's decimal sign (``0,7`` in Swedish)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language() == "sv" else text


#: The severity as printed before a message: machine-readable in both languages.
SEVERITY = {
    "en": {"error": "error", "warning": "warning", "note": "note"},
    "sv": {"error": "fel", "warning": "varning", "note": "notering"},
}


def severity_word(severity: str, lang: str | None = None) -> str:
    return SEVERITY[lang or language()].get(severity, severity)
