"""Finding the header row and the columns: title rows above, synonyms, a mapping file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaohe.actions.spreadsheet.columns import Layout, find_layout
from kaohe.actions.spreadsheet.grid import Sheet
from kaohe.actions.spreadsheet.mapping import Mapping, read_mapping


def sheet(*rows: tuple[str | None, ...]) -> Sheet:
    return Sheet("Sheet1", tuple(rows))


SYNONYMS = {
    "date": ["日期", "检查日期", "时间"],
    "community": ["社区", "社区名称"],
    "rule": ["扣分标准", "考核内容", "细则条目"],
    "count": ["次数", "项数", "处数"],
    "deduct": ["扣分", "扣分值"],
    "amount": ["完成数额", "金额", "到位资金"],
    "note": ["说明", "情况说明", "备注"],
    "evidence": ["依据", "佐证材料"],
}


@pytest.mark.parametrize("pick", [0, 1, 2])
def test_columns_are_found_by_their_usual_headings(pick: int) -> None:
    headings = {key: names[min(pick, len(names) - 1)] for key, names in SYNONYMS.items()}
    layout = find_layout(sheet(tuple(headings.values())), Mapping())
    assert isinstance(layout, Layout)
    assert layout.columns == {key: index for index, key in enumerate(headings, start=1)}


def test_the_header_row_is_found_below_a_title_and_a_unit_row() -> None:
    layout = find_layout(
        sheet(
            ("城北街道2008年党群线考核台帐", "城北街道2008年党群线考核台帐", None),
            ("填报单位：党群线", None, None),
            ("序号", "检查日期", "社区名称", "考核内容", "扣分（分）", "情况说明"),
        ),
        Mapping(),
    )
    assert isinstance(layout, Layout)
    assert layout.header_row == 3
    # a bracketed unit is not part of the heading; 序号 is not read
    assert layout.columns == {"date": 2, "community": 3, "rule": 4, "deduct": 5, "note": 6}


def test_the_more_usual_heading_wins_when_two_columns_name_one_key() -> None:
    layout = find_layout(sheet(("日期", "社区", "细则条目", "备注", "说明")), Mapping())
    assert isinstance(layout, Layout)
    assert layout.columns["note"] == 5  # 说明 comes before 备注 in the vocabulary


def test_a_sheet_without_the_needed_headings_says_what_it_looked_for() -> None:
    found = find_layout(sheet(("名称", "数量")), Mapping())
    assert isinstance(found, str)
    assert "日期" in found and "社区" in found and "--mapping" in found


def test_a_mapping_file_names_headings_and_letters(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text("header_row: 2\ncolumns:\n  date: 检查时间\n  community: B\n  rule: 问题类别\n", "utf-8")
    mapping, problems = read_mapping(path, "mapping.yaml")
    assert problems == []
    layout = find_layout(sheet(("标题",), ("检查时间", "单位名称", "问题类别", "情况")), mapping)
    assert isinstance(layout, Layout)
    assert (layout.header_row, layout.columns) == (2, {"date": 1, "community": 2, "rule": 3})


def test_a_wrong_mapping_file_is_reported_at_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text("header_rows: 2\ncolumns:\n  dat: 检查时间\n  note: [a]\n", "utf-8")
    _mapping, problems = read_mapping(path, "mapping.yaml")
    assert [str(p) for p in problems] == [
        "mapping.yaml:1:1: error: unknown key 'header_rows' (did you mean 'header_row'?)",
        "mapping.yaml:3:3: error: unknown column key 'dat' (did you mean 'date'?)",
        "mapping.yaml:4:9: error: 'columns.note' should be text",
    ]
