"""One small year worked out by hand: every score, rank, award, veto, last place and measure is a literal.

Six communities, three lines (党群线, 经济线, 综治线), a 100-point rubric written inline,
history for 2006 and 2007 and a decision with one exemption. Every expected number
below is worked out in the comments from the ledgers, never read back from the code.

The rubric (FORMAT.md §2):

    party 党群工作 40 (line party)
      org     党组织建设 10   sys: per 0.5 · disc: 酌情扣分 · none: 不得分
      culture 宣传文化   30   miss: per 1
    econ 经济工作 40 (line econ, bonus_allowed)
      invest  招商引资   30   ratio, 万元, targets default 200, dongmen 400,
                              zero_below 0.5, bonus step 0.1 add 1 max 3
      tax     财税管理   10   late: per 1 · plus: add 0.5
    safe 社会治安综合治理与稳定 20 (line safety, veto_allowed)
      stable  稳定       20   case: per 2 · veto: 一票否决
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from support import MemorySource, ledger_yaml, run_ok

from kaohe.scoring.results import Results, results_dict

RUBRIC = """\
year: 2008
title: 手算考核细则
period: {from: 2008-01-01, to: 2008-12-31}
lines:
  - {id: party, name: 党群线}
  - {id: econ, name: 经济线}
  - {id: safety, name: 综治线}
awards:
  - {name: 目标管理红旗单位, from_rank: 1, to_rank: 1, reward: 3000}
  - {name: 目标管理先进单位, from_rank: 2, to_rank: 3, reward: 1000}
measures: [警示谈话, 诫勉, 降职降级]
indicators:
  - id: party
    name: 党群工作
    points: 40
    line: party
    children:
      - id: org
        goal: 党组织建设
        points: 10
        rules:
          - {id: sys, text: 制度不健全每项扣0.5分, per: 0.5}
          - {id: disc, text: 党费收缴力度不够酌情扣分, discretionary: true}
          - {id: none, text: 班子严重违纪不得分, zero: true}
      - id: culture
        goal: 宣传文化
        points: 30
        rules:
          - {id: miss, text: 缺一次活动扣1分, per: 1}
  - id: econ
    name: 经济工作
    points: 40
    line: econ
    bonus_allowed: true
    children:
      - id: invest
        name: 招商引资
        points: 30
        method: ratio
        unit: 万元
        targets: {default: 200, dongmen: 400}
        zero_below: 0.5
        bonus: {step: 0.1, add: 1, max: 3}
      - id: tax
        goal: 财税管理
        points: 10
        rules:
          - {id: late, text: 税款迟缴每次扣1分, per: 1}
          - {id: plus, text: 超额完成每项加0.5分, add: 0.5}
  - id: safe
    name: 社会治安综合治理与稳定
    points: 20
    line: safety
    veto_allowed: true
    children:
      - id: stable
        goal: 稳定
        points: 20
        rules:
          - {id: case, text: 发生治安案件每起扣2分, per: 2}
          - {id: veto, text: 发生重大群体性事件一票否决, veto: true}
"""

# person names: 王 = 书记 (secretary); 李, 张, 赵 = 分管工作人员 of party, econ, safety
COMMUNITIES = """\
communities:
  - {id: dongmen, name: 东门社区, secretary: 王东, staff: {party: 李东, econ: 张东, safety: 赵东}}
  - {id: ximen, name: 西门社区, secretary: 王西, staff: {party: 李西, econ: 张西, safety: 赵西}}
  - {id: nanmen, name: 南门社区, secretary: 王南, staff: {party: 李南, econ: 张南, safety: 赵南}}
  - {id: beimen, name: 北门社区, secretary: 王北, staff: {party: 李北, econ: 张北, safety: 赵北}}
  - {id: qiaonan, name: 桥南社区, secretary: 王桥, staff: {party: 李桥, econ: 张桥, safety: 赵桥}}
  - {id: hexi, name: 河西社区, secretary: 王河, staff: {party: 李河, econ: 张河, safety: 赵河}}
