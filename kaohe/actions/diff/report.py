"""``build.py diff [REV [REV2]]``: what a change does to the results, for a pull request.

Both sides are read without checking anything out (``git show REV:path`` for a
revision, the files on disk for the working tree) and run through the same
pipeline as ``build``. The report (:class:`DiffReport`) holds every difference;
:mod:`kaohe.actions.diff.markdown` writes it as Markdown or JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kaohe.actions.diff.communities import CommunityChange, community_changes
from kaohe.actions.diff.entries import EntryChange, Names, entry_changes, views
from kaohe.actions.diff.rubric import RubricChange, rubric_changes
from kaohe.actions.revisions import Side, sides
from kaohe.content.canonical import data_of
from kaohe.content.model import Content, Ledger, Rubric
from kaohe.content.overlay import Overlay
from kaohe.content.schema import (
    COMMUNITIES_PATH,
    DECISION_PATH,
    HISTORY_DIR,
    LEDGER_DIR,
    PUBLICITY_PATH,
    RUBRIC_PATH,
)
from kaohe.content.source import ContentSource
from kaohe.errors import Diagnostic
from kaohe.pipeline import Outcome, run
from kaohe.scoring.delta import ADDED, CHANGED, REMOVED, CommunityMove, ResultsDelta, community_moves, compare_results
from kaohe.scoring.results import Results, results_dict


@dataclass(frozen=True)
class SideReport:
    label: str
    commit: str | None  # None for the working tree
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...] = ()  # what `check` warns about on this side (a likely duplicate, …)


@dataclass(frozen=True)
class Standing:
    """A community's place on one side: rank by total, and award rank among those not vetoed (名次递补)."""

    rank: int
    award_rank: int | None  # None when vetoed
    vetoed: bool
    passed_over: tuple[str, ...] = ()  # the vetoed communities ranked above it, which its award rank skips


@dataclass(frozen=True)
class ReviewChange:
    """A ledger's review (审核) as it was and is: ``"by date"``, or ``None`` when not reviewed."""

    path: str
    line_name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class NotCompared:
    """A ledger that does not load on one side (``side``, its label): none of its entries is compared."""

    path: str
    side: str


@dataclass(frozen=True)
class StaleReview:
    """A ledger reviewed before this change whose entries the change edits, keeping the old review."""

    path: str
    line_name: str
    review: str  # "by date", as on both sides
    entries: int  # entries added, removed or changed in this ledger


@dataclass(frozen=True)
class FileChange:
    path: str
    change: str  # added | removed | changed


@dataclass(frozen=True)
class WhatIf:
    """The rubric change alone: the new rubric applied to the old ledgers and everything else."""

    moves: tuple[CommunityMove, ...]
    errors: tuple[Diagnostic, ...] = ()
    rubric_only: bool = False  # nothing else changed: the results above are the rubric change's effect
    standings: tuple[Mapping[str, Standing], Mapping[str, Standing]] = ({}, {})  # old; new rubric on old ledgers


@dataclass(frozen=True)
class DiffReport:
    old: SideReport
    new: SideReport
    results: ResultsDelta | None  # None when either side cannot be scored
    entries: tuple[EntryChange, ...]
    rubric: tuple[RubricChange, ...]
    what_if: WhatIf | None
    reviews: tuple[ReviewChange, ...]
    files: tuple[FileChange, ...]  # decision, communities and history files added, removed or changed
    names: Names  # lines, communities, rules and indicators of both sides (the new side's names win)
    categories: Mapping[str, str]  # top-level category id → name
    standings: tuple[Mapping[str, Standing], Mapping[str, Standing]] = ({}, {})  # old, new: by community id
    stale_reviews: tuple[StaleReview, ...] = ()
    communities: tuple[CommunityChange, ...] = ()  # what changed in communities.yaml, community by community
    not_compared: tuple[NotCompared, ...] = ()  # ledgers that do not load on a side: their entries are left out

    @property
    def changed(self) -> bool:
        return bool(
            self.old.errors
            or self.new.errors
            or (self.results is not None and self.results.changed)
            or self.entries
            or self.rubric
            or self.reviews
            or self.files
        )


# --- building the report ----------------------------------------------------------------


