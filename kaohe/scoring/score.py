"""The pure scoring core: ledger entries → leaf, category and total scores.

No I/O and no templates: everything here is a function of the rubric, the
communities and the entries, computed in ``Decimal``.

Every public function computes in :data:`SCORING`, a decimal context of its own
with enough digits that sums and products of numbers within the bounds of
:mod:`kaohe.content.limits` are exact and no trap (invalid operation, division
by zero, overflow) can fire on them; only a ratio's division rounds, at that
precision.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
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
    localcontext,
)
from enum import StrEnum
from typing import ParamSpec, TypeVar

from kaohe.content.limits import SCORING_PRECISION
from kaohe.content.model import Community, Entry, Indicator, Rubric, Rule
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


def exact(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` computed in the :data:`SCORING` context, whatever the caller's."""

    @functools.wraps(function)
    def in_scoring_context(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(SCORING):
            return function(*args, **kwargs)

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


@exact
def effect_of(entry: Entry, rule: Rule | None) -> Effect:
    """Classify an entry by the rule it cites (``None`` for an amount on a ratio leaf)."""
    if rule is None:
        return Effect(entry, EffectKind.AMOUNT, entry.amount or ZERO, None)
    count = Decimal(entry.count or 1)
    if rule.veto:
        return Effect(entry, EffectKind.VETO, (rule.per or ZERO) * count, rule)
    if rule.zero:
        return Effect(entry, EffectKind.ZERO, ZERO, rule)
    if rule.add is not None:
        return Effect(entry, EffectKind.BONUS, rule.add * count, rule)
    if rule.discretionary:
        return Effect(entry, EffectKind.DEDUCT, entry.deduct or ZERO, rule)
    return Effect(entry, EffectKind.DEDUCT, (rule.per or ZERO) * count, rule)


@exact
def score_rule_leaf(leaf: Indicator, effects: Iterable[Effect]) -> LeafScore:
    """Deductions stop at the leaf's points (扣完为止); 不得分 leaves 0.

    A veto (一票否决) takes no points by itself: it deducts only its ``per`` × count,
    if it has one, and marks the community as vetoed for awards.
    """
    effects = tuple(effects)
    deducted = sum((e.points for e in effects if e.kind in (EffectKind.DEDUCT, EffectKind.VETO)), ZERO)
    bonus = sum((e.points for e in effects if e.kind is EffectKind.BONUS), ZERO)
    zeroed = any(e.kind is EffectKind.ZERO for e in effects)
    vetoed = any(e.kind is EffectKind.VETO for e in effects)
    base = ZERO if zeroed else max(ZERO, leaf.points - deducted)
    return LeafScore(leaf, round2(base + bonus), deducted, bonus, zeroed, vetoed, effects=effects)


@exact
def ratio_bonus(leaf: Indicator, ratio: Decimal) -> Decimal:
    """bonus = min(max, add × floor((r − 1) / step)) for r > 1, exactly."""
    if leaf.bonus is None or ratio <= ONE:
        return ZERO
    steps = ((ratio - ONE) / leaf.bonus.step).to_integral_value(rounding=ROUND_FLOOR)
    return min(leaf.bonus.max, leaf.bonus.add * steps)


@exact
def score_ratio_leaf(leaf: Indicator, target: Decimal, effects: Iterable[Effect]) -> LeafScore:
    """按完成比例计分: points × min(1, r) + bonus, 0 below ``zero_below``."""
    effects = tuple(effects)
    amount = sum((e.points for e in effects if e.kind is EffectKind.AMOUNT), ZERO)
    ratio = amount / target
    if leaf.zero_below is not None and ratio < leaf.zero_below:
        return LeafScore(leaf, round2(ZERO), amount=amount, target=target, ratio=ratio, effects=effects)
    bonus = ratio_bonus(leaf, ratio)
    score = leaf.points * min(ONE, ratio) + bonus
    return LeafScore(leaf, round2(score), bonus=bonus, amount=amount, target=target, ratio=ratio, effects=effects)


@exact
def score_community(
    rubric: Rubric,
    community: Community,
    entries: Iterable[Entry],
    rules: Mapping[str, tuple[Indicator, Rule]] | None = None,
) -> CommunityScore:
    """Score one community from the entries that concern it (others are ignored)."""
    rules = rubric.rule_index() if rules is None else rules
    by_leaf: dict[str, list[Effect]] = defaultdict(list)
    for entry in entries:
        if entry.community != community.id:
            continue
        if entry.rule is not None and entry.rule in rules:
            leaf, rule = rules[entry.rule]
            by_leaf[leaf.full_id].append(effect_of(entry, rule))
        elif entry.indicator is not None:
            by_leaf[entry.indicator].append(effect_of(entry, None))
    leaves: dict[str, LeafScore] = {}
    for leaf in rubric.leaves():
        effects = by_leaf.get(leaf.full_id, [])
        target = leaf.target_for(community.id)
        if leaf.is_ratio and target is not None:
            leaves[leaf.full_id] = score_ratio_leaf(leaf, target, effects)
        elif leaf.is_ratio:
            leaves[leaf.full_id] = LeafScore(leaf, round2(ZERO), effects=tuple(effects))
        else:
            leaves[leaf.full_id] = score_rule_leaf(leaf, effects)
    nodes: dict[str, Decimal] = {}
    for top in rubric.indicators:
        _sum_node(top, leaves, nodes)
    total = sum((nodes[top.full_id] for top in rubric.indicators), ZERO)
    vetoes = tuple(effect for leaf in leaves.values() for effect in leaf.effects if effect.kind is EffectKind.VETO)
    vetoes = tuple(sorted(vetoes, key=veto_order))
    return CommunityScore(community, total, nodes, leaves, vetoes)


def veto_order(effect: Effect) -> tuple[object, ...]:
    """Vetoes by date, line and rule, then by what the entry says: never by where it stands in the ledger."""
    entry = effect.entry
    return (entry.date, entry.line, entry.cites, entry.note, entry.count or 1, entry.evidence)


def _sum_node(node: Indicator, leaves: Mapping[str, LeafScore], out: dict[str, Decimal]) -> Decimal:
    if node.is_leaf:
        value = leaves[node.full_id].score
    else:
        value = sum((_sum_node(child, leaves, out) for child in node.children), ZERO)
    out[node.full_id] = value
    return value


@exact
def score_all(rubric: Rubric, communities: Iterable[Community], entries: Iterable[Entry]) -> list[CommunityScore]:
    rules = rubric.rule_index()
    by_community: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_community[entry.community].append(entry)
    return [score_community(rubric, c, by_community.get(c.id, ()), rules) for c in communities]
