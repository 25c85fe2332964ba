"""``template``: the right columns, drop-down lists, dates in the period, 说明, the same bytes every time."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheet_support import LEDGER, PARTY_LEDGER, imported, ledger_text, make_project
from support import run_cli

from kaohe.actions.spreadsheet.template import write_template


def test_the_party_template_has_a_column_for_each_kind_of_its_rules(template_project: Path) -> None:
    book = load_workbook(template_project / "template.xlsx")
    assert book.sheetnames == ["台帐", "选项", "说明"]
    sheet = book["台帐"]
    assert sheet["A1"].value == "2008年度党群线日常考核台帐"
    headings = [cell.value for cell in sheet[2]]
    assert headings == ["日期", "社区", "细则条目", "次数", "扣分", "完成数额（万元）", "说明", "依据"]


def test_a_line_with_only_per_item_rules_gets_no_points_or_amount_column(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    assert write_template(root, "other", root / "other.xlsx").columns == (
        "date",
        "community",
        "rule",
        "count",
        "note",
        "evidence",
    )


def test_the_lists_offer_the_communities_and_the_lines_rules_with_their_text(template_project: Path) -> None:
    lists = load_workbook(template_project / "template.xlsx")["选项"]
    assert lists.sheet_state == "hidden"
    rows = [tuple(cell.value for cell in row) for row in lists.iter_rows()]
    assert rows[0] == ("社区", "细则条目")
    assert [r[0] for r in rows[1:] if r[0]] == ["紫桥社区", "北门社区", "东升社区"]
    assert [r[1] for r in rows[1:]] == [
        "party.democracy.system 制度不健全每项扣0.1分",
        "party.democracy.disclose 一件重大事项不公开扣0.2分",
        "party.dues.collection 党费收缴力度不够酌情扣分",
        "party.culture.discretionary 未按要求开展工作酌情扣分（文体活动）",  # one text, two rules: the item tells
        "party.groups.discretionary 未按要求开展工作酌情扣分（群团工作）",
        "party.invest 招商引资",
    ]  # the other line's rule is not offered


def test_each_column_checks_what_is_typed(template_project: Path) -> None:
    sheet = load_workbook(template_project / "template.xlsx")["台帐"]
    found = {str(v.sqref): (v.type, v.operator, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert found == {
        "A3:A502": ("date", "between", "DATE(2008,1,1)", "DATE(2008,12,31)"),
        "B3:B502": ("list", None, "'选项'!$A$2:$A$4", None),  # three communities
        "C3:C502": ("list", None, "'选项'!$B$2:$B$7", None),  # six rules and indicators
        "D3:D502": ("whole", "greaterThanOrEqual", "1", None),
        "E3:E502": ("decimal", "greaterThan", "0", None),
        "F3:F502": ("decimal", "greaterThan", "0", None),
    }
    assert sheet["A3"].number_format == "yyyy-mm-dd"
    # Excel and WPS ask before keeping another date, community or rule, never refuse it: the 说明 sheet allows
    # 2008年3月12日, a community's short name, a rule's code or its text, which the import reads. A number
    # column refuses text (import would too).
    styles = {str(v.sqref)[0]: v.errorStyle for v in sheet.data_validations.dataValidation}
    assert styles == {"A": "warning", "B": "warning", "C": "warning", "D": None, "E": None, "F": None}


def test_the_instructions_sheet_explains_the_columns_in_chinese(template_project: Path) -> None:
    paragraphs = [row[0].value for row in load_workbook(template_project / "template.xlsx")["说明"].iter_rows()]
    assert paragraphs[0] == "2008年度党群线日常考核台帐填写说明"
    assert any("2008-01-01 至 2008-12-31" in p for p in paragraphs)
    assert any(p.startswith("7. 完成数额（万元）：") for p in paragraphs)


def test_the_same_content_gives_the_same_bytes_and_the_epoch_sets_the_dates(
    tmp_path: Path, template_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert write_template(root, "party", tmp_path / "again.xlsx").written
    assert (tmp_path / "again.xlsx").read_bytes() == (template_project / "template.xlsx").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1231718400")  # 2009-01-12 00:00:00 UTC
    assert write_template(root, "party", tmp_path / "dated.xlsx").written
    with zipfile.ZipFile(tmp_path / "dated.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        assert {info.date_time for info in archive.infolist()} == {(2009, 1, 12, 0, 0, 0)}
    assert "2009-01-12T00:00:00Z" in core


def test_an_existing_different_file_is_kept_unless_forced(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"a clerk's own workbook")
    done = run_cli(root, "template", "--line", "party", "-o", str(target), "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["refusal"] == f"{target} exists; use --force to replace it"
    assert target.read_bytes() == b"a clerk's own workbook"
    assert write_template(root, "party", target, force=True).written
    assert zipfile.is_zipfile(target)


def test_an_unknown_line_is_a_usage_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    done = run_cli(root, "template", "--line", "nope", "-o", str(tmp_path / "x.xlsx"))
    assert done.returncode == 2
    assert "template: no line 'nope' in the rubric (lines: party（党群线）, other（其他线）)" in done.stderr


def test_a_blank_template_imports_nothing(template_project: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    result = imported(root, template_project / "template.xlsx")
    assert result.ok and result.rows == 0 and result.read.blank == 0 and not result.written
    assert ledger_text(root) == PARTY_LEDGER


EXPECTED_FROM_TEMPLATE = """\
  - date: 2008-03-12
    community: ziqiao
    rule: party.democracy.system
    count: 2
    note: 两项制度未建立
    evidence: 检查记录第1号
  - date: 2008-04-08
    community: beimen
    rule: party.dues.collection
    deduct: 0.3
    note: 党费收缴不及时
  - date: 2008-11-02
    community: dongsheng
    indicator: party.invest
    amount: 150.5
    note: 某项目到位资金
    evidence: 银行回单
