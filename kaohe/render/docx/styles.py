"""The DOCX page set-up and styles: the GB/T 9704 layout of docs/NOTICE.md as Word styles.

Every paragraph the writer makes has a named style (names in :data:`kaohe.render.vocab.DOCX_STYLES`),
so a clerk who changes a sentence in WPS or Word keeps the layout: the body style carries the font,
the 2-character indent, justification and the exact line pitch, and the document grid (22 lines of
28 characters) keeps the lines where the PDF has them. Fonts are named by role with their official
names (:data:`kaohe.render.pdf.fonts.ROLES`), for the Latin and the East Asian text alike.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle

from kaohe.render.pdf.fonts import ROLES
from kaohe.render.pdf.views import CELL_PT, LINE_CELLS, LINE_PITCH_PT, TYPE_WIDTH_PT
from kaohe.render.vocab import DOCX_STYLES

PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 37, "left": 28, "right": 26, "bottom": 35}  # type area 156 × 225 mm (docs/NOTICE.md)
FOOTER_MM = 23  # the page number's line: its top 7 mm below the type area
HEADER_MM = 11  # the 草稿 and 示例数据 marks above the type area
LINES_PER_PAGE = 22
BODY_PT = Decimal(16)  # 3号
TITLE_PT = Decimal(22)  # 2号
SMALL_PT = Decimal(14)  # 4号: 版记, page numbers
MARK_PT = Decimal(28)  # the organ names of the mark
WENJIAN_PT = Decimal(42)
MARK_LINE_MM = Decimal("10.85")  # one stacked organ name
MARK_TOP_MM = 35  # the mark's top edge below the type area's top
RED = RGBColor(0xE6, 0x00, 0x12)
DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x66, 0x66, 0x66)
TABLE_PT = {
    "rubric": Decimal(11),
    "scores": Decimal("10.5"),
    "effects": Decimal("10.5"),
    "items": Decimal(12),
    "months": Decimal(10),
}
HEAD_PT = {"scores": Decimal(9), "months": Decimal(9)}  # the column heads where notice.css sets them smaller
TWIPS_PER_PT = 20
EIGHTHS_PER_PT = 8
RULE_EIGHTHS = 11  # the red rule: 11/8 pt ≈ 0.5 mm thick (w:sz in eighths of a point)
RULE_SPACE_PT = 11  # ≈ 4 mm under the 发文字号 (w:space in points)
# The grid: 22 lines of 28.95 pt; 28 characters a line come from the body's letter-spacing (grid_letter_spacing),
# as in the PDFs. A grid of characters too ("linesAndChars") makes LibreOffice give every 16 pt character two
# cells of 15.79 pt and break lines after 14 characters.
GRID_TYPE = "lines"
OFFICIAL = {role.key: role.official[0] for role in ROLES}  # fang, xbs, mark, hei, kai, song
PT_PER_MM = Decimal("2.8346")
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]

TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def put(parent: BaseOxmlElement, child: BaseOxmlElement, order: list[str]) -> BaseOxmlElement:
    """Put ``child`` into ``parent`` where the schema's order wants it, replacing one of the same tag."""
    local = child.tag.rsplit("}", 1)[-1]
    for old in parent.findall(qn(f"w:{local}")):
        parent.remove(old)
    successors = [f"w:{tag}" for tag in order[order.index(local) + 1 :]]
    parent.insert_element_before(child, *successors)
    return child


def element(tag: str, **attributes: str) -> BaseOxmlElement:
    """``<w:tag w:key="value" …>``."""
    made = OxmlElement(f"w:{tag}")
    for key, value in attributes.items():
        made.set(qn(f"w:{key}"), value)
    return made


EMU_PER_PT = 12700  # OOXML's unit: 914,400 per inch, 72 points per inch


def points(value: Decimal | int) -> Length:
    """A length of ``value`` points, computed exactly (python-docx's ``Pt`` multiplies a float)."""
    return Emu(int(Decimal(value) * EMU_PER_PT))


def twips(points: Decimal) -> int:
    return int((points * TWIPS_PER_PT).to_integral_value())


def line_spacing_pt(lines: int = 1) -> Length:
    return points(LINE_PITCH_PT * lines)


def grid_letter_spacing() -> int:
    """``w:spacing`` of the body text, in twentieths of a point: the 16 pt characters made no wider than a
    grid cell (15.79 pt), as the PDFs' letter-spacing does; a word processor that gives a wider character
    two cells of the grid (LibreOffice) then keeps 28 to the line too."""
    return int(((CELL_PT - BODY_PT) * TWIPS_PER_PT).to_integral_value(rounding=ROUND_FLOOR))


