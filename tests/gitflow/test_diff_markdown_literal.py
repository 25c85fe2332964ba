"""``build.py diff``: the whole Markdown for small changes to a tiny project, written out literally.

The project is SMALL_RUBRIC (tests/support.py) with three communities and five entries.
Every number and name in the expected text is worked out by hand in the comments; only
the commit ids (which depend on the time of the commit) are filled in from git. Points are written
with the typographic minus U+2212 ("−1.00"), as ``kaohe.render.vocab.signed`` words them.

The base year, by hand (work = work.rules 2 + work.other 58; money = money.invest 20 + money.extra 10;
safe = safe.accident 10):

    c1  work  2 + (58 − 2 × 1)    = 58.00   money 20 × 100/100 = 20 + 10 = 30.00   safe 10.00   total  98.00
    c2  work (2 − 0.3) + 58       = 59.70   money 20 × 190/200 = 19 + 10 = 29.00   safe 10.00   total  98.70
    c3  work  2 + 58              = 60.00   money 110/100 = 1.1: 20 + 1 step = 21
                                            + 10 = 31.00                     safe 10 − 1 = 9.00  total 100.00

    ranks: c3 1 (红旗), c2 2 (先进), c1 3 (先进)
    last places: overall c1 (书记c1), 工作 c1 (甲c1), 经济 c2 (乙c2), 安全 c3 (乙c3); all first years (警示谈话)
"""

from __future__ import annotations

from pathlib import Path

from gitflow_support import GitProject
from support import SMALL_RUBRIC, communities_yaml, run_cli

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run

# a.yaml: line 5 is the first entry, line 6 the second; an appended entry lands on line 7
LEDGER_A = """\
line: a
year: 2008
review: {by: 审核人, date: 2009-01-05}
entries:
  - {date: 2008-03-01, community: c1, rule: work.other.each, count: 2, note: 两项工作未完成}
  - {date: 2008-04-01, community: c2, rule: work.rules.each, note: 制度不全}
"""
LEDGER_B = """\
line: b
year: 2008
review: {by: 审核人, date: 2009-01-05}
entries:
  - {date: 2008-05-01, community: c1, indicator: money.invest, amount: 100, note: 项目到位资金}
  - {date: 2008-05-02, community: c2, indicator: money.invest, amount: 190, note: 项目到位资金}
  - {date: 2008-05-03, community: c3, indicator: money.invest, amount: 110, note: 项目到位资金}
  - {date: 2008-07-01, community: c3, rule: safe.accident.minor, note: 一般事故}
"""
ADDED_ENTRY = "  - {date: 2008-06-01, community: c2, rule: work.other.each, note: 新发现问题}\n"

