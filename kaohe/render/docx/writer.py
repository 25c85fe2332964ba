"""One notice as a DOCX document, written from the same view model as its PDF.

The order follows ``templates/pdf/notice.html``: the marks on every page (草稿, 示例数据), the
版头 (organ mark, 发文字号, red rule), title, 主送机关, body, 附件说明, signature, the attachments
(each from a new page, tables with a repeated header row) and the 版记, then the odd and even
page-number footers. Every paragraph takes a named style (:mod:`.styles`); positions that depend
on the text (the signature's indents, the mark's condensing) come from the view model.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from markupsafe import Markup

from kaohe.render.docx.styles import (
    DRAFT_RED,
    HEADER_MM,
    MARGINS_MM,
    OFFICIAL,
    PPR_ORDER,
    PT_PER_MM,
    RED,
    RPR_ORDER,
    TBLPR_ORDER,
    add_styles,
    element,
    points,
    put,
    set_defaults,
    set_fonts,
    set_page,
    twips,
)
from kaohe.render.docx.tables import TableStyles, table_element
from kaohe.render.docx.text import Span, block_paragraphs, gapped_spans, spans, xml_text
from kaohe.render.pdf.typeset import cells
from kaohe.render.pdf.views import (
    CELL_PT,
    LINE_PITCH_PT,
    MARK_GAP_PT,
    MARK_NAME_PT,
    MARK_WENJIAN_PT,
    TYPE_WIDTH_PT,
    Attachment,
    Document,
    Paragraph,
    RedHeader,
    SealRow,
    Table,
)
from kaohe.render.vocab import COPY_TO_LABEL, DOCX_DRAFT_MARK, DOCX_STYLES, page_note


def style(key: str) -> str:
    return DOCX_STYLES[key]


STYLE_IDS: dict[str, str] = {}  # style name → id: the same in every document (made from the name)


def style_id(document: DocxDocument, key: str) -> str:
    name = style(key)
    if name not in STYLE_IDS:
        STYLE_IDS[name] = document.styles[name].style_id
    return STYLE_IDS[name]


def styled(document: DocxDocument, paragraph: DocxParagraph, key: str) -> DocxParagraph:
    """Give ``paragraph`` the style ``key`` (by id: python-docx's lookup by name is slow)."""
    paragraph._p.style = style_id(document, key)
    return paragraph


def add_paragraph(document: DocxDocument, key: str | None = None, text: str = "") -> DocxParagraph:
    paragraph = document.add_paragraph(xml_text(text))
    return styled(document, paragraph, key) if key is not None else paragraph


def points_of(css: str) -> Decimal:
    """``"126.32pt"`` (a length of the view model) as points."""
    return Decimal(css.removesuffix("pt")) if css.endswith("pt") else Decimal(0)


def add_spans(paragraph: DocxParagraph, found: Sequence[Span], char_style: str | None = None) -> None:
    for span in found:
        parts = span.text.split("\n")
        for index, part in enumerate(parts):
            if index:
                paragraph.add_run().add_break()
            if part:
                run = paragraph.add_run(part, char_style)
                run.bold = span.bold or None
                run.italic = span.italic or None


def write_document(doc: Document) -> DocxDocument:
    """The whole notice as a python-docx document (not yet saved)."""
    document = new_document()
    set_page(document)
    set_defaults(document)
    add_styles(document)
    body_start = document.paragraphs[0] if document.paragraphs else None
    if body_start is not None:  # the template's one empty paragraph
        body_start._p.getparent().remove(body_start._p)
    page_marks(document, doc)
    page_numbers(document)
    if doc.letter:
        letter_head(document, doc)
    else:
        red_header(document, doc)
    titled(document, "title", doc.title)
    addressee = add_paragraph(document, "addressee")
    add_spans(addressee, gapped_spans(doc.addressee))
    for para in doc.paragraphs:
        body_paragraph(document, para)
    keep_with_the_signature(document)
    attachment_note(document, doc.attachment_note)
    signature(document, doc)
    for attachment in doc.attachments:
        attachment_pages(document, attachment)
    if doc.colophon is not None:
        colophon(document, doc)
    return document


# --- every page: marks and page numbers --------------------------------------------------------


def page_marks(document: DocxDocument, doc: Document) -> None:
    """草稿 (boxed, right) and the page note (示例数据, 公开版; left) at the top of every page, odd and even.

    A letter's first page has a header of its own (:func:`letter_head`), which begins with them too.
    """
    if not (doc.draft or doc.sample or doc.public):
        return
    section = document.sections[0]
    headers = [section.header, section.even_page_header]
    if doc.letter:
        section.different_first_page_header_footer = True
        headers.append(section.first_page_header)
    for header in headers:
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        styled(document, paragraph, "page_mark")
        paragraph.paragraph_format.tab_stops.add_tab_stop(points(TYPE_WIDTH_PT), WD_TAB_ALIGNMENT.RIGHT)
        if note := page_note(doc.sample, doc.public):
            paragraph.add_run(note)
        if doc.draft:
            paragraph.add_run("\t")
            draft = paragraph.add_run(DOCX_DRAFT_MARK)
            set_fonts(draft._r, OFFICIAL["hei"])
            draft.font.size = Pt(22)
            draft.font.color.rgb = DRAFT_RED
            put(draft._r.get_or_add_rPr(), element("bdr", val="single", sz="16", space="4", color=str(DRAFT_RED)),
                RPR_ORDER)  # fmt: skip


def page_numbers(document: DocxDocument) -> None:
    """``— N —``: odd pages right, even pages left, one character in from the edge."""
    section = document.sections[0]
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        styled(document, paragraph, "page_number")
        paragraph.alignment = align
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn(f"w:{indent}"), str(twips(CELL_PT * Decimal("14") / Decimal("16"))))
        paragraph.add_run("— ")
        page_field(paragraph)
        paragraph.add_run(" —")


