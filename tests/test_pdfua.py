"""The PDF/UA fixes on a small document made to break every way a page can break."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from rmr_gen.output.archive import Attachment, DocumentInfo
from rmr_gen.output.pdf import html_to_pdf
from tests.test_accessibility import kids, of_type

WORDS = "Palliativ vård i livets slutskede kräver samverkan mellan vårdgivare. " * 60
ROWS = "".join(f'<tr><th scope="row">Region {n}</th><td>{n}\u00a0%</td></tr>' for n in range(60))
HTML = f"""<!DOCTYPE html><html lang="sv-SE"><head><meta charset="utf-8">
<title>Prov</title><style>
@page {{ size: A6; margin: 20mm 10mm; @top-center {{ content: "Sidhuvud"; }}
        @bottom-center {{ content: "Sida " counter(page); }} }}
</style></head><body><main>
<section><p>{WORDS}</p></section>
<table><caption>Tabell</caption>
<thead><tr><th scope="col">Region</th><th scope="col">Andel</th></tr></thead>
<tbody>{ROWS}</tbody></table>
<p><a href="https://example.org/">En länk</a></p>
</main></body></html>"""


def build(tmp_path: Path) -> pikepdf.Pdf:
    info = DocumentInfo(title="Prov", author="RCC", identifier="prov", version="2.1")
    attachment = Attachment("data.csv", b"a;b\n1;2\n", "text/csv", "Data", "Prov")
    data, pages, _ = html_to_pdf(
        HTML, tmp_path, [tmp_path], "prov.html", document=info, attachments=[attachment]
    )
    assert pages > 3
    return pikepdf.open(io.BytesIO(data))


def test_a_paragraph_and_a_table_over_many_pages_stay_one(tmp_path: Path) -> None:
    with build(tmp_path) as pdf:
        paragraphs = of_type(pdf, "/P")
        assert len(paragraphs) == 2  # the long one and the link's
        spans = [k for k in kids(paragraphs[0]) if isinstance(k, pikepdf.Dictionary)]
        assert len({span.Pg.objgen for span in spans}) >= 2  # one P over two pages
        (table,) = of_type(pdf, "/Table")
        parts = [k.S for k in kids(table) if isinstance(k, pikepdf.Dictionary)]
        assert parts == ["/Caption", "/THead", "/TBody"]
        (body,) = [k for k in kids(table) if k.get("/S") == "/TBody"]
        assert len(kids(body)) == 60
        assert len({row.Pg.objgen for row in kids(body)}) > 1  # it did break


def test_margin_boxes_become_header_and_footer_artifacts(tmp_path: Path) -> None:
    with build(tmp_path) as pdf:
        for page in pdf.pages:
            data = page.Contents.read_bytes()
            assert b"/Artifact <</Type /Pagination /Subtype /Header>> BDC" in data
            assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in data


def test_metadata_and_attachment_of_a_bare_document(tmp_path: Path) -> None:
    with build(tmp_path) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:identifier"] == "prov"
        assert meta["xmpMM:VersionID"] == "2.1"
        # no date of its own: no made-up one, in Info, XMP or the attachment alike
        assert "/CreationDate" not in pdf.docinfo and "/ModDate" not in pdf.docinfo
        assert "xmp:CreateDate" not in meta and "xmp:ModifyDate" not in meta
        assert "xmp:MetadataDate" not in meta
        assert "/ModDate" not in pdf.attachments["data.csv"].obj.EF.F.Params
        assert pdf.attachments["data.csv"].obj.AFRelationship == "/Data"


def test_plain_variant_is_untagged(tmp_path: Path) -> None:
    data = html_to_pdf(HTML, tmp_path, [tmp_path], "prov.html", variant=None).pdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
