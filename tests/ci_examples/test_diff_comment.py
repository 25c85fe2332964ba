"""The diff comment explains what a reviewer needs: 名次递补, amounts, communities, stale reviews, warnings.

Both sides are SMALL_RUBRIC projects held in memory (tests/support.py: ``small_project``), compared
without git through :func:`kaohe.actions.diff.report.build_report`. Every number and name below is
worked out by hand in the comments. The base year:

    a.yaml (reviewed 2009-01-05):
      line 5  c1 work.rules.each ×1   −0.3
      line 6  c2 work.other.each ×1   −1
      line 7  c3 work.other.each ×2   −2
    b.yaml (reviewed 2009-01-05): amounts for money.invest, each meeting its target (ratio 1, 20 points):
      line 5  c1 100 (target 100)   line 6  c2 200 (target 200)   line 7  c3 100 (target 100)

    c1  work 1.70 + 58 = 59.70   money 20 + 10 = 30   safe 10   total 99.70   rank 1  红旗 (ranks 1–1)
    c2  work 2 + 57    = 59.00   money 30             safe 10   total 99.00   rank 2  先进 (ranks 2–3)
    c3  work 2 + 56    = 58.00   money 30             safe 10   total 98.00   rank 3  先进
"""

from __future__ import annotations

from support import MemorySource, communities_yaml, ledger_yaml, small_project

from kaohe.actions.diff.markdown import report_markdown
from kaohe.actions.diff.report import build_report
from kaohe.actions.revisions import Side

ENTRIES_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 制度不全}
- {date: 2008-03-02, community: c2, rule: work.other.each, note: 工作未完成}
- {date: 2008-03-03, community: c3, rule: work.other.each, count: 2, note: 两项工作未完成}
"""
ENTRIES_B = """\
- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 100, note: 项目到位资金}
- {date: 2008-05-02, community: c2, indicator: money.invest, amount: 200, note: 项目到位资金}
- {date: 2008-05-03, community: c3, indicator: money.invest, amount: 100, note: 项目到位资金}
"""
VETO_C1 = "- {date: 2008-07-01, community: c1, rule: safe.accident.death, note: 发生死亡事故}\n"
REVIEW = "review: {by: 审核人, date: 2009-01-05}"
ENTRIES_HEADER = (
    "| 变动 | 位置 | 日期 | 线 | 社区 | 细则条目 | 次数／金额 | 分值 | 说明 |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def base(**extra: str) -> MemorySource:
    return small_project(ENTRIES_A, ENTRIES_B, **extra)


def comment(old: MemorySource, new: MemorySource) -> str:
    return report_markdown(build_report(Side("`main`", old, None), Side("`pr`", new, None)))


def section(markdown: str, heading: str) -> str:
    """The text of one ``### heading`` section, without the heading."""
    start = markdown.index(f"### {heading}\n\n") + len(f"### {heading}\n\n")
    end = markdown.find("\n### ", start)
    return markdown[start : end if end >= 0 else len(markdown)].strip("\n")


def test_a_veto_shows_the_award_ranks_and_names_the_vetoed_community_passed_over() -> None:
    markdown = comment(base(), small_project(ENTRIES_A, ENTRIES_B + VETO_C1))
    # c1 is vetoed (death: no per, so no points lost): total 99.70 and rank 1 stay, its 红旗 goes.
    # Award ranks count c2 and c3 only: c2 1 (红旗, rank 1–1), c3 2 (先进, ranks 2–3).
    # c3's award stays 先进, but its award rank moved 3 → 2: it is listed too, so that the table explains it.
    assert section(markdown, "总分与名次 · Totals and ranks") == (
        "| 社区 | 总分 | 名次 | 奖项 | 单项得分 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| c1社区（一票否决） | 99.70 | 1 | 红旗 → — | — |\n"
        "| c2社区 | 99.00 | 2 → 2（评奖第1） | 先进 → 红旗 | — |\n"
        "| c3社区 | 98.00 | 3 → 3（评奖第2） | 先进 | — |\n"
        "\n"
        "名次递补 · Award ranks count only the communities not vetoed (FORMAT.md §7):\n"
        "\n"
        "- c2社区：第2名，评奖名次第1名（排在前面的c1社区（第1名）被一票否决，不参加评奖 · moved up past vetoed "
        "communities），奖项 award：红旗\n"
        "- c3社区：第3名，评奖名次第2名（排在前面的c1社区（第1名）被一票否决，不参加评奖 · moved up past vetoed "
        "communities），奖项 award：先进"
    )
    # the veto entry (line 8 of b.yaml): a veto rule takes no count, and moves no points by itself
    assert (
        "| 新增 added | `content/ledgers/b.yaml:8` | 2008-07-01 | 乙线 | c1社区 | `safe.accident.death` 死亡事故一票否决"
        " | — | 一票否决 | 发生死亡事故 |"
    ) in markdown