def page_field(paragraph: DocxParagraph) -> None:
    field = element("fldSimple", instr=" PAGE ")
    run = paragraph.add_run("1")
    run._r.getparent().remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)


# --- 版头 -----------------------------------------------------------------------------------------


def red_header(document: DocxDocument, doc: Document) -> None:
    """The organ mark 35 mm below the type area's top, the 发文字号, the red rule under it."""
    header = doc.header
    add_paragraph(document, "mark_space")
    scale = mark_percent(header)
    if header.wenjian and not doc.letter:
        joint_mark(document, header.organs, scale)
    else:
        for organ in header.organs[:1] if doc.letter else header.organs:
            mark = add_paragraph(document, "mark")
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            scaled_run(mark, organ, scale)
    number = add_paragraph(document, "number", header.number)
    if doc.letter:
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# The 信函格式 (GB/T 9704 §10.1, docs/NOTICE.md): the mark and the double lines are the first page's own
# header and footer, so that the body keeps its styles and the first page has no page number.
LETTER_LINE_LEFT_MM, LETTER_LINE_RIGHT_MM = Decimal(-8), Decimal(-6)  # 170 mm lines, 20 … 190 mm of the page
LETTER_MARK_TOP_MM = Decimal(30)  # the mark's top edge below the page's top
LETTER_RULE_SPACE_PT = 11  # ≈ 4 mm between the mark and the first double line
LETTER_RULE_EIGHTHS = "18"  # the double lines' w:sz
MARKS_LINE_PT = Decimal(14)  # the line of the marks (草稿, 示例数据) at the top of the header


