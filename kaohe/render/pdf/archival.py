"""Files an archive accepts: PDF/A-3u with full XMP metadata, tagged for screen readers.

WeasyPrint writes the PDF/A parts it knows (the sRGB OutputIntent with its ICC profile,
the ``pdfaid`` part and conformance, a trailer ``/ID``) when given :data:`PDF_VARIANT`;
``pdf_tags`` adds the structure tree a screen reader follows. Its XMP packet lacks what an
archive indexes a 公文 by, so :func:`archival_finisher` replaces it with one that also holds
the 发文字号 (``dc:identifier``), the 成文日期 (``dc:date``) and each issuing organ
(``dc:publisher``), besides the title (``dc:title``) and the issuers as the document
information's ``Author`` gives them (``dc:creator``: PDF/A wants the two equal). All of these
are Dublin Core properties, predefined in PDF/A, so no extension schema is needed.

The packet is built from the view model alone (no clock), so two builds give the same bytes.
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

import io
import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

import pydyf  # type: ignore[import-untyped]
from weasyprint.css import ColorProfile

from kaohe.render.pdf.typeset import plain_text
from kaohe.render.pdf.views import Document

PDF_VARIANT = "pdf/a-3u"  # ISO 19005-3, level U: Unicode text; attachments allowed
OUTPUT_INTENT = "--kaohe-srgb"  # the sRGB profile WeasyPrint ships, as our own colour profile (see srgb_profiles)
SRGB_ICC = "sRGB2014.icc"
PDFA_PART, PDFA_CONFORMANCE = "3", "U"
LANGUAGE = "zh-CN"  # the templates' <html lang>

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)

XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode()
XPACKET_END = b'\n<?xpacket end="r"?>'
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")

Finisher = Callable[[object, pydyf.PDF], None]


def q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def issue_date_iso(doc: Document) -> str:
    """The 成文日期 as ``YYYY-MM-DD``, or ``""`` while it is left blank (a draft)."""
    found = CN_DATE.search(plain_text(str(doc.signature.date)))
    if found is None:
        return ""
    year, month, day = (int(part) for part in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _described(rdf: Element) -> Element:
    """An ``rdf:Description`` of the document itself (its namespaces are declared on the root)."""
    description = SubElement(rdf, q("rdf", "Description"))
    description.set(q("rdf", "about"), "")
    return description


def _container(parent: Element, prefix: str, name: str, kind: str, items: list[str], lang: bool = False) -> None:
    holder = SubElement(SubElement(parent, q(prefix, name)), q("rdf", kind))
    for item in items:
        li = SubElement(holder, q("rdf", "li"))
        if lang:
            li.set("xml:lang", "x-default")
        li.text = item


def xmp_packet(doc: Document, producer: str) -> bytes:
    """The XMP packet of one notice (PDF/A identification, Dublin Core, dates, producer)."""
    meta = Element(q("x", "xmpmeta"))
    rdf = SubElement(meta, q("rdf", "RDF"))
    ident = _described(rdf)
    SubElement(ident, q("pdfaid", "part")).text = PDFA_PART
    SubElement(ident, q("pdfaid", "conformance")).text = PDFA_CONFORMANCE
    dublin = _described(rdf)
    SubElement(dublin, q("dc", "format")).text = "application/pdf"
    _container(dublin, "dc", "title", "Alt", [doc.meta_title], lang=True)
    _container(dublin, "dc", "creator", "Seq", [doc.author])
    _container(dublin, "dc", "publisher", "Bag", list(doc.header.organs))
    if doc.header.number:
        SubElement(dublin, q("dc", "identifier")).text = doc.header.number
    if issued := issue_date_iso(doc):
        _container(dublin, "dc", "date", "Seq", [issued])
    _container(dublin, "dc", "language", "Bag", [LANGUAGE])
    SubElement(_described(rdf), q("pdf", "Producer")).text = producer
    if doc.created:  # the templates give dcterms.created and dcterms.modified both this value
        dates = _described(rdf)
        SubElement(dates, q("xmp", "CreateDate")).text = doc.created
        SubElement(dates, q("xmp", "ModifyDate")).text = doc.created
        SubElement(dates, q("xmp", "MetadataDate")).text = doc.created
    body: bytes = tostring(meta, encoding="utf-8", xml_declaration=False)
    return XPACKET_BEGIN + body + XPACKET_END


def _producer(pdf: pydyf.PDF) -> str:
    value = pdf.info.get("Producer")
    return str(getattr(value, "string", value or ""))


def replace_metadata(pdf: pydyf.PDF, packet: bytes) -> None:
    """Put ``packet`` in the catalog's metadata stream (WeasyPrint made one for the PDF/A variant)."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        stream = pydyf.Stream([packet], {"Type": "/Metadata", "Subtype": "/XML"})
        pdf.add_object(stream)
        pdf.catalog["Metadata"] = stream.reference
        return
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    number = int(text.split()[0])
    pdf.objects[number].stream = [packet]


def archival_finisher(doc: Document, then: Finisher) -> Finisher:
    """A WeasyPrint ``finisher``: ``then`` (the gap erasing), then this document's full XMP packet."""

    def finish(document: object, pdf: pydyf.PDF) -> None:
        then(document, pdf)
        replace_metadata(pdf, xmp_packet(doc, _producer(pdf)))

    return finish


@cache
def srgb_icc() -> bytes:
    """WeasyPrint's own sRGB profile, read once and closed."""
    return files("weasyprint.pdf").joinpath(SRGB_ICC).read_bytes()


def srgb_profiles() -> dict[str, ColorProfile]:
    """The sRGB profile for the OutputIntent, made afresh for each PDF.

    With ``output_intent="srgb"`` WeasyPrint opens the profile for every PDF and never closes the
    file (a ResourceWarning each time); handed over as a colour profile it is read once. A profile
    object is never shared between two PDFs: the bytes it gives the second time differ from the
    first (littleCMS fills in the profile's header when first written), so a PDF's bytes would
    depend on which PDFs the same process wrote before it.
    """
    return {
        OUTPUT_INTENT: ColorProfile(io.BytesIO(srgb_icc()), SRGB_ICC, "relative-colorimetric", (["r"], ["g"], ["b"]))
    }


def archival_options(doc: Document, finisher: Finisher) -> dict[str, object]:
    """Keyword arguments of ``write_pdf``: PDF/A-3u with an sRGB OutputIntent, tagged, the XMP finisher."""
    return {
        "pdf_variant": PDF_VARIANT,
        "pdf_tags": True,
        "output_intent": OUTPUT_INTENT,
        "color_profiles": dict(srgb_profiles()),
        "finisher": archival_finisher(doc, finisher),
    }
