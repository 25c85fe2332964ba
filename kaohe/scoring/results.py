"""Results: scores, ranks, awards and measures together, their finality, and ``results.json``.

``results.json`` is a contract other tools read (FORMAT.md §8): UTF-8, keys
sorted, decimals as strings. ``results_sha256`` is the SHA-256 of its bytes
with ``final`` set to ``false`` and without ``stage`` (both follow from what is hashed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from kaohe.content.model import Content, Rubric
from kaohe.errors import Diagnostic
from kaohe.numbers import as_written, two_places
from kaohe.scoring.finality import Approval, Finality, decide_finality
from kaohe.scoring.fingerprint import content_sha256
from kaohe.scoring.measures import Measure, compute_measures
from kaohe.scoring.publicity import Stage, publicity_end, stage_of
from kaohe.scoring.rank import Granted, award_for, award_ranks, competition_ranks
from kaohe.scoring.score import CommunityScore, score_all


@dataclass(frozen=True)
class CategoryResult:
    points: Decimal
    score: Decimal
    rank: int


@dataclass(frozen=True)
class CommunityResult:
    score: CommunityScore
    rank: int
    award_rank: int | None
    granted: Granted
    categories: dict[str, CategoryResult]

    @property
    def id(self) -> str:
        return self.score.community.id

    @property
    def name(self) -> str:
        return self.score.community.name

    @property
    def total(self) -> Decimal:
        return self.score.total

    @property
    def vetoed(self) -> bool:
        return self.score.vetoed


@dataclass(frozen=True)
class Results:
    rubric: Rubric
    content: Content
    communities: tuple[CommunityResult, ...]
    measures: tuple[Measure, ...]
    content_sha256: str = ""  # what the content says (:mod:`kaohe.scoring.fingerprint`)
    sha256: str = ""  # results_sha256: of results.json, so of the numbers and the content_sha256
    finality: Finality = field(default_factory=Finality)
    as_of: date | None = None  # an early-warning view from the entries up to this date (``build --as-of``)
    posted: Results | None = None  # the results the 公示 showed, scored at publicity.yaml's ``posted`` revision

    @property
    def final(self) -> bool:
        return self.finality.final

    @property
    def approval(self) -> Approval | None:
        """The 班子会 approval, only when the results are final."""
        return self.finality.approval

    @property
    def stage(self) -> Stage:
        """草稿, 公示中, 复核中 or 已审定: from the content and the finality, never from today's date."""
        return stage_of(self.content, self.final)

    @property
    def year(self) -> int:
        return self.rubric.year

    def community(self, cid: str) -> CommunityResult:
        return self.by_id[cid]

    @cached_property
    def by_id(self) -> Mapping[str, CommunityResult]:
        """Each community's result by its id (made once: pages and notices look them up by the thousand)."""
        return {c.id: c for c in self.communities}


def rank_communities(rubric: Rubric, scores: Sequence[CommunityScore]) -> list[CommunityResult]:
    totals = {s.community.id: s.total for s in scores}
    ranks = competition_ranks(totals)
    eligible = award_ranks(totals, {s.community.id for s in scores if s.vetoed})
    category_ranks = {
        top.id: competition_ranks({s.community.id: s.category_score(top.id) for s in scores})
        for top in rubric.indicators
    }
    ranked = [
        CommunityResult(
            score=s,
            rank=ranks[s.community.id],
            award_rank=eligible[s.community.id],
            granted=award_for(eligible[s.community.id], rubric.awards),
            categories={
                top.id: CategoryResult(top.points, s.category_score(top.id), category_ranks[top.id][s.community.id])
                for top in rubric.indicators
            },
        )
        for s in scores
    ]
    return sorted(ranked, key=lambda c: (c.rank, c.id))


