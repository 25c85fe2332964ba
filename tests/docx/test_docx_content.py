"""A DOCX beside each PDF notice: the same text, the page set-up, the fonts by role, styles, same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph
from docx_support import EPOCH, approved_year, docx_text, no_space, pdf_pages, pdf_text_before_attachments

from kaohe.render.docx import notice_docx
from kaohe.render.docx.tables import MONTH_FILLS, month_cell
from kaohe.render.markup import plain_text
from kaohe.render.month_strip import MonthCell
from kaohe.render.pdf import documents
from kaohe.render.vocab import DOCX_STYLES

pytestmark = pytest.mark.slow
Notices = tuple[Path, tuple[str, ...], tuple[str, ...]]


def mm(length: Length | None) -> float:
    assert length is not None
    return float(length.mm)


def pairs(notices: Notices) -> list[tuple[Path, Path]]:
    out, pdfs, docxs = notices
    return [(out / pdf, out / docx) for pdf, docx in zip(sorted(pdfs), sorted(docxs), strict=True)]


def test_a_docx_is_written_beside_each_pdf_with_the_same_stem(notices: Notices) -> None:
    _, pdfs, docxs = notices
    # the 细则 notice, the 通报, three score sheets, and a 处理告知书 for each of the 5 people given measures
    # (书记c1, 甲c1, 乙c1, 乙c2, 乙c3: the last of c1..c3 overall and in each category)
    assert len(pdfs) == 10
    assert sorted(p.removesuffix(".pdf") for p in pdfs) == sorted(d.removesuffix(".docx") for d in docxs)
    assert all(d.startswith("pdf/") for d in docxs)


def without_wenjian(text: str) -> str:
    """文件 stands beside the stacked organ names: the PDF reads it between them, the DOCX after them."""
    return text.replace("文件", "", 1)


def test_the_docx_body_reads_like_the_pdf_up_to_the_attachments(notices: Notices) -> None:
    for pdf, docx in pairs(notices):
        ours = without_wenjian(pdf_text_before_attachments(pdf))
        assert without_wenjian(docx_text(docx, before_attachments=True)) == ours, docx.name


def test_the_docx_holds_every_character_of_the_pdf(notices: Notices) -> None:
    """Table cells that wrap interleave in the PDF's text, so the whole document is compared as characters."""
    for pdf, docx in pairs(notices):
        assert Counter(docx_text(docx)) == Counter("".join(pdf_pages(pdf))), docx.name


def test_markdown_bold_and_a_real_space_survive_and_the_gaps_do_not(notices: Notices) -> None:
    out, _, docxs = notices
    notice = next(out / d for d in docxs if "通知" in d and "通知书" not in d)
    texts = [p.text for p in Document(str(notice)).paragraphs]
    assert any("按 PDF/A 要求归档" in text for text in texts)  # the author's space, kept; no gap spaces
    bold = [r.text for p in Document(str(notice)).paragraphs for r in p.runs if r.bold]
    assert "高度重视" in "".join(bold)


def test_the_page_is_a4_with_the_type_area_and_a_grid_of_22_lines_of_28_characters(notices: Notices) -> None:
    out, _, docxs = notices
    for relpath in docxs:
        section = Document(str(out / relpath)).sections[0]
        width, height = mm(section.page_width), mm(section.page_height)
        top, left, right, bottom = (mm(m) for m in (section.top_margin, section.left_margin, section.right_margin,
                                                    section.bottom_margin))  # fmt: skip
        assert (round(width), round(height)) == (210, 297)
        assert (round(top), round(left)) == (37, 28)  # docs/NOTICE.md
        assert round(width - left - right) == 156 and round(height - top - bottom) == 225
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:type")) == "lines"
        assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt × 20: 22 lines in 225 mm (640 pt ÷ 22 = 29.1)
    spacing = Document(str(out / docxs[0])).styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    pitch = Decimal(16) + Decimal(spacing.get(qn("w:val"))) / 20  # 16 pt and the letter-spacing (1/20 pt)
    assert 28 * pitch <= Decimal("442.2") < 29 * pitch  # 156 mm = 442.2 pt holds 28 characters, not 29


def test_odd_pages_number_right_and_even_pages_left(notices: Notices) -> None:
    out, _, docxs = notices
    document = Document(str(out / docxs[0]))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    for footer in (odd, even):
        text = "".join(t.text or "" for t in footer._p.iter(qn("w:t")))
        assert text == "— 1 —"  # the PAGE field shows 1 until a word processor lays the pages out
        assert footer._p.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"


def east_asian_font(style: object) -> str:
    fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")  # type: ignore[attr-defined]
    return str(fonts.get(qn("w:eastAsia")))


def test_the_styles_name_the_official_fonts_for_chinese_text(notices: Notices) -> None:
    out, _, docxs = notices
    styles = Document(str(out / docxs[0])).styles
    body = styles["Normal"]
    assert east_asian_font(body) == "仿宋_GB2312" and body.font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28.95)
    title = styles[DOCX_STYLES["title"]]
    assert (east_asian_font(title), title.font.size) == ("方正小标宋简体", Pt(22))
    assert east_asian_font(styles[DOCX_STYLES["hei"]]) == "黑体"
    assert east_asian_font(styles[DOCX_STYLES["kai"]]) == "楷体_GB2312"
    mark = styles[DOCX_STYLES["mark"]]
    assert east_asian_font(mark) == "方正小标宋简体" and str(mark.font.color.rgb) == "E60012"


