"""Results: scores, ranks, awards and measures together, finality, and ``results.json``.

``results.json`` is a contract other tools read (FORMAT.md §8): UTF-8, keys
sorted, decimals as strings. ``results_sha256`` is the SHA-256 of its bytes
with ``final`` set to ``false``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kaohe.content.load import LEDGER_DIR
from kaohe.content.model import Content, Rubric
from kaohe.errors import Diagnostic, warning
from kaohe.scoring.measures import Measure, compute_measures
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
class Finality:
    """Whether the results are final (FORMAT.md §6), and if not, why not."""

    final: bool
    reasons: tuple[str, ...] = ()
    approved_sha256: str | None = None
    mismatch: bool = False  # approved once, but the results have changed since


@dataclass(frozen=True)
class Results:
    rubric: Rubric
    content: Content
    communities: tuple[CommunityResult, ...]
    measures: tuple[Measure, ...]
    sha256: str = ""
    finality: Finality = field(default_factory=lambda: Finality(False))

    @property
    def final(self) -> bool:
        return self.finality.final

    @property
    def year(self) -> int:
        return self.rubric.year

    def community(self, cid: str) -> CommunityResult:
        return next(c for c in self.communities if c.id == cid)


def fmt_decimal(value: Decimal, places: bool = True) -> str:
    """Scores with 2 places ("95.30"); points as written ("18", "0.5")."""
    if places:
        return f"{value:.2f}"
    return format(value.normalize(), "f")


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
    draft = Results(rubric, content, tuple(ranked), tuple(_sorted_measures(rubric, measures)))
    digest = results_sha256(draft)
    finality, more = decide_finality(content, digest)
    return Results(rubric, content, draft.communities, draft.measures, digest, finality), problems + more


def _sorted_measures(rubric: Rubric, measures: list[Measure]) -> list[Measure]:
    order = {"overall": -1} | {top.id: i for i, top in enumerate(rubric.indicators)}
    return sorted(measures, key=lambda m: (order.get(m.scope, 99), m.community, m.person))


def decide_finality(content: Content, digest: str) -> tuple[Finality, list[Diagnostic]]:
    reasons: list[str] = []
    decision = content.decision
    if decision is None:
        reasons.append("no 班子会 decision yet (content/decision.yaml)")
    reviewed = {ledger.line for ledger in content.ledgers if ledger.review is not None}
    lines = [line.id for line in content.rubric.lines] if content.rubric else []
    unreviewed = [line for line in lines if line not in reviewed]
    if unreviewed:
        reasons.append("not yet reviewed (审核): " + ", ".join(f"{LEDGER_DIR}/{line}.yaml" for line in unreviewed))
    problems: list[Diagnostic] = []
    mismatch = False
    if decision is not None and not decision.results_sha256:
        reasons.append(f"the decision records no results_sha256 yet (the results now: {digest})")
    elif decision is not None and decision.results_sha256 != digest:
        mismatch = True
        reasons.append("the results differ from those the 班子会 approved (results_sha256)")
        problems.append(
            warning(
                decision.at("results_sha256"),
                f"the results have changed since the 班子会 approved them: approved {decision.results_sha256[:12]}…, "
                f"now {digest[:12]}…; everything is marked 草稿 until a new decision records results_sha256: {digest}",
            )
        )
    final = not reasons
    approved = decision.results_sha256 if decision and decision.results_sha256 else None
    return Finality(final, tuple(reasons), approved, mismatch), problems


# --- results.json -----------------------------------------------------------------------


def results_dict(results: Results, final: bool | None = None) -> dict[str, Any]:
    return {
        "year": results.year,
        "final": results.final if final is None else final,
        "communities": [_community_dict(c) for c in results.communities],
        "measures": [_measure_dict(m) for m in results.measures],
    }


def _community_dict(c: CommunityResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "total": fmt_decimal(c.total),
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
            cid: {"points": fmt_decimal(cat.points, places=False), "score": fmt_decimal(cat.score), "rank": cat.rank}
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


def results_json_bytes(results: Results, final: bool | None = None) -> bytes:
    text = json.dumps(results_dict(results, final), ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def results_sha256(results: Results) -> str:
    return hashlib.sha256(results_json_bytes(results, final=False)).hexdigest()
