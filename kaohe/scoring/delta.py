"""What changed between two sets of results: totals, ranks, awards, category scores, vetoes, measures.

Works on :func:`kaohe.results.results_dict` dictionaries (the ``results.json``
contract), so results read back from a file compare as well as computed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class CategoryMove:
    id: str
    name: str
    old: str | None  # score
    new: str | None
    rank: tuple[int | None, int | None] = (None, None)  # 单项名次, old and new: a category's last place has measures


@dataclass(frozen=True)
class CommunityMove:
    """One community whose total, rank, award, veto or a category score differs."""

    id: str
    name: str
    total: tuple[str | None, str | None]
    rank: tuple[int | None, int | None]
    award: tuple[str | None, str | None]
    vetoed: tuple[bool | None, bool | None]
    categories: tuple[CategoryMove, ...]


@dataclass(frozen=True)
class VetoChange:
    change: str  # added | removed
    community: str
    community_name: str
    line: str
    rule: str
    date: str
    note: str


@dataclass(frozen=True)
class MeasureState:
    measure: str
    streak: int
    exempt: bool


@dataclass(frozen=True)
class MeasureChange:
    change: str  # added | removed | changed
    community: str
    community_name: str
    person: str
    role: str
    scope: str
    old: MeasureState | None
    new: MeasureState | None


@dataclass(frozen=True)
class ResultsDelta:
    communities: tuple[CommunityMove, ...]
    vetoes: tuple[VetoChange, ...]
    measures: tuple[MeasureChange, ...]
    final: tuple[bool, bool]

    @property
    def changed(self) -> bool:
        return bool(self.communities or self.vetoes or self.measures) or self.final[0] != self.final[1]


def compare_results(
    old: Mapping[str, Any], new: Mapping[str, Any], category_names: Mapping[str, str] | None = None
) -> ResultsDelta:
    """Compare two ``results_dict`` dictionaries; ``category_names`` names the top-level categories."""
    names = _community_names(old, new)
    return ResultsDelta(
        communities=community_moves(old, new, category_names or {}),
        vetoes=veto_changes(old, new, names),
        measures=measure_changes(old, new, names),
        final=(bool(old.get("final")), bool(new.get("final"))),
    )


def _community_names(*sides: Mapping[str, Any]) -> dict[str, str]:
    return {c["id"]: c["name"] for side in sides for c in side.get("communities", [])}


def community_moves(
    old: Mapping[str, Any], new: Mapping[str, Any], category_names: Mapping[str, str]
) -> tuple[CommunityMove, ...]:
    """Communities that differ, in the new order (by rank), then those that are gone."""
    before = {c["id"]: c for c in old.get("communities", [])}
    after = {c["id"]: c for c in new.get("communities", [])}
    order = list(after) + [cid for cid in before if cid not in after]
    last = (last_places(before.values()), last_places(after.values()))
    moves = (_move(before.get(cid), after.get(cid), category_names, last) for cid in order)
    return tuple(move for move in moves if move is not None)


def last_places(communities: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Each category's last rank (排名最末, which has measures) among ``communities``."""
    last: dict[str, int] = {}
    for community in communities:
        for cid, category in community["categories"].items():
            last[cid] = max(last.get(cid, 0), category["rank"])
    return last


def _pair(was: Mapping[str, Any] | None, now: Mapping[str, Any] | None, key: str) -> tuple[Any, Any]:
    return (was.get(key) if was else None, now.get(key) if now else None)


def _move(
    was: Mapping[str, Any] | None,
    now: Mapping[str, Any] | None,
    category_names: Mapping[str, str],
    last: tuple[Mapping[str, int], Mapping[str, int]],
) -> CommunityMove | None:
    some = now or was
    assert some is not None
    move = CommunityMove(
        id=some["id"],
        name=some["name"],
        total=_pair(was, now, "total"),
        rank=_pair(was, now, "rank"),
        award=_pair(was, now, "award"),
        vetoed=_pair(was, now, "vetoed"),
        categories=_category_moves(was, now, category_names, last),
    )
    pairs = (move.total, move.rank, move.award, move.vetoed)
    return move if move.categories or any(a != b for a, b in pairs) else None


def _category_moves(
    was: Mapping[str, Any] | None,
    now: Mapping[str, Any] | None,
    category_names: Mapping[str, str],
    last: tuple[Mapping[str, int], Mapping[str, int]],
) -> tuple[CategoryMove, ...]:
    """The categories whose score moved, or whose rank moved into or out of last place (measures follow it).

    Each carries its rank, old and new. A rank that moved elsewhere is not a change of its own: one entry
    can shift the category ranks of half a city by one.
    """
    before = was["categories"] if was else {}
    after = now["categories"] if now else {}
    if was is None or now is None:
        return ()
    ids = list(after) + [cid for cid in before if cid not in after]
    moves = []
    for cid in ids:
        old_score = before[cid]["score"] if cid in before else None
        new_score = after[cid]["score"] if cid in after else None
        rank = (before[cid]["rank"] if cid in before else None, after[cid]["rank"] if cid in after else None)
        was_last, is_last = rank[0] == last[0].get(cid), rank[1] == last[1].get(cid)
        if old_score != new_score or (rank[0] != rank[1] and (was_last or is_last)):
            moves.append(CategoryMove(cid, category_names.get(cid, cid), old_score, new_score, rank))
    return tuple(moves)


def _vetoes(side: Mapping[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (c["id"], v["line"], v["rule"], v["date"], v["note"])
        for c in side.get("communities", [])
        for v in c.get("vetoes", [])
    ]


def veto_changes(old: Mapping[str, Any], new: Mapping[str, Any], names: Mapping[str, str]) -> tuple[VetoChange, ...]:
    before, after = _vetoes(old), _vetoes(new)
    changes = [VetoChange(ADDED, v[0], names.get(v[0], v[0]), *v[1:]) for v in after if v not in before]
    changes += [VetoChange(REMOVED, v[0], names.get(v[0], v[0]), *v[1:]) for v in before if v not in after]
    return tuple(changes)


MeasureKey = tuple[str, str, str, str]  # community, person, role, scope


def _measures(side: Mapping[str, Any]) -> dict[MeasureKey, MeasureState]:
    return {
        (m["community"], m["person"], m["role"], m["scope"]): MeasureState(m["measure"], m["streak"], m["exempt"])
        for m in side.get("measures", [])
    }


def measure_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], names: Mapping[str, str]
) -> tuple[MeasureChange, ...]:
    before, after = _measures(old), _measures(new)
    changes: list[MeasureChange] = []
    for key in list(after) + [k for k in before if k not in after]:
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        change = ADDED if was is None else REMOVED if now is None else CHANGED
        changes.append(MeasureChange(change, key[0], names.get(key[0], key[0]), *key[1:], was, now))
    return tuple(changes)
