"""The web edition: pages for every report and value, self-contained, skipped
when unchanged, saying which version they show; the PDFs stay as they were."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.conftest import own_template
from tests.webproject import make_project

PAGES = (
    "mal-webb/web/index.html",
    "rmr-webb/web/index.html",
    "per-region/web/index.html",
    "per-region/web/per-region-norrbotten.html",
    "per-region/web/per-region-vasterbotten.html",
    "index.html",
)


@pytest.fixture
def web_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project built once with --web, for the tests that only read it."""
    from typer.testing import CliRunner

    from rmr_gen.cli import app

    project = make_project(tmp_path_factory.mktemp("web") / "project")
    result = CliRunner().invoke(app, ["--project", str(project), "build", "--web"])
    assert result.exit_code == 0, result.output
    return project


def digests(folder: Path, pattern: str) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob(pattern))
    }


def test_every_report_and_value_gets_a_page_and_the_index_lists_them(built: Path) -> None:
    out = built / "output"
    for page in PAGES:
        assert (out / page).is_file(), page
    index = (out / "index.html").read_text()
    for title, href in (
        ("Processmål för webbtest 2025–2028", "mal-webb/web/index.html"),
        ("Riktlinje för webbtest", "rmr-webb/web/index.html"),
        ("Processmål – per region", "per-region/web/index.html"),
    ):
        assert f'<a href="{href}">{title}</a>' in index
    assert "<td>1.1</td>" in index  # the version of mal-webb
    values = (out / "per-region/web/index.html").read_text()
    assert "<h1>Processmål – per region</h1>" in values
    assert '<th scope="col">Region</th>' in values
    assert '<a href="per-region-norrbotten.html">Norrbotten</a>' in values
    assert '<a href="per-region-vasterbotten.html">Västerbotten</a>' in values
    fonts = sorted(p.name for p in (out / "mal-webb/web/fonts").iterdir())
    assert "Carlito-Regular.woff2" in fonts and "OFL.txt" in fonts
    assert (out / "mal-webb/web/fonts/Carlito-Regular.woff2").read_bytes()[:4] == b"wOF2"


def test_a_page_loads_nothing_from_elsewhere(built: Path) -> None:
    for page in PAGES:
        html = (built / "output" / page).read_text()
        assert "<script" not in html and "<link" not in html and "file:" not in html
        for url in re.findall(r'\ssrc="([^"]*)"', html):
            assert url.startswith("data:"), (page, url[:60])
        for url in re.findall(r'url\("([^"]*)"\)', html):
            assert url.startswith(("data:font/woff2;base64,", "fonts/")), (page, url[:60])
            if url.startswith("fonts/"):
                assert (built / "output" / page).parent.joinpath(url).is_file()
    page = (built / "output/mal-webb/web/index.html").read_text()
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="Karta över', page)


def test_page_layout_for_screens(built: Path) -> None:
    page = (built / "output/mal-webb/web/index.html").read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # furniture: header, then main with the title first, then the footer
    body = page[page.index("<body") :]
    assert body.index("<header") < body.index("<main") < body.index("<h1") < body.index("<footer")
    assert "Utskriven version" not in page and "page-number" not in page
    # the table scrolls in its own focusable, named box
    assert re.search(
        r'<div class="table-scroll" role="region" tabindex="0" aria-label="Tabell 1[^"]*">\s*<table class="indicator-summary" id="tabell-1"',
        page,
    )
    # the chart links to the table with its numbers, instead of a long alt text
    figure = page[page.index('<figure class="dotplot"') : page.index("</figure>")]
    assert '<a href="#tabell-1">Siffrorna i tabellform</a>' in figure
    assert "<img" not in figure
    rmr = (built / "output/rmr-webb/web/index.html").read_text()
    assert "OBS!" not in rmr and "Dokument-ID" in rmr