def letter_head(document: DocxDocument, doc: Document) -> None:
    """The lead organ's name 30 mm from the page top over a thick-thin red double line, the 发文字号 flush right
    under it; on the first page's foot a thin-thick double line and no page number."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.first_page_header
    header.is_linked_to_previous = False
    marks = header.paragraphs[0]
    marks.paragraph_format.line_spacing = points(MARKS_LINE_PT)
    mark = header.add_paragraph()
    styled(document, mark, "mark")
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    above = LETTER_MARK_TOP_MM * PT_PER_MM - Decimal(HEADER_MM) * PT_PER_MM - MARKS_LINE_PT
    mark.paragraph_format.space_before = points(above)
    scaled_run(mark, doc.header.organs[0], mark_percent(doc.header))
    double_line(mark, "bottom", "thickThinSmallGap", LETTER_RULE_SPACE_PT)
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    foot = footer.paragraphs[0]
    foot.paragraph_format.line_spacing = Pt(1)
    double_line(foot, "top", "thinThickSmallGap", 0)
    number = add_paragraph(document, "number", doc.header.number)
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    borders = element("pBdr")
    borders.append(element("bottom", val="nil"))
    put(number._p.get_or_add_pPr(), borders, PPR_ORDER)  # no red rule under a letter's number
    number.paragraph_format.space_before = Pt(0)


def double_line(paragraph: DocxParagraph, side: str, kind: str, space_pt: int) -> None:
    """A red double line on ``side`` of ``paragraph``, 170 mm long and centred on the page."""
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = (
        points(LETTER_LINE_LEFT_MM * PT_PER_MM),
        points(LETTER_LINE_RIGHT_MM * PT_PER_MM),
    )
    borders = element("pBdr")
    borders.append(element(side, val=kind, sz=LETTER_RULE_EIGHTHS, space=str(space_pt), color=str(RED)))
    put(paragraph._p.get_or_add_pPr(), borders, PPR_ORDER)


def mark_percent(header: RedHeader) -> str:
    """The organ mark's condensing (``w:w``, per cent of its width) as the PDF's view model has it."""
    return str(int(Decimal(header.mark_scale) * 100))


def scaled_run(paragraph: DocxParagraph, text: str, scale: str) -> Run:
    """A run condensed to ``scale`` per cent of its width (the mark, so that it fits 156 mm)."""
    run = paragraph.add_run(xml_text(text))
    if scale != "100":
        put(run._r.get_or_add_rPr(), element("w", val=scale), RPR_ORDER)
    return run


def joint_mark(document: DocxDocument, organs: Sequence[str], scale: str) -> None:
    """The names stacked in the left cell, 文件 beside them, centred on the stack (a borderless table)."""
    ratio = Decimal(scale) / 100
    name_width = max(cells(organ) for organ in organs) * MARK_NAME_PT * ratio
    wenjian_width = (MARK_GAP_PT + 2 * MARK_WENJIAN_PT) * ratio
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    names, wenjian = table.rows[0].cells
    for index, organ in enumerate(organs):
        mark = names.paragraphs[0] if index == 0 else names.add_paragraph()
        styled(document, mark, "mark")
        scaled_run(mark, organ, scale)
    mark = wenjian.paragraphs[0]
    styled(document, mark, "mark")
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mark.paragraph_format.line_spacing = points(MARK_WENJIAN_PT)
    scaled_run(mark, "文件", scale).font.size = points(MARK_WENJIAN_PT)
    for index, (cell, width) in enumerate(((names, name_width), (wenjian, wenjian_width))):
        table.columns[index].width = points(width)
        cell.width = points(width)
        cell._tc.get_or_add_tcPr().append(element("vAlign", val="center"))
    margins = element("tblCellMar")
    for side in ("left", "right"):
        margins.append(element(side, w="0", type="dxa"))
    put(table._tbl.tblPr, margins, TBLPR_ORDER)
    put(table._tbl.tblPr, element("tblLayout", type="fixed"), TBLPR_ORDER)


# --- title, body, closing --------------------------------------------------------------------------


def titled(document: DocxDocument, key: str, lines: Sequence[str]) -> None:
    """A title in its lines (the PDF's trapezoid), one paragraph with line breaks."""
    paragraph = add_paragraph(document, key)
    for index, line in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        paragraph.add_run(xml_text(line))


def body_paragraph(document: DocxDocument, para: Paragraph) -> None:
    if para.level == "block":
        for found in block_paragraphs(para.html):
            add_spans(document.add_paragraph(), found)
        return
    paragraph = document.add_paragraph()
    if para.heading_only:  # a heading line stays on the page of what follows, as in the PDF
        paragraph.paragraph_format.keep_with_next = True
    if para.lead:
        add_spans(paragraph, gapped_spans(para.lead), style(para.lead_font) if para.lead_font else None)
    add_spans(paragraph, gapped_spans(para.html))


def keep_with_the_signature(document: DocxDocument) -> None:
    """The body's last paragraph goes over with the 附件说明 and the signature (which keep together by their
    styles), so that an edit never leaves the signature alone on a page (GB/T 9704 §7.3.5.4)."""
    last = document.paragraphs[-1] if document.paragraphs else None
    if last is not None:
        last.paragraph_format.keep_with_next = True


def attachment_note(document: DocxDocument, note: Markup) -> None:
    """附件说明: the first name after 附件：, the others aligned with it."""
    for index, line in enumerate(str(note).split("<br>")):
        found = spans(line)
        if found:
            add_spans(add_paragraph(document, "attachment_note" if index == 0 else "attachment_note_more"), found)


def signature(document: DocxDocument, doc: Document) -> None:
    """署名 and 成文日期 where the PDF has them: sealed (names under their seals) or unsealed."""
    sign = doc.signature
    if sign.sealed:
        for row in sign.seal_rows:
            sealed_row(document, row)
    else:
        for index, organ in enumerate(sign.organs):
            paragraph = add_paragraph(document, "signer", organ)
            paragraph.paragraph_format.left_indent = points(points_of(sign.name_indent))
            if index == 0:  # 1 blank line below the body
                paragraph.paragraph_format.space_before = points(LINE_PITCH_PT)
    signed = add_paragraph(document, "signed")
    signed.paragraph_format.left_indent = points(points_of(sign.date_indent))
    add_spans(signed, spans(sign.date))


def sealed_row(document: DocxDocument, row: SealRow) -> None:
    """Names side by side, one paragraph per line of the names, each line centred on its seal's centre
    (a centring tab stop each, as the PDF centres it): an edited name stays centred under its seal."""
    for line in range(max(len(name.lines) for name in row.names)):
        paragraph = add_paragraph(document, "signer")
        if line == 0:
            paragraph.paragraph_format.space_before = points(points_of(row.space_before))
        for name in row.names:
            centre = points_of(name.left) + points_of(name.width) / 2
            paragraph.paragraph_format.tab_stops.add_tab_stop(points(centre), WD_TAB_ALIGNMENT.CENTER)
            paragraph.add_run("\t" + (xml_text(name.lines[line]) if line < len(name.lines) else ""))


# --- attachments -----------------------------------------------------------------------------------


def attachment_pages(document: DocxDocument, attachment: Attachment) -> None:
    add_paragraph(document, "attachment_label", attachment.label)
    titled(document, "attachment_title", attachment.title)
    for table in attachment.tables:
        attachment_table(document, table)


def attachment_table(document: DocxDocument, table: Table) -> None:
    """Its caption, the table (:mod:`.tables`), then an empty paragraph: Word needs one between two tables."""
    if table.caption:
        add_paragraph(document, "table_caption", table.caption)
    ids = TableStyles(style_id(document, "table"), style_id(document, "table_text"), style_id(document, "table_head"))
    spacer = add_paragraph(document, "table_text", table.note_text)  # with the table's note, if it has one
    spacer._p.addprevious(table_element(table, ids))


# --- 版记 ------------------------------------------------------------------------------------------


def colophon(document: DocxDocument, doc: Document) -> None:
    """抄送 and 印发 between rules, its last rule on the bottom edge of the type area (a table anchored there)."""
    assert doc.colophon is not None
    info = doc.colophon
    rows = [r for r in ((COPY_TO_LABEL + info.copy_to) if info.copy_to else "", info.printer) if r]
    table = document.add_table(rows=len(rows), cols=1)
    anchor_to_bottom(table)
    index = 0
    if info.copy_to:
        paragraph = table.rows[0].cells[0].paragraphs[0]
        styled(document, paragraph, "colophon")
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:left"), str(twips(Decimal(56))))
        ind.set(qn("w:hanging"), str(twips(Decimal(42))))  # wrapped lines after 抄送：
        paragraph.add_run(xml_text(COPY_TO_LABEL + info.copy_to))
        index = 1
    if info.printer:
        paragraph = table.rows[index].cells[0].paragraphs[0]
        styled(document, paragraph, "colophon")
        paragraph.paragraph_format.tab_stops.add_tab_stop(points(TYPE_WIDTH_PT - 14), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(xml_text(info.printer))
        paragraph.add_run("\t")
        add_spans(paragraph, spans(info.printed))
    if not doc.letter:
        colophon_rules(table, len(rows))
    add_paragraph(document, "table_text")  # a floating table is anchored to the paragraph after it


def anchor_to_bottom(table: DocxTable) -> None:
    """Float the table to the bottom of the type area, the full width (``w:tblpPr``).

    Placed from the page's left edge at the left margin, not centred on the margins: LibreOffice
    makes a floating table a frame (and so floats it) only when text could run beside it, which it
    judges against the page's width for a table placed from the page, against the type area's for one
    placed from the margins; a table as wide as the type area would stay in the text flow there.
    """
    left = twips(Decimal(MARGINS_MM["left"]) * PT_PER_MM)
    tblpr = table._tbl.tblPr
    put(tblpr, element("tblpPr", vertAnchor="margin", tblpYSpec="bottom", horzAnchor="page", tblpX=str(left)),
        TBLPR_ORDER)  # fmt: skip
    put(tblpr, element("tblW", w=str(twips(TYPE_WIDTH_PT)), type="dxa"), TBLPR_ORDER)


def colophon_rules(table: DocxTable, rows: int) -> None:
    """0.35 mm first and last rules, 0.25 mm between the items."""
    for index, row in enumerate(table.rows):
        borders = element("tcBorders")
        borders.append(element("top", val="single", sz="8" if index == 0 else "6", space="0", color="000000"))
        borders.append(element("left", val="nil"))
        borders.append(element("bottom", val="single", sz="8" if index == rows - 1 else "6", space="0",
                               color="000000"))  # fmt: skip
        borders.append(element("right", val="nil"))
        row.cells[0]._tc.get_or_add_tcPr().append(borders)
        row.cells[0].width = points(TYPE_WIDTH_PT)
