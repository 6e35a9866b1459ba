"""The web page's own check: decided on the parsed page, as a browser would read it.

A web page may load nothing but ``data:`` URLs and its own fonts, and run
nothing. The page is parsed (the standard library's HTML parser; attribute
values come out with their entities decoded) and every stylesheet, ``<style>``
and ``style=""`` alike, is tokenised with tinycss2 (CSS escapes decoded, so
``u\\72 l(`` is ``url(`` and ``@\\69mport`` is ``@import``). Refused: a tag that
loads or runs something (``<script>``, ``<iframe>``, ``<link>``, ``<base>``, a
``<meta http-equiv>`` other than a Content-Security-Policy …), ``srcset``, an
attribute that loads anything but a ``data:`` URL, an ``on…`` event handler, a
``javascript:`` URL in any attribute, and in CSS ``@import`` and any URL
(``url()``, ``src()``, ``image-set()``…) other than ``data:`` and the page's
fonts. Text is text: a title or keyword that says ``src=`` is not a resource.

Every page also gets a Content-Security-Policy (:data:`POLICY`), so that
whatever this check misses, a browser still loads and runs nothing.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from rmr_gen.core.errors import InputError, Location, Problem
from rmr_gen.core.i18n import M

#: No script, no connection, no frame; fonts, images and styles from the page's own
#: folder or data: URLs only (styles inline too: the page's own <style> and style="").
POLICY = (
    "default-src 'none'; font-src 'self' data:; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)
POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
POLICY_NAME = "content-security-policy"

FONTS = "fonts"
_FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "base",
     "portal", "fencedframe", "noembed", "param", "track", "source", "audio", "video",
     "animate", "set", "animatemotion", "animatetransform", "handler", "listener"}
)  # fmt: skip
#: Attributes a browser loads (or submits to): only a data: URL may stand there.
_LOADING = frozenset(
    {"src", "poster", "data", "background", "lowsrc", "dynsrc", "longdesc", "codebase",
     "classid", "archive", "manifest", "icon", "action", "formaction", "ping", "profile",
     "imagesrcset", "srcdoc"}
)  # fmt: skip
_LINKING = frozenset({"a", "area"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: What a browser ignores in a URL's scheme: ASCII whitespace and control characters.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
#: CSS functions whose strings are URLs.
_URL_FUNCTIONS = frozenset(
    {"url", "src", "image-set", "-webkit-image-set", "image", "cross-fade", "element"}
)


def refuse_outside_resources(page: str, where: str) -> None:
    """Refuse ``page`` (naming ``where``, its template) if it would load or run anything."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    if checker.problems:
        problems: dict[str, M] = {}  # each once, in the order found
        for problem in checker.problems:
            problems.setdefault(problem.english, problem)
        raise InputError([Problem(Location(where), p) for p in problems.values()])


def with_policy(page: str) -> str:
    """``page`` with :data:`POLICY_META` first in its ``<head>`` (or first of all)."""
    found = re.search(r"<head\b[^>]*>", page, re.IGNORECASE)
    at = found.end() if found else 0
    return page[:at] + POLICY_META + page[at:]


def _url_problem(url: str) -> M:
    return M(
        "web.loads-url",
        "the web page would load '{url}'; only data: URLs are allowed",
        url=url[:120],
    )


def _scheme(value: str) -> str:
    found = _SCHEME.match(_IGNORED.sub("", value))
    return found.group(1).lower() if found else ""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[M] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:  # raw text; in an <svg> a browser decodes entities: check both
            self.problems.extend(css_problems(data, declarations=False))
            if "&" in data:
                self.problems.extend(css_problems(html.unescape(data), declarations=False))

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(M("web.tag", "a web page may not contain <{tag}>", tag=tag))
        equiv = values.get("http-equiv")
        if tag == "meta" and equiv is not None and equiv.strip().lower() != POLICY_NAME:
            self.problems.append(
                M("web.meta-http-equiv", "a web page may not contain <meta http-equiv>")
            )
        for name, value in values.items():
            self._attribute(tag, name, value)

    def _attribute(self, tag: str, name: str, value: str) -> None:
        scheme = _scheme(value)
        if name.startswith("on"):
            self.problems.append(
                M(
                    "web.script-attribute",
                    "a web page may not run scripts: <{tag} {name}>",
                    tag=tag,
                    name=name,
                )
            )
        elif scheme in ("javascript", "vbscript"):
            self.problems.append(
                M(
                    "web.script-url",
                    "a web page may not run scripts: <{tag} {name}={scheme}:…>",
                    tag=tag,
                    name=name,
                    scheme=scheme,
                )
            )
        elif name in ("srcset", "imagesrcset"):
            self.problems.append(M("web.srcset", "a web page may not contain srcset"))
        elif name == "attributename" and value.strip().lower().startswith(("on", "href")):
            self.problems.append(
                M("web.animate", "a web page may not animate '{name}'", name=value.strip()[:40])
            )
        elif name == "style":
            self.problems.extend(css_problems(value, declarations=True))
        elif name in _LOADING and scheme != "data":
            self.problems.append(_url_problem(value.strip()))
        elif name in ("href", "xlink:href"):
            link = value.strip()
            if tag in _LINKING:
                if scheme and scheme not in _LINK_SCHEMES:
                    self.problems.append(
                        M("web.link", "a web page may not link to '{url}'", url=link[:120])
                    )
            elif not link.startswith("#") and scheme != "data":
                self.problems.append(_url_problem(link))


def css_problems(css: str, declarations: bool) -> list[M]:
    """What a stylesheet (or a ``style=""``'s declarations) would load: every URL other
    than a data: URL or the page's own font, and any ``@import``."""
    import tinycss2

    del declarations  # the same tokens either way: a rule's prelude and block are walked
    tokens = tinycss2.parse_component_value_list(css)
    problems: list[M] = []
    _walk(tokens, problems, in_url_function=False)
    return problems


def _walk(tokens: list[Any], problems: list[M], in_url_function: bool) -> None:
    for token in tokens:
        kind = token.type
        if kind == "url" or (kind == "string" and in_url_function):
            if not _allowed_in_css(token.value):
                problems.append(_url_problem(token.value.strip()))
        elif kind == "at-keyword" and token.lower_value == "import":
            problems.append(_url_problem("@import"))
        elif kind == "function":
            inner = in_url_function or token.lower_name in _URL_FUNCTIONS
            if token.lower_name in ("url", "src"):
                _function_url(token, problems)
            _walk(token.arguments, problems, inner)
        elif kind in ("() block", "[] block", "{} block"):
            _walk(token.content, problems, in_url_function)


def _function_url(token: Any, problems: list[M]) -> None:
    """``url(…)`` spelled as a function (escaped name, or a quoted URL): its words."""
    words = "".join(
        t.value if t.type == "string" else t.serialize()
        for t in token.arguments
        if t.type not in ("whitespace", "comment")
    )
    if not _allowed_in_css(words):
        problems.append(_url_problem(words.strip()))


def _allowed_in_css(url: str) -> bool:
    url = url.strip()
    return (
        _scheme(url) == "data" or re.fullmatch(rf"{FONTS}/[A-Za-z0-9_-]+\.woff2", url) is not None
    )
