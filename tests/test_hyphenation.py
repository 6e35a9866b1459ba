"""Line-end hyphenation: Swedish compounds break at their joints, no fragment is short,
and text extraction finds a hyphenated word whole."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from rmr_gen.content.hyphenation import (
    SOFT_HYPHEN,
    break_points,
    compound_parts,
    hyphenate_html,
    soft_hyphenate,
)
from rmr_gen.content.markdown import render_markdown
from tests.test_charts import REPORT, make_project
from tests.test_layout import set_in_toml

# Words of the example reports that automatic (syllable) hyphenation broke badly.
JOINTS = {
    "vårdförloppet": (("vård", "förloppet"), (4,)),
    "sjukvårdsregionen": (("sjuk", "vårds", "regionen"), (4, 9)),
    "personcentrerade": (("person", "centrerade"), (6,)),
    "symtombehandling": (("symtom", "behandling"), (6,)),
    "kvalitetsregistret": (("kvalitets", "registret"), (9,)),
    "tillämpningsdokument": (("tillämpnings", "dokument"), (12,)),
    "Socialstyrelsens": (("Social", "styrelsens"), (6,)),
    "brytpunktssamtal": (("bryt", "punkts", "samtal"), (4, 10)),
    # a joint next to a three-letter part is no break point
    "Vidbehovsordination": (("Vid", "behovs", "ordination"), (9,)),
    "procentenheter": (("procent", "enheter"), (7,)),
}


@pytest.mark.parametrize("word", sorted(JOINTS))
def test_a_compound_breaks_only_at_its_joints(word: str) -> None:
    parts, points = JOINTS[word]
    assert compound_parts(word) == parts
    assert break_points(word) == points


@pytest.mark.parametrize(
    ("word", "points"),
    [
        ("implementeras", (5, 8)),  # not a compound: pyphen's syllables, 4+ letters a side
        ("introduktion", (5, 8)),
        ("förändring", (6,)),
        ("Processmål", ()),  # "process|mål": a three-letter end is too short to stand alone
        ("patienten", (4,)),
        ("dokumenteras", (4, 7)),  # "-eras" is an ending, not a word of the compound
        ("sjukvård", (4,)),
        ("vården", ()),  # too short to break at all
        ("GAP-analys", ()),
    ],
)
def test_other_words_break_at_syllables_never_leaving_a_short_fragment(
    word: str, points: tuple[int, ...]
) -> None:
    assert break_points(word) == points
    assert all(4 <= p <= len(word) - 4 for p in break_points(word))


def test_soft_hyphens_leave_urls_numbers_and_the_last_word_alone() -> None:
    text = "Se https://kunskapsbanken.cancercentrum.se/vardforloppet om vårdförloppet"
    marked = soft_hyphenate(text, keep_last=True)
    assert marked == text
    assert soft_hyphenate("vårdförloppet 2025–2028") == f"vård{SOFT_HYPHEN}förloppet 2025–2028"
    assert soft_hyphenate("info@regionvasterbotten.se") == "info@regionvasterbotten.se"


def test_only_running_text_gets_soft_hyphens(tmp_path: Path) -> None:
    text = (
        "## Vårdförloppet\n\n"
        "Det gäller vårdförloppet i [sjukvårdsregionen](https://example.org) och `kvalitetsregistret`,"
        " GAP-analys, hälso- och **sjukvårdsregionen**\n\n"
        "- sjukvårdsregionen och vårdförloppet\n\n"
        "| Indikator |\n|---|\n| Brytpunktssamtal |\n"
    )
    html, problems = render_markdown(text, tmp_path)
    assert problems == []
    marked = hyphenate_html(html)
    S = SOFT_HYPHEN
    assert "<h2>Vårdförloppet</h2>" in marked  # headings as written
    assert f"Det gäller vård{S}förloppet i " in marked
    assert '">sjukvårdsregionen</a>' in marked  # link text as written
    assert "<code>kvalitetsregistret</code>" in marked
    # no line ends at a hard hyphen; neighbours share a span, so no space stands alone
    # between two spans (WeasyPrint would draw no space there) and the last one's is drawn
    assert '<span class="nobr">GAP-analys, hälso- och </span><strong>' in marked
    assert "<strong>sjukvårdsregionen</strong>" in marked  # the paragraph's last word whole
    assert f'<li>sjuk{S}vårds{S}regionen och <span class="last-word">vårdförloppet</span>' in marked
    assert "<td>Brytpunktssamtal</td>" in marked  # table cells as written

    def unmarked(h: str) -> str:
        return re.sub(r"</?span[^>]*>", "", h.replace(S, ""))

    assert unmarked(marked) == unmarked(html)  # nothing else changes


def _hyphenated_ends(pdf: Path) -> list[tuple[str, str]]:
    ends = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines = (page.extract_text() or "").splitlines()
            for line, following in itertools.pairwise(lines):
                if re.search(r"\w-$", line) and re.match(r"[a-zåäö]", following):
                    ends.append((line.split()[-1][:-1], re.match(r"\w+", following).group(0)))
    return ends


TEXT = (
    "Målet är att det personcentrerade och sammanhållna vårdförloppet implementeras i hela "
    "sjukvårdsregionen, att symtombehandling dokumenteras i kvalitetsregistret och att "
    "brytpunktssamtal erbjuds. "
)


def test_extraction_finds_a_hyphenated_word_whole(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p")
    # The same sentence after one more word each time: its long words end lines somewhere.
    paragraphs = [" ".join(["Så"] * n) + " " + TEXT for n in range(1, 9)]
    (project / "reports" / REPORT / "text.md").write_text(
        "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    assert run(project, "build", REPORT).exit_code == 0
    pdf = project / "output" / REPORT / f"{REPORT}.pdf"

    ends = _hyphenated_ends(pdf)
    assert len(ends) >= 4, ends  # the text does get hyphenated
    for head, tail in ends:  # at a joint or, in a simple word, a syllable; 4+ letters a side
        assert len(head) in break_points(head + tail), (head, tail)

    # poppler removes the hyphen that hyphenation added (U+002D) and joins the lines
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(re.findall(r"\w+", text))
    for head, tail in ends:
        assert head + tail in words, (head, tail)
    assert not re.search(r"\w-\n[a-zåäö]", text)
    assert SOFT_HYPHEN not in text

    # PDFium (pypdfium2) marks the same line ends with U+FFFE and keeps the word in one piece
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    words = set(re.findall(r"\w+", text.replace("\ufffe", "")))
    for head, tail in ends:
        assert head + tail in words, (head, tail)


def test_a_text_hyphenated_once_is_taken_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build whose texts did not change loads no word frequencies: the result is the
    one stored, byte for byte."""
    from rmr_gen.content import hyphenation
    from rmr_gen.core.cache import Cache
    from rmr_gen.core.project import Project
    from rmr_gen.output.assemble import Assembler

    (tmp_path / "reports").mkdir()
    project = Project.open(tmp_path)
    html = "<p>Vårdförloppet i sjukvårdsregionen följs av arbetsterapeuten varje vecka.</p>"
    first = Cache(tmp_path / "output" / ".cache")
    made = Assembler(project, first).hyphenated(html)
    assert SOFT_HYPHEN in made
    first.flush()

    monkeypatch.setattr(hyphenation, "_known", {})
    monkeypatch.setattr(hyphenation, "_hyphenate_html", lambda _: pytest.fail("recomputed"))
    again = Assembler(project, Cache(tmp_path / "output" / ".cache")).hyphenated(html)
    assert again == made
    assert hyphenate_html(html) == made  # what the template's filter then gets


