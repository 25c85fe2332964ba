"""Deterministic DOCX bytes: fixed core properties and zip entry times from SOURCE_DATE_EPOCH.

python-docx stamps each zip entry with the clock and leaves its template's core properties
(author, dates) in place. :func:`docx_bytes` sets the properties from the view model and the
build's date, and writes the package again with every entry dated from ``SOURCE_DATE_EPOCH``
(1980-01-01, the first date a zip can hold, without it), in the order python-docx wrote them.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from kaohe.render.docx.text import xml_text
from kaohe.render.pdf.views import Document

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
LANGUAGE = "zh-CN"


def zip_time(source_date_epoch: int | None) -> tuple[int, int, int, int, int, int]:
    if source_date_epoch is None:
        return ZIP_EPOCH
    moment = datetime.fromtimestamp(source_date_epoch, tz=UTC)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return max(stamp, ZIP_EPOCH)


def set_core_properties(document: DocxDocument, doc: Document, source_date_epoch: int | None) -> None:
    """Title and issuers from the view model; dates from SOURCE_DATE_EPOCH, or none at all."""
    core = document.core_properties
    core.title = xml_text(doc.meta_title)
    core.author = xml_text(doc.author)
    core.last_modified_by = xml_text(doc.author)
    core.language = LANGUAGE
    core.revision = 1
    core.comments = ""
    core.keywords = xml_text(doc.header.number)
    if source_date_epoch is not None:
        moment = datetime.fromtimestamp(source_date_epoch, tz=UTC).replace(tzinfo=None)
        core.created = core.modified = moment
        return
    element = core._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for child in element.findall(qn(tag)):
            element.remove(child)


def docx_bytes(document: DocxDocument, source_date_epoch: int | None) -> bytes:
    """The saved package, every entry dated alike."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    stamp = zip_time(source_date_epoch)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