def test_the_chart_shows_the_numbers_it_draws(built: Path) -> None:
    page = (built / "output/mal-webb/web/index.html").read_text()
    panels = re.findall(r'<p class="panel-title">([^<]*)</p>', page)
    assert panels == [
        "1. Brytpunktssamtal (mål\u00a090\u00a0%)",
        "2. Munhälsa (mål\u00a080\u00a0%)",
    ]
    row = re.search(r"<li><span class=\"region\">Norrbotten</span>(.*?)</li>", page, re.S)
    assert row is not None
    # the same words as the PDF chart's alt text: the value and Tabell 1's change
    assert '<span class="values">81\u00a0%, +2 procentenheter</span>' in row.group(1)
    # the PDF's scale: both panels span 30 points (70–100 %, 50–80 %), ticks every 10
    assert '<span class="dot previous" style="left: 30.0%">' in row.group(1)
    assert '<span class="dot current" style="left: 36.67%">' in row.group(1)
    assert '<span class="head up" style="left: 36.67%">' in row.group(1)  # +2: its direction
    assert '<span class="target dashed" style="left: 66.67%">' in row.group(1)
    ticks = re.findall(r'<p class="axis" aria-hidden="true">(.*?)</p>', page)
    assert [re.findall(r">([^<]+)</span>", t) for t in ticks] == [
        ["70\u00a0%", "80\u00a0%", "90\u00a0%", "100\u00a0%"],
        ["50\u00a0%", "60\u00a0%", "70\u00a0%", "80\u00a0%"],
    ]
    # an equal change is equally long in both panels: ±2 in either, 5 in Munhälsa
    widths = re.findall(r'<span class="line" style="left: [\d.]+%; width: ([\d.]+)%">', page)
    assert widths == ["6.67", "0.0", "6.67", "16.67", "6.67", "6.67"]


def test_unchanged_pages_are_skipped_and_pdfs_are_the_same_bytes(web_project: Path, run) -> None:
    assert run(web_project, "build").exit_code == 0
    out = web_project / "output"
    pdfs = digests(out, "*.pdf")
    # with the web edition the PDFs are the same bytes
    assert run(web_project, "build", "--force", "--web").exit_code == 0
    assert {k: v[0] for k, v in digests(out, "*.pdf").items()} == {k: v[0] for k, v in pdfs.items()}
    assert run(web_project, "build").exit_code == 0
    for page in out.rglob("*.html"):
        page.unlink()
    pdfs = digests(out, "*.pdf")
    # the web edition of an up-to-date build: pages written, PDFs untouched
    result = run(web_project, "build", "--web")
    assert result.exit_code == 0, result.output
    assert digests(out, "*.pdf") == pdfs
    pages = digests(out, "*.html")
    assert len(pages) == len(PAGES)
    result = run(web_project, "build", "--web")
    assert "0 built, 4 skipped" in result.output
    assert digests(out, "*.html") == pages
    # a text edit rebuilds that report's PDF and page only
    text = web_project / "reports/rmr-webb/text.md"
    text.write_text(text.read_text() + "\nEtt nytt stycke.\n")
    result = run(web_project, "build", "--web")
    assert "1 built, 3 skipped" in result.output
    after = digests(out, "*.html")
    changed = {k for k in pages if pages[k] != after[k]}
    assert changed == {"rmr-webb/web/index.html"}
    assert "Ett nytt stycke." in (out / "rmr-webb/web/index.html").read_text()


def test_a_draft_says_so_and_a_release_links_its_pdf_and_manifest(web_project: Path, run) -> None:
    out = web_project / "output"
    assert run(web_project, "build", "--web", "rmr-webb").exit_code == 0
    page = (out / "rmr-webb/web/index.html").read_text()
    assert "<strong>Utkast.</strong>" in page and "(utkast)</title>" in page
    result = run(web_project, "release", "rmr-webb", "--version", "1.0")
    assert result.exit_code == 0, result.output
    assert run(web_project, "build", "--web", "rmr-webb").exit_code == 0
    page = (out / "rmr-webb/web/index.html").read_text()
    assert "Utkast" not in page
    assert "visar den fastställda version 1.0" in page
    links = re.findall(r"<a href=\"(\.\./1\.0/[^\"]+)\">", page)
    assert links == ["../1.0/rmr-webb-1.0.pdf", "../1.0/manifest.json"]
    for link in links:
        assert (out / "rmr-webb/web" / link).resolve().is_file()
    # an edit after the release: a draft again, pointing at the released version
    text = web_project / "reports/rmr-webb/text.md"
    text.write_text(text.read_text() + "\nÄndrat efter fastställandet.\n")
    assert run(web_project, "build", "--web", "rmr-webb").exit_code == 0
    page = (out / "rmr-webb/web/index.html").read_text()
    assert "<strong>Utkast.</strong>" in page
    assert "Senast fastställda version är 1.0" in page
    assert '<a href="../1.0/rmr-webb-1.0.pdf">' in page