#: Long compounds: most lines of these paragraphs end inside one of them.
COMPOUNDS = (
    "Brytpunktssamtalsdokumentationen och kvalitetsregistreringsrutinerna, "
    "symtomskattningsinstrumentens läkemedelsgenomgångar, sjukvårdsregionsövergripande "
    "vårdförloppsdokumentation med munhälsobedömningarna i smärtskattningsinstrumentet "
    "samt behandlingsbegränsningarna. "
)
PARAGRAPHS = [" ".join(["Så"] * n) + " " + COMPOUNDS * 3 + "Slut." for n in range(1, 9)]


def _runs(pdf: Path) -> tuple[int, list[str]]:
    """The most hyphenated line ends in a row, and the paragraphs' lines as printed."""
    longest = run = 0
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    vocabulary = " ".join(PARAGRAPHS)

    def body(line: str) -> bool:  # not the page's header or footer
        return all(w.strip(",.-") in vocabulary for w in line.split())

    lines = [line for line in text.splitlines() if line.strip() and body(line)]
    lines = lines[next(i for i, x in enumerate(lines) if x.startswith("Så ")) :]
    for line in lines:
        run = run + 1 if re.search(r"\w-$", line) else 0
        longest = max(longest, run)
    return longest, lines


def test_at_most_two_hyphenated_line_ends_in_a_row(tmp_path: Path, run) -> None:
    project = make_project(tmp_path / "p")
    (project / "reports" / REPORT / "text.md").write_text(
        "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8"
    )
    set_in_toml(project, 'contents = ["table', 'contents = ["text.md", "table')
    assert run(project, "build", REPORT, "--html").exit_code == 0
    pdf = project / "output" / REPORT / f"{REPORT}.pdf"

    longest, lines = _runs(pdf)
    assert 1 <= longest <= 2, lines  # it does hyphenate, never three lines in a row
    # the words are all there, whole, in their order (only where lines break moved)
    text = re.sub(r"(\w)-\n", r"\1", "\n".join(lines)).replace("\n", " ")
    assert text.split() == " ".join(PARAGRAPHS).split()

    # --html writes the HTML that became the PDF: laid out again, it breaks its lines
    # where the PDF does (the words kept whole included), not where the first try did
    from rmr_gen.core.project import Project
    from rmr_gen.output.pdf import html_to_pdf

    opened = Project.open(project)
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    again = html_to_pdf(html, opened.templates_dir, opened.readable_roots, "x", variant=None)
    (tmp_path / "again.pdf").write_bytes(again.pdf)
    assert again.html == html  # nothing left to keep whole
    assert _runs(tmp_path / "again.pdf")[1] == lines


