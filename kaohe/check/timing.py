"""The seed's timing rules (FORMAT.md §2 ``schedule``, §4 ``visits``), as small pure checks.

- "未经办事处党政主职同意，各线年底一律不能到社区进行考核": a visit to the communities in the
  year-end window needs a consent by one of ``schedule.consent_by``, given on or before the
  visit (an error: the seed forbids such a visit outright, and the fix is to record the
  consent that was given); a ledger whose entries cover more than half of the communities on
  one or two days of the window, with no visit recorded for them, looks like an unrecorded
  year-end inspection round (a warning naming the dates: entries may also pile up for
  reasons of their own, such as a yearly figure reported by another office on one day).
- "考核时间定在2009年元月上旬": reviews and the 班子会 outside ``schedule.assessment`` (warnings).
- "考核结果要报请分管副书记审核": a review by the line's own ``lead``, who organises its
  scoring and so recorded its entries, is no review (回避: an error).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from itertools import combinations

from kaohe.content.model import Content, Entry, Ledger, Schedule, Visit, Window
from kaohe.errors import Diagnostic, did_you_mean, error, warning

YEAR_END_RULE = "未经办事处党政主职同意，各线年底一律不能到社区进行考核"
PILE_UP_DAYS = 2  # entries for most communities on this many days or fewer look like an inspection round


def _window_text(window: Window) -> str:
    return f"{window.start} – {window.end}"


# --- the schedule itself ----------------------------------------------------------------


def check_schedule(content: Content) -> Iterator[Diagnostic]:
    """The year-end window needs someone who may consent; both windows belong where the seed puts them."""
    rubric = content.rubric
    schedule = rubric.schedule if rubric is not None else None
    if rubric is None or schedule is None:
        return
    year_end = schedule.year_end
    if year_end is not None and not schedule.consent_by:
        yield error(schedule.at("year_end"), "schedule.year_end needs 'consent_by': who may consent (办事处党政主职)")
    if year_end is not None and not (rubric.period_from <= year_end.start and year_end.end <= rubric.period_to):
        yield warning(
            year_end.pos,
            f"the year-end window ({_window_text(year_end)}) is not inside the period "
            f"({rubric.period_from} – {rubric.period_to})",
        )
    assessment = schedule.assessment
    if assessment is not None and assessment.start <= rubric.period_to:
        yield warning(
            assessment.pos,
            f"the assessment window ({_window_text(assessment)}) starts before the period ends ({rubric.period_to})",
        )


# --- the year-end rule ------------------------------------------------------------------


def check_year_end_visits(content: Content) -> Iterator[Diagnostic]:
    """Every visit in the year-end window has a consent by one who may give it, given on or before the visit."""
    schedule = content.rubric.schedule if content.rubric is not None else None
    if schedule is None or schedule.year_end is None:
        return
    for ledger in content.ledgers:
        for visit in ledger.visits:
            if schedule.year_end.holds(visit.date):
                yield from _visit_problems(ledger, visit, schedule, schedule.year_end)


def _visit_problems(ledger: Ledger, visit: Visit, schedule: Schedule, window: Window) -> Iterator[Diagnostic]:
    found = sum(1 for entry in ledger.entries if entry.date == visit.date)
    consent = visit.consent
    if consent is None:
        yield error(
            visit.pos,
            f"the visit to the communities on {visit.date} ({found} {'entry' if found == 1 else 'entries'}) falls in "
            f"the year-end window "
            f"({_window_text(window)}) and records no consent ({YEAR_END_RULE}): add "
            f"'consent: {{by: …, date: …}}' by one of {', '.join(schedule.consent_by) or 'consent_by'}",
        )
        return
    if consent.by not in schedule.consent_by:
        yield error(
            consent.at("by"),
            f"consent by '{consent.by}', who is not among those who may consent "
            f"(schedule.consent_by){did_you_mean(consent.by, schedule.consent_by)}",
        )
    if consent.date > visit.date:
        yield error(
            consent.at("date"), f"the consent is dated {consent.date}, after the visit it allows ({visit.date})"
        )


def check_year_end_pile_up(content: Content) -> Iterator[Diagnostic]:
    """A ledger whose entries cover most communities on one or two days of the year-end window, unrecorded."""
    schedule = content.rubric.schedule if content.rubric is not None else None
    known = {community.id for community in content.communities}
    if schedule is None or schedule.year_end is None or not known:
        return
    for ledger in content.ledgers:
        found = pile_up(ledger, schedule.year_end, known)
        if found:
            yield _pile_up_warning(ledger, found, len(known), schedule.year_end)


def pile_up(ledger: Ledger, window: Window, communities: set[str]) -> tuple[date, ...]:
    """The fewest days (at most two) of ``window`` whose unrecorded entries cover more than half of ``communities``.

    Days with a recorded visit are left out: the visit itself is checked for its consent.
    """
    visited = {visit.date for visit in ledger.visits}
    by_day: dict[date, set[str]] = {}
    for entry in ledger.entries:
        if window.holds(entry.date) and entry.date not in visited and entry.community in communities:
            by_day.setdefault(entry.date, set()).add(entry.community)
    return most_covering(by_day, len(communities))


def most_covering(by_day: Mapping[date, set[str]], total: int) -> tuple[date, ...]:
    """Every day covering more than half of ``total`` communities on its own; else the earliest group of
    two days (at most :data:`PILE_UP_DAYS`) that does; else ()."""
    days = sorted(by_day)
    alone = tuple(day for day in days if 2 * len(by_day[day]) > total)
    if alone:
        return alone
    for size in range(2, PILE_UP_DAYS + 1):
        for group in combinations(days, size):
            covered = set().union(*(by_day[day] for day in group))
            if 2 * len(covered) > total:
                return group
    return ()


def _pile_up_warning(ledger: Ledger, days: Sequence[date], total: int, window: Window) -> Diagnostic:
    on_days = [entry for entry in ledger.entries if entry.date in days]
    covered = len({entry.community for entry in on_days})
    first: Entry = on_days[0]
    named = ", ".join(str(day) for day in days)
    return warning(
        first.pos,
        f"ledger '{ledger.line}' has entries for {covered} of {total} communities on {named}, in the year-end "
        f"window ({_window_text(window)}), with no visit recorded: ledgers come from daily work ({YEAR_END_RULE}); "
        "if the line went to the communities, record the visit under 'visits:' with its consent",
    )


# --- the assessment window --------------------------------------------------------------


def check_assessment_window(content: Content) -> Iterator[Diagnostic]:
    """Reviews and the 班子会 fall inside ``schedule.assessment`` (考核时间)."""
    schedule = content.rubric.schedule if content.rubric is not None else None
    window = schedule.assessment if schedule is not None else None
    if window is None:
        return
    for ledger in content.ledgers:
        review = ledger.review
        if review is not None and not window.holds(review.date):
            yield warning(
                review.at("date"),
                f"ledger '{ledger.line}' was reviewed on {review.date}, outside the assessment window "
                f"({_window_text(window)}, 考核时间)",
            )
    decision = content.decision
    if decision is not None and not window.holds(decision.meeting):
        yield warning(
            decision.at("meeting"),
            f"the 班子会 ({decision.meeting}) is outside the assessment window ({_window_text(window)}, 考核时间)",
        )


# --- 回避 --------------------------------------------------------------------------------


def check_reviewer_not_lead(content: Content) -> Iterator[Diagnostic]:
    """A line's review is not by its own lead (主管班子成员), who recorded the entries."""
    if content.rubric is None:
        return
    lines = content.rubric.line_index()
    for ledger in content.ledgers:
        line = lines.get(ledger.line)
        review = ledger.review
        if line is None or review is None or not line.lead.strip():
            continue
        if review.by.strip() == line.lead.strip():
            yield error(
                review.at("by"),
                f"ledger '{ledger.line}' is reviewed by its own lead '{line.lead}', who recorded its entries "
                f"(回避: 考核结果要报请分管副书记审核); the review must be by another person"
                + (f", such as the line's reviewer '{line.reviewer}'" if line.reviewer.strip() else ""),
            )


TIMING_CHECKS = (
    check_schedule,
    check_year_end_visits,
    check_year_end_pile_up,
    check_assessment_window,
    check_reviewer_not_lead,
)