def test_an_amount_is_in_the_count_and_amount_column_not_in_the_points() -> None:
    raised = ENTRIES_B.replace("amount: 100, note: 项目到位资金}", "amount: 120, note: 项目到位资金}", 1)
    markdown = comment(base(), small_project(ENTRIES_A, raised))
    # c1 completes 120 of 100: ratio 1.2, 0.2 above the target = 2 steps of 0.1, each +1 (max 3): 20 + 2 = 22,
    # money 22 + 10 = 32.00 (was 30.00), total 99.70 + 2 = 101.70; still rank 1 with 红旗.
    assert section(markdown, "台帐条目 · Ledger entries") == (
        "新增 added 0 · 删除 removed 0 · 修改 changed 1\n\n"
        f"{ENTRIES_HEADER}\n"
        "| 修改 changed | `content/ledgers/b.yaml:5` | 2008-05-01 | 乙线 | c1社区 | `money.invest` 招商引资"
        " | 100万元 → 120万元 | — | amount: 100 → 120 |"
    )
    assert "| c1社区 | 99.70 → 101.70 | 1 | 红旗 | 经济 30.00 → 32.00 |" in markdown


def test_counts_and_points_have_their_own_columns() -> None:
    more = ENTRIES_A.replace("count: 2, note: 两项", "count: 3, note: 两项")
    markdown = comment(base(), small_project(more, ENTRIES_B))
    # c3's entry on a.yaml line 7: 2次 → 3次, points −2 × 1 = −2.00 → −3 × 1 = −3.00
    assert (
        "| 修改 changed | `content/ledgers/a.yaml:7` | 2008-03-03 | 甲线 | c3社区 | `work.other.each` 每项扣1分"
        " | 2次 → 3次 | −2.00 → −3.00 | count: 2 → 3 |"
    ) in markdown


def test_a_change_to_the_communities_says_which_community_and_field_changed() -> None:
    people = communities_yaml("c1", "c2", "c3").replace(
        "name: c2社区, secretary: 书记c2, staff: {a: 甲c2,", "name: c2社区, secretary: 王新, staff: {a: 李新,"
    )
    markdown = comment(base(), base(**{"content/communities.yaml": people}))
    # c2 is not last in anything (c3 is last overall and in 工作; 经济 and 安全 are tied, but those name the
    # b staff, which stay): no measure changes, no results change; only the file's items.
    assert section(markdown, "审核、审定及其他 · Review, approval and other files") == (
        "- 社区名单 communities `content/communities.yaml`: 修改 changed\n"
        "  - 修改 changed c2社区 `c2`: 党总支书记 secretary 书记c2 → 王新；分管工作人员（甲线） staff.a 甲c2 → 李新"
    )


def test_communities_added_and_removed_are_named() -> None:
    two = base(**{"content/communities.yaml": communities_yaml("c1", "c2", "c3", "c4")})
    markdown = comment(base(), two)
    assert "  - 新增 added c4社区 `c4`\n" in markdown + "\n"
    markdown = comment(two, base())
    assert "  - 删除 removed c4社区 `c4`" in markdown


def test_a_ledger_edited_under_its_old_review_is_flagged() -> None:
    added = ENTRIES_A + "- {date: 2008-06-01, community: c2, rule: work.rules.each, note: 新发现问题}\n"
    markdown = comment(base(), small_project(added, ENTRIES_B))
    # a.yaml still says it was reviewed by 审核人 on 2009-01-05, but one entry was added since
    assert (
        "- **审核后又修改 · edited after review** `content/ledgers/a.yaml`（甲线）: 审核人 2009-01-05 审核后，"
        "本次改动 1 条记录，须重新审核（更新 `review:`） · entries changed after this review: have the ledger reviewed again"
    ) in markdown
    assert "`content/ledgers/b.yaml`" not in section(markdown, "审核、审定及其他 · Review, approval and other files")


def test_a_ledger_reviewed_again_in_the_same_change_is_not_flagged() -> None:
    added = ENTRIES_A + "- {date: 2008-06-01, community: c2, rule: work.rules.each, note: 新发现问题}\n"
    reviewed = ledger_yaml("a", added).replace(REVIEW, "review: {by: 审核人, date: 2009-01-08}")
    markdown = comment(base(), base(**{"content/ledgers/a.yaml": reviewed}))
    assert "审核后又修改" not in markdown
    assert "- 审核 review `content/ledgers/a.yaml`（甲线）: 审核人 2009-01-05 → 审核人 2009-01-08" in markdown


