"""Third round, caches: every kind of entry in output/.cache rewritten by an attacker
gives the same page or a miss, never other markup."""

from __future__ import annotations

from pathlib import Path

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
