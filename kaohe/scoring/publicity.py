"""The 公示 (FORMAT.md §6a): its last working day on the official calendar, and the stage of the results.

Working days come from the official calendar (:mod:`kaohe.workdays`); a year it does not
cover is a :class:`~kaohe.workdays.CalendarGap`, which ``check`` reports at the 公示's ``from``.

The stage comes from the content alone, never from today's date, so that a build is
reproducible: 草稿 (no 公示 yet) → 公示中 (a 公示, no objection) → 复核中 (objections) →
已审定 (final).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from kaohe.content.model import Content, Publicity
from kaohe.workdays import CalendarGap, last_day


class Stage(StrEnum):
    """The stage of the results, as ``results.json`` writes it."""

    DRAFT = "draft"  # 草稿: no 公示 yet
    PUBLICITY = "publicity"  # 公示中: a 公示 and no objection
    REVIEW = "review"  # 复核中: objections raised (open or decided), not yet final (see reviews_done)
    FINAL = "final"  # 已审定


def publicity_end(publicity: Publicity) -> date | None:
    """The 公示's last day, or ``None`` when the calendar does not cover it (``check`` reports that)."""
    try:
        return last_day(publicity.start, publicity.working_days)
    except CalendarGap:
        return None


def stage_of(content: Content, final: bool) -> Stage:
    """The stage of results computed from ``content``, final or not."""
    if final:
        return Stage.FINAL
    if content.publicity is None:
        return Stage.DRAFT
    return Stage.REVIEW if content.publicity.objections else Stage.PUBLICITY


def reviews_done(content: Content) -> bool:
    """Objections came, every one has its 复核, and the last 复核 is dated after the 公示's last day.

    The results then wait only for the 班子会 (the stage is still ``review``). While the last 复核 is
    dated within the 公示, more objections may yet come: the content cannot tell, so it is not done.
    """
    publicity = content.publicity
    if publicity is None or not publicity.objections or any(o.open for o in publicity.objections):
        return False
    end = publicity_end(publicity)
    last = max(o.review.date for o in publicity.objections if o.review is not None)
    return end is not None and last > end