def test_a_template_that_would_load_from_elsewhere_is_refused(web_project: Path, run) -> None:
    page = own_template(web_project, "web/page.html.j2")
    page.write_text(
        page.read_text().replace(
            "</head>", '<img src="https://tracker.example/x.gif" alt="">\n</head>'
        )
    )
    result = run(web_project, "build", "--web", "rmr-webb")
    assert result.exit_code == 2
    assert (
        "templates/web/page.html.j2: error: the web page would load "
        "'https://tracker.example/x.gif'; only data: URLs are allowed" in result.output
    )
    assert not (web_project / "output/rmr-webb/web/index.html").exists()
    assert not (web_project / "output/rmr-webb/rmr-webb.pdf").exists()


def test_prose_that_looks_like_a_resource_is_only_text(web_project: Path, run) -> None:
    text = web_project / "reports/rmr-webb/text.md"
    text.write_text(
        text.read_text() + '\nSkriv url(https://example.org/a.css) eller <img src="https://x/y">.\n'
    )
    result = run(web_project, "build", "--web", "rmr-webb")
    assert result.exit_code == 0, result.output
    page = (web_project / "output/rmr-webb/web/index.html").read_text()
    assert "Skriv url(https://example.org/a.css) eller &lt;img" in page
    assert "src=&quot;https://x/y&quot;&gt;" in page


@pytest.mark.parametrize(
    "markup",
    [
        '<img srcset="data:image/png;base64,AA 1x, https://x.example/b.png 2x" alt="">',
        '<svg aria-hidden="true"><image href="https://x.example/c.svg"/></svg>',
        '<p style="background: url(&quot;https://x.example/d.png&quot;)">x</p>',
        '<script src="data:text/javascript,alert(1)"></script>',
    ],
)
def test_other_ways_to_load_from_elsewhere_are_refused(web_project: Path, run, markup: str) -> None:
    page = own_template(web_project, "web/edition.html.j2")
    page.write_text(page.read_text() + markup + "\n")
    result = run(web_project, "build", "--web", "rmr-webb")
    assert result.exit_code == 2
    assert "templates/web/page.html.j2: error:" in result.output
    assert not (web_project / "output/rmr-webb/web/index.html").exists()


def test_a_project_can_restyle_its_web_pages(web_project: Path, run) -> None:
    css = own_template(web_project, "web/screen.css")
    css.write_text(css.read_text() + "\n.edition { border-left-color: #123456; }\n")
    assert run(web_project, "build", "--web", "rmr-webb").exit_code == 0
    page = (web_project / "output/rmr-webb/web/index.html").read_text()
    assert ".edition { border-left-color: #123456; }" in page
    # the PDF does not use the screen stylesheet
    assert "#123456" not in (web_project / "output/rmr-webb/rmr-webb.pdf").read_bytes().decode(
        "latin-1"
    )


def test_each_value_has_its_own_page(built: Path) -> None:
    folder = built / "output/per-region/web"
    for region, other in (("Norrbotten", "Västerbotten"), ("Västerbotten", "Norrbotten")):
        page = (folder / f"per-region-{region.lower().replace('ä', 'a')}.html").read_text()
        # the title is kept on one line (no break after the spaced dash)
        assert f'<h1><span class="nobr">Processmål – {region}</span></h1>' in page
        assert "Exempeldata – syntetiska siffror" in page
        assert f'<span class="region">{region}</span>' in page
        assert f'<span class="region">{other}</span>' not in page
        assert '<a href="../../index.html">Alla rapporter</a>' in page