def test_a_third_hyphenated_line_end_in_a_row_names_its_word_and_occurrence() -> None:
    from rmr_gen.output.hyphenruns import Line, keep_whole, too_many

    S = SOFT_HYPHEN
    lines = [
        Line(1, f"Här vård{S}", True),  # vård-förloppet, the first time
        Line(1, f"förloppet och sjuk{S}", True),
        Line(1, f"vården och vård{S}", True),  # a third in a row: this one stays whole
        Line(1, "förloppet slut.", False),
        Line(2, f"Nästa stycke vård{S}", True),  # another paragraph: a new count
        Line(2, "förloppet.", False),
    ]
    assert too_many(lines) == [(f"vård{S}förloppet", 1)]
    html = (
        f'<p title="vård{S}förloppet">Här vård{S}förloppet och sjuk{S}vården och '
        f"vård{S}förloppet slut.</p><p>Nästa stycke vård{S}förloppet.</p>"
    )
    assert keep_whole(html, too_many(lines)) == html.replace(
        f"och vård{S}förloppet slut", "och vårdförloppet slut"
    )  # the second occurrence in the text, never the attribute's


def test_a_year_range_in_running_text_never_breaks_at_its_dash() -> None:
    """No line ends in "2022–" (PDF and web page alike); a date is kept whole too."""
    html = hyphenate_html(
        "<p>Resultat för 2022–2023 samt (2021–22), före 2025-06-04, och 1990–1999-talet"
        " i en mening som slutar här.</p>"
    )
    assert '<span class="nobr">2022–2023</span> samt' in html
    assert '<span class="nobr">(2021–22),</span>' in html
    assert '<span class="nobr">2025-06-04,</span>' in html
    assert '<span class="nobr">1990–1999-talet</span>' in html