def build_report(old: Side, new: Side) -> DiffReport:
    before, after = run(old.source), run(new.source)
    rubric = rubric_changes(_rubric(before), _rubric(after))
    unread_old, unread_new = unread_ledgers(before.content), unread_ledgers(after.content)
    unread = unread_old | unread_new
    entries = entry_changes(
        (v for v in views(before.content, before.results) if v.path not in unread),
        (v for v in views(after.content, after.results) if v.path not in unread),
    )
    return DiffReport(
        old=_side_report(old, before),
        new=_side_report(new, after),
        results=_results_delta(before, after),
        entries=entries,
        rubric=rubric,
        what_if=what_if(old.source, new.source, before) if rubric and before.ok and after.ok else None,
        reviews=review_changes(before.content, after.content),
        files=other_file_changes(old.source, new.source),
        names=Names.of(before.content).merged(Names.of(after.content)),
        categories=category_names(before) | category_names(after),
        standings=(standings(before.results), standings(after.results)),
        stale_reviews=stale_reviews(before.content, after.content, entries),
        communities=community_changes(before.content, after.content),
        not_compared=tuple(
            NotCompared(path, label)
            for label, paths in ((old.label, unread_old), (new.label, unread_new))
            for path in sorted(paths)
        ),
    )


def unread_ledgers(content: Content | None) -> set[str]:
    """The ledger files of ``content`` that did not load: none of their entries can be told added or removed."""
    if content is None:
        return set()
    return set(content.ledger_files) - {ledger.path for ledger in content.ledgers}


def _rubric(outcome: Outcome) -> Rubric | None:
    return outcome.content.rubric if outcome.content else None


def _side_report(side: Side, outcome: Outcome) -> SideReport:
    errors = tuple(d for d in outcome.diagnostics if d.is_error)
    return SideReport(side.label, side.commit, errors, tuple(d for d in outcome.diagnostics if not d.is_error))


def standings(results: Results | None) -> dict[str, Standing]:
    """Each community's rank and award rank; a community ranked below vetoed ones names them (名次递补)."""
    if results is None:
        return {}
    vetoed = [(c.id, c.rank) for c in results.communities if c.vetoed]
    return {
        c.id: Standing(
            c.rank, c.award_rank, c.vetoed, () if c.vetoed else tuple(vid for vid, rank in vetoed if rank < c.rank)
        )
        for c in results.communities
    }


def category_names(outcome: Outcome) -> dict[str, str]:
    rubric = outcome.content.rubric if outcome.content else None
    return {top.id: top.label for top in rubric.indicators} if rubric else {}


def _results_delta(before: Outcome, after: Outcome) -> ResultsDelta | None:
    if not (before.ok and after.ok) or before.results is None or after.results is None:
        return None
    names = category_names(before) | category_names(after)
    old, new = results_dict(before.results), results_dict(after.results)
    delta = compare_results(old, new, names)
    return replace(delta, communities=with_award_rank_moves(delta.communities, old, new))


