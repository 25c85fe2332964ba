"""Each scoring rule of FORMAT.md §2 on a small inline rubric."""

from __future__ import annotations

from decimal import Decimal

from support import run_ok, small_project

from kaohe.scoring.results import Results


def results_of(entries_a: str = "", entries_b: str = "") -> Results:
    outcome = run_ok(small_project(entries_a, entries_b))
    assert outcome.results is not None
    return outcome.results


def leaf(results: Results, community: str, full_id: str) -> Decimal:
    return results.community(community).score.leaves[full_id].score


def test_per_rule_deducts_count_times_points() -> None:
    results = results_of("- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 3, note: 三项制度不全}")
    assert leaf(results, "c1", "work.rules") == Decimal("1.10")


def test_count_defaults_to_one() -> None:
    results = results_of("- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 一项}")
    assert leaf(results, "c1", "work.rules") == Decimal("1.70")


def test_deductions_stop_at_the_leaf_points() -> None:
    results = results_of(
        """
        - {date: 2008-03-01, community: c1, rule: work.rules.each, count: 5, note: 五项}
        - {date: 2008-04-01, community: c1, rule: work.rules.judge, deduct: 1.5, note: 酌情}
        """
    )
    score = results.community("c1").score.leaves["work.rules"]
    assert score.score == Decimal("0.00")
    assert score.deducted == Decimal("3.0")
    assert score.capped
    assert results.community("c1").categories["work"].score == Decimal("58.00")


def test_discretionary_rule_deducts_the_given_amount() -> None:
    results = results_of("- {date: 2008-06-30, community: c2, rule: work.rules.judge, deduct: 0.35, note: 未开展}")
    assert leaf(results, "c2", "work.rules") == Decimal("1.65")


def test_zero_rule_makes_the_leaf_score_nothing() -> None:
    results = results_of("- {date: 2008-06-30, community: c3, rule: work.rules.none, note: 违纪}")
    assert leaf(results, "c3", "work.rules") == Decimal("0.00")
    assert results.community("c3").total == Decimal("78.00")


def test_deductions_for_one_community_leave_the_others_alone() -> None:
    results = results_of("- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: x}")
    assert leaf(results, "c2", "work.rules") == Decimal("2.00")


def test_ratio_leaf_scores_points_times_completion() -> None:
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 75, note: 项目}"
    )
    assert leaf(results, "c1", "money.invest") == Decimal("15.00")


def test_ratio_amounts_add_up_across_entries() -> None:
    results = results_of(
        entries_b="""
        - {date: 2008-05-01, community: c1, indicator: money.invest, amount: 40, note: 一期}
        - {date: 2008-09-01, community: c1, indicator: money.invest, amount: "20.5", note: 二期}
        """
    )
    assert results.community("c1").score.leaves["money.invest"].amount == Decimal("60.5")
    assert leaf(results, "c1", "money.invest") == Decimal("12.10")


def test_ratio_below_zero_threshold_scores_nothing() -> None:
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 49.99, note: 项目}"
    )
    assert leaf(results, "c1", "money.invest") == Decimal("0.00")


def test_ratio_exactly_at_threshold_scores() -> None:
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 50, note: 项目}"
    )
    assert leaf(results, "c1", "money.invest") == Decimal("10.00")


def test_ratio_bonus_counts_full_steps_exactly() -> None:
    # r = 1.3 exactly is three steps of 0.1, never two through float error
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 130, note: 项目}"
    )
    score = results.community("c1").score.leaves["money.invest"]
    assert score.bonus == Decimal(3)
    assert score.score == Decimal("23.00")


def test_ratio_bonus_ignores_a_partial_step() -> None:
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 119.9, note: 项目}"
    )
    assert leaf(results, "c1", "money.invest") == Decimal("21.00")


def test_ratio_bonus_is_capped() -> None:
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 900, note: 项目}"
    )
    assert leaf(results, "c1", "money.invest") == Decimal("23.00")


def test_ratio_uses_the_community_target_over_the_default() -> None:
    results = results_of(
        entries_b="- {date: 2008-05-01, community: c2, indicator: money.invest, amount: 150, note: 项目}"
    )
    assert results.community("c2").score.leaves["money.invest"].target == Decimal(200)
    assert leaf(results, "c2", "money.invest") == Decimal("15.00")


def test_ratio_score_rounds_half_up_to_two_places() -> None:
    # 20 × 66.6725/100 = 13.3345 → 13.33; 20 × 66.675/100 = 13.335 → 13.34
    low = results_of(entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 66.6725, note: x}")
    high = results_of(entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 66.675, note: x}")
    assert leaf(low, "c1", "money.invest") == Decimal("13.33")
    assert leaf(high, "c1", "money.invest") == Decimal("13.34")


def test_add_rule_gives_bonus_above_the_leaf_points() -> None:
    results = results_of(entries_b="- {date: 2008-05-01, community: c3, rule: money.extra.plus, count: 3, note: 表彰}")
    assert leaf(results, "c3", "money.extra") == Decimal("11.50")


def test_veto_marks_the_community_and_takes_no_points_by_itself() -> None:
    results = results_of(entries_b="- {date: 2008-07-01, community: c2, rule: safe.accident.death, note: 死亡1人}")
    c2 = results.community("c2")
    assert leaf(results, "c2", "safe.accident") == Decimal("10.00")
    assert c2.vetoed
    assert [v.entry.note for v in c2.score.vetoes] == ["死亡1人"]
    assert c2.award_rank is None
    assert c2.granted.name is None


def test_veto_combined_with_per_deducts_its_count() -> None:
    source = small_project(
        entries_b="- {date: 2008-07-01, community: c2, rule: safe.accident.death, count: 2, note: 死亡2人}"
    )
    source.files["content/rubric.yaml"] = source.files["content/rubric.yaml"].replace(
        "{id: death, text: 死亡事故一票否决, veto: true}",
        "{id: death, text: 死亡事故一票否决，每人扣3分, veto: true, per: 3}",
    )
    results = run_ok(source).results
    assert results is not None
    assert results.community("c2").score.leaves["safe.accident"].score == Decimal("4.00")
    assert results.community("c2").vetoed


def test_totals_are_exact_sums_of_category_scores() -> None:
    results = results_of(
        "- {date: 2008-03-01, community: c1, rule: work.other.each, count: 7, note: x}",
        "- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 33.33, note: x}",
    )
    c1 = results.community("c1")
    assert c1.total == sum(cat.score for cat in c1.categories.values())
    assert [cat.score for cat in c1.categories.values()] == [Decimal("53.00"), Decimal("10.00"), Decimal("10.00")]
    assert c1.total == Decimal("73.00")


def test_no_float_reaches_a_score() -> None:
    results = results_of(entries_b="- {date: 2008-05-01, community: c1, indicator: money.invest, amount: 0.1, note: x}")
    for community in results.communities:
        assert all(isinstance(v, Decimal) for v in community.score.nodes.values())