def test_body_paragraphs_take_their_look_from_styles_not_from_direct_formatting(notices: Notices) -> None:
    out, _, docxs = notices
    notice = Document(str(next(out / d for d in docxs if "通知" in d and "通知书" not in d)))
    body = [p for p in notice.paragraphs if p.style is not None and p.style.name == "Normal" and p.text]
    assert len(body) >= 3  # the notice's paragraphs
    for paragraph in body:
        assert paragraph.paragraph_format.first_line_indent is None  # the style's 2 characters
        assert paragraph.paragraph_format.line_spacing is None
        assert all(run.font.size is None and run.font.name is None for run in paragraph.runs)
    heading = next(p for p in notice.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0].style.name == DOCX_STYLES["hei"]  # the run-in 一、 heading in 黑体
    sub = next(p for p in notice.paragraphs if p.text.startswith("（一）"))
    assert sub.runs[0].style.name == DOCX_STYLES["kai"]


def test_every_table_repeats_its_header_row_and_keeps_rows_whole(notices: Notices) -> None:
    out, _, docxs = notices
    tables = [
        t for d in docxs for t in Document(str(out / d)).tables if t.style and t.style.name == DOCX_STYLES["table"]
    ]
    assert len(tables) >= 5  # the rubric, the scores, and two tables on each score sheet
    for table in tables:
        first = table.rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in table.rows)


def test_the_colophon_is_anchored_to_the_bottom_of_the_type_area(notices: Notices) -> None:
    out, _, docxs = notices
    report = Document(str(next(out / d for d in docxs if "通报" in d)))
    anchored = [t for t in report.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None]
    assert len(anchored) == 1
    position = anchored[0]._tbl.tblPr.find(qn("w:tblpPr"))
    assert (position.get(qn("w:vertAnchor")), position.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    text = "".join(c.text for row in anchored[0].rows for c in row.cells)
    assert text.startswith("抄送：") and text.endswith("2009年1月10日印发")


def test_two_builds_give_the_same_docx_bytes_dated_from_source_date_epoch() -> None:
    results = approved_year()
    doc = documents(results, EPOCH)[1]
    first, second = notice_docx(doc, EPOCH), notice_docx(doc, EPOCH)
    assert first == second
    path_stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert path_stamps == {(2009, 1, 12, 0, 0, 0)}  # 1231718400 s after 1970-01-01 UTC
    core = Document(io.BytesIO(first)).core_properties
    assert core.created is not None and core.created.isoformat().startswith("2009-01-12T00:00:00")
    assert (core.title, core.author) == (doc.meta_title, doc.author)


def test_without_source_date_epoch_the_docx_has_no_dates_and_the_zip_epoch() -> None:
    doc = documents(approved_year(final=False), None)[1]
    data = notice_docx(doc, None)
    assert data == notice_docx(doc, None)
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert Document(io.BytesIO(data)).core_properties.created is None


def docx_named(notices: Notices, start: str) -> DocxDocument:
    out, _, docxs = notices
    return Document(str(out / next(d for d in docxs if Path(d).name.startswith(start))))


def border(paragraph: Paragraph, side: str) -> tuple[str | None, str | None]:
    found = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn(f'w:{side}')}")
    return (None, None) if found is None else (found.get(qn("w:val")), found.get(qn("w:color")))


def test_a_letter_has_its_mark_and_double_lines_on_the_first_page_and_no_page_number_there(notices: Notices) -> None:
    letter = docx_named(notices, "考核结果通知书")
    section = letter.sections[0]
    assert section.different_first_page_header_footer
    _marks, mark = section.first_page_header.paragraphs
    assert mark.text == "测试街道党工委"  # the lead organ alone (§10.1)
    assert border(mark, "bottom") == ("thickThinSmallGap", "E60012")  # thick over thin, 4 mm under the mark
    # 170 mm, from 20 to 190 mm of the page; the type area is 28 … 184 mm: −8 mm left, −6 mm right
    assert (round(mm(mark.paragraph_format.left_indent)), round(mm(mark.paragraph_format.right_indent))) == (-8, -6)
    foot = section.first_page_footer.paragraphs[0]
    assert foot._p.find(qn("w:fldSimple")) is None and not foot.text  # no page number on the first page
    assert border(foot, "top") == ("thinThickSmallGap", "E60012")
    number = letter.paragraphs[0]  # the body begins with the 发文字号, flush right, no red rule under it
    assert number.style is not None and number.style.name == DOCX_STYLES["number"]
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT and border(number, "bottom") == ("nil", None)
    report = docx_named(notices, "2008年度")
    assert not report.sections[0].different_first_page_header_footer  # a 通报 keeps its 版头 in the body


