"""Last places (排名最末) and the measures that follow them over consecutive years.

A person's streak is the number of consecutive years, ending with this one, in
which the community where they held the role was in last place while they held
it. Streak 1, 2, 3+ maps to the rubric's ``measures[0..2]``; an exemption in
``decision.yaml`` (如无特殊原因) lifts the third-level measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kaohe.content.model import Community, Exemption, HistoryYear, Rubric
from kaohe.errors import Diagnostic, Pos, warning
from kaohe.scoring.rank import last_place

OVERALL = "overall"
SECRETARY = "secretary"
STAFF = "staff"


@dataclass(frozen=True)
class Measure:
    community: str
    person: str
    role: str  # 'secretary' (scope 'overall') or 'staff' (scope = category id)
    scope: str
    streak: int
    measure: str
    exempt: bool
    reason: str = ""  # the exemption's reason, when exempt


@dataclass(frozen=True)
class Holder:
    """Who answers for a last place this year."""

    community: str
    person: str
    role: str
    scope: str


def last_place_holders(
    rubric: Rubric,
    communities: Sequence[Community],
    totals: Mapping[str, Decimal],
    category_scores: Mapping[str, Mapping[str, Decimal]],
) -> list[Holder]:
    """The 书记 of every last community overall, and the 分管工作人员 of every last one per category."""
    by_id = {c.id: c for c in communities}
    holders = [Holder(cid, by_id[cid].secretary, SECRETARY, OVERALL) for cid in sorted(last_place(totals))]
    for category in rubric.indicators:
        scores = {cid: category_scores[cid][category.id] for cid in totals}
        for cid in sorted(last_place(scores)):
            person = by_id[cid].staff.get(category.line, "")
            holders.append(Holder(cid, person, STAFF, category.id))
    return holders


def was_last(history: HistoryYear, person: str, role: str, scope: str) -> bool:
    """Did ``person`` hold ``role`` in a community that was last in ``scope`` that year?"""
    if role == SECRETARY:
        rows = [(c.rank, c.secretary) for c in history.communities]
    else:
        rows = [
            (c.categories[scope].rank, c.categories[scope].staff) for c in history.communities if scope in c.categories
        ]
    if not rows:
        return False
    last_rank = max(rank for rank, _ in rows)
    return any(rank == last_rank and holder == person for rank, holder in rows)


@dataclass(frozen=True)
class LastPlace:
    """One year of a streak: where the person held the role, its place, and how many were ranked."""

    year: int
    community: str  # the community's id
    rank: int
    ranked: int


def last_place_in(history: HistoryYear, person: str, role: str, scope: str) -> LastPlace | None:
    """The community ``person`` held ``role`` in that was last in ``scope`` in ``history``'s year, if any."""
    if role == SECRETARY:
        rows = [(c.id, c.rank, c.secretary) for c in history.communities]
    else:
        rows = [
            (c.id, c.categories[scope].rank, c.categories[scope].staff)
            for c in history.communities
            if scope in c.categories
        ]
    if not rows:
        return None
    last_rank = max(rank for _, rank, _ in rows)
    found = [cid for cid, rank, holder in rows if rank == last_rank and holder == person]
    return LastPlace(history.year, found[0], last_rank, len(rows)) if found else None


def earlier_last_places(measure: Measure, year: int, history: Iterable[HistoryYear]) -> list[LastPlace]:
    """The streak's years before ``year``, oldest first, from the history files (the facts of a 告知书)."""
    by_year = {h.year: h for h in history}
    places = []
    for earlier in range(year - measure.streak + 1, year):
        found = by_year.get(earlier)
        place = last_place_in(found, measure.person, measure.role, measure.scope) if found else None
        if place is not None:
            places.append(place)
    return places


def streak_of(holder: Holder, year: int, history: Mapping[int, HistoryYear]) -> int:
    streak = 1
    earlier = year - 1
    while earlier in history and holder.person and was_last(history[earlier], holder.person, holder.role, holder.scope):
        streak += 1
        earlier -= 1
    return streak


def compute_measures(
    rubric: Rubric,
    communities: Sequence[Community],
    totals: Mapping[str, Decimal],
    category_scores: Mapping[str, Mapping[str, Decimal]],
    history: Iterable[HistoryYear],
    exemptions: Sequence[Exemption],
) -> tuple[list[Measure], list[Diagnostic]]:
    by_year = {h.year: h for h in history}
    measures: list[Measure] = []
    used: set[Exemption] = set()
    for holder in last_place_holders(rubric, communities, totals, category_scores):
        streak = streak_of(holder, rubric.year, by_year)
        level = min(streak, len(rubric.measures)) - 1
        exemption = _exemption_for(holder, exemptions) if level >= 2 else None
        if exemption is not None:
            used.add(exemption)
        measures.append(
            Measure(
                community=holder.community,
                person=holder.person,
                role=holder.role,
                scope=holder.scope,
                streak=streak,
                measure=rubric.measures[level] if rubric.measures else "",
                exempt=exemption is not None,
                reason=exemption.reason if exemption else "",
            )
        )
    problems = [
        warning(e.pos, f"exemption for {e.person} of '{e.community}' matches no third-level measure this year")
        for e in exemptions
        if e not in used
    ]
    problems += [
        warning(
            _community_pos(communities, m.community),
            f"no 分管工作人员 named for the line of '{m.scope}' in '{m.community}', who is last in it",
        )
        for m in measures
        if not m.person
    ]
    return measures, problems


def _exemption_for(holder: Holder, exemptions: Sequence[Exemption]) -> Exemption | None:
    for exemption in exemptions:
        if exemption.community == holder.community and exemption.person == holder.person:
            return exemption
    return None


def _community_pos(communities: Sequence[Community], cid: str) -> Pos:
    for community in communities:
        if community.id == cid:
            return community.at("staff")
    return communities[0].pos
