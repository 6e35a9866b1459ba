"""Finish WeasyPrint's tagged PDF/A-3a as one file that is also PDF/UA-1 (uses pikepdf).

WeasyPrint 70 (``pdf_variant="pdf/a-3a"``) already gets most of it right, and
that is left alone: H1–H3, P, L/LI/Lbl/LBody, Link with its annotation, TH/TD
with /Headers, Caption, Figure with /Alt from ``<img alt>``, /Lang from
``<html lang>``, /MarkInfo, DisplayDocTitle, embedded fonts with ToUnicode, the
sRGB output intent. What it gets wrong is fixed here, each in its own step (the
first four in the structure tree, by :mod:`rmr_gen.output.structtree`):

- it builds the structure page by page, so an element that runs over a page
  break (a section, a paragraph, a list, a table) becomes one element per page:
  the pieces are merged back into one (``Structure._merge``), and a table's
  header row repeated on the next page becomes an artifact, so a table is one
  Table with one THead;
- page headers and footers (CSS margin boxes) are marked as tagged content but
  left out of the tree: they become /Artifact /Pagination Header/Footer;
- TH have no /Scope and ``scope="rowgroup"`` headers are taken for column
  headers: scopes and /Headers are set from the HTML (``Structure._tables``),
  and the /IDTree that /Headers needs is written;
- a Figure's /BBox is in CSS pixels from the top of the page instead of PDF
  points from the bottom (``Structure._figures``);
- link annotations have no /Contents, which PDF/UA wants as their description;
- the XMP has ``pdfaid`` but not ``pdfuaid`` (which PDF/A needs declared in an
  extension schema), and no language, identifier or version (:func:`xmp`).

tagging.py marks every structure element WeasyPrint makes with the HTML element it
came from (:data:`~rmr_gen.output.structtree.NODE_KEY`, an index into ``nodes``);
the structure tree's fix removes the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rmr_gen import __version__
from rmr_gen.output.archive import Attachment, DocumentInfo
from rmr_gen.output.imagenames import rename_images, renamed_bytes
from rmr_gen.output.structtree import Node, Structure

if TYPE_CHECKING:
    from pikepdf import Pdf


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (what xml.sax.saxutils.escape does, without
    importing urllib.request and with it http, ssl and email)."""
    return html.escape(text, quote=False)


def preload() -> None:
    """Import pikepdf now: a process started early loads it while the build plans."""
    import pikepdf  # noqa: F401


def pdf_date(value: dt.datetime) -> str:
    return value.strftime("D:%Y%m%d%H%M%SZ")


