"""``import``: hand-made sheets as clerks make them, into the party ledger, checked as ``check`` checks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sheet_support import DATA, LEDGER, PARTY_LEDGER, imported, ledger_text, make_project, workbook
from support import run_cli

from kaohe.content.canonical import comment_lines
from kaohe.errors import Severity

HEADER = ("日期", "社区", "细则条目", "次数", "扣分", "完成数额", "说明", "依据")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def clerk_sheet(path: Path) -> Path:
    """A title row, a unit row, the headings on row 3, a community merged over two rows, blank rows, 合计."""
    return workbook(
        path,
        [
            ("城北街道党群线2008年度日常考核台帐",),
            ("填报单位：党群线",),
            ("序号", "检查日期", "社区名称", "考核内容", "项数", "扣分值", "情况说明", "佐证材料"),
            (1, datetime(2008, 3, 12), "紫桥社区", "制度不健全每项扣0.1分", 2, None, "两项制度未建立", "检查记录第1号"),
            (2, "2008.3.20", None, "party.democracy.disclose", None, None, "一件重大事项未公开", None),
            (),
            (3, "2008年4月8日", "北门", "党费收缴力度不够酌情扣分", None, 0.1 + 0.2, "党费收缴不及时", None),
            (4, "6月1日", "dongsheng", "party.democracy.system", None, 0.3, "三项制度未建立", None),
            (),
            ("合计", None, None, None, 2, 0.6, None, None),
        ],
        merges=["A1:H1", "A2:H2", "C4:C5"],
    )


APPENDED = """\
  - date: 2008-03-12
    community: ziqiao
    rule: party.democracy.system
    count: 2
    note: 两项制度未建立
    evidence: 检查记录第1号
  - date: 2008-03-20
    community: ziqiao
    rule: party.democracy.disclose
    note: 一件重大事项未公开
  - date: 2008-04-08
    community: beimen
    rule: party.dues.collection
    deduct: 0.3
    note: 党费收缴不及时
  - date: 2008-06-01
    community: dongsheng
    rule: party.democracy.system
    count: 3
    note: 三项制度未建立
