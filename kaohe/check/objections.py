"""Checks of content/publicity.yaml (FORMAT.md §6a): the 公示's calendar, each objection and its 复核.

Whether an open objection or an early 班子会 keeps the results a draft is
:mod:`kaohe.scoring.finality`'s; here is what ``check`` says of the file itself.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import date

from kaohe.content.entryref import REMOVED, EntryRef, parse_ref, part_problem, ref_of, resolve
from kaohe.content.model import Content, Objection, ObjectionReview, Publicity
from kaohe.content.schema import ledger_path
from kaohe.errors import Diagnostic, did_you_mean, error, warning
from kaohe.workdays import CalendarGap, covered_years, is_working_day, last_day


def check_publicity(content: Content) -> Iterator[Diagnostic]:
    """The 公示 record and every objection in it."""
    publicity = content.publicity
    if publicity is None:
        return
    end = yield from _calendar(publicity)
    if content.rubric is not None and publicity.start <= content.rubric.period_to:
        yield warning(
            publicity.at("from"),
            f"the 公示 starts on {publicity.start}, within the assessment period (to {content.rubric.period_to})",
        )
    seen: dict[str, Objection] = {}
    for objection in publicity.objections:
        if objection.id in seen:
            first = seen[objection.id].pos.line
            yield error(objection.at("id"), f"duplicate objection id '{objection.id}' (first at line {first})")
        seen.setdefault(objection.id, objection)
        yield from check_objection(content, objection, publicity, end)


def _calendar(publicity: Publicity) -> Generator[Diagnostic, None, date | None]:
    """The calendar problems of the 公示; returns its last day (``None`` when the calendar does not cover it)."""
    try:
        end = last_day(publicity.start, publicity.working_days)
        starts_on_working_day = is_working_day(publicity.start)
    except CalendarGap as gap:
        first, last = covered_years()
        yield error(
            publicity.at("from"),
            f"the official calendar of working days (chinesecalendar) does not cover {gap.year}: "
            f"it knows {first}–{last}; update the package (requirements.txt) to count this 公示",
        )
        return None
    if not starts_on_working_day:
        yield warning(
            publicity.at("from"), f"the 公示 starts on {publicity.start}, not a working day: counting starts after it"
        )
    return end


def check_objection(
    content: Content, objection: Objection, publicity: Publicity, end: date | None
) -> Iterator[Diagnostic]:
    """One objection: its community, its entry, when it came, and its 复核."""
    ids = {c.id for c in content.communities}
    if objection.community not in ids:
        hint = did_you_mean(objection.community, ids)
        yield error(objection.at("community"), f"objection about unknown community '{objection.community}'{hint}")
    if not objection.by.strip():
        yield error(objection.at("by"), f"objection '{objection.id}' names no objector ('by')")
    if not objection.says.strip():
        yield error(objection.at("says"), f"objection '{objection.id}' says nothing ('says')")
    yield from _entry(content, objection)
    if objection.received < publicity.start:
        yield warning(
            objection.at("received"),
            f"objection '{objection.id}' was received on {objection.received}, before the 公示 began ({publicity.start})",
        )
    if objection.late(end):
        yield warning(
            objection.at("received"),
            f"objection '{objection.id}' is late: received on {objection.received}, after the 公示 ended ({end}); "
            "it is kept on record and shown",
        )
    if objection.review is not None:
        yield from _review(content, objection, objection.review)


def one_key_away(day: date, other: date) -> bool:
    """Two dates whose ``YYYY-MM-DD`` differ in one character."""
    return sum(a != b for a, b in zip(day.isoformat(), other.isoformat(), strict=True)) == 1


def ledger_failed(content: Content, line: str) -> bool:
    """The ledger file of ``line`` is there but did not load (its own errors say why)."""
    return ledger_path(line) in content.ledger_files and all(ledger.line != line for ledger in content.ledgers)


def _entry(content: Content, objection: Objection) -> Iterator[Diagnostic]:
    """The entry objected to must be in the ledger, unless an upheld 复核 took it out or changed it."""
    if not objection.entry:
        return
    ref = parse_ref(objection.entry)
    if ref is not None and ref.community != objection.community:
        yield error(
            objection.at("entry"),
            f"objection '{objection.id}' is about '{objection.community}' but its entry is of '{ref.community}'",
        )
    if ref is not None and ledger_failed(content, ref.line):
        return  # its ledger did not load: that error is reported at the ledger, and nothing here can be told
    review = objection.review
    carried_out = review is not None and review.upheld and bool(review.change)
    found = resolve(content, objection.entry)
    if ref is None or (not carried_out and found.entry is None):
        yield error(objection.at("entry"), f"objection '{objection.id}': {found.problem}")
    elif review is not None and carried_out and review.change == REMOVED and found.entry is not None:
        yield error(
            review.at("change"),
            f"objection '{objection.id}' was upheld with the entry removed, but '{objection.entry}' is still in the ledger",
        )
    elif carried_out and review is not None and review.change == REMOVED:
        yield from _removed(content, objection, ref)


def _removed(content: Content, objection: Objection, ref: EntryRef) -> Iterator[Diagnostic]:
    """A removed entry is in no ledger, so its reference is checked for what it can still be checked for.

    Its rule must be one of its line's, and an entry of the same line, community and rule still in the
    ledger on a day one keystroke away (2008-11-18 for 2008-11-28) is named: the date was likely mistyped,
    and the entry objected to left in place.
    """
    wrong_part = part_problem(content, ref)
    if wrong_part:
        yield error(objection.at("entry"), f"objection '{objection.id}': {wrong_part}")
        return
    kept = [
        ref_of(e)
        for e in content.entries()
        if e.line == ref.line
        and e.community == ref.community
        and e.cites == ref.cites
        and one_key_away(e.date, ref.date)
    ]
    if kept:
        yield warning(
            objection.at("entry"),
            f"objection '{objection.id}' was upheld with '{ref.key}' removed, but the ledger still holds "
            f"{', '.join(repr(k) for k in kept[:3])}: if one of these is the entry objected to, correct 'entry'",
        )


def _review(content: Content, objection: Objection, review: ObjectionReview) -> Iterator[Diagnostic]:
    if review.date < objection.received:
        yield warning(
            review.at("date"),
            f"the 复核 of objection '{objection.id}' is dated {review.date}, before it was received ({objection.received})",
        )
    if not review.reason.strip():
        yield error(review.at("reason"), f"the 复核 of objection '{objection.id}' gives no reason")
    if not review.by.strip():
        yield error(review.at("by"), f"the 复核 of objection '{objection.id}' names no reviewer ('by')")
    if not review.upheld:
        if review.change:
            yield error(
                review.at("change"),
                f"objection '{objection.id}' was not upheld, so no ledger change carries it out: remove 'change'",
            )
        return
    if not review.change:
        yield error(
            review.pos,
            f"objection '{objection.id}' was upheld: 'change' names the ledger change that carries it out "
            f"(the entry reference after the change, or '{REMOVED}')",
        )
    elif review.change != REMOVED:
        found = resolve(content, review.change)
        if found.entry is None:
            yield error(review.at("change"), f"the change of objection '{objection.id}': {found.problem}")