def test_a_value_taken_out_of_the_report_loses_its_page(web_project: Path, run) -> None:
    assert run(web_project, "build", "--web", "per-region").exit_code == 0
    folder = web_project / "output/per-region/web"
    assert (folder / "per-region-vasterbotten.html").is_file()
    toml = web_project / "reports/per-region/report.toml"
    toml.write_text(
        toml.read_text().replace(
            'values = ["Norrbotten", "Västerbotten"]', 'values = ["Norrbotten"]'
        )
    )
    assert run(web_project, "build", "--web", "per-region").exit_code == 0
    assert not (folder / "per-region-vasterbotten.html").exists()
    assert not (folder / ".build-per-region-vasterbotten.json").exists()
    assert (folder / "per-region-norrbotten.html").is_file()
    assert "Västerbotten" not in (folder / "index.html").read_text()


def test_a_redline_body_fits_in_the_same_screen_layout(web_project: Path) -> None:
    from rmr_gen.core.project import Project
    from rmr_gen.output.web import screen_page
    from rmr_gen.output.webfonts import web_fonts
    from rmr_gen.workflows.planning import cache_for

    project = Project.open(web_project)
    fonts = [f for f in web_fonts(project.font_files(), cache_for(project)) if f.style == "normal"]
    body = "<h1>Jämförelse: version 1.0 → utkastet</h1><p>Mål <del>80 %</del> <ins>90 %</ins></p>"
    page = screen_page(project, "Jämförelse", body, fonts)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<main id="innehall" tabindex="-1">\n' + body in page
    assert "ins { text-decoration: underline" in page
    assert 'src: url("data:font/woff2;base64,' in page


def test_an_image_linked_to_outside_the_project_is_refused(
    web_project: Path, tmp_path: Path, run
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG SECRET-MARKER")
    image = web_project / "reports/mal-webb/karta.png"
    image.unlink()
    image.symlink_to(secret)
    result = run(web_project, "build", "--web", "mal-webb")
    assert result.exit_code == 2
    # refused where the report folder's files are read, before any rendering
    assert (
        "reports/mal-webb/karta.png: error: is outside the folder it must be in"
        " (or a link that leads outside)" in result.output
    )
    assert not (web_project / "output/mal-webb/web/index.html").exists()
    for path in (web_project / "output").rglob("*"):
        assert not path.is_file() or b"SECRET-MARKER" not in path.read_bytes()


def test_a_suppressed_value_is_named_and_not_drawn(web_project: Path, run) -> None:
    data = web_project / "data/webb.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ";numerator;denominator"]
    for line in lines[1:]:
        if line.startswith("brytpunktssamtal;Norrbotten;2022–2023;cancer;"):
            out.append("brytpunktssamtal;Norrbotten;2022–2023;cancer;;3;4")  # 75 %, 4 cases
        else:
            out.append(line + ";;")
    data.write_text("\n".join(out) + "\n", encoding="utf-8")
    result = run(web_project, "build", "--web", "mal-webb")
    assert result.exit_code == 0, result.output
    page = (web_project / "output/mal-webb/web/index.html").read_text()
    figure = page[page.index('<figure class="dotplot"') : page.index("</figure>")]
    row = re.search(r'<li><span class="region">Norrbotten</span>(.*?)</li>', figure, re.S)
    assert row is not None
    assert '<span class="values">färre än 5 fall, visas inte</span>' in row.group(1)
    assert "dot " not in row.group(1) and "line" not in row.group(1)  # as in the PDF
    main = re.sub(r"data:[^\"]*", "", page[page.index("<main") : page.index("</main>")])
    assert not re.search(r"\b75\b", main)  # 3 of 4 is printed nowhere


def test_a_web_folder_that_is_a_link_is_refused(web_project: Path, tmp_path: Path, run) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (web_project / "output/rmr-webb").mkdir(parents=True)
    (web_project / "output/rmr-webb/web").symlink_to(elsewhere)
    result = run(web_project, "build", "--web", "rmr-webb")
    assert result.exit_code == 2
    assert "output/rmr-webb/web: error: is a symbolic link; builds refuse links" in result.output
    assert list(elsewhere.iterdir()) == []