"""


def test_a_clerks_sheet_is_appended_in_canonical_form_with_the_comments_kept(project: Path) -> None:
    result = imported(project, clerk_sheet(project / "台帐.xlsx"))
    assert result.ok and result.written, [str(p) for p in result.problems]
    assert result.layout is not None and result.layout.header_row == 3
    # the merged 社区 cell (C4:C5) counts for both rows; 0.1 + 0.2 in a cell is 0.3, not 0.30000000000000004;
    # 扣分 0.3 on a rule deducting 0.1 per item is 3 items
    assert ledger_text(project) == PARTY_LEDGER + APPENDED
    assert comment_lines(ledger_text(project)) == comment_lines(PARTY_LEDGER)
    assert [i.row for i in result.read.ignored] == [10] and "合计" in result.read.ignored[0].reason
    assert result.read.blank == 2  # rows 6 and 9; the empty rows after 合计 are not counted
    assert result.rows == 5  # rows 4, 5, 7, 8 and the 合计 row


def test_importing_the_same_sheet_twice_adds_nothing_the_second_time(project: Path) -> None:
    sheet = clerk_sheet(project / "台帐.xlsx")
    assert imported(project, sheet).written
    after_first = ledger_text(project)
    again = imported(project, sheet)
    assert again.ok and not again.written
    assert [row.row for row in again.rows_of("present")] == [4, 5, 7, 8]
    assert again.rows_of("added") == []
    assert ledger_text(project) == after_first


def test_an_entry_already_in_the_ledger_is_skipped(project: Path) -> None:
    sheet = workbook(
        project / "a.xlsx",
        [HEADER, ("2008-01-22", "东升社区", "party.democracy.system", 3, None, None, "三项制度未建立", None)],
    )
    result = imported(project, sheet)
    assert result.ok and not result.written and [r.row for r in result.rows_of("present")] == [2]
    assert ledger_text(project) == PARTY_LEDGER


def test_a_row_corrected_in_the_sheet_and_imported_again_is_added_with_a_warning_at_its_row(project: Path) -> None:
    # The ledger holds 2008-01-22 东升社区 party.democracy.system, count 3; the clerk corrects the count to 2.
    sheet = workbook(
        project / "a.xlsx",
        [HEADER, ("2008-01-22", "东升社区", "party.democracy.system", 2, None, None, "两项制度未建立", None)],
    )
    result = imported(project, sheet)
    assert result.ok and result.written and [r.row for r in result.rows_of("added")] == [2]
    (warned,) = [p for p in result.problems if p.row == 2]
    assert warned.severity is Severity.WARNING
    assert "already holds an entry of 2008-01-22 for 'dongsheng' on 'party.democracy.system'" in warned.message
    assert (
        "(line 7: count 3, note 三项制度未建立)" in warned.message
        and "(count 2, note 两项制度未建立)" in warned.message
    )
    assert (
        "both count: if it corrects that entry, keep only one of the two in content/ledgers/party.yaml"
        in warned.message
    )


def test_a_dry_run_writes_nothing_and_lists_what_it_would_add(project: Path) -> None:
    sheet = clerk_sheet(project / "台帐.xlsx")
    done = run_cli(project, "import", str(sheet), "--line", "party", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert ledger_text(project) == PARTY_LEDGER
    assert "would add 4 entries to content/ledgers/party.yaml" in done.stdout
    assert (
        "  row 7: date: 2008-04-08, community: beimen, rule: party.dues.collection, deduct: 0.3, note: 党费收缴不及时"
        in done.stdout
    )
    assert "ignored row 10: a total row (合计)" in done.stdout


def test_every_problem_is_reported_at_its_cell_and_nothing_is_written(project: Path) -> None:
    sheet = workbook(
        project / "错.xlsx",
        [
            HEADER,
            ("2008-13-01", "紫乔社区", "party.democracy.system", 1, None, None, "日期和社区都错", None),
            ("2008-05-01", "紫桥社区", "未按要求开展工作酌情扣分", None, 0.5, None, "条目不明确", None),
            ("2008-05-02", "北门社区", "party.democracy.system", "两次", None, None, "次数不是数", None),
            ("2008-05-03", "北门社区", "制度不健全每项扣0.1分", None, 0.25, None, "扣分不是0.1的整数倍", None),
            ("2008-05-04", "北门社区", "党费收缴力度不够酌情扣分", 2, 0.5, None, "酌情扣分不计次数", None),
            ("2007-12-31", "北门社区", "党费收缴力度不够酌情扣分", None, 2, None, "日期在年度外，扣分超过分值", None),
            ("2008-05-05", "北门社区", "other.misc.late", 1, None, None, "别的线的条目", None),
            ("2008-05-06", None, "party.democracy.system", 1, None, None, "没有社区", None),
            ("2008-05-06", "紫桥社区", "party.democracy.system", 1, None, None, "这一行没有问题", None),
        ],
    )
    result = imported(project, sheet)
    assert not result.ok and not result.written
    assert ledger_text(project) == PARTY_LEDGER
    assert [str(p) for p in result.problems] == [
        "错.xlsx:Sheet1!A2: error: '2008-13-01' is not a date of the calendar",
        "错.xlsx:Sheet1!B2: error: unknown community '紫乔社区' (did you mean '紫桥社区'?)",
        "错.xlsx:Sheet1!C3: error: '未按要求开展工作酌情扣分' matches several rules: "
        "party.culture.discretionary 未按要求开展工作酌情扣分（文体活动）; "
        "party.groups.discretionary 未按要求开展工作酌情扣分（群团工作）; write the rule's id",
        "错.xlsx:Sheet1!D4: error: '两次' is not a number",
        "错.xlsx:Sheet1!E5: error: 0.25 points is not a whole number of times 0.1 ('制度不健全每项扣0.1分'); "
        "give 次数 instead",
        # found by check in the ledger as it would be, and put back at the cell they came from
        "错.xlsx:Sheet1!D6: error: 次数（'count'） on 'party.dues.collection', which is not counted per occurrence",
        "错.xlsx:Sheet1!A7: error: date 2007-12-31 is outside the period 2008-01-01 – 2008-12-31",
        "错.xlsx:Sheet1!E7: error: deduct 2 is more than the 1 points of 'party.dues'",
        "错.xlsx:Sheet1!C8: error: 'other.misc.late' is scored by line 'other' (其他线), not by this ledger's line 'party'",
        "错.xlsx:Sheet1!B9: error: no 社区 in this row",
    ]


def test_a_rule_needing_a_note_without_one_is_reported_at_the_note_cell(project: Path) -> None:
    sheet = workbook(
        project / "a.xlsx", [HEADER, ("2008-05-01", "紫桥社区", "党费收缴力度不够", None, 0.5, None, None)]
    )
    result = imported(project, sheet)
    assert [str(p) for p in result.problems] == [
        "a.xlsx:Sheet1!G2: error: rule 'party.dues.collection' needs a 说明（'note'） saying why"  # the sheet's word
    ]


def test_amounts_go_to_the_ratio_indicator_exactly(project: Path) -> None:
    sheet = workbook(
        project / "a.xlsx",
        [
            ("日期", "社区", "考核内容", "到位资金（万元）", "说明"),
            ("2008-05-01", "紫桥社区", "招商引资", 0.1, "项目甲"),
            ("2008-05-02", "紫桥社区", "招商引资", "150.25", "项目乙"),
        ],
    )
    result = imported(project, sheet)
    assert result.written, [str(p) for p in result.problems]
    text = ledger_text(project)
    assert "    indicator: party.invest\n    amount: 0.1\n    note: 项目甲\n" in text
    assert "    amount: 150.25\n" in text


def test_the_sheet_is_chosen_by_name_or_as_the_first_with_headings(project: Path) -> None:
    sheet = workbook(
        project / "a.xlsx",
        [HEADER, ("2008-05-01", "紫桥社区", "party.democracy.system", 1, None, None, "x", None)],
        sheet="台帐",
        before=["填表说明"],
    )
    assert imported(project, sheet, dry_run=True).sheet == "台帐"
    wrong = imported(project, sheet, dry_run=True, sheet="台账")
    assert [str(p) for p in wrong.problems] == ["a.xlsx: error: no sheet named '台账' (sheets: 填表说明, 台帐)"]


def test_the_summary_says_which_columns_and_sheets_were_not_imported(project: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for index, name in enumerate(("1月", "2月", "3月")):
        ws = book.active if index == 0 else book.create_sheet()
        ws.title = name
        ws.append(["日期", "社区", "细则条目", "次数", "说明", "备注", "整改情况"])
        ws.append(
            [f"2008-0{index + 1}-05", "紫桥社区", "party.democracy.system", 1, "制度不全", "已电话通知书记", "已整改"]
        )
    book.save(project / "months.xlsx")
    done = run_cli(project, "import", str(project / "months.xlsx"), "--line", "party", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "  columns not read (not imported): F 备注, G 整改情况" in done.stdout.splitlines()
    assert "other sheets with a header row, not imported: 2月, 3月 (import each with --sheet NAME)" in done.stdout
    payload = json.loads(run_cli(project, "import", str(project / "months.xlsx"), "--line", "party", "--json").stdout)
    assert (payload["unread_columns"], payload["other_sheets"]) == (["F 备注", "G 整改情况"], ["2月", "3月"])


def test_rows_ignored_one_after_another_for_one_reason_are_said_once(project: Path) -> None:
    rows: list[tuple[object, ...]] = [(*HEADER, "序号")]
    rows.append(("2008-05-01", "紫桥社区", "party.democracy.system", 1, None, None, "x", None, 1))
    rows += [(None,) * 8 + (n,) for n in range(2, 30)]  # 序号 filled down the page, not read: rows 3–30 hold nothing
    done = run_cli(project, "import", str(workbook(project / "a.xlsx", rows)), "--line", "party", "--dry-run")
    assert done.returncode == 0, done.stderr
    ignored = [line for line in done.stdout.splitlines() if line.startswith("ignored")]
    assert len(ignored) == 1 and ignored[0].startswith("ignored rows 3–30: "), done.stdout


def test_a_file_that_is_not_a_spreadsheet_is_an_error_at_the_file(project: Path) -> None:
    broken = project / "坏.xlsx"
    broken.write_bytes(b"not a zip file")
    result = imported(project, broken)
    assert len(result.problems) == 1 and str(result.problems[0]).startswith("坏.xlsx: error: cannot be read as .xlsx")
    missing = imported(project, project / "无.xlsx")
    assert [str(p) for p in missing.problems] == ["无.xlsx: error: no such file"]


def test_the_json_result_has_the_documented_keys(project: Path) -> None:
    sheet = clerk_sheet(project / "台帐.xlsx")
    done = run_cli(project, "import", str(sheet), "--line", "party", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert sorted(payload) == sorted(
        [
            "file",
            "sheet",
            "encoding",
            "line",
            "ledger",
            "header_row",
            "columns",
            "unread_columns",
            "other_sheets",
            "rows",
            "added",
            "present",
            "ignored",
            "blank",
            "problems",
            "diagnostics",
            "dry_run",
            "written",
        ]
    )
    assert payload["added"][2] == {
        "row": 7,
        "date": "2008-04-08",
        "community": "beimen",
        "rule": "party.dues.collection",
        "deduct": "0.3",
        "note": "党费收缴不及时",
    }
    assert payload["columns"]["date"] == "B 检查日期"
    assert (payload["written"], payload["ignored"]) == (True, [{"row": 10, "reason": "a total row (合计)"}])


def test_errors_exit_1_and_an_unknown_line_is_a_usage_error(project: Path) -> None:
    sheet = workbook(project / "a.xlsx", [HEADER, ("2008-05-01", "无名社区", "party.democracy.system")])
    done = run_cli(project, "import", str(sheet), "--line", "party")
    assert done.returncode == 1
    assert "a.xlsx:Sheet1!B2: error: unknown community '无名社区'" in done.stderr
    assert "import: nothing written: 1 error" in done.stderr
    done = run_cli(project, "import", str(sheet), "--line", "nope", "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"].startswith("import: no line 'nope' in the rubric")


def test_a_mapping_file_reads_a_sheet_with_other_headings(project: Path) -> None:
    mapping = project / "mapping.yaml"
    mapping.write_text("sheet: 检查\ncolumns:\n  date: 检查时间\n  community: 单位名称\n  rule: 问题类别\n", "utf-8")
    sheet = workbook(
        project / "a.xlsx",
        [("检查时间", "单位名称", "问题类别", "说明"), ("2008-05-01", "紫桥", "party.democracy.system", "x")],
        sheet="检查",
    )
    result = imported(project, sheet, mapping=mapping)
    assert result.written, [str(p) for p in result.problems]
    assert ledger_text(project).endswith(
        "  - date: 2008-05-01\n    community: ziqiao\n    rule: party.democracy.system\n    note: x\n"
    )


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        (
            "gbk.csv",
            "GB18030 (GBK)",
            [
                ("2008-03-12", "ziqiao", "party.democracy.system", 2),
                ("2008-04-08", "beimen", "party.dues.collection", None),
            ],
        ),
        (
            "bom.csv",
            "UTF-8 with BOM",
            [
                ("2008-05-06", "dongsheng", "party.democracy.disclose", 1),
                ("2008-06-01", "dongsheng", "party.invest", None),
            ],
        ),
        (
            "ledger.xls",
            "",
            [
                ("2008-03-12", "ziqiao", "party.democracy.system", 1),
                ("2008-03-20", "ziqiao", "party.democracy.disclose", 2),  # the community merged over rows 4 and 5
                ("2008-06-01", "beimen", "party.culture.discretionary", None),  # serial 39600: 39448 + 152 days
            ],
        ),
    ],
)
def test_csv_in_gbk_or_with_a_bom_and_legacy_xls_are_read(
    project: Path, name: str, encoding: str, expected: list[tuple[str, str, str, int | None]]
) -> None:
    result = imported(project, DATA / name, dry_run=True)
    assert result.ok, [str(p) for p in result.problems]
    assert result.encoding == encoding
    found = [
        (e.entry.date.isoformat(), e.entry.community, e.entry.rule or e.entry.indicator, e.entry.count)
        for e in result.rows_of("added")
    ]
    assert found == expected
    assert ledger_text(project) == PARTY_LEDGER


def test_the_xls_fixtures_float_sum_is_read_as_the_decimal_shown(project: Path) -> None:
    result = imported(project, DATA / "ledger.xls", dry_run=True)
    deducts = [str(e.entry.deduct) for e in result.rows_of("added") if e.entry.deduct is not None]
    assert deducts == ["0.3"]  # stored as 0.30000000000000004


def test_a_utf8_csv_without_bom_is_read_and_its_encoding_said(project: Path) -> None:
    path = project / "台帐.csv"
    path.write_text("日期,社区,细则条目,说明\n2008-05-01,紫桥社区,party.democracy.system,x\n", encoding="utf-8")
    result = imported(project, path, dry_run=True)
    assert (result.ok, result.sheet, result.encoding, len(result.rows_of("added"))) == (True, "台帐", "UTF-8", 1)


def test_a_csv_problem_names_the_file_and_its_sheet(project: Path) -> None:
    path = project / "台帐.csv"
    path.write_bytes("日期,社区,细则条目\n2008-05-01,无名,party.democracy.system\n".encode("gbk"))
    result = imported(project, path)
    assert [str(p) for p in result.problems] == ["台帐.csv:台帐!B2: error: unknown community '无名'"]
    assert result.encoding == "GB18030 (GBK)"


def test_the_ledger_file_is_the_only_file_written(project: Path) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and p.suffix == ".yaml"}
    assert imported(project, clerk_sheet(project / "台帐.xlsx")).written
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert changed == [project / LEDGER]


def test_a_rule_cell_that_names_no_rule_exactly_is_taken_with_a_warning_in_full(project: Path) -> None:
    sheet = workbook(project / "a.xlsx", [HEADER, ("2008-05-01", "紫桥社区", "党费", None, 0.3, None, "党费迟交")])
    result = imported(project, sheet, dry_run=True)
    assert result.ok and [r.entry.rule for r in result.rows_of("added")] == ["party.dues.collection"]
    assert [str(p) for p in result.problems] == [
        "a.xlsx:Sheet1!C2: warning: '党费' is not the text of a rule: taken for party.dues.collection "
        "“党费收缴力度不够酌情扣分”; if another rule is meant, write its id or its text as the 细则 has it"
    ]


@pytest.mark.parametrize("written", ["party", "党群线", "党群"])
def test_the_line_is_named_by_its_id_or_its_chinese_name(project: Path, written: str) -> None:
    sheet = workbook(
        project / "a.xlsx", [HEADER, ("2008-05-01", "紫桥社区", "party.democracy.system", 1, None, None, "x")]
    )
    assert imported(project, sheet, dry_run=True, line=written).line == "party"


def test_a_note_with_a_line_break_stays_on_its_line_of_the_dry_run(project: Path) -> None:
    row = ("2008-05-01", "紫桥社区", "party.democracy.system", 1, None, None, "五月未开展文体活动\n居民反映强烈")
    done = run_cli(project, "import", str(workbook(project / "a.xlsx", [HEADER, row])), "--line", "party", "--dry-run")
    assert "note: 五月未开展文体活动⏎居民反映强烈" in done.stdout, done.stdout


def test_importing_into_an_approved_year_says_at_once_that_the_approval_no_longer_holds(project: Path) -> None:
    digest = json.loads(run_cli(project, "check", "--json").stdout)["results_sha256"]
    (project / "content" / "decision.yaml").write_text(
        f"meeting: 2009-01-09\nminutes: 纪要\nresults_sha256: {digest}\nnotice: {{number: 文号, date: 2009-01-10}}\n",
        encoding="utf-8",
    )
    row = ("2008-05-01", "紫桥社区", "party.democracy.system", 1, None, None, "补记")
    done = run_cli(project, "import", str(workbook(project / "a.xlsx", [HEADER, row])), "--line", "party")
    assert done.returncode == 0, done.stderr
    assert "content/decision.yaml" in done.stderr and "changed since the 班子会 approved them" in done.stderr
