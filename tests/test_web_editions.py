"""Controlled documents on the web: every page says which version it shows. A draft
says "Utkast"; a page whose inputs are exactly a release's links that release's PDF
(its own, one per value of a parameterised report) and manifest; every kind."""

from __future__ import annotations

import re
from pathlib import Path

from tests.webproject import make_project

#: report -> (version released, its pages in output/<report>/web/, the PDF of each page)
RELEASES = {
    "mal-webb": ("1.1", {"index.html": "mal-webb-1.1.pdf"}),
    "rmr-webb": ("1.0", {"index.html": "rmr-webb-1.0.pdf"}),
    "per-region": (
        "1.0",
        {
            "per-region-norrbotten.html": "per-region-norrbotten-1.0.pdf",
            "per-region-vasterbotten.html": "per-region-vasterbotten-1.0.pdf",
        },
    ),
}


def links(page: Path) -> list[str]:
    return re.findall(
        r'<a (?:class="[^"]*" )?href="(\.\./\d[^"]+)">', page.read_text(encoding="utf-8")
    )


def test_drafts_and_releases_of_every_kind_say_which_version_they_show(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "project")
    out = project / "output"
    assert run(project, "build", "--web").exit_code == 0
    for report, (_version, pages) in RELEASES.items():
        for name in pages:
            html = (out / report / "web" / name).read_text(encoding="utf-8")
            assert "<strong>Utkast.</strong>" in html and "(utkast)</title>" in html, name
            assert "fastställda version" not in html and links(out / report / "web" / name) == []
    for report, (version, _) in RELEASES.items():
        result = run(project, "release", report, "--version", version)
        assert result.exit_code == 0, result.output
    assert run(project, "build", "--web").exit_code == 0
    for report, (version, pages) in RELEASES.items():
        for name, pdf in pages.items():
            page = out / report / "web" / name
            html = page.read_text(encoding="utf-8")
            assert "Utkast" not in html and "(utkast)" not in html, name
            assert f"Den här sidan visar den fastställda version {version}" in html, name
            assert links(page) == [f"../{version}/{pdf}", f"../{version}/manifest.json"], name
            for link in links(page):
                assert (page.parent / link).resolve().is_file(), link
    values = (out / "per-region/web/index.html").read_text(encoding="utf-8")
    assert values.count("<td>Fastställd</td>") == 2 and "Utkast" not in values
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Utkast" not in index
    for href in re.findall(r'<a href="([^"]+)">', index):
        assert (out / href).is_file(), href
    assert '<a href="per-region/1.0/manifest.json">1.0 (manifest med en PDF per värde)</a>' in index

    # a value added after the release: every page is a draft again; the new value's
    # page has no PDF in the release, so it links the release's manifest only
    toml = project / "reports/per-region/report.toml"
    toml.write_text(
        toml.read_text().replace(
            'values = ["Norrbotten", "Västerbotten"]',
            'values = ["Norrbotten", "Västerbotten", "Västernorrland"]',
        )
    )
    assert run(project, "build", "--web", "per-region").exit_code == 0
    old = out / "per-region/web/per-region-norrbotten.html"
    assert "<strong>Utkast.</strong>" in old.read_text(encoding="utf-8")
    assert "Senast fastställda version är 1.0" in old.read_text(encoding="utf-8")
    assert links(old) == ["../1.0/per-region-norrbotten-1.0.pdf", "../1.0/manifest.json"]
    new = out / "per-region/web/per-region-vasternorrland.html"
    assert "<strong>Utkast.</strong>" in new.read_text(encoding="utf-8")
    assert links(new) == ["../1.0/manifest.json"]
    values = (out / "per-region/web/index.html").read_text(encoding="utf-8")
    assert values.count("<td>Utkast</td>") == 3