def test_no_extra_space_between_chinese_and_digits(notices: Notices) -> None:
    defaults = docx_named(notices, "2008年度").styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}"
    )
    assert [defaults.find(qn(f"w:{tag}")).get(qn("w:val")) for tag in ("autoSpaceDE", "autoSpaceDN")] == ["0", "0"]


def test_the_last_body_paragraph_goes_over_with_the_signature(notices: Notices) -> None:
    document = docx_named(notices, "2008年度")
    paragraphs = document.paragraphs
    label = DOCX_STYLES["attachment_note"]
    index = next(i for i, p in enumerate(paragraphs) if p.style is not None and p.style.name == label)
    note = paragraphs[index]
    assert paragraphs[index - 1].paragraph_format.keep_with_next  # the body's last paragraph
    assert note.style is not None and note.style.paragraph_format.keep_with_next
    ind = note.style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    # 附件 2 characters in: a hanging indent of 3 from 5, and no first-line indent beside it
    assert (ind.get(qn("w:leftChars")), ind.get(qn("w:hangingChars")), ind.get(qn("w:firstLineChars"))) == (
        "500",
        "300",
        None,
    )


def test_the_score_tables_column_heads_are_set_as_small_as_the_pdfs(notices: Notices) -> None:
    report = docx_named(notices, "2008年度社区工作目标管理考核结果通报")
    table = next(t._tbl for t in report.tables if t.rows[0].cells[0].text == "名次")
    head = table.find(qn("w:tr"))
    sizes = {run.get(qn("w:val")) for run in head.iter(qn("w:sz"))}
    assert sizes == {"18"}  # 9 pt, as notice.css sets table.scores th (half-points)
    body_sizes = {run.get(qn("w:val")) for row in table.findall(qn("w:tr"))[1:] for run in row.iter(qn("w:sz"))}
    assert body_sizes == {"21"}  # 10.5 pt


def test_the_month_table_shades_each_month_against_the_lines_busiest_as_the_pdf_does(notices: Notices) -> None:
    report = docx_named(notices, "2008年度社区工作目标管理考核结果通报")
    table = next(t for t in report.tables if t.rows[0].cells[-1].text == "合计" and "月" in t.rows[0].cells[1].text)
    seen = set()
    for row in table.rows[1:]:
        cells = row.cells[1:-1]
        counts = [int(cell.text) for cell in cells]
        for cell, count in zip(cells, counts, strict=True):
            shade = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            fill = shade.get(qn("w:fill")) if shade is not None else None
            white = {c.get(qn("w:val")) for c in cell._tc.iter(qn("w:color"))} == {"FFFFFF"}
            if count == 0:
                assert fill is None and not white  # no entries, no shade
            elif count == max(counts):
                assert (fill, white) == ("4D4D4D", True)  # the busiest month: the darkest grey, white figures
            else:  # a quarter, half or three quarters of the busiest, rounded up: one of the three lighter greys
                assert fill in ("E6E6E6", "C4C4C4", "8F8F8F") and not white
            seen.add(fill)
    assert "4D4D4D" in seen


@pytest.mark.parametrize(("level", "fill", "white"), [(0, "", False), (1, "E6E6E6", False), (3, "8F8F8F", False),
                                                      (4, "4D4D4D", True)])  # fmt: skip
def test_a_month_cell_takes_the_grey_of_its_level(level: int, fill: str, white: bool) -> None:
    cell = month_cell(MonthCell(2008, 5, 3, level))
    assert (cell.fill, cell.white, cell.text[0].text) == (fill, white, "3")


def test_the_docx_month_greys_are_the_pdfs() -> None:
    css = (Path(__file__).resolve().parents[2] / "templates" / "pdf" / "notice.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"table\.months td\.m(\d) \{ background: #([0-9a-f]{6});", css))
    assert {int(level): grey.upper() for level, grey in found.items()} == MONTH_FILLS


def test_table_cells_keep_the_pdfs_padding_above_and_below_their_text(notices: Notices) -> None:
    report = docx_named(notices, "2008年度社区工作目标管理考核结果通报")
    table = next(t._tbl for t in report.tables if t.rows[0].cells[0].text == "名次")
    margins = table.tblPr.find(qn("w:tblCellMar"))
    twips = {side: int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("top", "left", "bottom", "right")}
    # notice.css: table.scores td { padding: 1.5mm … }: 1.5 mm = 4.25 pt = 85 twips; 0.5 mm beside = 28 twips
    assert twips == {"top": 85, "left": 28, "bottom": 85, "right": 28}


def test_a_heading_line_keeps_with_the_paragraph_after_it(notices: Notices) -> None:
    doc = next(d for d in documents(approved_year(), EPOCH) if "通报" in d.file_name)
    headings = {no_space(plain_text(p.lead)) for p in doc.paragraphs if p.heading_only}
    assert "一、目标管理红旗单位和先进单位" in headings  # the 通报's first heading stands on a line of its own
    report = docx_named(notices, "2008年度社区工作目标管理考核结果通报")
    shown = [p for p in report.paragraphs if no_space(p.text) in headings]
    assert len(shown) == len(headings)
    assert all(p.paragraph_format.keep_with_next for p in shown)
