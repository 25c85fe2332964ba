"""Competition ranking, award ranks with 名次递补 past vetoed communities, awards."""

from __future__ import annotations

from decimal import Decimal

from support import ledger_yaml, run_ok, small_project

from kaohe.content.model import Award
from kaohe.scoring.finality import DraftReason
from kaohe.scoring.rank import award_for, award_ranks, competition_ranks, last_place
from kaohe.scoring.results import Results

AWARDS = (
    Award(name="红旗", from_rank=1, to_rank=1, reward=3000),
    Award(name="先进", from_rank=2, to_rank=3, reward=1000),
)


def d(**values: str) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in values.items()}


def test_equal_totals_share_a_rank_and_the_next_rank_skips() -> None:
    assert competition_ranks(d(a="90", b="95", c="95", e="80")) == {"b": 1, "c": 1, "a": 3, "e": 4}


def test_ranks_compare_decimals_not_text() -> None:
    assert competition_ranks(d(a="9.50", b="10.00", c="9.5")) == {"b": 1, "a": 2, "c": 2}


def test_award_ranks_skip_vetoed_communities() -> None:
    ranks = award_ranks(d(a="99", b="98", c="97", e="96"), vetoed={"a"})
    assert ranks == {"a": None, "b": 1, "c": 2, "e": 3}


def test_two_vetoed_in_the_top_three_back_fill_twice() -> None:
    ranks = award_ranks(d(a="99", b="98", c="97", e="96", f="95"), vetoed={"a", "c"})
    assert ranks == {"a": None, "b": 1, "c": None, "e": 2, "f": 3}
    assert [award_for(ranks[k], AWARDS).name for k in "abcef"] == [None, "红旗", None, "先进", "先进"]


def test_every_community_vetoed_means_no_awards() -> None:
    ranks = award_ranks(d(a="99", b="98"), vetoed={"a", "b"})
    assert ranks == {"a": None, "b": None}
    assert {award_for(r, AWARDS).name for r in ranks.values()} == {None}


def test_a_tie_at_the_award_boundary_gives_the_award_to_both() -> None:
    ranks = award_ranks(d(a="99", b="98", c="97", e="97", f="96"), vetoed=set())
    assert [award_for(ranks[k], AWARDS).name for k in "abcef"] == ["红旗", "先进", "先进", "先进", None]


def test_a_tie_for_first_gives_two_red_flags_and_skips_second_place() -> None:
    ranks = award_ranks(d(a="99", b="99", c="97", e="96"), vetoed=set())
    assert ranks == {"a": 1, "b": 1, "c": 3, "e": 4}
    assert [award_for(ranks[k], AWARDS).reward for k in "abce"] == [3000, 3000, 1000, 0]


def test_last_place_is_shared_by_ties() -> None:
    assert last_place(d(a="90", b="80", c="80")) == {"b", "c"}
    assert last_place({}) == set()


# --- through the whole pipeline ---------------------------------------------------------

VETO = "- {date: 2008-07-01, community: %s, rule: safe.accident.death, note: 死亡1人}\n"


def ranked(entries_a: str, entries_b: str, ids: tuple[str, ...]) -> Results:
    outcome = run_ok(small_project(entries_a, entries_b, ids))
    assert outcome.results is not None
    return outcome.results


def deduct(community: str, points: int) -> str:
    return f"- {{date: 2008-03-01, community: {community}, rule: work.other.each, count: {points}, note: 扣分}}\n"


def test_a_vetoed_first_keeps_its_score_rank_but_the_award_moves_down() -> None:
    ids = ("c1", "c2", "c3", "c4")
    results = ranked(deduct("c2", 1) + deduct("c3", 2) + deduct("c4", 3), VETO % "c1", ids)
    by_id = {c.id: c for c in results.communities}
    assert [c.total for c in results.communities] == [Decimal(t) for t in ("80.00", "79.00", "78.00", "77.00")]
    assert (by_id["c1"].rank, by_id["c1"].award_rank, by_id["c1"].granted.name) == (1, None, None)
    assert [by_id[c].granted.name for c in ("c2", "c3", "c4")] == ["红旗", "先进", "先进"]


def test_communities_are_listed_by_rank_then_id() -> None:
    results = ranked(deduct("c1", 5), "", ("c3", "c1", "c2"))
    assert [(c.rank, c.id) for c in results.communities] == [(1, "c2"), (1, "c3"), (3, "c1")]


def test_category_ranks_use_competition_ranking() -> None:
    results = ranked(deduct("c1", 2) + deduct("c2", 2), "", ("c1", "c2", "c3"))
    assert {c.id: c.categories["work"].rank for c in results.communities} == {"c3": 1, "c1": 2, "c2": 2}


def test_unreviewed_ledger_keeps_results_draft() -> None:
    source = small_project()
    source.files["content/ledgers/a.yaml"] = ledger_yaml("a", "", review=False)
    outcome = run_ok(source)
    assert outcome.results is not None
    assert not outcome.results.final
    assert [(d.reason, d.lines) for d in outcome.results.finality.drafts] == [
        (DraftReason.NO_DECISION, ()),
        (DraftReason.NOT_REVIEWED, ("a",)),
    ]
    assert outcome.results.approval is None
