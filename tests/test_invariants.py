"""Invariants of scoring over random small years on SMALL_RUBRIC (tests/support.py).

Random communities (always c2, which the rubric names in its targets, plus some of
c1, c3–c6) and random entries on every rule and the ratio indicator:

- a total is exactly the sum of its category scores (Decimal, no rounding);
- every leaf scores between 0 and its points plus the bonus the rubric allows it;
- one more deduction never raises any community's total;
- the order of entries, of communities and of lines in their files changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SMALL_RUBRIC, MemorySource, communities_yaml, small_project

from kaohe.pipeline import run
from kaohe.scoring.results import Results, results_dict, results_json_bytes

# the leaves of SMALL_RUBRIC and their points
LEAF_POINTS = {
    "work.rules": Decimal(2),
    "work.other": Decimal(58),
    "money.invest": Decimal(20),
    "money.extra": Decimal(10),
    "safe.accident": Decimal(10),
}
CATEGORY_OF = {leaf: leaf.split(".")[0] for leaf in LEAF_POINTS}
RATIO_BONUS_MAX = Decimal(3)  # money.invest: bonus {step: 0.1, add: 1, max: 3}
ADD_PER_COUNT = Decimal("0.5")  # money.extra.plus: add 0.5

OPTIONAL_IDS = ("c1", "c3", "c4", "c5", "c6")
NOTES = ("检查发现", "群众反映", "年底核查")
DEDUCTING_RULES = (
    "work.rules.each",
    "work.rules.judge",
    "work.rules.none",
    "work.other.each",
    "safe.accident.death",
    "safe.accident.minor",
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Gen:
    """One generated ledger entry."""

    line: str
    day: date
    community: str
    cites: str
    count: int | None = None
    deduct: Decimal | None = None
    amount: Decimal | None = None
    note: str = "检查发现"

    def yaml(self) -> str:
        key = "indicator" if self.amount is not None else "rule"
        parts = [f"date: {self.day.isoformat()}", f"community: {self.community}", f"{key}: {self.cites}"]
        if self.count is not None:
            parts.append(f"count: {self.count}")
        if self.deduct is not None:
            parts.append(f'deduct: "{self.deduct}"')
        if self.amount is not None:
            parts.append(f'amount: "{self.amount}"')
        parts.append(f"note: {self.note}")
        return "- {" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class Year:
    communities: tuple[str, ...]
    entries: tuple[Gen, ...]


def days() -> st.SearchStrategy[date]:
    """Few distinct days, so that entries often share one (ties in every sort by date)."""
    return st.sampled_from([date(2008, 1, 1) + timedelta(days=n) for n in (0, 45, 180, 365)])


def cents(low: str, high: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=2, allow_nan=False, allow_infinity=False)


@st.composite
def entry_for(draw: st.DrawFn, community: str, deducting_only: bool = False) -> Gen:
    """An entry citing one of the rubric's rules or its ratio indicator, valid in every way."""
    cites = draw(
        st.sampled_from(DEDUCTING_RULES if deducting_only else (*DEDUCTING_RULES, "money.extra.plus", "money.invest"))
    )
    base = Gen(
        line="a" if cites.startswith("work.") else "b",
        day=draw(days()),
        community=community,
        cites=cites,
        note=draw(st.sampled_from(NOTES)),
    )
    if cites in ("work.rules.each", "safe.accident.minor", "money.extra.plus"):
        return replace(base, count=draw(st.none() | st.integers(1, 12)))
    if cites == "work.other.each":
        return replace(base, count=draw(st.none() | st.integers(1, 70)))  # beyond 58: 扣完为止
    if cites == "work.rules.judge":
        return replace(base, deduct=draw(cents("0.01", "2")))  # at most the leaf's 2 points
    if cites == "money.invest":
        return replace(base, amount=draw(cents("0.01", "250")))
    if cites == "safe.accident.death":
        return replace(base, note=draw(st.sampled_from(["发生死亡事故", "死亡1人", "另一起死亡事故"])))
    return base  # work.rules.none (不得分)


@st.composite
def years(draw: st.DrawFn) -> Year:
    others = draw(st.lists(st.sampled_from(OPTIONAL_IDS), unique=True, max_size=4))
    communities = tuple(draw(st.permutations(["c2", *others])))
    entries = draw(st.lists(st.sampled_from(communities).flatmap(entry_for), max_size=14))
    return Year(communities, tuple(entries))


