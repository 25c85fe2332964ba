"""The attachment tables as WordprocessingML, laid out like their PDF templates (``table-<kind>.html``).

The cells of each view row are decided by :func:`row_cells` (which columns a heading row spans,
which font a row takes); :func:`table_element` writes them with lxml directly: python-docx's table
API parses a snippet of XML for every element it adds, seconds for one score sheet. The header row
repeats on every page (``w:tblHeader``) and no row breaks across pages (``w:cantSplit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from lxml import etree

from kaohe.render.docx.styles import HEAD_PT, OFFICIAL, TABLE_PT, twips
from kaohe.render.docx.text import Span, spans, xml_text
from kaohe.render.month_strip import LEVELS, MonthCell
from kaohe.render.pdf.month_table import MonthRow
from kaohe.render.pdf.notice import RubricRow
from kaohe.render.pdf.report import ScoreRow
from kaohe.render.pdf.sheet import EffectRow, ItemRow
from kaohe.render.pdf.views import TYPE_WIDTH_PT, Table

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SCORE_COLUMNS = (Decimal(7), Decimal(12))  # the rank and name columns of the 通报's table, in % (notice.css)
SHADE = "F2F2F2"  # a leaf's heading row in the score sheet's detail table (notice.css)
# a month's cell by its shade level (kaohe/render/month_strip.py), the greys of notice.css's
# table.months td.m1 … m4; the darkest takes white text
MONTH_FILLS = {1: "E6E6E6", 2: "C4C4C4", 3: "8F8F8F", 4: "4D4D4D"}
WHITE_TEXT_LEVEL = LEVELS
# left and right inside a cell (notice.css), else DEFAULT_PADDING_MM
CELL_PADDING_MM = {"scores": Decimal("0.5"), "months": Decimal("0.2")}
DEFAULT_PADDING_MM = Decimal("1.2")
# above and below a body cell's text (notice.css), else DEFAULT_ROW_PADDING_MM
ROW_PADDING_MM = {"scores": Decimal("1.5")}
DEFAULT_ROW_PADDING_MM = Decimal(1)
PT_PER_MM = Decimal("2.8346")


@dataclass(frozen=True)
class Cell:
    """One cell: its text, how many columns it spans, its font role, centred, its background (hex RGB), white text."""

    text: tuple[Span, ...] = ()
    columns: int = 1
    font: str = ""
    centred: bool = False
    fill: str = ""
    white: bool = False
    merge: str = ""  # "restart": the first of cells merged down the rows; "continue": one below it
    top: bool = False  # its text at the top, not in the middle
    keep: bool = False  # on the same page as the next row (``w:keepNext``: Word's way to keep rows together)


@dataclass(frozen=True)
class TableStyles:
    """The style ids the tables use (looked up once in the document)."""

    table: str
    text: str
    head: str


def text_cell(
    text: str, columns: int = 1, font: str = "", centred: bool = False, fill: str = "", white: bool = False
) -> Cell:
    """A cell of plain text (characters XML cannot hold left out)."""
    text = xml_text(text)
    return Cell((Span(text),) if text else (), columns, font, centred, fill, white)


def row_cells(kind: str, row: object, columns: int) -> list[Cell]:
    """A view row's cells, as the template of its table kind lays them out."""
    if isinstance(row, RubricRow):
        if row.category:
            return [text_cell(row.category, columns=columns, font="hei")]
        return [item_cell(row), text_cell(row.points, centred=True), text_cell(row.goal), text_cell(row.rules)]
    if isinstance(row, ItemRow):
        font = "hei" if row.level in ("category", "total") else ""
        return [text_cell(row.label, font=font), *(text_cell(v, font=font, centred=True) for v in
                (row.points, row.score, row.rank))]  # fmt: skip
    if isinstance(row, EffectRow):
        return effect_cells(row, columns)
    if isinstance(row, ScoreRow):
        values = (row.rank, row.name, *row.scores, row.total, row.remark)
        return [text_cell(value, centred=True) for value in values]
    if isinstance(row, MonthRow):  # a line's month strip: each month shaded against the line's busiest
        months = [month_cell(cell) for cell in row.cells]
        return [text_cell(row.name, centred=True), *months, text_cell(str(row.total), centred=True)]
    return [text_cell(str(row), columns=columns)]


def item_cell(row: RubricRow) -> Cell:
    """A sub-item's name, one cell merged down over its goals' rows, as the PDF's ``rowspan``; the name of
    one long enough to go over a page stands at its top, so that it shows on its first page."""
    if not row.starts_item:
        return Cell(merge="continue")
    merge = "restart" if row.item_span > 1 else ""
    return replace(text_cell(row.item, centred=True), merge=merge, top=not row.keeps_together)


def kept_with_next(rows: Sequence[object]) -> list[bool]:
    """For each row, whether it stays on the page of the next, as in the PDF: a group's heading row (a
    category of the 细则 or of the score sheet, a leaf of its detail) never stays alone at the foot of a page, and
    the rows of a short sub-item of the 细则 keep together (``tbody.keep``)."""
    keeps, kept = [], False
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        if isinstance(row, RubricRow) and row.starts_item:
            kept = row.keeps_together
        continued = isinstance(following, RubricRow) and not following.category and not following.starts_item
        heads = bool(getattr(row, "starts_group", False))  # as the PDF groups its tables (views.Table.groups)
        keeps.append(following is not None and (heads or (kept and continued)))
    return keeps


def month_cell(cell: MonthCell) -> Cell:
    fill = MONTH_FILLS.get(cell.level, "")
    return text_cell(str(cell.count), centred=True, fill=fill, white=cell.level >= WHITE_TEXT_LEVEL)