def compute_results(content: Content) -> tuple[Results, list[Diagnostic]]:
    """Score, rank, award and measure; then decide finality. ``content.rubric`` must be loaded."""
    rubric = content.rubric
    assert rubric is not None, "compute_results needs a loaded rubric"
    scores = score_all(rubric, content.communities, content.entries())
    ranked = rank_communities(rubric, scores)
    exemptions = content.decision.exemptions if content.decision else ()
    measures, problems = compute_measures(
        rubric,
        content.communities,
        {s.community.id: s.total for s in scores},
        {s.community.id: {top.id: s.category_score(top.id) for top in rubric.indicators} for s in scores},
        content.history,
        exemptions,
    )
    draft = Results(rubric, content, tuple(ranked), tuple(_sorted_measures(rubric, measures)), content_sha256(content))
    digest = results_sha256(draft)
    finality, more = decide_finality(content, digest)
    return replace(draft, sha256=digest, finality=finality), problems + more


def _sorted_measures(rubric: Rubric, measures: list[Measure]) -> list[Measure]:
    order = {"overall": -1} | {top.id: i for i, top in enumerate(rubric.indicators)}
    return sorted(measures, key=lambda m: (order.get(m.scope, 99), m.community, m.person))


# --- results.json -----------------------------------------------------------------------


def results_dict(results: Results) -> dict[str, Any]:
    """The ``results.json`` contract as a dictionary (FORMAT.md §8)."""
    return {
        "year": results.year,
        "final": results.final,
        "content_sha256": results.content_sha256,
        "communities": [_community_dict(c) for c in results.communities],
        "measures": [_measure_dict(m) for m in results.measures],
        "stage": str(results.stage),
        **_as_of_dict(results),
    } | _publicity_dict(results)


def _as_of_dict(results: Results) -> dict[str, Any]:
    """``as_of``, only in results computed with ``build --as-of``."""
    return {"as_of": results.as_of.isoformat()} if results.as_of is not None else {}


def _publicity_dict(results: Results) -> dict[str, Any]:
    """``"publicity": {"from", "to", "working_days"}`` (and ``"posted"`` when said), only when there is a 公示."""
    publicity = results.content.publicity
    end = publicity_end(publicity) if publicity is not None else None
    if publicity is None or end is None:
        return {}
    window = {"from": publicity.start.isoformat(), "to": end.isoformat(), "working_days": publicity.working_days}
    return {"publicity": window | ({"posted": publicity.posted} if publicity.posted else {})}


def _community_dict(c: CommunityResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "total": two_places(c.total),
        "rank": c.rank,
        "vetoed": c.vetoed,
        "vetoes": [
            {"line": v.entry.line, "rule": v.entry.cites, "date": v.entry.date.isoformat(), "note": v.entry.note}
            for v in c.score.vetoes
        ],
        "award_rank": c.award_rank,
        "award": c.granted.name,
        "reward": c.granted.reward,
        "categories": {
            cid: {"points": as_written(cat.points), "score": two_places(cat.score), "rank": cat.rank}
            for cid, cat in c.categories.items()
        },
    }


def _measure_dict(m: Measure) -> dict[str, Any]:
    return {
        "community": m.community,
        "person": m.person,
        "role": m.role,
        "scope": m.scope,
        "streak": m.streak,
        "measure": m.measure,
        "exempt": m.exempt,
    }


def serialise(data: Mapping[str, Any]) -> bytes:
    """The bytes of ``results.json``: UTF-8, keys sorted, 2-space indent, one final newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


UNHASHED = frozenset({"stage"})  # follows from the content (hashed) and the finality, like ``final``


def sha256_of(data: Mapping[str, Any]) -> str:
    """``results_sha256`` of a results dictionary (computed or read back): the hash with ``final`` false
    and without ``stage``."""
    hashed = {key: value for key, value in data.items() if key not in UNHASHED}
    return hashlib.sha256(serialise(dict(hashed, final=False))).hexdigest()


def results_json_bytes(results: Results) -> bytes:
    return serialise(results_dict(results))


def results_sha256(results: Results) -> str:
    return sha256_of(results_dict(results))