def source_of(year: Year, lines_reversed: bool = False) -> MemorySource:
    def ledger(line: str) -> str:
        return "\n".join(e.yaml() for e in year.entries if e.line == line)

    rubric = SMALL_RUBRIC
    if lines_reversed:
        rubric = rubric.replace(
            "  - {id: a, name: 甲线}\n  - {id: b, name: 乙线}\n", "  - {id: b, name: 乙线}\n  - {id: a, name: 甲线}\n"
        )
    return small_project(
        ledger("a"),
        ledger("b"),
        ids=year.communities,
        **{"content/rubric.yaml": rubric, "content/communities.yaml": communities_yaml(*year.communities)},
    )


def results_of(source: MemorySource) -> Results:
    outcome = run(source)
    errors = [str(d) for d in outcome.diagnostics if d.is_error]
    assert not errors, "\n".join(errors)
    assert outcome.results is not None
    return outcome.results


@SETTINGS
@given(years())
def test_a_total_is_exactly_the_sum_of_its_category_scores(year: Year) -> None:
    results = results_of(source_of(year))
    for row in results_dict(results)["communities"]:
        categories = [Decimal(cat["score"]) for cat in row["categories"].values()]
        assert Decimal(row["total"]) == sum(categories, Decimal(0)), row["id"]
    for community in results.communities:
        assert community.total == sum((cat.score for cat in community.categories.values()), Decimal(0))


def bonus_cap(year: Year, community: str, leaf: str) -> Decimal:
    """The most bonus the rubric lets ``leaf`` reach for ``community`` with these entries."""
    if leaf == "money.invest":
        return RATIO_BONUS_MAX
    if leaf == "money.extra":
        counts = [e.count or 1 for e in year.entries if e.community == community and e.cites == "money.extra.plus"]
        return ADD_PER_COUNT * sum(counts)
    return Decimal(0)  # no bonus outside bonus_allowed


@SETTINGS
@given(years())
def test_every_leaf_scores_between_zero_and_its_points_plus_its_bonus_cap(year: Year) -> None:
    results = results_of(source_of(year))
    for community in results.communities:
        leaves = community.score.leaves
        assert set(leaves) == set(LEAF_POINTS)
        for leaf, points in LEAF_POINTS.items():
            score = leaves[leaf].score
            assert Decimal(0) <= score <= points + bonus_cap(year, community.id, leaf), (community.id, leaf, score)
            assert score == score.quantize(Decimal("0.01")), (community.id, leaf, score)


@SETTINGS
@given(st.data())
def test_one_more_deduction_never_raises_any_total(data: st.DataObject) -> None:
    year = data.draw(years(), label="year")
    extra = data.draw(st.sampled_from(year.communities).flatmap(lambda c: entry_for(c, deducting_only=True)), "extra")
    before = results_of(source_of(year))
    after = results_of(source_of(Year(year.communities, (*year.entries, extra))))
    for community in year.communities:
        was, now = before.community(community).total, after.community(community).total
        assert now <= was, (community, was, now, extra)
    untouched = [c for c in year.communities if c != extra.community]
    for community in untouched:
        assert after.community(community).score.nodes == before.community(community).score.nodes


def ranks(results: Results) -> dict[str, Any]:
    return {
        c.id: (c.rank, c.award_rank, c.granted.name, {cid: cat.rank for cid, cat in c.categories.items()})
        for c in results.communities
    }


@SETTINGS
@given(years(), st.randoms(use_true_random=False))
def test_the_order_of_entries_communities_and_lines_changes_nothing(year: Year, rnd: random.Random) -> None:
    entries, communities = list(year.entries), list(year.communities)
    rnd.shuffle(entries)
    rnd.shuffle(communities)
    shuffled = Year(tuple(communities), tuple(entries))
    first = results_of(source_of(year))
    second = results_of(source_of(shuffled, lines_reversed=True))
    assert ranks(second) == ranks(first)
    assert results_json_bytes(second) == results_json_bytes(first)


def test_the_order_of_two_vetoes_on_the_same_day_changes_nothing() -> None:
    one = Gen("b", date(2008, 7, 1), "c2", "safe.accident.death", note="死亡1人")
    two = replace(one, note="另一起死亡事故")
    forward = results_of(source_of(Year(("c2",), (one, two))))
    backward = results_of(source_of(Year(("c2",), (two, one))))
    assert results_json_bytes(forward) == results_json_bytes(backward)