ENTRIES_HEADER = (
    "| 变动 | 位置 | 日期 | 线 | 社区 | 细则条目 | 次数／金额 | 分值 | 说明 |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)
# the row of the entry on line 5 after its count went 2 → 3 (its points −2 × 1 → −3 × 1)
CHANGED_COUNT_ROW = (
    "| 修改 changed | `content/ledgers/a.yaml:5` | 2008-03-01 | 甲线 | c1社区 | `work.other.each` 每项扣1分"
    " | 2次 → 3次 | −2.00 → −3.00 | count: 2 → 3 |"
)
# an appended entry without a count counts once: 1次, −1 × 1 = −1.00
ADDED_ROW = (
    "| 新增 added | `content/ledgers/a.yaml:7` | 2008-06-01 | 甲线 | c2社区 | `work.other.each` 每项扣1分"
    " | 1次 | −1.00 | 新发现问题 |"
)
# a.yaml keeps its review of 2009-01-05 while the change edits `entries` of it: to be reviewed again
STALE_REVIEW_A = (
    "### 审核、审定及其他 · Review, approval and other files\n\n"
    "- **审核后又修改 · edited after review** `content/ledgers/a.yaml`（甲线）: 审核人 2009-01-05 审核后，"
    "本次改动 {n} 条记录，须重新审核（更新 `review:`） · entries changed after this review: have the ledger reviewed again"
)
TOTALS_HEADER = "| 社区 | 总分 | 名次 | 奖项 | 单项得分 |\n| --- | --- | --- | --- | --- |"


def tiny_project(root: Path) -> GitProject:
    content = root / "content"
    (content / "ledgers").mkdir(parents=True)
    (content / "rubric.yaml").write_text(SMALL_RUBRIC, encoding="utf-8")
    (content / "communities.yaml").write_text(communities_yaml("c1", "c2", "c3"), encoding="utf-8")
    (content / "ledgers" / "a.yaml").write_text(LEDGER_A, encoding="utf-8")
    (content / "ledgers" / "b.yaml").write_text(LEDGER_B, encoding="utf-8")
    outcome = run(WorkingTree(root))
    assert outcome.ok and outcome.results is not None, [str(d) for d in outcome.diagnostics]
    return GitProject(root, outcome.results)


def diff_stdout(project: GitProject, *revs: str) -> str:
    done = run_cli(project.root, "diff", *revs)
    assert done.returncode == 0, done.stderr
    return done.stdout


def add_entry(project: GitProject) -> None:
    path = "content/ledgers/a.yaml"
    project.write(path, project.read(path) + ADDED_ENTRY)


def raise_count(project: GitProject) -> None:
    path = "content/ledgers/a.yaml"
    project.write(path, project.read(path).replace("work.other.each, count: 2,", "work.other.each, count: 3,"))


def double_per(project: GitProject) -> None:
    path = "content/rubric.yaml"
    old = "{id: each, text: 每项扣0.3分, per: 0.3}"
    assert project.read(path).count(old) == 1
    project.write(path, project.read(path).replace(old, "{id: each, text: 每项扣0.5分, per: 0.5}"))


def test_an_added_entry_that_swaps_two_ranks(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    base = project.short("HEAD")
    add_entry(project)
    head = project.commit("c2: one more work.other.each")
    # c2 work 59.70 − 1 = 58.70, total 98.70 − 1 = 97.70: below c1's 98.00, so c1 rises 3 → 2 and c2 falls 2 → 3;
    # both keep 先进 (award ranks 2 and 3); c3 (100.00, rank 1) does not move and is not listed.
    # c2 is now last overall: 书记c2 gets 警示谈话 (streak 1), 书记c1's goes. 工作: c1 58.00 < c2 58.70, still c1.
    # Measures list the new side's first (in its order), then the removed ones.
    expected = f"""\
## 考核台帐变动 · Assessment diff

`{base}` → `{head}`

### 总分与名次 · Totals and ranks

{TOTALS_HEADER}
| c1社区 | 98.00 | 3 → 2 | 先进 | — |
| c2社区 | 98.70 → 97.70 | 2 → 3 | 先进 | 工作 59.70 → 58.70 |

### 处理措施 · Measures

- 新增 added: c2社区 书记c2（党总支书记 · 综合考核）：警示谈话（连续 1 年）
- 取消 removed: c1社区 书记c1（党总支书记 · 综合考核）：警示谈话（连续 1 年）

### 台帐条目 · Ledger entries

新增 added 1 · 删除 removed 0 · 修改 changed 0

{ENTRIES_HEADER}
{ADDED_ROW}

{STALE_REVIEW_A.format(n=1)}
"""
    assert diff_stdout(project, base, head) == expected


def test_a_changed_count_shows_the_old_and_new_points(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    base = project.short("HEAD")
    raise_count(project)
    head = project.commit("c1: count 2 → 3")
    # c1 work.other 58 − 3 × 1 = 55, work 2 + 55 = 57.00 (was 58.00), total 98.00 − 1 = 97.00;
    # still below c2 (98.70): rank 3 and 先进 kept, and still last overall and in 工作: no measure changes.
    # The entry on line 5 is the same entry (same line, community, rule and date) with count 2 → 3:
    # its points −2 × 1 = −2.00 → −3 × 1 = −3.00.
    expected = f"""\
## 考核台帐变动 · Assessment diff

`{base}` → `{head}`

### 总分与名次 · Totals and ranks

{TOTALS_HEADER}
| c1社区 | 98.00 → 97.00 | 3 | 先进 | 工作 58.00 → 57.00 |

### 台帐条目 · Ledger entries

新增 added 0 · 删除 removed 0 · 修改 changed 1

{ENTRIES_HEADER}
{CHANGED_COUNT_ROW}

{STALE_REVIEW_A.format(n=1)}
"""
    assert diff_stdout(project, base, head) == expected


def test_a_changed_per_in_the_rubric_moves_the_communities_citing_it(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    base = project.short("HEAD")
    double_per(project)
    head = project.commit("work.rules.each: 0.3 → 0.5")
    # only c2 cites work.rules.each (once): work.rules 2 − 0.5 = 1.50, work 1.50 + 58 = 59.50 (was 59.70),
    # total 98.70 − 0.2 = 98.50: still between c3 (100.00) and c1 (98.00), rank 2 and 先进 kept.
    # No ledger changed (the entry's own content is the same, so it is not listed although its points are
    # now −0.50), so the results above are the rubric change alone.
    expected = f"""\
## 考核台帐变动 · Assessment diff

`{base}` → `{head}`

### 总分与名次 · Totals and ranks

{TOTALS_HEADER}
| c2社区 | 98.70 → 98.50 | 2 | 先进 | 工作 59.70 → 59.50 |

### 细则 · Rubric

- 修改 changed 扣分标准 rule `work.rules.each`: text 每项扣0.3分 → 每项扣0.5分; per 0.3 → 0.5

台帐等其他内容未变，上面的结果变动全部来自细则变动 · Nothing else changed: the results above show the rubric change's effect.
"""
    assert diff_stdout(project, base, head) == expected


def test_all_three_changes_against_the_working_tree_show_the_rubric_change_alone(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    base = project.short("HEAD")
    add_entry(project)
    raise_count(project)
    double_per(project)
    # nothing committed: the new side is the working tree
    # c1: work 2 + (58 − 3) = 57.00, total 57 + 30 + 10 = 97.00 (was 98.00)
    # c2: work (2 − 0.5) + (58 − 1) = 58.50, total 58.50 + 29 + 10 = 97.50 (was 98.70)
    # c3: 100.00 unchanged. Ranks c3 1, c2 2 (97.50), c1 3 (97.00) as before; awards as before;
    # c1 still last overall (97.00 < 97.50) and in 工作 (57.00 < 58.50): no measure changes.
    # Entries in ledger order: the changed one on line 5, the added one on line 7 (points with the new rubric:
    # work.other.each still per 1).
    # The rubric alone (new rubric, base ledgers): only c2 moves, 98.70 → 98.50 as in the previous test.
    expected = f"""\
## 考核台帐变动 · Assessment diff

`{base}` → 工作区 (working tree)

### 总分与名次 · Totals and ranks

{TOTALS_HEADER}
| c2社区 | 98.70 → 97.50 | 2 | 先进 | 工作 59.70 → 58.50 |
| c1社区 | 98.00 → 97.00 | 3 | 先进 | 工作 58.00 → 57.00 |

### 台帐条目 · Ledger entries

新增 added 1 · 删除 removed 0 · 修改 changed 1

{ENTRIES_HEADER}
{CHANGED_COUNT_ROW}
{ADDED_ROW}

### 细则 · Rubric

- 修改 changed 扣分标准 rule `work.rules.each`: text 每项扣0.3分 → 每项扣0.5分; per 0.3 → 0.5

**只改细则的影响 · The rubric change alone**（新细则用于 `{base}` 的台帐 · the new rubric on the ledgers of `{base}`）:

{TOTALS_HEADER}
| c2社区 | 98.70 → 98.50 | 2 | 先进 | 工作 59.70 → 59.50 |

{STALE_REVIEW_A.format(n=2)}
"""
    assert diff_stdout(project, base) == expected