"""


def test_a_filled_template_saved_by_openpyxl_imports_cleanly(filled_template: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    result = imported(root, filled_template)
    assert result.written, [str(p) for p in result.problems]
    assert ledger_text(root) == PARTY_LEDGER + EXPECTED_FROM_TEMPLATE


@pytest.mark.parametrize("suffix", ["xlsx", "xls"])
def test_a_filled_template_saved_again_by_libreoffice_imports_cleanly(
    resaved_by_libreoffice: dict[str, Path], suffix: str, tmp_path: Path
) -> None:
    root = make_project(tmp_path / "project")
    result = imported(root, resaved_by_libreoffice[suffix])
    assert result.written, [str(p) for p in result.problems]
    assert ledger_text(root) == PARTY_LEDGER + EXPECTED_FROM_TEMPLATE
    assert (root / LEDGER).is_file() and result.read.ignored == []
    again = imported(root, resaved_by_libreoffice[suffix])
    assert again.ok and not again.written and len(again.rows_of("present")) == 3


def test_a_sheet_with_the_ledgers_entries_shows_them_as_import_reads_them(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    out = tmp_path / "party.xlsx"
    result = write_template(root, "party", out, entries=True)
    assert result.written and result.entries == 1 and result.as_json()["entries"] == 1
    sheet = load_workbook(out)["台帐"]
    headings = [cell.value for cell in sheet[2]]
    row = dict(zip(headings, [cell.value for cell in sheet[3]], strict=True))
    # PARTY_LEDGER's one entry: 2008-01-22, dongsheng, party.democracy.system ×3, 三项制度未建立
    assert row["日期"].date().isoformat() == "2008-01-22"
    assert row["社区"] == "东升社区"
    assert row["细则条目"] == "party.democracy.system 制度不健全每项扣0.1分"
    assert row["次数"] == 3 and row["说明"] == "三项制度未建立"
    # the ledger's row is grey and locked (changed and imported again it would count twice); the rows below are open
    assert sheet.protection.sheet
    assert all(cell.protection.locked and cell.fill.fgColor.rgb.endswith("E6E6E6") for cell in sheet[3])
    assert not any(cell.protection.locked for cell in sheet[4])
    help_text = "".join(str(cell.value) for cell in load_workbook(out)["说明"]["A"])
    assert "灰色的前1行是台帐里已有的记录" in help_text
    again = imported(root, out)  # nothing new: the row is the ledger's own
    assert again.ok and not again.written and again.appended is not None and len(again.appended.present) == 1
    assert ledger_text(root) == PARTY_LEDGER


def test_a_row_added_below_the_ledgers_entries_is_the_only_one_imported(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    out = tmp_path / "party.xlsx"
    assert write_template(root, "party", out, entries=True).written
    book = load_workbook(out)
    sheet = book["台帐"]
    headings = [cell.value for cell in sheet[2]]
    added = {
        "日期": "2008-05-06",
        "社区": "紫桥",
        "细则条目": "party.democracy.system",
        "次数": 1,
        "说明": "一项制度未建立",
    }
    for column, heading in enumerate(headings, start=1):
        sheet.cell(row=4, column=column, value=added.get(heading))
    book.save(out)
    result = imported(root, out)
    assert result.written and result.appended is not None
    assert len(result.appended.added) == 1 and len(result.appended.present) == 1
    assert ledger_text(root) == PARTY_LEDGER + (
        "  - date: 2008-05-06\n    community: ziqiao\n    rule: party.democracy.system\n    count: 1\n"
        "    note: 一项制度未建立\n"
    )


@pytest.mark.parametrize("line", ["party", "invest", "civil", "stability"])
def test_the_sample_ledgers_go_out_to_a_sheet_and_back_unchanged(line: str, tmp_path: Path) -> None:
    from support import copy_project

    root = copy_project(tmp_path / "sample")
    out = tmp_path / f"{line}.xlsx"
    result = write_template(root, line, out, entries=True)
    assert result.written and result.entries > 10
    back = imported(root, out, dry_run=True, line=line)
    assert back.ok and back.appended is not None, [str(p) for p in back.problems]
    assert back.appended.added == () and len(back.appended.present) == result.entries


def test_notes_a_sheet_cannot_hold_as_typed_come_back_as_the_same_entries(tmp_path: Path) -> None:
    # A `|` block ends its note with a line break and quotes can keep spaces around it: a cell keeps neither,
    # and the entries must still be the ledger's own, not new ones that would count twice.
    root = make_project(tmp_path / "project")
    (root / LEDGER).write_text(
        PARTY_LEDGER + "  - date: 2008-02-01\n    community: ziqiao\n    rule: party.democracy.system\n    note: |\n"
        "      1. 年度没有发展新党员\n      2. 培养台帐不全\n"
        '  - date: 2008-02-02\n    community: ziqiao\n    rule: party.democracy.system\n    note: " 居务未公开 "\n',
        encoding="utf-8",
    )
    out = tmp_path / "party.xlsx"
    assert write_template(root, "party", out, entries=True).entries == 3
    back = imported(root, out, dry_run=True)
    assert back.ok and back.appended is not None, [str(p) for p in back.problems]
    assert back.appended.added == () and len(back.appended.present) == 3


def test_a_ledger_with_errors_is_not_written_out(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "content" / "ledgers" / "party.yaml").write_text(PARTY_LEDGER.replace("count: 3", "count: 三"), "utf-8")
    result = write_template(root, "party", tmp_path / "party.xlsx", entries=True)
    assert not result.written and "correct them first" in result.refusal
    assert not (tmp_path / "party.xlsx").exists()
