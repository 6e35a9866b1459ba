"""Every PDF is PDF/UA-1 and PDF/A-3a in one file: structure, metadata, embedded sources.

These read the built PDFs as assistive technology and archives do: the
structure tree, the marked content of each page, XMP and the embedded files.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from rmr_gen.core.models import HistoryEntry
from rmr_gen.output.archive import build_date
from tests.conftest import NORR, ROOT, copy_project

RMR = "rmr-palliativ-vard-vgr"
REPORTS = [NORR, RMR]


def pdf_path(project: Path, report_id: str) -> Path:
    return project / "output" / report_id / f"{report_id}.pdf"


@pytest.fixture(scope="module", params=REPORTS)
def document(request: pytest.FixtureRequest, built_project: Path) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(pdf_path(built_project, request.param)) as pdf:
        yield pdf


def kids(elem: pikepdf.Object) -> list[pikepdf.Object]:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements reachable from the root, in reading order."""
    out = []
    stack = list(reversed(kids(pdf.Root.StructTreeRoot)))
    while stack:
        elem = stack.pop()
        if isinstance(elem, pikepdf.Dictionary) and "/S" in elem:
            out.append(elem)
            stack.extend(reversed(kids(elem)))
    return out


def of_type(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    return [e for e in elements(pdf) if kind == e.S]


def test_catalog_says_language_tagging_and_title(document: pikepdf.Pdf) -> None:
    assert str(document.Root.Lang) == "sv-SE"
    assert document.Root.MarkInfo.Marked is True
    assert document.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(document.docinfo.Title)


def test_xmp_identifies_pdfa3a_and_pdfua1(document: pikepdf.Pdf) -> None:
    meta = document.open_metadata()
    assert meta["pdfaid:part"] == "3"
    assert meta["pdfaid:conformance"] == "A"
    assert meta["pdfuaid:part"] == "1"
    xmp = document.Root.Metadata.read_bytes().decode()
    # pdfuaid is not predefined in PDF/A: it must be declared in an extension schema
    assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/" in xmp
    assert "/Filter" not in document.Root.Metadata  # PDF/A: XMP stays readable


def test_metadata_in_info_and_xmp_agree(document: pikepdf.Pdf) -> None:
    meta = document.open_metadata()
    info = document.docinfo
    assert meta["dc:title"] == str(info.Title)
    assert meta["dc:creator"] == [str(info.Author)]
    assert meta["dc:description"] == str(info.Subject)
    assert meta["pdf:Keywords"] == str(info.Keywords)
    assert meta["pdf:Producer"] == str(info.Producer)
    assert meta["dc:language"] == {"sv-SE"}
    assert meta["xmpMM:VersionID"] == "1.0"
    assert meta["dc:identifier"] in (NORR, "SSN11800-2140136717-826")
    if "/CreationDate" not in info:  # no date of its own: none in XMP either
        assert "/ModDate" not in info
        assert not {"xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"} & set(meta)
        return
    assert meta["xmp:CreateDate"][:10] == re.sub(
        r"D:(\d{4})(\d\d)(\d\d).*", r"\1-\2-\3", str(info.CreationDate)
    )
    assert meta["xmp:ModifyDate"] == meta["xmp:CreateDate"]
    assert str(info.ModDate) == str(info.CreationDate)


def test_norr_metadata_comes_from_the_report(built_project: Path) -> None:
    with pikepdf.open(pdf_path(built_project, NORR)) as pdf:
        assert str(pdf.docinfo.Author) == "Regionalt cancercentrum norr"
        assert str(pdf.docinfo.CreationDate) == "D:20250604000000Z"  # report.toml's date
        assert "processmål" in str(pdf.docinfo.Keywords)


def test_every_font_is_embedded(document: pikepdf.Pdf) -> None:
    fonts = {}
    for page in document.pages:
        for name, font in page.Resources.get("/Font", {}).items():
            fonts[name] = font
    assert fonts
    for font in fonts.values():
        for part in [font, *font.get("/DescendantFonts", [])]:
            descriptor = part.get("/FontDescriptor")
            if descriptor is not None:
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
        assert "/ToUnicode" in font


@pytest.mark.parametrize("report_id", REPORTS)
def test_one_table_element_per_html_table(built_project: Path, report_id: str) -> None:
    html = (built_project / "output" / report_id / f"{report_id}.html").read_text()
    with pikepdf.open(pdf_path(built_project, report_id)) as pdf:
        tables = of_type(pdf, "/Table")
        assert len(tables) == html.count("<table")
        for table in tables:
            parts = [k.get("/S") for k in kids(table) if isinstance(k, pikepdf.Dictionary)]
            assert parts.count("/THead") <= 1


@pytest.mark.parametrize("report_id", REPORTS)
def test_sections_and_lists_split_by_a_page_break_stay_one(
    built_project: Path, report_id: str
) -> None:
    html = (built_project / "output" / report_id / f"{report_id}.html").read_text()
    with pikepdf.open(pdf_path(built_project, report_id)) as pdf:
        assert len(of_type(pdf, "/Part")) == 1  # <main>
        assert len(of_type(pdf, "/Sect")) == html.count("<section")
        assert len(of_type(pdf, "/L")) == html.count("<ul") + html.count("<ol")
        assert len(of_type(pdf, "/LI")) == html.count("<li")


def test_tabell_1_runs_over_a_page_break_as_one_table(built_project: Path) -> None:
    with pikepdf.open(pdf_path(built_project, NORR)) as pdf:
        (table,) = of_type(pdf, "/Table")
        pages = {e.Pg.objgen for e in elements(pdf) if e.S == "/TD" and _inside(e, table)}
        assert len(pages) == 2  # split over two pages, yet one Table
        bodies = [k for k in kids(table) if k.get("/S") == "/TBody"]
        assert len(bodies) == 6  # one row group per indicator
        # the header row repeated on page 2 is drawn, but as an artifact
        assert _artifact_subtypes(pdf.pages[1]).count(None) > 0


def _inside(elem: pikepdf.Dictionary, ancestor: pikepdf.Dictionary) -> bool:
    while "/P" in elem and "/S" in elem:
        if elem.objgen == ancestor.objgen:
            return True
        elem = elem.P
    return False


def test_header_cells_have_scope_and_data_cells_their_headers(document: pikepdf.Pdf) -> None:
    ths = of_type(document, "/TH")
    assert ths
    ids = {}
    for th in ths:
        assert th.A.Scope in ("/Column", "/Row")
        ids[bytes(th.ID)] = th
    for td in of_type(document, "/TD"):
        headers = [bytes(h) for h in td.A.Headers]
        assert headers and all(h in ids for h in headers)
    # /Headers refer to IDs through the IDTree
    names = document.Root.StructTreeRoot.IDTree.Names
    assert {bytes(names[i]) for i in range(0, len(names), 2)} == set(ids)


def _text(elem: pikepdf.Dictionary, page_texts: dict[int, dict[int, str]]) -> str:
    out = []
    for kid in kids(elem):
        if isinstance(kid, int):
            out.append(page_texts[elem.Pg.objgen].get(kid, ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out.append(_text(kid, page_texts))
    return "".join(out)


def test_tabell_1_group_headers_scope_their_rows(built_project: Path) -> None:
    with pikepdf.open(pdf_path(built_project, NORR)) as pdf:
        ths = of_type(pdf, "/TH")
        group_heads = [th for th in ths if int(th.A.get("/ColSpan", 1)) == 3]
        assert len(group_heads) == 6
        assert all(th.A.Scope == "/Row" for th in group_heads)
        column_heads = [th for th in ths if th.P.P.S == "/THead"]
        assert len(column_heads) == 4
        assert all(th.A.Scope == "/Column" for th in column_heads)
        group_ids = {bytes(th.ID) for th in group_heads}
        column_ids = {bytes(th.ID) for th in column_heads}
        for td in of_type(pdf, "/TD"):
            headers = {bytes(h) for h in td.A.Headers}
            assert len(headers & group_ids) == 1  # the indicator it belongs to
            assert len(headers & column_ids) == 1  # what the column means


def test_chart_is_a_figure_with_the_img_alt(built_project: Path) -> None:
    html = (built_project / "output" / NORR / f"{NORR}.html").read_text()
    alt = re.search(r'<img src="data:image/svg\+xml[^"]*" alt="([^"]*)"', html).group(1)
    with pikepdf.open(pdf_path(built_project, NORR)) as pdf:
        (figure,) = of_type(pdf, "/Figure")
        assert str(figure.Alt) == alt.replace("&amp;", "&")
        assert (
            "Täckningsgrad i palliativregistret: Jämtland/Härjedalen: 51\u00a0%, −9 procentenheter"
            in alt
        )
        x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
        width, height = (float(v) for v in figure.Pg.MediaBox[2:])
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height


def _marks(page: pikepdf.Page) -> list[tuple[str, pikepdf.Object]]:
    return [
        (str(ops[0]), ops[1] if len(ops) > 1 else None)
        for ops, op in pikepdf.parse_content_stream(page)
        if str(op) in ("BDC", "BMC")
    ]


def _artifact_subtypes(page: pikepdf.Page) -> list[str | None]:
    return [
        str(props.Subtype)
        if isinstance(props, pikepdf.Dictionary) and "/Subtype" in props
        else None
        for tag, props in _marks(page)
        if tag == "/Artifact" and isinstance(props, pikepdf.Dictionary) and "/Type" in props
    ]


def test_page_header_and_footer_are_artifacts(document: pikepdf.Pdf) -> None:
    for page in document.pages:
        subtypes = _artifact_subtypes(page)
        assert "/Header" in subtypes and "/Footer" in subtypes


def test_all_tagged_content_is_in_the_tree(document: pikepdf.Pdf) -> None:
    reachable = {e.objgen for e in elements(document)}
    nums = document.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(document.pages):
        for tag, props in _marks(page):
            if tag == "/Artifact":
                continue
            mcid = int(props.MCID)
            assert parents[index][mcid].objgen in reachable
    assert not any("/RmrGenNode" in e for e in elements(document))


def test_link_annotations_are_described(built_project: Path) -> None:
    with pikepdf.open(pdf_path(built_project, RMR)) as pdf:
        links = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
        assert links
        assert all(str(a.Contents) for a in links)


def test_sources_are_embedded_as_associated_files(built_project: Path) -> None:
    with pikepdf.open(pdf_path(built_project, NORR)) as pdf:
        files = pdf.attachments
        assert set(files) == {"report.toml", "palliativ-norr.csv"}
        toml = files["report.toml"]
        assert toml.obj.AFRelationship == "/Source"
        report = ROOT / "reports" / NORR / "report.toml"
        assert toml.get_file().read_bytes() == report.read_bytes()
        csv = files["palliativ-norr.csv"]
        assert csv.obj.AFRelationship == "/Data"
        assert csv.get_file().mime_type == "text/csv"
        rows = csv.get_file().read_bytes().decode().splitlines()
        assert rows[0] == "indicator;region;period;population;value"
        assert "tackningsgrad;Jämtland/Härjedalen;2022–2023;cancer;51" in rows
        assert {f.objgen for f in pdf.Root.AF} == {files[n].obj.objgen for n in files}
    with pikepdf.open(pdf_path(built_project, RMR)) as pdf:
        assert set(pdf.attachments) == {"report.toml"}  # no data behind its tables


def test_only_the_data_rows_used_are_embedded(project: Path, run) -> None:  # type: ignore[no-untyped-def]
    data = project / "data" / "palliativ-norr.csv"
    data.write_text(
        data.read_text(encoding="utf-8") + "munhalsa;Norrbotten;2019–2020;cancer;12\n",
        encoding="utf-8",
    )
    result = run(project, "build", NORR)
    assert result.exit_code == 0, result.output
    with pikepdf.open(pdf_path(project, NORR)) as pdf:
        rows = pdf.attachments["palliativ-norr.csv"].get_file().read_bytes().decode()
    assert "2019–2020" not in rows
    lines = data.read_text(encoding="utf-8").splitlines()
    assert set(rows.splitlines()) <= set(lines)
    assert len(rows.splitlines()) == len(lines) - 1  # all but the unused row


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_inputs_give_the_same_bytes(built_project: Path, tmp_path: Path) -> None:
    """Another folder, another process, another hash seed, a cold cache: same bytes."""
    import os
    import subprocess
    import sys

    other = copy_project(tmp_path / "elsewhere")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-m", "rmr_gen", "--project", str(other), "build", *REPORTS]
    subprocess.run(command, check=True, capture_output=True, env=env)
    for report_id in REPORTS:
        assert sha256(pdf_path(other, report_id)) == sha256(pdf_path(built_project, report_id))


def test_a_report_without_date_takes_source_date_epoch(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run(project, "build", RMR).exit_code == 0
    with pikepdf.open(pdf_path(project, RMR)) as pdf:  # no date at all: not the clock, not 1980
        assert "/CreationDate" not in pdf.docinfo and "/ModDate" not in pdf.docinfo
        assert "xmp:CreateDate" not in pdf.open_metadata()
    first = sha256(pdf_path(project, RMR))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")  # 2025-06-15T15:06:40Z
    assert run(project, "build", RMR).exit_code == 0  # a new date is a new input
    with pikepdf.open(pdf_path(project, RMR)) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20250615150640Z"
        assert pdf.open_metadata()["xmp:CreateDate"] == "2025-06-15T15:06:40Z"
    assert sha256(pdf_path(project, RMR)) != first


def test_a_report_without_date_is_dated_by_its_latest_history_entry(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    toml = project / "reports" / RMR / "report.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[history]]\nversion = "0.9"\ndate = 2024-11-02\ndescription = "Remiss"\n'
        + '\n[[history]]\nversion = "1.0"\ndate = 2025-02-14\ndescription = "Fastställd"\n',
        encoding="utf-8",
    )
    assert run(project, "build", RMR).exit_code == 0
    with pikepdf.open(pdf_path(project, RMR)) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20250214000000Z"
        assert str(pdf.docinfo.ModDate) == "D:20250214000000Z"
        assert pdf.open_metadata()["xmp:CreateDate"] == "2025-02-14T00:00:00Z"


def test_build_date_never_reads_the_clock() -> None:
    import datetime as dt

    assert build_date(dt.date(2025, 6, 4), {"SOURCE_DATE_EPOCH": "0"}).isoformat() == (
        "2025-06-04T00:00:00+00:00"
    )
    epoch = build_date(None, {"SOURCE_DATE_EPOCH": "0"})
    assert epoch is not None and epoch.year == 1970
    assert build_date(None, {}) is None
    assert build_date(None, {"SOURCE_DATE_EPOCH": "yesterday"}) is None


def test_build_date_falls_back_to_the_latest_dated_history_entry() -> None:
    import datetime as dt

    history = (
        HistoryEntry("1.0", dt.date(2023, 3, 1), "Första versionen"),
        HistoryEntry("1.2", None, "Utan datum"),
        HistoryEntry("1.1", dt.date(2024, 9, 30), "Nya målnivåer"),
    )
    assert build_date(None, {"SOURCE_DATE_EPOCH": "0"}, history) == dt.datetime(
        2024, 9, 30, tzinfo=dt.UTC
    )
    assert build_date(dt.date(2025, 6, 4), {}, history) == dt.datetime(2025, 6, 4, tzinfo=dt.UTC)
    assert build_date(None, {}, history[1:2]) is None


def test_only_the_bundled_fonts_are_used(document: pikepdf.Pdf) -> None:
    names = {
        str(font.BaseFont).split("+", 1)[-1]
        for page in document.pages
        for font in page.Resources.get("/Font", {}).values()
    }
    assert names and all(n.startswith(("Carlito", "RmrGen-Bindestreck")) for n in names), names


def test_hyphenation_is_swedish(built_project: Path) -> None:
    import pdfplumber

    from rmr_gen.content.hyphenation import break_points

    splits = []
    for report_id in REPORTS:
        with pdfplumber.open(pdf_path(built_project, report_id)) as pdf:
            for page in pdf.pages:
                lines = (page.extract_text() or "").splitlines()
                for line, following in itertools.pairwise(lines):
                    if re.search(r"\w-$", line) and re.match(r"[a-zåäö]", following):
                        head = re.sub(r"^\W+", "", line.split()[-1][:-1])
                        tail = re.match(r"\w+", following).group(0)
                        splits.append((head, tail))
    assert splits  # long words do get hyphenated
    for head, tail in splits:  # at a compound's joint, else a syllable; 4+ letters a side
        assert len(head) in break_points(head + tail), (head, tail)


MACHADO = {  # colour-vision deficiency simulation, full severity (linear RGB)
    "protanopia": ((0.152, 1.053, -0.205), (0.115, 0.786, 0.099), (-0.004, -0.048, 1.052)),
    "deuteranopia": ((0.367, 0.861, -0.228), (0.280, 0.673, 0.047), (-0.012, 0.043, 0.969)),
    "tritanopia": ((1.256, -0.077, -0.179), (-0.078, 0.931, 0.148), (0.005, 0.691, 0.304)),
}


def _lab(colour: str, matrix: tuple | None) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    if matrix:
        rgb = [
            min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix
        ]
    x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.9505
    y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.089

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


@pytest.mark.parametrize("vision", [None, *MACHADO])
def test_chart_colours_stay_apart_for_colour_blind_readers(vision: str | None) -> None:
    from rmr_gen.content import charts

    matrix = MACHADO[vision] if vision else None

    def delta(a: str, b: str) -> float:
        return (
            sum((p - q) ** 2 for p, q in zip(_lab(a, matrix), _lab(b, matrix), strict=True)) ** 0.5
        )

    assert delta(charts.CURRENT, charts.TARGET) >= 80
    for colour in (charts.CURRENT, charts.TARGET):
        assert delta(colour, "#ffffff") >= 30
        assert delta(colour, charts.LINE) >= 30


def test_pdfa_basics_a_validator_checks(document: pikepdf.Pdf) -> None:
    """The PDF/A-3 rules that can be checked without veraPDF (see docs/reference/pdf.md)."""
    assert document.check_pdf_syntax() == []  # qpdf finds no syntax or xref error
    assert len(document.trailer.ID) == 2 and "/Encrypt" not in document.trailer
    (intent,) = document.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    for name, spec in document.attachments.items():
        obj = spec.obj
        assert {"/F", "/UF", "/Desc", "/AFRelationship"} <= set(obj.keys()), name
        stream = obj.EF.F
        assert "/Subtype" in stream, name
        # the attachment is dated as the document is (or not at all, as the document)
        if "/CreationDate" in document.docinfo:
            assert stream.Params.ModDate == document.docinfo.ModDate, name
        else:
            assert "/ModDate" not in stream.Params, name
    for page in document.pages:
        for annot in page.get("/Annots", []):
            assert int(annot.F) & 4  # printable
            assert "/StructParent" in annot  # tagged (PDF/UA)
        assert page.get("/Tabs") == "/S"