"""

PARTY = """\
- {date: 2008-03-10, community: dongmen, rule: party.org.disc, deduct: 0.5, note: 党费收缴不及时}
- {date: 2008-04-11, community: hexi, rule: party.culture.miss, count: 2, note: 缺两次活动}
- {date: 2008-05-12, community: beimen, rule: party.org.sys, count: 2, note: 两项制度不健全}
- {date: 2008-05-13, community: beimen, rule: party.culture.miss, count: 3, note: 缺三次活动}
- {date: 2008-06-14, community: qiaonan, rule: party.org.none, note: 班子成员严重违纪}
- {date: 2008-07-15, community: nanmen, rule: party.culture.miss, note: 缺一次活动}
"""

ECON = """\
- {date: 2008-03-01, community: dongmen, indicator: econ.invest, amount: 300, note: 一期到位资金}
- {date: 2008-09-01, community: dongmen, indicator: econ.invest, amount: 200, note: 二期到位资金}
- {date: 2008-10-02, community: dongmen, rule: econ.tax.late, count: 2, note: 两次迟缴}
- {date: 2008-10-03, community: dongmen, rule: econ.tax.plus, note: 超额完成}
- {date: 2008-06-04, community: hexi, indicator: econ.invest, amount: 240, note: 项目到位资金}
- {date: 2008-06-05, community: beimen, indicator: econ.invest, amount: 200, note: 项目到位资金}
- {date: 2008-06-06, community: beimen, rule: econ.tax.plus, note: 超额完成}
- {date: 2008-06-07, community: ximen, indicator: econ.invest, amount: "167.5", note: 项目到位资金}
- {date: 2008-06-08, community: qiaonan, indicator: econ.invest, amount: 100, note: 项目到位资金}
- {date: 2008-11-09, community: qiaonan, rule: econ.tax.late, count: 12, note: 全年迟缴}
- {date: 2008-06-10, community: nanmen, indicator: econ.invest, amount: 90, note: 项目到位资金}
"""

SAFETY = """\
- {date: 2008-02-01, community: hexi, rule: safe.stable.case, note: 一起治安案件}
- {date: 2008-02-02, community: dongmen, rule: safe.stable.case, note: 一起治安案件}
- {date: 2008-08-03, community: beimen, rule: safe.stable.veto, note: 发生重大群体性事件}
- {date: 2008-09-04, community: nanmen, rule: safe.stable.case, count: 3, note: 三起治安案件}
"""


def history_row(
    cid: str, rank: int, secretary: str, party: tuple[int, str], econ: tuple[int, str], safe: tuple[int, str]
) -> str:
    """One history row; the scores are filler (streaks read only ranks and names), each category is (rank, staff)."""
    cats = ", ".join(
        f"{cat}: {{score: '10.00', rank: {r}, staff: {staff}}}"
        for cat, (r, staff) in (("party", party), ("econ", econ), ("safe", safe))
    )
    return f"  - {{id: {cid}, total: '{100 - rank}.00', rank: {rank}, secretary: {secretary}, categories: {{{cats}}}}}"


# 2006: last overall nanmen (王南); last in party hexi (李河); last in econ nanmen (张南); last in safe nanmen (赵南)
HISTORY_2006 = (
    "year: 2006\ncommunities:\n"
    + "\n".join(
        [
            history_row("dongmen", 1, "王东", (1, "李东"), (1, "张东"), (1, "赵东")),
            history_row("ximen", 2, "王西", (2, "李西"), (2, "张西"), (2, "赵西")),
            history_row("beimen", 3, "王北", (3, "李北"), (3, "张北"), (3, "赵北")),
            history_row("qiaonan", 4, "王桥", (4, "前任李"), (4, "张桥"), (4, "赵桥")),
            history_row("hexi", 5, "王河", (6, "李河"), (5, "张河"), (5, "赵河")),
            history_row("nanmen", 6, "王南", (5, "李南"), (6, "张南"), (6, "赵南")),
        ]
    )
    + "\n"
)

# 2007: last overall nanmen (王南); last in party ximen, whose party staff was 李桥 then (he moved to qiaonan);
# last in econ qiaonan (张桥): 张南 was not last in 2007; last in safe nanmen (赵南)
HISTORY_2007 = (
    "year: 2007\ncommunities:\n"
    + "\n".join(
        [
            history_row("dongmen", 1, "王东", (1, "李东"), (1, "张东"), (1, "赵东")),
            history_row("ximen", 2, "王西", (6, "李桥"), (2, "张西"), (2, "赵西")),
            history_row("beimen", 3, "王北", (2, "李北"), (3, "张北"), (3, "赵北")),
            history_row("qiaonan", 4, "王桥", (3, "前任李"), (6, "张桥"), (4, "赵桥")),
            history_row("hexi", 5, "王河", (4, "李河"), (4, "张河"), (5, "赵河")),
            history_row("nanmen", 6, "王南", (5, "李南"), (5, "张南"), (6, "赵南")),
        ]
    )
    + "\n"
)

DECISION = """\
meeting: 2009-01-09
minutes: 城北街道党工委会议纪要〔2009〕1号
notice: {number: 常武北委通〔2009〕1号, date: 2009-01-10}
exemptions:
  - {community: nanmen, person: 王南, reason: 承担旧城改造拆迁任务}