def set_fonts(rpr_owner: BaseOxmlElement, family: str) -> None:
    """Name ``family`` for Latin, East Asian and complex-script text (``w:rFonts``)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)
    fonts.set(qn("w:hint"), "eastAsia")


def set_page(document: DocxDocument) -> None:
    """A4, the margins of the type area, the 22-line document grid, odd and even footers."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(FOOTER_MM)
    section.gutter = Mm(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), GRID_TYPE)
    grid.set(qn("w:linePitch"), str(twips(LINE_PITCH_PT)))
    document.settings.odd_and_even_pages_header_footer = True


def set_defaults(document: DocxDocument) -> None:
    """The document defaults: 3号 仿宋 in Chinese (the grid's character size is the default size)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), OFFICIAL["fang"])
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(int(BODY_PT * 2)))
        rpr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    no_auto_space(defaults)


def no_auto_space(defaults: BaseOxmlElement) -> None:
    """No extra space between Chinese and Latin letters or digits (Word's and WPS's default adds it): the
    PDFs set ``2008年`` as the grid has it, and the lines must break where theirs do."""
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    for tag in ("autoSpaceDE", "autoSpaceDN"):
        put(ppr, element(tag, val="0"), PPR_ORDER)


def _paragraph_style(document: DocxDocument, key: str, base: ParagraphStyle | None) -> ParagraphStyle:
    style = document.styles.add_style(DOCX_STYLES[key], WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = base
    style.quick_style = True
    return style


def _character_style(document: DocxDocument, key: str, font: str) -> CharacterStyle:
    style = document.styles.add_style(DOCX_STYLES[key], WD_STYLE_TYPE.CHARACTER)
    assert isinstance(style, CharacterStyle)
    set_fonts(style.element, font)
    # the body's letter-spacing again: LibreOffice does not carry the paragraph style's into a character
    # style, and a character wider than a grid cell takes two cells
    put(style.element.get_or_add_rPr(), element("spacing", val=str(grid_letter_spacing())), RPR_ORDER)
    style.quick_style = True
    return style


def _font(style: BaseStyle, role: str, size: Decimal, color: RGBColor | None = None, bold: bool = False) -> None:
    set_fonts(style.element, OFFICIAL[role])
    font = style.font  # type: ignore[attr-defined]
    font.size = points(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color


def _ppr(style: BaseStyle) -> BaseOxmlElement:
    return style.element.get_or_add_pPr()  # type: ignore[no-any-return]


def set_indent_chars(style: BaseStyle, first: int = 0, left: int = 0, right: int = 0, hanging: int = 0) -> None:
    """Indents in grid characters (``w:firstLineChars`` etc., hundredths of a character)."""
    ind = _ppr(style).get_or_add_ind()
    for attribute, chars in (("firstLine", first), ("left", left), ("right", right), ("hanging", hanging)):
        if chars:
            ind.set(qn(f"w:{attribute}Chars"), str(chars * 100))
            ind.set(qn(f"w:{attribute}"), str(twips(TYPE_WIDTH_PT / LINE_CELLS * chars)))
    if hanging:  # a hanging indent and a first-line indent exclude each other: LibreOffice took the 0 first-line
        for attribute in ("w:firstLine", "w:firstLineChars"):
            ind.attrib.pop(qn(attribute), None)


def no_grid(style: BaseStyle) -> None:
    """Lines of this style keep their own spacing instead of snapping to the 28.95 pt grid."""
    put(_ppr(style), element("snapToGrid", val="0"), PPR_ORDER)


def exact_lines(
    style: ParagraphStyle, pitch: Length, before: Length | None = None, after: Length | None = None
) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = before if before is not None else Pt(0)
    fmt.space_after = after if after is not None else Pt(0)


def add_styles(document: DocxDocument) -> None:
    """Every style the notices use, based on the body style ``Normal``."""
    body = document.styles["Normal"]  # Word and WPS show it as 正文; new paragraphs take it
    assert isinstance(body, ParagraphStyle)
    _font(body, "fang", BODY_PT)
    exact_lines(body, line_spacing_pt())
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.widow_control = False  # like the PDFs: no line pushed to the next page
    set_indent_chars(body, first=2)
    put(_ppr(body), element("overflowPunct", val="0"), PPR_ORDER)  # punctuation stays inside the type area
    put(body.element.get_or_add_rPr(), element("spacing", val=str(grid_letter_spacing())), RPR_ORDER)

    _character_style(document, "hei", OFFICIAL["hei"])
    _character_style(document, "kai", OFFICIAL["kai"])
    _flush(document, "addressee", body)
    _header_styles(document, body)
    _title_styles(document, body)
    _closing_styles(document, body)
    _table_styles(document, body)
    _page_styles(document, body)


def _flush(document: DocxDocument, key: str, base: ParagraphStyle) -> ParagraphStyle:
    """A body-text style without the first-line indent."""
    style = _paragraph_style(document, key, base)
    style.paragraph_format.first_line_indent = Pt(0)
    _ppr(style).get_or_add_ind().set(qn("w:firstLineChars"), "0")
    return style


def _header_styles(document: DocxDocument, body: ParagraphStyle) -> None:
    space = _flush(document, "mark_space", body)
    exact_lines(space, points(Decimal(MARK_TOP_MM) * PT_PER_MM))
    no_grid(space)
    mark = _flush(document, "mark", body)
    _font(mark, "mark", MARK_PT, RED)
    exact_lines(mark, points(MARK_LINE_MM * PT_PER_MM))
    mark.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
    mark.paragraph_format.keep_with_next = True
    no_grid(mark)
    number = _flush(document, "number", body)
    # the red rule's space and width are part of the paragraph: the line is shorter by both, so that the
    # lines after it stay whole grid lines below the mark
    exact_lines(
        number,
        points(LINE_PITCH_PT - RULE_SPACE_PT - Decimal(RULE_EIGHTHS) / EIGHTHS_PER_PT),
        before=line_spacing_pt(2),
    )
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_grid(number)
    red_rule(number)


def red_rule(style: ParagraphStyle) -> None:
    """The red separator: a 0.5 mm red line 4 mm under the 发文字号, the full width of the type area."""
    borders = element("pBdr")
    line = element("bottom", val="single", sz=str(RULE_EIGHTHS), space=str(RULE_SPACE_PT), color=str(RED))
    borders.append(line)
    put(_ppr(style), borders, PPR_ORDER)


def _title_styles(document: DocxDocument, body: ParagraphStyle) -> None:
    title = _flush(document, "title", body)
    _font(title, "xbs", TITLE_PT)
    exact_lines(title, line_spacing_pt(), before=line_spacing_pt(2), after=line_spacing_pt())
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True
    no_grid(title)  # 2号 characters are wider than a grid cell: their own pitch, the line pitch kept exact
    label = _flush(document, "attachment_label", body)
    _font(label, "hei", BODY_PT)
    label.paragraph_format.page_break_before = True
    label.paragraph_format.keep_with_next = True
    attachment_title = _paragraph_style(document, "attachment_title", title)
    attachment_title.paragraph_format.space_before = line_spacing_pt()


def _closing_styles(document: DocxDocument, body: ParagraphStyle) -> None:
    note = _flush(document, "attachment_note", body)
    note.paragraph_format.space_before = line_spacing_pt()
    note.paragraph_format.keep_with_next = True
    set_indent_chars(note, left=5, hanging=3)  # wrapped lines align with the name after 附件：
    more = _flush(document, "attachment_note_more", body)
    set_indent_chars(more, left=5)
    more.paragraph_format.keep_with_next = True
    signer = _flush(document, "signer", body)
    signer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    signer.paragraph_format.keep_with_next = True
    signed = _paragraph_style(document, "signed", signer)
    signed.paragraph_format.keep_with_next = False


def _table_styles(document: DocxDocument, body: ParagraphStyle) -> None:
    text = _flush(document, "table_text", body)
    text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text.font.size = Pt(12)
    no_grid(text)
    head = _paragraph_style(document, "table_head", text)
    set_fonts(head.element, OFFICIAL["hei"])
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = _flush(document, "table_caption", body)
    _font(caption, "hei", SMALL_PT)
    caption.paragraph_format.space_before = points(SMALL_PT)
    caption.paragraph_format.keep_with_next = True
    no_grid(caption)
    table = document.styles.add_style(DOCX_STYLES["table"], WD_STYLE_TYPE.TABLE)
    table_borders(table.element)


def table_borders(style_element: BaseOxmlElement) -> None:
    """0.5 pt black lines around and between every cell (``w:tblBorders``)."""
    tblpr = style_element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style_element.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tblpr.append(borders)


def _page_styles(document: DocxDocument, body: ParagraphStyle) -> None:
    colophon = _flush(document, "colophon", body)
    _font(colophon, "fang", SMALL_PT)
    set_indent_chars(colophon, left=1, right=1)
    colophon.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    no_grid(colophon)
    number = _flush(document, "page_number", body)
    _font(number, "song", SMALL_PT)
    exact_lines(number, points(SMALL_PT))
    no_grid(number)
    mark = _flush(document, "page_mark", body)
    _font(mark, "hei", Decimal(9), GREY)
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    no_grid(mark)
