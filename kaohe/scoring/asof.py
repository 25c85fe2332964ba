"""Results as they stand on a day: the content cut at a date and scored as any year is.

``build --as-of DATE`` scores the entries dated on or before DATE (an early-warning
view, never final), and the site's month-by-month standings score the same cut at
the end of each month. The cut is a pure function on the content model; scoring is
the year's own (:func:`~kaohe.scoring.results.compute_results`,
:func:`~kaohe.scoring.score.score_all`), unchanged.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from kaohe.content.model import Content, Ledger, Rubric
from kaohe.scoring.finality import Finality
from kaohe.scoring.results import CommunityResult, Results, compute_results, rank_communities, results_sha256
from kaohe.scoring.score import score_all, scores_through

FALL_WINDOW = 2  # a community is falling when its rank now is worse than this many month ends before


def cut_ledger(ledger: Ledger, day: date) -> Ledger:
    """The ledger with only the entries dated on or before ``day``."""
    return replace(
        ledger,
        entries=tuple(entry for entry in ledger.entries if entry.date <= day),
        incomplete=tuple(entry for entry in ledger.incomplete if entry.date is None or entry.date <= day),
    )


def cut(content: Content, day: date) -> Content:
    """The content as if every ledger held only its entries dated on or before ``day``.

    The year's 公示 with its objections and the 班子会 decision with its exemptions belong to the
    year's results, not to a day's: they are left out, so a day's results are 草稿 (``draft``),
    never 公示中 or 复核中, and no exemption decided at the year's end shows in June.
    """
    ledgers = tuple(cut_ledger(ledger, day) for ledger in content.ledgers)
    return replace(content, ledgers=ledgers, publicity=None, decision=None)


def outside_period(rubric: Rubric, day: date) -> bool:
    return not rubric.period_from <= day <= rubric.period_to


def results_as_of(content: Content, day: date) -> Results:
    """The year's results computed from the entries up to ``day``: marked with the date, never final.

    ``content.rubric`` must be loaded. ``results_sha256`` covers the date, so these results can
    never match an approval of the year's results.
    """
    results, _ = compute_results(cut(content, day))
    marked = replace(results, as_of=day, finality=Finality())
    return replace(marked, sha256=results_sha256(marked))


def standings(content: Content, day: date) -> tuple[CommunityResult, ...]:
    """Totals and ranks from the entries up to ``day`` (no measures, no finality: cheap enough for every month)."""
    rubric = content.rubric
    assert rubric is not None, "standings need a loaded rubric"
    scores = score_all(rubric, content.communities, cut(content, day).entries())
    return tuple(rank_communities(rubric, scores))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_points(rubric: Rubric, content: Content, until: date | None = None) -> tuple[date, ...]:
    """The end of every month of the period up to the month of the latest entry (or ``until``).

    The last point is ``until`` itself when it falls inside a month, and never after the period.
    Content without entries (up to ``until``) has no points.
    """
    dates = [entry.date for entry in content.entries() if until is None or entry.date <= until]
    if not dates:
        return ()
    last = min(until or month_end(max(dates)), rubric.period_to)
    points: list[date] = []
    day = month_end(rubric.period_from)
    while day < last:
        points.append(day)
        day = month_end(day.replace(day=1).replace(month=day.month % 12 + 1, year=day.year + day.month // 12))
    points.append(last)
    return tuple(points)


@dataclass(frozen=True)
class MonthStanding:
    """The standings at one point of the year."""

    day: date
    communities: tuple[CommunityResult, ...]  # in ranking order

    def rank_of(self, cid: str) -> int:
        return self.ranks[cid]

    @cached_property
    def ranks(self) -> Mapping[str, int]:
        return {c.id: c.rank for c in self.communities}


def through_year(content: Content, until: date | None = None) -> tuple[MonthStanding, ...]:
    """The standings at the end of each month (:func:`month_points`): what ``--as-of`` would score on each day.

    Scored for all the days at once (:func:`~kaohe.scoring.score.scores_through`): the same numbers
    as :func:`standings` of each day's cut, a test keeps it so, at a fraction of the work.
    """
    rubric = content.rubric
    assert rubric is not None, "the year's standings need a loaded rubric"
    days = month_points(rubric, content, until)
    per_day = scores_through(rubric, content.communities, content.entries(), days)
    return tuple(
        MonthStanding(day, tuple(rank_communities(rubric, scores))) for day, scores in zip(days, per_day, strict=True)
    )


def falling(series: tuple[MonthStanding, ...], window: int = FALL_WINDOW) -> tuple[str, ...]:
    """The communities whose rank at the last point is worse than ``window`` points before, in ranking order.

    With fewer than ``window + 1`` points nobody is falling yet.
    """
    if len(series) <= window:
        return ()
    now, before = series[-1], series[-1 - window]
    return tuple(c.id for c in now.communities if c.rank > before.rank_of(c.id))