def test_the_duplicate_entry_warning_of_check_reaches_the_comment() -> None:
    twice = ENTRIES_A + "- {date: 2008-03-02, community: c2, rule: work.other.each, note: 工作未完成}\n"
    markdown = comment(base(), small_project(twice, ENTRIES_B))
    # the copy of line 6 lands on line 8 of a.yaml; check points at the entry (column 5, after "  - ")
    assert section(markdown, "警告 · Warnings") == (
        "本次修改带来的警告 1 条 · 1 new with this change:\n\n"
        "```text\n"
        "content/ledgers/a.yaml:8:5: warning: likely duplicate: an entry with the same date, community, rule,"
        " value and note comes earlier\n"
        "```"
    )


def test_warnings_already_there_are_folded_below_the_new_ones() -> None:
    twice = ENTRIES_A + "- {date: 2008-03-02, community: c2, rule: work.other.each, note: 工作未完成}\n"
    thrice = twice + "- {date: 2008-03-03, community: c3, rule: work.other.each, count: 2, note: 两项工作未完成}\n"
    markdown = comment(small_project(twice, ENTRIES_B), small_project(thrice, ENTRIES_B))
    # main has one likely duplicate in a.yaml (line 8); the change adds a second with the same words (line 9).
    # Warnings are matched by file and message, counted: main's one accounts for the first (line 8), folded;
    # the second (line 9) is what the change brings.
    duplicate = "warning: likely duplicate: an entry with the same date, community, rule, value and note comes earlier"
    assert section(markdown, "警告 · Warnings") == (
        "本次修改带来的警告 1 条 · 1 new with this change:\n\n"
        f"```text\ncontent/ledgers/a.yaml:9:5: {duplicate}\n```\n\n"
        "<details><summary>原有的警告 1 条 · 1 already in `main`</summary>\n\n"
        f"```text\ncontent/ledgers/a.yaml:8:5: {duplicate}\n```\n\n"
        "</details>"
    )


def test_content_errors_are_in_the_comment_with_the_entries() -> None:
    broken = ENTRIES_A + "- {date: 2008-06-01, community: c2, rule: no.such.rule, note: 新发现问题}\n"
    markdown = comment(base(), small_project(broken, ENTRIES_B))
    errors = section(markdown, "内容错误 · Content errors")
    assert errors.startswith("`pr` 有内容错误，无法计算结果 · has content errors, so its results cannot be computed:")
    assert "content/ledgers/a.yaml:8:" in errors and ": error: " in errors
    assert "| 新增 added | `content/ledgers/a.yaml:8` |" in markdown


def test_a_warning_quoting_backticks_cannot_close_its_code_block() -> None:
    # a note is not quoted in any warning, but a community id is: an unknown one, written with a run of 3 backticks
    broken = ENTRIES_A + "- {date: 2008-06-01, community: 'x```y', rule: work.rules.each, note: 新发现问题}\n"
    errors = section(comment(base(), small_project(broken, ENTRIES_B)), "内容错误 · Content errors")
    # the longest run of backticks inside is 3, so the fence is 4 long, and opens and closes the block
    assert "\n````text\n" in errors and errors.endswith("\n````")
    assert "x```y" in errors


def test_a_category_rank_that_moves_is_shown_beside_its_score() -> None:
    # c1 loses 2 more on work.other.each: work 59.70 − 2 = 57.70, total 97.70, now last in 工作 and overall.
    # 工作 ranks: c2 59.00 first, c3 58.00 second, c1 57.70 third (its last place there has measures).
    # Totals: c2 99.00 rank 1 (红旗), c3 98.00 rank 2 (先进), c1 97.70 rank 3 (先进).
    # A category rank is shown where its score moved (c1), or where it moved into or out of last place (c3,
    # last before); c2's 2 → 1 alone is not (one entry can shift the ranks of half a city by one).
    more = ENTRIES_A + "- {date: 2008-09-01, community: c1, rule: work.other.each, count: 2, note: 两项工作未完成}\n"
    markdown = comment(base(), small_project(more, ENTRIES_B))
    assert section(markdown, "总分与名次 · Totals and ranks") == (
        "| 社区 | 总分 | 名次 | 奖项 | 单项得分 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| c2社区 | 99.00 | 2 → 1 | 先进 → 红旗 | — |\n"
        "| c3社区 | 98.00 | 3 → 2 | 先进 | 工作 58.00（单项第3 → 2名） |\n"
        "| c1社区 | 99.70 → 97.70 | 1 → 3 | 红旗 → 先进 | 工作 59.70 → 57.70（单项第1 → 3名） |"
    )