def with_award_rank_moves(
    moves: tuple[CommunityMove, ...], old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[CommunityMove, ...]:
    """``moves`` and the communities whose award rank alone moved (名次递补 after a veto above them), so that
    the totals table explains every award; in the new side's order, the communities that are gone last."""
    listed = {move.id for move in moves}
    before = {c["id"]: c for c in old.get("communities", [])}
    extra = [
        _unmoved(before[c["id"]], c)
        for c in new.get("communities", [])
        if c["id"] not in listed and c["id"] in before and before[c["id"]]["award_rank"] != c["award_rank"]
    ]
    if not extra:
        return moves
    order = {c["id"]: i for i, c in enumerate(new.get("communities", []))}
    return tuple(sorted([*moves, *extra], key=lambda move: order.get(move.id, len(order))))


def _unmoved(old: Mapping[str, Any], new: Mapping[str, Any]) -> CommunityMove:
    """A community whose total, rank, award and categories are as they were (its award rank moved)."""
    return CommunityMove(
        new["id"],
        new["name"],
        total=(old["total"], new["total"]),
        rank=(old["rank"], new["rank"]),
        award=(old["award"], new["award"]),
        vetoed=(old["vetoed"], new["vetoed"]),
        categories=(),
    )


def what_if(old: ContentSource, new: ContentSource, before: Outcome) -> WhatIf:
    """Which communities the new rubric moves when nothing else changes."""
    if all(file_change(old, new, path) is None for path in content_paths(old, new) if path != RUBRIC_PATH):
        return WhatIf((), rubric_only=True)
    new_rubric = new.read_text(RUBRIC_PATH) or ""
    outcome = run(Overlay(old, {RUBRIC_PATH: new_rubric}))
    if not outcome.ok or outcome.results is None or before.results is None:
        return WhatIf((), tuple(d for d in outcome.diagnostics if d.is_error))
    names = category_names(outcome)
    was, now = results_dict(before.results), results_dict(outcome.results)
    moves = with_award_rank_moves(community_moves(was, now, names), was, now)
    return WhatIf(moves, standings=(standings(before.results), standings(outcome.results)))


def content_paths(*sources: ContentSource) -> list[str]:
    paths = [RUBRIC_PATH, COMMUNITIES_PATH, DECISION_PATH, PUBLICITY_PATH]
    for source in sources:
        paths += source.list_files(LEDGER_DIR) + source.list_files(HISTORY_DIR)
    return list(dict.fromkeys(paths))


def file_change(old: ContentSource, new: ContentSource, path: str) -> str | None:
    """Whether a file was added, removed or changed in what it says (layout and comments aside)."""
    before, after = old.read_text(path), new.read_text(path)
    if before is None and after is None:
        return None
    if before is None:
        return ADDED
    if after is None:
        return REMOVED
    if before == after or data_of(path, before) == data_of(path, after):
        return None
    return CHANGED


def other_file_changes(old: ContentSource, new: ContentSource) -> tuple[FileChange, ...]:
    """The decision, the 公示, the communities and the history years: files whose changes show only through the results."""
    kinds = (DECISION_PATH, PUBLICITY_PATH, COMMUNITIES_PATH)
    paths = [p for p in content_paths(old, new) if p in kinds or p.startswith(HISTORY_DIR)]
    changes = ((path, file_change(old, new, path)) for path in paths)
    return tuple(FileChange(path, change) for path, change in changes if change is not None)


def _review_text(ledger: Ledger | None) -> str | None:
    if ledger is None or ledger.review is None:
        return None
    return f"{ledger.review.by} {ledger.review.date.isoformat()}"


def review_changes(old: Content | None, new: Content | None) -> tuple[ReviewChange, ...]:
    before = {ledger.path: ledger for ledger in old.ledgers} if old else {}
    after = {ledger.path: ledger for ledger in new.ledgers} if new else {}
    rubric = (new.rubric if new else None) or (old.rubric if old else None)
    names = {line.id: line.name for line in rubric.lines} if rubric else {}
    changes = []
    for path in sorted(set(before) | set(after)):
        was, now = _review_text(before.get(path)), _review_text(after.get(path))
        if was != now:
            ledger = after.get(path) or before[path]
            changes.append(ReviewChange(path, names.get(ledger.line, ledger.line), was, now))
    return tuple(changes)


def stale_reviews(
    old: Content | None, new: Content | None, entries: tuple[EntryChange, ...]
) -> tuple[StaleReview, ...]:
    """Ledgers whose entries this change edits while their review stays as it was: to be reviewed again."""
    if old is None or new is None:
        return ()
    before = {ledger.path: ledger for ledger in old.ledgers}
    rubric = new.rubric or old.rubric
    names = {line.id: line.name for line in rubric.lines} if rubric else {}
    stale = []
    for ledger in new.ledgers:
        review = _review_text(ledger)
        edited = sum(1 for change in entries if change.shown.path == ledger.path)
        if review is not None and edited and _review_text(before.get(ledger.path)) == review:
            stale.append(StaleReview(ledger.path, names.get(ledger.line, ledger.line), review, edited))
    return tuple(stale)


# --- the command ------------------------------------------------------------------------


def diff(root: Path, rev: str | None = None, rev2: str | None = None) -> DiffReport:
    """Compare the content at ``rev`` (default: the merge base with the default branch) with ``rev2`` (default:
    the working tree). :class:`~kaohe.actions.errors.UsageError` for a revision git does not know,
    :class:`~kaohe.content.overlay.NotUtf8` for a content file that is not UTF-8."""
    old, new = sides(root, rev, rev2)
    return build_report(old, new)