def effect_cells(row: EffectRow, columns: int) -> list[Cell]:
    if row.kind == "leaf":
        return [text_cell(row.rule, columns=columns, font="hei", fill=SHADE)]
    if row.kind == "summary":
        return [Cell(), text_cell(row.rule, font="kai"), text_cell(row.change, columns=columns - 2, font="kai")]
    return [text_cell(row.date, centred=True), text_cell(row.rule), text_cell(row.change, centred=True),
            Cell(tuple(spans(row.note)))]  # fmt: skip


def column_widths(table: Table) -> list[Decimal]:
    """Column widths in points: the view model's percentages, the 通报's first two as notice.css has them."""
    count = len(table.head)
    if table.widths:
        shares = [Decimal(width.removesuffix("%")) for width in table.widths]
    elif table.kind == "scores" and count > len(SCORE_COLUMNS):
        rest = (Decimal(100) - sum(SCORE_COLUMNS)) / (count - len(SCORE_COLUMNS))
        shares = [*SCORE_COLUMNS, *([rest] * (count - len(SCORE_COLUMNS)))]
    else:
        shares = [Decimal(100) / count] * count
    return [TYPE_WIDTH_PT * share / 100 for share in shares]


def sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    made = etree.SubElement(parent, f"{{{W_NS}}}{tag}")
    for key, value in attributes.items():
        made.set(f"{{{W_NS}}}{key}", value)
    return made


def table_element(table: Table, ids: TableStyles) -> etree._Element:
    """The whole ``w:tbl``: properties, grid, the repeated header row, one row for each view row."""
    tbl = etree.Element(f"{{{W_NS}}}tbl", nsmap={"w": W_NS})
    props = sub(tbl, "tblPr")
    sub(props, "tblStyle", val=ids.table)
    sub(props, "tblW", w=str(twips(TYPE_WIDTH_PT)), type="dxa")
    sub(props, "jc", val="center")
    sub(props, "tblLayout", type="fixed")
    padding = str(twips(CELL_PADDING_MM.get(table.kind, DEFAULT_PADDING_MM) * PT_PER_MM))
    row_padding = str(twips(ROW_PADDING_MM.get(table.kind, DEFAULT_ROW_PADDING_MM) * PT_PER_MM))
    margins = sub(props, "tblCellMar")  # in the schema's order: top, left, bottom, right
    sub(margins, "top", w=row_padding, type="dxa")
    sub(margins, "left", w=padding, type="dxa")
    sub(margins, "bottom", w=row_padding, type="dxa")
    sub(margins, "right", w=padding, type="dxa")
    widths = [twips(width) for width in column_widths(table)]
    grid = sub(tbl, "tblGrid")
    for width in widths:
        sub(grid, "gridCol", w=str(width))
    columns = len(widths)
    add_row(tbl, [text_cell(text, centred=True) for text in table.head], widths, table.kind, ids.head, header=True)
    for row, keep in zip(table.rows, kept_with_next(table.rows), strict=True):
        cells = row_cells(table.kind, row, columns)
        add_row(tbl, [replace(cell, keep=True) for cell in cells] if keep else cells, widths, table.kind, ids.text)
    if not table.rows and table.empty:
        add_row(tbl, [text_cell(table.empty, columns=columns)], widths, table.kind, ids.text)
    return tbl


def add_row(
    tbl: etree._Element, cells: Sequence[Cell], widths: Sequence[int], kind: str, style_id: str, header: bool = False
) -> None:
    tr = sub(tbl, "tr")
    row_props = sub(tr, "trPr")
    sub(row_props, "cantSplit")
    if header:
        sub(row_props, "tblHeader")
    column = 0
    for cell in cells:
        width = sum(widths[column : column + cell.columns])
        column += cell.columns
        add_cell(tr, cell, width, kind, style_id, header)


def add_cell(tr: etree._Element, cell: Cell, width: int, kind: str, style_id: str, header: bool = False) -> None:
    tc = sub(tr, "tc")
    cell_props = sub(tc, "tcPr")
    sub(cell_props, "tcW", w=str(width), type="dxa")
    if cell.columns > 1:
        sub(cell_props, "gridSpan", val=str(cell.columns))
    if cell.merge == "restart":
        sub(cell_props, "vMerge", val="restart")
    elif cell.merge:
        sub(cell_props, "vMerge")
    if cell.fill:
        sub(cell_props, "shd", val="clear", color="auto", fill=cell.fill)
    sub(cell_props, "vAlign", val="top" if cell.top else "center")
    paragraph = sub(tc, "p")
    paragraph_props = sub(paragraph, "pPr")
    sub(paragraph_props, "pStyle", val=style_id)
    if cell.keep:
        sub(paragraph_props, "keepNext")
    if cell.centred:
        sub(paragraph_props, "jc", val="center")
    size = str(int((HEAD_PT.get(kind, TABLE_PT[kind]) if header else TABLE_PT[kind]) * 2))  # half-points
    for span in cell.text:
        add_run(paragraph, span, size, cell.font, cell.white)


def add_run(paragraph: etree._Element, span: Span, size: str, font: str, white: bool = False) -> None:
    for index, part in enumerate(span.text.split("\n")):
        run = sub(paragraph, "r")
        props = sub(run, "rPr")
        if font:
            family = OFFICIAL[font]
            sub(props, "rFonts", ascii=family, hAnsi=family, eastAsia=family, cs=family, hint="eastAsia")
        if span.bold:
            sub(props, "b")
        if span.italic:
            sub(props, "i")
        if white:
            sub(props, "color", val="FFFFFF")
        sub(props, "sz", val=size)
        sub(props, "szCs", val=size)
        if index:
            sub(run, "br")
        text = sub(run, "t")
        text.text = part
        text.set(XML_SPACE, "preserve")
