"""A small project with a commented party ledger, and workbooks written with openpyxl, for the import tests."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from kaohe.actions.spreadsheet.importer import ImportResult, import_sheet

DATA = Path(__file__).resolve().parent / "data"
LEDGER = "content/ledgers/party.yaml"

RUBRIC = """\
year: 2008
title: 测试细则
period: {from: 2008-01-01, to: 2008-12-31}
lines:
  - {id: party, name: 党群线}
  - {id: other, name: 其他线}
awards:
  - {name: 红旗, from_rank: 1, to_rank: 1, reward: 3000}
measures: [警示谈话, 诫勉, 降职降级]
indicators:
  - id: party
    name: 党群工作
    points: 60
    line: party
    children:
      - id: democracy
        goal: 民主管理
        points: 2
        rules:
          - {id: system, text: 制度不健全每项扣0.1分, per: 0.1}
          - {id: disclose, text: 一件重大事项不公开扣0.2分, per: 0.2}
      - id: dues
        goal: 党费收缴
        points: 1
        rules:
          - {id: collection, text: 党费收缴力度不够酌情扣分, discretionary: true}
      - id: culture
        goal: 文体活动
        points: 2
        rules:
          - {id: discretionary, text: 未按要求开展工作酌情扣分, discretionary: true}
      - id: groups
        goal: 群团工作
        points: 2
        rules:
          - {id: discretionary, text: 未按要求开展工作酌情扣分, discretionary: true}
      - id: invest
        name: 招商引资
        points: 53
        method: ratio
        unit: 万元
        targets: {default: 100}
  - id: other
    name: 其他工作
    points: 40
    line: other
    children:
      - id: misc
        goal: 其他
        points: 40
        rules:
          - {id: late, text: 逾期上报每次扣0.5分, per: 0.5}
"""

COMMUNITIES = """\
communities:
  - {id: ziqiao, name: 紫桥社区, secretary: 甲}
  - {id: beimen, name: 北门社区, secretary: 乙}
  - {id: dongsheng, name: 东升社区, secretary: 丙}
"""

PARTY_LEDGER = """\
# 党群线台帐（测试）：注释必须保留
line: party
year: 2008

entries:
  # 一月
  - date: 2008-01-22
    community: dongsheng
    rule: party.democracy.system
    count: 3
    note: 三项制度未建立   # 行尾注释
"""


# what the clerk types into the template: 日期, 社区, 细则条目, 次数, 扣分, 完成数额, 说明, 依据
FILLED_ROWS = [
    (
        date(2008, 3, 12),
        "紫桥社区",
        "party.democracy.system 制度不健全每项扣0.1分",
        2,
        None,
        None,
        "两项制度未建立",
        "检查记录第1号",
    ),
    (
        date(2008, 4, 8),
        "北门社区",
        "party.dues.collection 党费收缴力度不够酌情扣分",
        None,
        0.3,
        None,
        "党费收缴不及时",
        None,
    ),
    (date(2008, 11, 2), "东升社区", "party.invest 招商引资", None, None, 150.5, "某项目到位资金", "银行回单"),
]


def make_project(root: Path) -> Path:
    """A project at ``root``: the rubric above, three communities, a commented party ledger, no other ledger."""
    for relpath, text in {
        "content/rubric.yaml": RUBRIC,
        "content/communities.yaml": COMMUNITIES,
        LEDGER: PARTY_LEDGER,
    }.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")
    return root


def ledger_text(root: Path) -> str:
    return (root / LEDGER).read_text(encoding="utf-8")


def workbook(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    sheet: str = "Sheet1",
    before: Sequence[str] = (),
) -> Path:
    """An .xlsx at ``path`` whose sheet ``sheet`` holds ``rows`` from row 1 (sheets named ``before`` come first)."""
    book = Workbook()
    for name in before:
        book.create_sheet(name, 0).append(["说明"])
    ws = book["Sheet"]
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for cells in merges:
        ws.merge_cells(cells)
    book.save(path)
    return path


def one_row_sheet(path: Path, header: Sequence[str], row: Sequence[Any]) -> Path:
    return workbook(path, [header, row])


def imported(root: Path, file: Path, dry_run: bool = False, line: str = "party", **options: Any) -> ImportResult:
    """``import`` of ``file`` into the party ledger (or ``line``), named in messages by its file name."""
    return import_sheet(root, file, line, dry_run=dry_run, shown=file.name, **options)


def dedent(text: str) -> str:
    return textwrap.dedent(text)