def xmp_date(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _links(pdf: Pdf) -> None:
    """PDF/UA wants every link annotation described by /Contents."""
    import pikepdf

    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link" or "/Contents" in annot:
                continue
            action = annot.get("/A")
            uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
            text = f"Länk till {bytes(uri).decode('latin-1')}" if uri else "Länk inom dokumentet"
            annot.Contents = pikepdf.String(text)


EXTENSION_SCHEMA = """<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>"""


def xmp(info: DocumentInfo, producer: str, instance: str) -> bytes:
    """The XMP packet: PDF/A-3a and PDF/UA-1 identification and the document's metadata.

    ``pdfuaid`` is not one of PDF/A's predefined schemas, so it is declared in a
    PDF/A extension schema. The document id is ``dc:identifier``; the version
    ``xmpMM:VersionID``; ``xmpMM:DocumentID`` is the same for every version of
    a document, ``xmpMM:InstanceID`` changes with the content.
    """
    date = xmp_date(info.date) if info.date is not None else ""
    document_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"rmr-gen:{info.identifier}")
    instance_uuid = uuid.uuid5(document_uuid, instance)
    fields = [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.title)}</rdf:li>'
        "</rdf:Alt></dc:title>",
        f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(info.language)}</rdf:li></rdf:Bag></dc:language>",
    ]
    if info.subject:
        fields.append(
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.subject)}'
            "</rdf:li></rdf:Alt></dc:description>"
        )
    if info.keywords:
        items = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in info.keywords)
        fields.append(f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>")
        fields.append(f"<pdf:Keywords>{escape(', '.join(info.keywords))}</pdf:Keywords>")
    if info.identifier:
        fields.append(f"<dc:identifier>{escape(info.identifier)}</dc:identifier>")
    fields += [
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>",
        f"<xmp:CreatorTool>rmr-gen {__version__}</xmp:CreatorTool>",
    ]
    if date:  # no date of its own: none at all in XMP, as in Info (never a made-up one)
        fields += [
            f"<xmp:CreateDate>{date}</xmp:CreateDate>",
            f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
            f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
        ]
    fields += [
        f"<xmpMM:DocumentID>uuid:{document_uuid}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>uuid:{instance_uuid}</xmpMM:InstanceID>",
    ]
    if info.version:
        fields.append(f"<xmpMM:VersionID>{escape(info.version)}</xmpMM:VersionID>")
    namespaces = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "pdf": "http://ns.adobe.com/pdf/1.3/",
        "xmp": "http://ns.adobe.com/xap/1.0/",
        "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
        "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
        "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
        "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
        "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    }
    declared = "\n".join(f' xmlns:{k}="{v}"' for k, v in namespaces.items())
    body = "\n".join([*fields, EXTENSION_SCHEMA])
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about=""\n{declared}>\n{body}\n</rdf:Description>\n'
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


def _metadata(pdf: Pdf, info: DocumentInfo, producer: str, instance: str) -> None:
    """Info dictionary and XMP, saying the same things (as PDF/A requires)."""
    import pikepdf

    docinfo = pikepdf.Dictionary(
        Title=pikepdf.String(info.title),
        Author=pikepdf.String(info.author),
        Creator=pikepdf.String(f"rmr-gen {__version__}"),
        Producer=pikepdf.String(producer),
    )
    if info.date is not None:  # else neither here nor in XMP
        docinfo.CreationDate = pikepdf.String(pdf_date(info.date))
        docinfo.ModDate = pikepdf.String(pdf_date(info.date))
    if info.subject:
        docinfo.Subject = pikepdf.String(info.subject)
    if info.keywords:
        docinfo.Keywords = pikepdf.String(", ".join(info.keywords))
    pdf.trailer.Info = pdf.make_indirect(docinfo)
    stream = pdf.make_stream(xmp(info, producer, instance))
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = stream
    pdf.Root.Lang = pikepdf.String(info.language)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _attach(pdf: Pdf, attachments: Sequence[Attachment], date: str) -> None:
    """Embed the source files as associated files of the document (/AF)."""
    import pikepdf

    specs = pikepdf.Array()
    for attachment in attachments:
        spec = pikepdf.AttachedFileSpec(
            pdf,
            attachment.content,
            description=attachment.description,
            filename=attachment.name,
            mime_type=attachment.mime_type,
            creation_date=date,
            mod_date=date,
            relationship=pikepdf.Name("/" + attachment.relationship),
        )
        pdf.attachments[attachment.name] = spec
        specs.append(pdf.attachments[attachment.name].obj)
    if attachments:
        pdf.Root.AF = specs


def finish(
    data: bytes,
    nodes: Sequence[Node],
    info: DocumentInfo,
    attachments: Sequence[Attachment] = (),
    producer: str = "",
) -> bytes:
    """WeasyPrint's PDF/A-3a bytes → PDF/A-3a + PDF/UA-1 bytes, deterministically."""
    import pikepdf

    producer = f"{producer}; pikepdf {pikepdf.__version__}".lstrip("; ")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        renamed = rename_images(pdf)  # not after the image's path: see imagenames
        instance = hashlib.sha256(renamed_bytes(data, renamed))
        for attachment in attachments:
            instance.update(attachment.name.encode() + b"\0" + attachment.content)
        if "/StructTreeRoot" in pdf.Root:
            Structure(pdf, nodes).fix()
        _links(pdf)
        _metadata(pdf, info, producer, instance.hexdigest())
        _attach(pdf, attachments, pdf_date(info.date) if info.date is not None else "")
        out = io.BytesIO()
        # /ID from the content; streams compressed once here, object streams made here
        pdf.save(
            out,
            deterministic_id=True,
            fix_metadata_version=False,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()
