"""Third round, caches: every kind of entry in output/.cache rewritten by an attacker
gives the same page or a miss, never other markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.conftest import MARKER

PAYLOAD = f'<details open ontoggle="alert(7736)">{MARKER}</details>'


def pages(project: Path) -> dict[str, str]:
    return {
        str(p.relative_to(project)): p.read_text(encoding="utf-8")
        for p in sorted((project / "output").rglob("*.html"))
    }


def rewrite(entry: Path) -> None:
    """The entry with markup slipped in where it would show, or appended."""
    data = entry.read_bytes()
    payload = PAYLOAD.encode()
    for anchor in (b"<p>", b"<svg", b"\0"):
        if anchor in data:
            entry.write_bytes(data.replace(anchor, payload + anchor, 1))
            return
    entry.write_bytes(data + payload)


def test_every_rewritten_cache_entry_gives_the_same_pages(attack: Path, run) -> None:  # type: ignore[no-untyped-def]
    (attack / "reports/sec/text.md").write_text(
        "Ett stycke text om sjukvårdsregionernas kvalitetsregisteruppföljning.\n",
        encoding="utf-8",
    )
    first = run(attack, "build", "sec", "--html", "--web")
    assert first.exit_code == 0, first.output
    before = pages(attack)
    kinds = {p.parent.parent.name for p in (attack / "output/.cache").rglob("*") if p.is_file()}
    assert {"hyphenated", "webfont", "templates-ok"} <= kinds, kinds
    for entry in (attack / "output/.cache").rglob("*"):
        if entry.is_file():
            rewrite(entry)
    again = run(attack, "build", "sec", "--html", "--web", "--force")
    assert again.exit_code == 0, again.output
    after = pages(attack)
    assert after == before
    assert not any("ontoggle" in page or MARKER in page for page in after.values())


@pytest.mark.parametrize(
    "forge",
    [
        lambda html: PAYLOAD + html,
        lambda html: html.replace("<p>", "<p><img src=x onerror=alert(7736)>"),
        lambda html: html.replace("Sjuk", "<b>Sjuk</b>"),
        lambda html: html.replace("<p>", "<p\u00ad>"),
        lambda html: html.replace("&amp;", "&am\u00adp;"),
        lambda html: html.replace("Sjukvårds", "Annan"),
    ],
)
def test_a_rewritten_hyphenation_entry_is_a_miss(forge, request) -> None:  # type: ignore[no-untyped-def]
    from rmr_gen.content.hyphenation import SOFT_HYPHEN, hyphenate_html, remember

    html = f"<p>Sjukvårdsregionernas {request.node.name} &amp; kvalitetsregister.</p>\n"
    forged = forge(html)
    assert forged != html
    remember(html, forged)
    result = hyphenate_html(html)
    assert result.replace(SOFT_HYPHEN, "") == html  # the same markup, the same words


def test_an_entry_that_only_adds_soft_hyphens_is_taken() -> None:
    from rmr_gen.content.hyphenation import SOFT_HYPHEN, hyphenate_html, remember

    html = "<p>Ett ord som hyfsat ofta avstavas: kvalitetsregisteruppföljningen.</p>\n"
    stored = html.replace("kvalitets", "kvali" + SOFT_HYPHEN + "tets")
    remember(html, stored)
    assert hyphenate_html(html) == stored


def test_every_kind_of_entry_rewritten_never_adds_markup(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """A report with data, a table and a chart: every kind of entry there is, each
    rewritten with markup slipped in, gives the same pages (a miss, computed again)."""
    from tests.webproject import make_project

    project = make_project(tmp_path / "project")
    first = run(project, "build", "mal-webb", "--html", "--web")
    assert first.exit_code == 0, first.output
    before = pages(project)
    kinds = {p.parent.parent.name for p in (project / "output/.cache").rglob("*") if p.is_file()}
    assert {"hyphenated", "webfont", "templates-ok", "chart", "report-data"} <= kinds, kinds
    for entry in (project / "output/.cache").rglob("*"):
        if entry.is_file():
            rewrite(entry)
    again = run(project, "build", "mal-webb", "--html", "--web", "--force")
    assert again.exit_code == 0, again.output
    after = pages(project)
    assert not any("ontoggle" in page or MARKER in page for page in after.values())
    assert after == before


def test_a_well_formed_rewrite_of_any_entry_is_a_miss(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    """Other numbers in parsed data or another drawing, each well-formed: the digest kept
    apart from the entry no longer matches, so the work is done again and the pages are
    the same."""
    from tests.webproject import make_project

    project = make_project(tmp_path / "project")
    assert run(project, "build", "mal-webb", "--html", "--web").exit_code == 0
    before = pages(project)
    cache = project / "output/.cache"
    entries = [p for p in cache.rglob("*") if p.is_file() and ".sums" not in p.parts]
    assert entries and all((cache / ".sums" / p.relative_to(cache)).is_file() for p in entries)
    for entry in entries:
        content = entry.read_bytes()
        # well-formed, plausible, different: a digit changed (a number in the data, a
        # coordinate in the drawing) or, for entries without one, a space added
        changed = content.replace(b"5", b"6", 1) if b"5" in content else content + b" "
        entry.write_bytes(changed)
    again = run(project, "build", "mal-webb", "--html", "--web", "--force")
    assert again.exit_code == 0, again.output
    assert pages(project) == before
