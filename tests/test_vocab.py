"""The presentation vocabulary, table by table: every output words a fact the same way.

Expected strings are written out by hand; each rounding case says why.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support import results_of, small_project

from kaohe.content.model import Bonus, Entry, Indicator, Review, Rule
from kaohe.render import vocab
from kaohe.render.pdf.sheet import standing
from kaohe.scoring.finality import Draft, DraftReason
from kaohe.scoring.measures import OVERALL, SECRETARY, STAFF, Measure
from kaohe.scoring.score import Effect, EffectKind, LeafScore

D = Decimal


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("95.3", "95.30"),
        ("0.125", "0.13"),  # half-up: half-even would give 0.12
        ("0.135", "0.14"),
        ("2.675", "2.68"),  # exact in Decimal; a float would have given 2.67
        ("0", "0.00"),
        ("100", "100.00"),
    ],
)
def test_scores_round_half_up_to_two_places(value: str, shown: str) -> None:
    assert vocab.score(D(value)) == shown


@pytest.mark.parametrize(("value", "shown"), [("18", "18"), ("0.5", "0.5"), ("0.125", "0.125"), ("1E+2", "100")])
def test_points_are_shown_as_written(value: str, shown: str) -> None:
    assert vocab.points(D(value)) == shown


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        ("0.96665", "96.67%"),  # 96.665 → half-up 96.67 (half-even would keep 96.66)
        ("0.8", "80.00%"),
        ("1.25", "125.00%"),
        ("0.123456", "12.35%"),
    ],
)
def test_completion_is_a_percentage_with_two_places(ratio: str, shown: str) -> None:
    assert vocab.percent(D(ratio)) == shown


def test_thresholds_are_exact_percentages() -> None:
    assert [vocab.threshold(D(x)) for x in ("0.5", "0.1", "0.125")] == ["50%", "10%", "12.5%"]


def test_signed_points_use_the_typographic_minus() -> None:
    assert vocab.signed(D("-0.2")) == "−0.20"
    assert vocab.signed(D("0.5")) == "+0.50"


ENTRY = Entry(
    line="a", date=date(2008, 3, 1), community="c1", rule="x.y.z", indicator=None,
    count=2, deduct=None, amount=None, note="", evidence="",
)  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "points", "signed", "official", "number"),
    [
        (EffectKind.DEDUCT, "0.2", "−0.20", "扣0.20分", "-0.2"),
        (EffectKind.DEDUCT, "0.125", "−0.13", "扣0.13分", "-0.125"),  # words round half-up, the number stays exact
        (EffectKind.BONUS, "0.5", "+0.50", "加0.50分", "0.5"),
        (EffectKind.ZERO, "0", "不得分", "不得分", None),
        (EffectKind.VETO, "0", "一票否决", "一票否决", None),
        (EffectKind.VETO, "2", "一票否决（−2.00）", "一票否决，扣2.00分", "-2"),
        (EffectKind.AMOUNT, "150", "计入150万元", "计入150万元", None),
    ],
)
def test_an_entry_effect_in_each_form(
    kind: EffectKind, points: str, signed: str, official: str, number: str | None
) -> None:
    effect = Effect(ENTRY, kind, D(points), None)
    assert vocab.effect_signed(effect, "万元") == signed
    assert vocab.effect_official(effect, "万元") == official
    assert vocab.effect_number(effect) == (None if number is None else D(number))


PER = Rule(id="z", full_id="x.y.z", text="每项扣0.1分", per=D("0.1"))


def test_what_the_clerk_recorded() -> None:
    assert vocab.quantity(2, None, None, "", PER) == "2次"
    assert vocab.quantity(None, None, None, "", PER) == "1次"
    assert vocab.quantity(None, D("0.5"), None, "", None) == "扣0.5分"
    assert vocab.quantity(None, None, D("120.5"), "万元", None) == "120.5万元"


RULE_LEAF = Indicator(id="y", full_id="x.y", label="目标", points=D(2), line="a", rules=(PER,))
RATIO_LEAF = Indicator(
    id="money", full_id="m.money", label="招商引资", points=D(20), line="b", method="ratio", unit="万元",
    targets={"default": D(150), "c2": D(200)}, zero_below=D("0.5"), bonus=Bonus(D("0.1"), D(1), D(5)),
)  # fmt: skip


@pytest.mark.parametrize(
    ("leaf", "outcome", "result"),
    [
        (LeafScore(RULE_LEAF, D("1.7"), deducted=D("0.3")), "扣0.30分", "扣0.30分，得1.70分"),
        (LeafScore(RULE_LEAF, D(0), deducted=D("2.5")), "扣2.50分（扣完为止）", "扣2.50分（扣完为止），得0.00分"),
        (LeafScore(RULE_LEAF, D(0), zeroed=True), "不得分", "不得分，得0.00分"),
        (LeafScore(RULE_LEAF, D(2), vetoed=True), "一票否决", "一票否决，得2.00分"),
        (LeafScore(RULE_LEAF, D(2)), "", "得2.00分"),
        # 120 of 150: 80.00%; 20 × 0.8 = 16
        (
            LeafScore(RATIO_LEAF, D(16), amount=D(120), target=D(150), ratio=D(120) / D(150)),
            "完成120万元，任务150万元，完成率80.00%",
            "完成120万元，任务150万元，完成率80.00%，得16.00分",
        ),
        # 60 of 150: 40.00%, below the 50% threshold
        (
            LeafScore(RATIO_LEAF, D(0), amount=D(60), target=D(150), ratio=D(60) / D(150)),
            "完成60万元，任务150万元，完成率40.00%，低于50%不得分",
            "完成60万元，任务150万元，完成率40.00%，低于50%不得分，得0.00分",
        ),
        # 180 of 150: 120.00%, two full steps of 10% above 1 → +2
        (
            LeafScore(RATIO_LEAF, D(22), bonus=D(2), amount=D(180), target=D(150), ratio=D(180) / D(150)),
            "完成180万元，任务150万元，完成率120.00%，超额加2.00分",
            "完成180万元，任务150万元，完成率120.00%，超额加2.00分，得22.00分",
        ),
    ],
)
def test_a_leaf_outcome_in_words(leaf: LeafScore, outcome: str, result: str) -> None:
    assert vocab.leaf_outcome(leaf) == outcome
    assert vocab.leaf_result(leaf) == result


def test_the_ratio_rule_sentence_names_every_target_threshold_and_bonus() -> None:
    assert vocab.ratio_rule(RATIO_LEAF, {"c2": "紫桥社区"}) == (
        "按完成比例计分，任务指标150万元（紫桥社区200万元）；完成率低于50%不得分；超额每10%加1分，最多加5分。"
    )
    assert vocab.leaf_rules(RULE_LEAF, {}) == "每项扣0.1分。"


def test_a_veto_rule_says_so_once() -> None:
    assert vocab.rule_text(Rule(id="v", full_id="s.v", text="发生事故", veto=True)) == "发生事故（一票否决）"
    assert vocab.rule_text(Rule(id="v", full_id="s.v", text="一票否决", veto=True)) == "一票否决"


CATEGORIES = {"party": "党群工作"}


@pytest.mark.parametrize(
    ("role", "scope", "streak", "role_label", "scope_label", "last_place"),
    [
        (SECRETARY, OVERALL, 1, "党总支书记", "综合考核", "本年度综合考核排名最末"),
        (SECRETARY, OVERALL, 2, "党总支书记", "综合考核", "连续两年综合考核排名最末"),
        (STAFF, "party", 3, "分管工作人员", "党群工作", "连续三年党群工作单项考核排名最末"),
        (STAFF, "party", 4, "分管工作人员", "党群工作", "连续四年党群工作单项考核排名最末"),
    ],
)
def test_measure_labels(role: str, scope: str, streak: int, role_label: str, scope_label: str, last_place: str) -> None:
    measure = Measure("c1", "张三", role, scope, streak, "诫勉", exempt=False)
    assert vocab.role_label(role) == role_label
    assert vocab.scope_label(scope, CATEGORIES) == scope_label
    assert vocab.last_place_text(measure, CATEGORIES) == last_place
    assert vocab.streak_text(streak) == last_place.replace("综合考核", "").replace("党群工作单项考核", "")


def test_review_and_result_status() -> None:
    assert vocab.review_status(None) == "未审核"
    assert vocab.review_status(Review("李四", date(2009, 1, 5))) == "已审核：李四，2009-01-05"
    assert (vocab.status_label(True), vocab.status_label(False)) == ("已审定", "草稿")


def test_each_draft_reason_is_worded_for_readers_and_for_the_command_line() -> None:
    names, reviewers = {"a": "甲线", "b": "乙线"}, {"a": "分管副书记甲"}
    waiting = Draft(DraftReason.NOT_REVIEWED, lines=("a", "b"))
    assert vocab.draft_reason(waiting, names, reviewers) == "以下各线台帐尚未经分管副书记甲审核：甲线、乙线"
    assert vocab.draft_reason_en(waiting) == ("not yet reviewed (审核): content/ledgers/a.yaml, content/ledgers/b.yaml")
    every = [vocab.draft_reason(Draft(reason), names, reviewers) for reason in DraftReason]
    assert len(set(every)) == len(DraftReason), "each reason has its own words"


def test_a_score_sheet_says_the_award_place_a_community_moved_up_to() -> None:
    a = "- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 记录}"
    b = "- {date: 2008-05-01, community: c3, rule: safe.accident.death, note: 死亡事故}"
    results = results_of(small_project(a, b))
    # c3 (vetoed, nothing lost) and c2 (nothing lost) tie at 1st; c1 loses 0.3: 3rd, moved up to 2nd
    c1 = results.community("c1")
    assert (c1.rank, c1.award_rank) == (3, 2)
    assert vocab.moved_up(results, results.community("c3")) == ""  # vetoed: no award rank
    assert vocab.moved_up(results, results.community("c2")) == ""  # tied 1st with c3: its place is its own
    assert standing(c1, results).startswith(
        "你社区考核总分79.70分，在全街道3个社区中排第3名，因排名在前的社区被“一票否决”，按照细则规定名次递补为第2名"
    )


def test_an_entry_table_describes_each_effect_by_its_own_points_and_unit() -> None:
    """The site works each description out once for a kind, points and unit; equal points written otherwise stay so."""
    from kaohe.render.site.entries import describe_effect

    amount = Effect(ENTRY, EffectKind.AMOUNT, D("150"), None)
    same_amount_written_otherwise = Effect(ENTRY, EffectKind.AMOUNT, D("150.0"), None)
    assert describe_effect(amount, "万元") == ("计入150万元", "amount", "0")
    assert describe_effect(amount, "元") == ("计入150元", "amount", "0")  # the unit is part of what is shown
    shown = vocab.effect_signed(same_amount_written_otherwise, "万元")  # as the notices write it, whatever that is
    assert describe_effect(same_amount_written_otherwise, "万元") == (shown, "amount", "0")
    half = Effect(ENTRY, EffectKind.DEDUCT, D("0.5"), None)
    assert describe_effect(half, "") == ("−0.50", "deduct", "-0.5")
    assert describe_effect(Effect(ENTRY, EffectKind.DEDUCT, D("0.50"), None), "") == ("−0.50", "deduct", "-0.50")
    deduct = Effect(ENTRY, EffectKind.DEDUCT, D("0.2"), None)
    assert describe_effect(deduct, "") == ("−0.20", "deduct", "-0.2")
    assert describe_effect(Effect(ENTRY, EffectKind.VETO, D("0"), None), "") == ("一票否决", "veto", "-10000")
    assert describe_effect(None, "") == ("", "none", "0")
