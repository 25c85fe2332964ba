"""The PDFs are files an archive accepts: PDF/A-3u with full XMP, an OutputIntent, embedded fonts, tagged.

veraPDF is not installable from the package registries this project uses, so these tests check
the PDF/A requirements that can be read back with pypdf and pikepdf (ISO 19005-3 §6.2.3 output
intent, §6.2.11 fonts embedded, §6.6.2 XMP with pdfaid and values equal to the document
information, §6.1.3 trailer ID and no encryption) and the tagging a screen reader needs.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from archive_support import REPORT_PDF, read_xmp
from pypdf import PdfReader

pytestmark = pytest.mark.slow


def pdfs(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.pdf"))
    assert len(found) == 10, found  # the 细则 notice, the 通报, three score sheets, five 处理告知书
    return found


def test_every_pdf_says_in_its_xmp_that_it_is_pdfa_3u(archived: Path) -> None:
    for path in pdfs(archived):
        xmp = read_xmp(path)
        assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "U"), path.name


def test_the_results_notice_xmp_holds_title_issuers_number_and_issue_date(archived: Path) -> None:
    xmp = read_xmp(archived / REPORT_PDF)
    assert xmp.get("dc:title") == "关于二〇〇八年度社区工作目标管理考核结果的通报"
    assert xmp.get("dc:creator") == ["测试街道党工委、测试街道办事处"]  # one entry, equal to /Author
    assert xmp.get("dc:publisher") == {"测试街道党工委", "测试街道办事处"}
    assert xmp.get("dc:identifier") == "测试通〔2009〕2号"  # decision.yaml notice.number
    assert xmp.get("dc:date") == ["2009-01-10"]  # decision.yaml notice.date, the 成文日期
    assert xmp.get("xmp:CreateDate") == "2009-01-12T00:00:00Z"  # SOURCE_DATE_EPOCH 1231718400


def test_a_score_sheet_without_a_number_has_no_identifier(archived: Path) -> None:
    sheet = next(p for p in pdfs(archived) if p.name.startswith("考核结果通知书"))
    assert read_xmp(sheet).get("dc:identifier") is None


def test_the_xmp_agrees_with_the_document_information(archived: Path) -> None:
    for path in pdfs(archived):
        info = PdfReader(path).metadata
        xmp = read_xmp(path)
        assert info is not None
        assert info.title == xmp.get("dc:title"), path.name
        assert [info.author] == xmp.get("dc:creator"), path.name
        assert info.producer == xmp.get("pdf:Producer"), path.name
        created = info.creation_date
        assert created is not None and created.strftime("%Y-%m-%dT%H:%M:%SZ") == xmp.get("xmp:CreateDate")


def test_every_pdf_has_an_srgb_output_intent_with_its_icc_profile(archived: Path) -> None:
    for path in pdfs(archived):
        with pikepdf.open(path) as pdf:
            intents = pdf.Root.OutputIntents
            assert len(intents) == 1
            assert intents[0].S == "/GTS_PDFA1"
            profile = intents[0].DestOutputProfile
            assert int(profile.N) == 3  # RGB
            assert profile.read_bytes()[36:40] == b"acsp"  # the ICC profile signature


def test_every_font_is_embedded_and_nothing_is_encrypted(archived: Path) -> None:
    for path in pdfs(archived):
        with pikepdf.open(path) as pdf:
            assert not pdf.is_encrypted
            fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
            assert fonts
            for font in fonts:
                described = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
                descriptor = described.get("/FontDescriptor")
                assert descriptor is not None, (path.name, font.BaseFont)
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), path.name


def test_every_pdf_has_a_trailer_id_of_two_16_byte_strings(archived: Path) -> None:
    for path in pdfs(archived):
        with pikepdf.open(path) as pdf:
            ids = pdf.trailer.ID
            assert len(ids) == 2
            assert all(len(bytes(part)) in (16, 32) for part in ids), path.name


def test_every_pdf_is_tagged_for_screen_readers_in_chinese(archived: Path) -> None:
    for path in pdfs(archived):
        with pikepdf.open(path) as pdf:
            assert bool(pdf.Root.MarkInfo.Marked), path.name
            assert "/StructTreeRoot" in pdf.Root and len(pdf.Root.StructTreeRoot.K) > 0
            assert str(pdf.Root.Lang) == "zh-CN"


def test_every_pdf_is_version_1_7_with_a_binary_comment(archived: Path) -> None:
    for path in pdfs(archived):
        head = path.read_bytes()[:32]
        assert head.startswith(b"%PDF-1.7\n%"), path.name
        comment = head.split(b"\n")[1]
        assert len(comment) >= 5 and all(byte >= 128 for byte in comment[1:5])  # ISO 19005-1 §6.1.2
