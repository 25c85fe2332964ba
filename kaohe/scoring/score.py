"""The pure scoring core: ledger entries → leaf, category and total scores.

No I/O and no templates: everything here is a function of the rubric, the
communities and the entries, computed in ``Decimal``.

Every public function computes in :data:`SCORING`, a decimal context of its own
with enough digits that sums and products of numbers within the bounds of
:mod:`kaohe.content.limits` are exact and no trap (invalid operation, division
by zero, overflow) can fire on them; only a ratio's division rounds, at that
precision. The private functions (``_…``) are the public ones' parts: they run in
the context a public one entered (entering or checking it for each entry and each
leaf was a tenth of scoring a city's year at every month end).
"""

from __future__ import annotations

import functools
from bisect import insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    localcontext,
)
from enum import StrEnum
from itertools import chain
from operator import itemgetter
from typing import ParamSpec, TypeVar

from kaohe.content.limits import SCORING_PRECISION
from kaohe.content.model import Community, Entry, Indicator, Rubric, Rule, times
from kaohe.numbers import round_half_up

ZERO = Decimal(0)
ONE = Decimal(1)

# the traps stay set, so a slip in the code still shows; bounded inputs never reach them
SCORING = Context(
    prec=SCORING_PRECISION,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

P = ParamSpec("P")
R = TypeVar("R")


_ENTERED: ContextVar[Context | None] = ContextVar("scoring_context", default=None)  # the copy in use, if any


def exact(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` computed in the :data:`SCORING` context, whatever the caller's.

    The outermost call enters a copy of :data:`SCORING`; a call made inside it, while that copy is
    still the current context, runs on in it (entering a context costs more than most of these
    functions). A caller that switched to a context of its own in between gets a fresh copy again.
    """

    @functools.wraps(function)
    def in_scoring_context(*args: P.args, **kwargs: P.kwargs) -> R:
        entered = _ENTERED.get()
        if entered is not None and getcontext() is entered:
            return function(*args, **kwargs)
        with localcontext(SCORING) as context:
            token = _ENTERED.set(context)
            try:
                return function(*args, **kwargs)
            finally:
                _ENTERED.reset(token)

    return in_scoring_context


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimal places (the leaf score's precision); needs no context of its own."""
    return round_half_up(value, 2)


class EffectKind(StrEnum):
    DEDUCT = "deduct"  # per-occurrence or discretionary deduction
    BONUS = "bonus"  # an ``add`` rule
    ZERO = "zero"  # 不得分
    VETO = "veto"  # 一票否决: vetoed for awards; deducts only its ``per``, if any
    AMOUNT = "amount"  # completion toward a ratio target


@dataclass(frozen=True)
class Effect:
    """What one ledger entry did to one leaf."""

    entry: Entry
    kind: EffectKind
    points: Decimal  # points deducted or added; the amount for AMOUNT
    rule: Rule | None


@dataclass(frozen=True)
class LeafScore:
    indicator: Indicator
    score: Decimal
    deducted: Decimal = ZERO  # the deductions asked for, before 扣完为止
    bonus: Decimal = ZERO
    zeroed: bool = False
    vetoed: bool = False
    amount: Decimal | None = None  # ratio leaves: the sum of amounts
    target: Decimal | None = None
    ratio: Decimal | None = None
    effects: tuple[Effect, ...] = ()

    @property
    def capped(self) -> bool:
        """True when deductions exceeded the leaf's points (扣完为止)."""
        return self.deducted > self.indicator.points


@dataclass(frozen=True)
class CommunityScore:
    community: Community
    total: Decimal
    nodes: Mapping[str, Decimal]  # full id of every indicator → its score
    leaves: Mapping[str, LeafScore]
    vetoes: tuple[Effect, ...]

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def category_score(self, category_id: str) -> Decimal:
        return self.nodes[category_id]


def _effect_of(entry: Entry, rule: Rule | None) -> Effect:
    """Classify an entry by the rule it cites (``None`` for an amount on a ratio leaf)."""
    if rule is None:
        return Effect(entry, EffectKind.AMOUNT, entry.amount or ZERO, None)
    count = Decimal(times(entry.count))
    if rule.veto:
        return Effect(entry, EffectKind.VETO, (rule.per or ZERO) * count, rule)
    if rule.zero:
        return Effect(entry, EffectKind.ZERO, ZERO, rule)
    if rule.add is not None:
        return Effect(entry, EffectKind.BONUS, rule.add * count, rule)
    if rule.discretionary:
        return Effect(entry, EffectKind.DEDUCT, entry.deduct or ZERO, rule)
    return Effect(entry, EffectKind.DEDUCT, (rule.per or ZERO) * count, rule)


def _score_rule_leaf(leaf: Indicator, effects: Iterable[Effect]) -> LeafScore:
    """Deductions stop at the leaf's points (扣完为止); 不得分 leaves 0.

    A veto (一票否决) takes no points by itself: it deducts only its ``per`` × count,
    if it has one, and marks the community as vetoed for awards.
    """
    effects = tuple(effects)
    deducted = bonus = ZERO  # summed in the entries' order, as sum() would (one pass: most leaves hold one or two)
    zeroed = vetoed = False
    for effect in effects:
        kind = effect.kind
        if kind is EffectKind.DEDUCT:
            deducted += effect.points
        elif kind is EffectKind.VETO:
            deducted += effect.points
            vetoed = True
        elif kind is EffectKind.BONUS:
            bonus += effect.points
        elif kind is EffectKind.ZERO:
            zeroed = True
    base = ZERO if zeroed else max(ZERO, leaf.points - deducted)
    return LeafScore(leaf, round2(base + bonus), deducted, bonus, zeroed, vetoed, effects=effects)


def _ratio_bonus(leaf: Indicator, ratio: Decimal) -> Decimal:
    """bonus = min(max, add × floor((r − 1) / step)) for r > 1, exactly."""
    if leaf.bonus is None or ratio <= ONE:
        return ZERO
    steps = ((ratio - ONE) / leaf.bonus.step).to_integral_value(rounding=ROUND_FLOOR)
    return min(leaf.bonus.max, leaf.bonus.add * steps)


ratio_bonus = exact(_ratio_bonus)


def _score_ratio_leaf(leaf: Indicator, target: Decimal, effects: Iterable[Effect]) -> LeafScore:
    """按完成比例计分: points × min(1, r) + bonus, 0 below ``zero_below``."""
    effects = tuple(effects)
    amount = sum((e.points for e in effects if e.kind is EffectKind.AMOUNT), ZERO)
    ratio = amount / target
    if leaf.zero_below is not None and ratio < leaf.zero_below:
        return LeafScore(leaf, round2(ZERO), amount=amount, target=target, ratio=ratio, effects=effects)
    bonus = _ratio_bonus(leaf, ratio)
    score = leaf.points * min(ONE, ratio) + bonus
    return LeafScore(leaf, round2(score), bonus=bonus, amount=amount, target=target, ratio=ratio, effects=effects)


def _score_community(
    rubric: Rubric,
    community: Community,
    entries: Iterable[Entry],
    rules: Mapping[str, tuple[Indicator, Rule]] | None = None,
    untouched: Mapping[str, LeafScore] | None = None,
) -> CommunityScore:
    """Score one community from the entries that concern it (others are ignored).

    ``rules`` and ``untouched`` (:func:`_untouched_leaves`) are what :func:`score_all` computes once
    for every community; they are worked out here when not given.
    """
    rules = rubric.rule_index() if rules is None else rules
    untouched = _untouched_leaves(rubric) if untouched is None else untouched
    by_leaf: dict[str, list[Effect]] = defaultdict(list)
    for entry in entries:
        if entry.community != community.id:
            continue
        placed = _placed_effect(entry, rules)
        if placed is not None:
            by_leaf[placed[0]].append(placed[1])
    return _community_score(rubric, community, _leaf_scores(community, by_leaf, untouched))


def _placed_effect(entry: Entry, rules: Mapping[str, tuple[Indicator, Rule]]) -> tuple[str, Effect] | None:
    """The leaf an entry counts toward (by full id) and what it does there; None for a rule the rubric lacks."""
    if entry.rule is not None and entry.rule in rules:
        leaf, rule = rules[entry.rule]
        return leaf.full_id, _effect_of(entry, rule)
    if entry.indicator is not None:
        return entry.indicator, _effect_of(entry, None)
    return None


def _leaf_scores(
    community: Community, by_leaf: Mapping[str, Sequence[Effect]], leaves: Mapping[str, LeafScore]
) -> dict[str, LeafScore]:
    """Each of ``leaves`` (full id → its untouched score) scored from its effects in ``by_leaf``."""
    scored: dict[str, LeafScore] = {}
    for full_id, empty in leaves.items():
        leaf = empty.indicator
        effects = by_leaf.get(full_id, ())
        if not effects and not leaf.is_ratio:
            scored[full_id] = empty
            continue
        target = leaf.target_for(community.id)
        if leaf.is_ratio and target is not None:
            scored[full_id] = _score_ratio_leaf(leaf, target, effects)
        elif leaf.is_ratio:
            scored[full_id] = LeafScore(leaf, round2(ZERO), effects=tuple(effects))
        else:
            scored[full_id] = _score_rule_leaf(leaf, effects)
    return scored


def _community_score(rubric: Rubric, community: Community, leaves: Mapping[str, LeafScore]) -> CommunityScore:
    """The categories, the total and the vetoes from every leaf's score."""
    nodes: dict[str, Decimal] = {}
    for top in rubric.indicators:
        _sum_node(top, leaves, nodes)
    total = sum((nodes[top.full_id] for top in rubric.indicators), ZERO)
    vetoes = tuple(sorted(_vetoes(leaves), key=veto_order))
    return CommunityScore(community, total, nodes, leaves, vetoes)


def veto_order(effect: Effect) -> tuple[object, ...]:
    """Vetoes by date, line and rule, then by what the entry says: never by where it stands in the ledger."""
    entry = effect.entry
    return (entry.date, entry.line, entry.cites, entry.note, times(entry.count), entry.evidence)


def _sum_node(node: Indicator, leaves: Mapping[str, LeafScore], out: dict[str, Decimal]) -> Decimal:
    if node.is_leaf:
        value = leaves[node.full_id].score
    else:
        value = ZERO  # added in a loop, as sum() would, without a generator per node (scored 13 times a year)
        for child in node.children:
            value += _sum_node(child, leaves, out)
    out[node.full_id] = value
    return value


def _untouched_leaves(rubric: Rubric) -> dict[str, LeafScore]:
    """Every leaf in rubric order → its score when no entry concerns it (ratio leaves: scored per community)."""
    return {leaf.full_id: _score_rule_leaf(leaf, ()) for leaf in rubric.leaves()}


@exact
def score_all(rubric: Rubric, communities: Iterable[Community], entries: Iterable[Entry]) -> list[CommunityScore]:
    rules = rubric.rule_index()
    untouched = _untouched_leaves(rubric)
    by_community: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_community[entry.community].append(entry)
    return [_score_community(rubric, c, by_community.get(c.id, ()), rules, untouched) for c in communities]


@exact
def scores_through(
    rubric: Rubric, communities: Iterable[Community], entries: Iterable[Entry], days: Sequence[date]
) -> list[list[CommunityScore]]:
    """:func:`score_all` of the entries dated on or before each of ``days`` (ascending), for every day at once.

    The same scores as scoring each day's cut afresh, with less work: each entry's effect is made
    once, on the first day it counts, and a leaf is scored again only on a day that adds an entry
    to it. A leaf's effects keep the order of ``entries``, as :func:`_score_community` gives them.
    """
    rules = rubric.rule_index()
    untouched = _untouched_leaves(rubric)
    by_community: dict[str, list[tuple[int, Entry]]] = defaultdict(list)
    for index, entry in enumerate(entries):
        by_community[entry.community].append((index, entry))
    per_day: list[list[CommunityScore]] = [[] for _ in days]
    for community in communities:
        dated = sorted(by_community.get(community.id, ()), key=lambda pair: pair[1].date)
        for day_scores, score in zip(
            per_day, _through_days(rubric, community, dated, days, rules, untouched), strict=True
        ):
            day_scores.append(score)
    return per_day


def _through_days(
    rubric: Rubric,
    community: Community,
    dated: Sequence[tuple[int, Entry]],
    days: Sequence[date],
    rules: Mapping[str, tuple[Indicator, Rule]],
    untouched: Mapping[str, LeafScore],
) -> Iterator[CommunityScore]:
    """One community's score on each day, from its entries (with their places in the year's order) by date."""
    by_leaf: dict[str, list[tuple[int, Effect]]] = defaultdict(list)
    leaves = _leaf_scores(community, {}, untouched)
    score = _community_score(rubric, community, leaves)
    taken = 0
    for day in days:
        changed: set[str] = set()
        while taken < len(dated) and dated[taken][1].date <= day:
            index, entry = dated[taken]
            taken += 1
            placed = _placed_effect(entry, rules)
            if placed is not None and placed[0] in untouched:
                insort(by_leaf[placed[0]], (index, placed[1]), key=itemgetter(0))
                changed.add(placed[0])
        if changed:
            effects = {full_id: [effect for _, effect in by_leaf[full_id]] for full_id in changed}
            score = _rescored(
                rubric, score, _leaf_scores(community, effects, {full_id: untouched[full_id] for full_id in changed})
            )
        yield score


def _rescored(rubric: Rubric, previous: CommunityScore, changed: Mapping[str, LeafScore]) -> CommunityScore:
    """:func:`_community_score` of ``previous`` with the ``changed`` leaves, summing again only what is above them.

    Each indicator above a changed leaf is summed from its children as :func:`_sum_node` sums it
    (the same additions in the same order, so the same ``Decimal``, exponent and all), the deepest first.
    """
    leaves = {**previous.leaves, **changed}
    nodes = dict(previous.nodes)
    ancestors = rubric.ancestors()
    stale: dict[str, Indicator] = {}
    for full_id, leaf in changed.items():
        nodes[full_id] = leaf.score
        stale.update((node.full_id, node) for node in ancestors[full_id])
    for node in sorted(stale.values(), key=lambda node: len(ancestors[node.full_id]), reverse=True):
        value = ZERO
        for child in node.children:
            value += nodes[child.full_id]
        nodes[node.full_id] = value
    total = sum((nodes[top.full_id] for top in rubric.indicators), ZERO)
    if any(
        effect.kind is EffectKind.VETO
        for full_id, leaf in changed.items()
        for effect in chain(previous.leaves[full_id].effects, leaf.effects)
    ):
        vetoes = tuple(sorted(_vetoes(leaves), key=veto_order))
    else:
        vetoes = previous.vetoes  # no veto came or went: the same, in the same order
    return CommunityScore(previous.community, total, nodes, leaves, vetoes)


def _vetoes(leaves: Mapping[str, LeafScore]) -> Iterator[Effect]:
    return (effect for leaf in leaves.values() for effect in leaf.effects if effect.kind is EffectKind.VETO)
