"""``build.py diff [REV [REV2]]``: what a change does to the results, for a pull request.

Both sides are read without checking anything out (``git show REV:path`` for a
revision, the files on disk for the working tree) and run through the same
pipeline as ``build``. The report (:class:`DiffReport`) holds every difference;
:mod:`kaohe.actions.diff.markdown` writes it as Markdown or JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kaohe.actions.diff.entries import EntryChange, Names, entry_changes, views
from kaohe.actions.diff.rubric import RubricChange, rubric_changes
from kaohe.actions.revisions import Side, sides
from kaohe.content.canonical import data_of
from kaohe.content.model import Content, Ledger, Rubric
from kaohe.content.overlay import Overlay
from kaohe.content.schema import COMMUNITIES_PATH, DECISION_PATH, HISTORY_DIR, LEDGER_DIR, RUBRIC_PATH
from kaohe.content.source import ContentSource
from kaohe.errors import Diagnostic
from kaohe.pipeline import Outcome, run
from kaohe.scoring.delta import ADDED, CHANGED, REMOVED, CommunityMove, ResultsDelta, community_moves, compare_results
from kaohe.scoring.results import results_dict


@dataclass(frozen=True)
class SideReport:
    label: str
    commit: str | None  # None for the working tree
    errors: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class ReviewChange:
    """A ledger's review (审核) as it was and is: ``"by date"``, or ``None`` when not reviewed."""

    path: str
    line_name: str
    old: str | None
    new: str | None


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
    return DiffReport(
        old=_side_report(old, before),
        new=_side_report(new, after),
        results=_results_delta(before, after),
        entries=entry_changes(views(before.content, before.results), views(after.content, after.results)),
        rubric=rubric,
        what_if=what_if(old.source, new.source, before) if rubric and before.ok and after.ok else None,
        reviews=review_changes(before.content, after.content),
        files=other_file_changes(old.source, new.source),
        names=Names.of(before.content).merged(Names.of(after.content)),
        categories=category_names(before) | category_names(after),
    )


def _rubric(outcome: Outcome) -> Rubric | None:
    return outcome.content.rubric if outcome.content else None


def _side_report(side: Side, outcome: Outcome) -> SideReport:
    return SideReport(side.label, side.commit, tuple(d for d in outcome.diagnostics if d.is_error))


def category_names(outcome: Outcome) -> dict[str, str]:
    rubric = outcome.content.rubric if outcome.content else None
    return {top.id: top.label for top in rubric.indicators} if rubric else {}


def _results_delta(before: Outcome, after: Outcome) -> ResultsDelta | None:
    if not (before.ok and after.ok) or before.results is None or after.results is None:
        return None
    names = category_names(before) | category_names(after)
    return compare_results(results_dict(before.results), results_dict(after.results), names)


def what_if(old: ContentSource, new: ContentSource, before: Outcome) -> WhatIf:
    """Which communities the new rubric moves when nothing else changes."""
    if all(file_change(old, new, path) is None for path in content_paths(old, new) if path != RUBRIC_PATH):
        return WhatIf((), rubric_only=True)
    new_rubric = new.read_text(RUBRIC_PATH) or ""
    outcome = run(Overlay(old, {RUBRIC_PATH: new_rubric}))
    if not outcome.ok or outcome.results is None or before.results is None:
        return WhatIf((), tuple(d for d in outcome.diagnostics if d.is_error))
    names = category_names(outcome)
    return WhatIf(community_moves(results_dict(before.results), results_dict(outcome.results), names))


def content_paths(*sources: ContentSource) -> list[str]:
    paths = [RUBRIC_PATH, COMMUNITIES_PATH, DECISION_PATH]
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
    """The decision, the communities and the history years: files whose changes show only through the results."""
    paths = [p for p in content_paths(old, new) if p in (DECISION_PATH, COMMUNITIES_PATH) or p.startswith(HISTORY_DIR)]
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


# --- the command ------------------------------------------------------------------------


def diff(root: Path, rev: str | None = None, rev2: str | None = None) -> DiffReport:
    """Compare the content at ``rev`` (default: the merge base with the default branch) with ``rev2`` (default:
    the working tree). :class:`~kaohe.actions.errors.UsageError` for a revision git does not know,
    :class:`~kaohe.content.overlay.NotUtf8` for a content file that is not UTF-8."""
    old, new = sides(root, rev, rev2)
    return build_report(old, new)