"""


def project() -> MemorySource:
    return MemorySource(
        {
            "content/rubric.yaml": RUBRIC,
            "content/communities.yaml": COMMUNITIES,
            "content/ledgers/party.yaml": ledger_yaml("party", PARTY),
            "content/ledgers/econ.yaml": ledger_yaml("econ", ECON),
            "content/ledgers/safety.yaml": ledger_yaml("safety", SAFETY),
            "content/history/2006.yaml": HISTORY_2006,
            "content/history/2007.yaml": HISTORY_2007,
            "content/decision.yaml": DECISION,
        }
    )


@pytest.fixture(scope="module")
def year() -> Results:
    outcome = run_ok(project())
    assert outcome.results is not None
    return outcome.results


@pytest.fixture(scope="module")
def data(year: Results) -> dict[str, Any]:
    return results_dict(year)


def leaf(results: Results, cid: str, full_id: str) -> Decimal:
    return results.community(cid).score.leaves[full_id].score


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in data["communities"]}


def test_the_year_has_no_diagnostics() -> None:
    # every ledger is reviewed, every entry is valid; the decision has no results_sha256 yet, which is no diagnostic
    outcome = run_ok(project())
    assert [str(d) for d in outcome.diagnostics] == []


def test_per_discretionary_and_zero_rules_on_the_party_leaves(year: Results) -> None:
    # dongmen org: 10 − 0.5 (discretionary deduct) = 9.50
    assert leaf(year, "dongmen", "party.org") == Decimal("9.50")
    # beimen org: 10 − 2 × 0.5 = 9.00; culture: 30 − 3 × 1 = 27.00
    assert leaf(year, "beimen", "party.org") == Decimal("9.00")
    assert leaf(year, "beimen", "party.culture") == Decimal("27.00")
    # hexi culture: 30 − 2 × 1 = 28.00; nanmen culture: count defaults to 1, 30 − 1 = 29.00
    assert leaf(year, "hexi", "party.culture") == Decimal("28.00")
    assert leaf(year, "nanmen", "party.culture") == Decimal("29.00")
    # qiaonan org: 不得分 → 0.00, whatever its points
    assert leaf(year, "qiaonan", "party.org") == Decimal("0.00")
    # no entry: the full points
    assert leaf(year, "ximen", "party.org") == Decimal("10.00")


def test_deductions_stop_at_the_leaf_points(year: Results) -> None:
    # qiaonan tax: 12 × 1 = 12 deducted from 10 points → 扣完为止 at 0.00, never −2.00
    score = year.community("qiaonan").score.leaves["econ.tax"]
    assert score.score == Decimal("0.00")
    assert score.deducted == Decimal("12")


def test_the_bonus_rule_adds_above_the_leaf_points(year: Results) -> None:
    # beimen tax: 10 + 1 × 0.5 = 10.50 (a bonus may exceed the leaf's points inside bonus_allowed)
    assert leaf(year, "beimen", "econ.tax") == Decimal("10.50")
    # dongmen tax: 10 − 2 × 1 + 1 × 0.5 = 8.50
    assert leaf(year, "dongmen", "econ.tax") == Decimal("8.50")


def test_ratio_leaves_use_the_community_target_zero_below_and_full_bonus_steps(year: Results) -> None:
    # dongmen: own target 400 (not the default 200); (300 + 200) / 400 = 1.25;
    # bonus = min(3, 1 × floor((1.25 − 1) / 0.1)) = floor(2.5) = 2; 30 × min(1, 1.25) + 2 = 32.00
    dongmen = year.community("dongmen").score.leaves["econ.invest"]
    assert (dongmen.target, dongmen.amount) == (Decimal(400), Decimal(500))
    assert dongmen.score == Decimal("32.00")
    # hexi: 240 / 200 = 1.2; floor(0.2 / 0.1) = 2 steps exactly → 30 + 2 = 32.00
    assert leaf(year, "hexi", "econ.invest") == Decimal("32.00")
    # beimen: 200 / 200 = 1, no step above target → 30.00
    assert leaf(year, "beimen", "econ.invest") == Decimal("30.00")
    # qiaonan: 100 / 200 = 0.5, exactly at zero_below: it scores 30 × 0.5 = 15.00
    assert leaf(year, "qiaonan", "econ.invest") == Decimal("15.00")
    # nanmen: 90 / 200 = 0.45 < zero_below 0.5 → 0.00 (not 30 × 0.45 = 13.50)
    assert leaf(year, "nanmen", "econ.invest") == Decimal("0.00")


def test_a_ratio_score_of_exactly_three_places_rounds_half_up(year: Results) -> None:
    # ximen: 167.5 / 200 = 0.8375; 30 × 0.8375 = 25.125 exactly → half-up 25.13 (half-even would give 25.12)
    assert leaf(year, "ximen", "econ.invest") == Decimal("25.13")


def test_a_veto_without_per_takes_no_points(year: Results) -> None:
    # beimen stable: only the veto entry → 20.00 kept; nanmen: 20 − 3 × 2 = 14.00; hexi, dongmen: 20 − 2 = 18.00
    assert leaf(year, "beimen", "safe.stable") == Decimal("20.00")
    assert leaf(year, "nanmen", "safe.stable") == Decimal("14.00")
    assert leaf(year, "hexi", "safe.stable") == Decimal("18.00")
    assert leaf(year, "dongmen", "safe.stable") == Decimal("18.00")


# category scores, each the exact sum of its leaves:
#   party = org + culture; econ = invest + tax; safe = stable
#   dongmen  party  9.50 + 30 = 39.50   econ 32.00 +  8.50 = 40.50   safe 18.00   total 98.00
#   hexi     party 10.00 + 28 = 38.00   econ 32.00 + 10.00 = 42.00   safe 18.00   total 98.00
#   beimen   party  9.00 + 27 = 36.00   econ 30.00 + 10.50 = 40.50   safe 20.00   total 96.50
#   ximen    party 10.00 + 30 = 40.00   econ 25.13 + 10.00 = 35.13   safe 20.00   total 95.13
#   qiaonan  party  0.00 + 30 = 30.00   econ 15.00 +  0.00 = 15.00   safe 20.00   total 65.00
#   nanmen   party 10.00 + 29 = 39.00   econ  0.00 + 10.00 = 10.00   safe 14.00   total 63.00
CATEGORY_SCORES = {
    "dongmen": ("39.50", "40.50", "18.00"),
    "hexi": ("38.00", "42.00", "18.00"),
    "beimen": ("36.00", "40.50", "20.00"),
    "ximen": ("40.00", "35.13", "20.00"),
    "qiaonan": ("30.00", "15.00", "20.00"),
    "nanmen": ("39.00", "10.00", "14.00"),
}
TOTALS = {
    "dongmen": "98.00",
    "hexi": "98.00",
    "beimen": "96.50",
    "ximen": "95.13",
    "qiaonan": "65.00",
    "nanmen": "63.00",
}


def test_category_scores_and_totals(data: dict[str, Any]) -> None:
    rows = by_id(data)
    assert {cid: tuple(c["score"] for c in row["categories"].values()) for cid, row in rows.items()} == CATEGORY_SCORES
    assert {cid: row["total"] for cid, row in rows.items()} == TOTALS


def test_ranks_share_a_tie_and_skip_the_next(data: dict[str, Any]) -> None:
    # 98.00, 98.00 share rank 1; 96.50 is rank 3 (no rank 2); then 95.13, 65.00, 63.00
    # communities are listed by rank, then id: dongmen before hexi
    assert [(c["id"], c["rank"]) for c in data["communities"]] == [
        ("dongmen", 1),
        ("hexi", 1),
        ("beimen", 3),
        ("ximen", 4),
        ("qiaonan", 5),
        ("nanmen", 6),
    ]


def test_category_ranks_use_competition_ranking(data: dict[str, Any]) -> None:
    rows = by_id(data)
    # party: ximen 40 (1), dongmen 39.5 (2), nanmen 39 (3), hexi 38 (4), beimen 36 (5), qiaonan 30 (6)
    # econ: hexi 42 (1), dongmen = beimen 40.5 (2, 2), ximen 35.13 (4), qiaonan 15 (5), nanmen 10 (6)
    # safe: beimen = ximen = qiaonan 20 (1, 1, 1), dongmen = hexi 18 (4, 4), nanmen 14 (6)
    assert {cid: tuple(c["rank"] for c in row["categories"].values()) for cid, row in rows.items()} == {
        "dongmen": (2, 2, 4),
        "hexi": (4, 1, 4),
        "beimen": (5, 2, 1),
        "ximen": (1, 4, 1),
        "qiaonan": (6, 5, 1),
        "nanmen": (3, 6, 6),
    }


def test_award_ranks_back_fill_past_the_vetoed_community(data: dict[str, Any]) -> None:
    # beimen (score rank 3) is vetoed: no award rank. Among the other five:
    # dongmen 98 and hexi 98 share award rank 1; ximen 95.13 is award rank 3 (was score rank 4);
    # qiaonan 4, nanmen 5. 红旗 is rank 1–1 (both tied), 先进 rank 2–3 (only ximen, as no one holds 2)
    assert [(c["id"], c["award_rank"], c["award"], c["reward"]) for c in data["communities"]] == [
        ("dongmen", 1, "目标管理红旗单位", 3000),
        ("hexi", 1, "目标管理红旗单位", 3000),
        ("beimen", None, None, 0),
        ("ximen", 3, "目标管理先进单位", 1000),
        ("qiaonan", 4, None, 0),
        ("nanmen", 5, None, 0),
    ]


def test_the_veto_is_listed_and_keeps_the_score_rank(data: dict[str, Any]) -> None:
    rows = by_id(data)
    assert {cid for cid, row in rows.items() if row["vetoed"]} == {"beimen"}
    assert rows["beimen"]["vetoes"] == [
        {"line": "safety", "rule": "safe.stable.veto", "date": "2008-08-03", "note": "发生重大群体性事件"}
    ]
    assert rows["beimen"]["rank"] == 3
    assert all(row["vetoes"] == [] for cid, row in rows.items() if cid != "beimen")


def test_last_places_overall_and_per_category(data: dict[str, Any]) -> None:
    rows = by_id(data).values()
    # overall: 63.00 (nanmen) is the lowest total; party: 30.00 (qiaonan); econ: 10.00 (nanmen); safe: 14.00 (nanmen)
    lowest_total = max(r["rank"] for r in rows)
    assert {r["id"] for r in rows if r["rank"] == lowest_total} == {"nanmen"}
    for category, last in (("party", {"qiaonan"}), ("econ", {"nanmen"}), ("safe", {"nanmen"})):
        lowest = min(Decimal(r["categories"][category]["score"]) for r in rows)
        assert {r["id"] for r in rows if Decimal(r["categories"][category]["score"]) == lowest} == last, category


# the measures, overall first, then by category in rubric order:
#   overall, nanmen's 书记 王南: last in 2008, 2007 and 2006 → streak 3 → 降职降级, lifted by the exemption
#   party, qiaonan's party staff 李桥: last 2008; in 2007 he was ximen's party staff and ximen was party-last
#          (rank 6); in 2006 ximen's party staff was 李西 and the party-last was hexi (李河) → streak 2 → 诫勉
#   econ, nanmen's econ staff 张南: last 2008; 2007 econ-last was qiaonan (张桥): the gap ends the streak,
#          2006 (张南 last again) does not count → streak 1 → 警示谈话
#   safe, nanmen's safety staff 赵南: last 2008, 2007, 2006 → streak 3 → 降职降级, not exempt
#          (the exemption names 王南 only)
MEASURES = [
    {"community": "nanmen", "person": "王南", "role": "secretary", "scope": "overall", "streak": 3,
     "measure": "降职降级", "exempt": True},
    {"community": "qiaonan", "person": "李桥", "role": "staff", "scope": "party", "streak": 2,
     "measure": "诫勉", "exempt": False},
    {"community": "nanmen", "person": "张南", "role": "staff", "scope": "econ", "streak": 1,
     "measure": "警示谈话", "exempt": False},
    {"community": "nanmen", "person": "赵南", "role": "staff", "scope": "safe", "streak": 3,
     "measure": "降职降级", "exempt": False},
]  # fmt: skip


def test_measures_follow_the_streaks_from_history(data: dict[str, Any]) -> None:
    assert data["measures"] == MEASURES


def test_the_exemption_says_why(year: Results) -> None:
    exempt = [(m.person, m.reason) for m in year.measures if m.exempt]
    assert exempt == [("王南", "承担旧城改造拆迁任务")]


def test_results_json_for_two_communities_and_the_head(data: dict[str, Any]) -> None:
    # draft: decision.yaml has no results_sha256 yet
    assert (data["year"], data["final"]) == (2008, False)
    rows = by_id(data)
    assert rows["dongmen"] == {
        "id": "dongmen",
        "name": "东门社区",
        "total": "98.00",
        "rank": 1,
        "vetoed": False,
        "vetoes": [],
        "award_rank": 1,
        "award": "目标管理红旗单位",
        "reward": 3000,
        "categories": {
            "party": {"points": "40", "score": "39.50", "rank": 2},
            "econ": {"points": "40", "score": "40.50", "rank": 2},
            "safe": {"points": "20", "score": "18.00", "rank": 4},
        },
    }
    assert rows["beimen"] == {
        "id": "beimen",
        "name": "北门社区",
        "total": "96.50",
        "rank": 3,
        "vetoed": True,
        "vetoes": [{"line": "safety", "rule": "safe.stable.veto", "date": "2008-08-03", "note": "发生重大群体性事件"}],
        "award_rank": None,
        "award": None,
        "reward": 0,
        "categories": {
            "party": {"points": "40", "score": "36.00", "rank": 5},
            "econ": {"points": "40", "score": "40.50", "rank": 2},
            "safe": {"points": "20", "score": "20.00", "rank": 1},
        },
    }
    assert rows["ximen"] == {
        "id": "ximen",
        "name": "西门社区",
        "total": "95.13",
        "rank": 4,
        "vetoed": False,
        "vetoes": [],
        "award_rank": 3,
        "award": "目标管理先进单位",
        "reward": 1000,
        "categories": {
            "party": {"points": "40", "score": "40.00", "rank": 1},
            "econ": {"points": "40", "score": "35.13", "rank": 4},
            "safe": {"points": "20", "score": "20.00", "rank": 1},
        },
    }


def test_without_the_exemption_the_third_level_measure_stands() -> None:
    source = project()
    del source.files["content/decision.yaml"]
    outcome = run_ok(source)
    assert outcome.results is not None
    overall = results_dict(outcome.results)["measures"][0]
    seen = (overall["person"], overall["streak"], overall["measure"], overall["exempt"])
    assert seen == ("王南", 3, "降职降级", False)
