"""The attachment tables as WordprocessingML: merged sub-item names, rows kept together, headings kept with their rows."""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from kaohe.render.docx.tables import TableStyles, table_element
from kaohe.render.pdf.notice import KEPT_ITEM_ROWS, RubricRow
from kaohe.render.pdf.views import Table

STYLES = TableStyles("table", "text", "head")
SHORT = 2  # rows of a sub-item that keeps together (at most KEPT_ITEM_ROWS)
LONG = KEPT_ITEM_ROWS + 2  # rows of one that may go over a page


def goal(index: int, item: str = "", span: int = 0) -> RubricRow:
    return RubricRow(item=item, points="1", goal=f"目标{index}", rules="每项扣0.1分。", item_span=span)


def rubric_rows() -> list[RubricRow]:
    """一、党群工作: 党组织建设 over 2 goals, then 宣传文化 over 5."""
    rows = [RubricRow(category="一、党群工作（18分）")]
    rows += [goal(i, "党组织建设（5分）" if i == 0 else "", SHORT if i == 0 else 0) for i in range(SHORT)]
    rows += [goal(i, "宣传文化（5分）" if i == 0 else "", LONG if i == 0 else 0) for i in range(LONG)]
    return rows


def body_rows() -> list[etree._Element]:
    table = Table("rubric", ("考核项目", "分值", "工作目标", "扣分标准"), rubric_rows())
    rows: list[etree._Element] = table_element(table, STYLES).findall(qn("w:tr"))
    return rows[1:]  # after the repeated header row


def first_cell(row: etree._Element) -> etree._Element:
    return row.find(qn("w:tc"))


def merge_of(row: etree._Element) -> str | None:
    merge = first_cell(row).find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return None if merge is None else merge.get(qn("w:val"), "continue")


def text_of(cell: etree._Element) -> str:
    return "".join(t.text or "" for t in cell.iter(qn("w:t")))


def keeps(row: etree._Element) -> bool:
    return all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in row.iter(qn("w:p")))


def test_a_sub_items_name_is_one_cell_merged_down_over_its_goals() -> None:
    rows = body_rows()
    # the category row, then 党组织建设's 2 rows, then 宣传文化's 5
    assert [merge_of(row) for row in rows] == [None, "restart", "continue", "restart", *["continue"] * (LONG - 1)]
    assert text_of(first_cell(rows[1])) == "党组织建设（5分）" and text_of(first_cell(rows[3])) == "宣传文化（5分）"
    assert all(text_of(first_cell(row)) == "" for row in rows if merge_of(row) == "continue")


def test_a_short_sub_item_keeps_together_and_a_heading_keeps_with_its_rows() -> None:
    rows = body_rows()
    # the heading keeps with the next row; 党组织建设's first row with its second, which may end a page;
    # 宣传文化's 5 rows may break (its name stands at the top of its cell, so it shows on the first page)
    assert [keeps(row) for row in rows] == [True, True, False, *[False] * LONG]
    valign = first_cell(rows[3]).find(f"{qn('w:tcPr')}/{qn('w:vAlign')}").get(qn("w:val"))
    assert valign == "top"
    assert first_cell(rows[1]).find(f"{qn('w:tcPr')}/{qn('w:vAlign')}").get(qn("w:val")) == "center"


def test_a_table_without_rows_is_written_with_its_header() -> None:
    # a community no entry moved: its detail table has no rows (NO_EFFECTS stands in for them)
    table = Table("effects", ("日期", "细则条目", "扣分／计分", "说明"), [], empty="全年无扣分和计分记载。")
    rows = table_element(table, STYLES).findall(qn("w:tr"))
    assert len(rows) == 2 and "".join(t.text or "" for t in rows[1].iter(qn("w:t"))) == "全年无扣分和计分记载。"
    bare = table_element(Table("effects", ("日期", "细则条目", "扣分／计分", "说明"), []), STYLES)
    assert len(bare.findall(qn("w:tr"))) == 1  # a table with nothing to say under its heads says nothing
