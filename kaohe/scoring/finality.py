"""Finality (FORMAT.md §6) as data: the approval once results are final, or each reason they are a draft.

Results are final when ``content/decision.yaml`` records the 班子会 approval with
the ``results_sha256`` of exactly these results, every line's ledger has its
review (审核), and the dates make sense: each review names its reviewer and
comes after the ledger's last entry and not after the 班子会, the 班子会 comes
after the period, the notice not before the 班子会, with minutes and a number. With a 公示
(``content/publicity.yaml``), the 班子会 also comes after the 公示's last day, and every
objection has its 复核 (an open one is a reason of its own), dated not after the 班子会. Nothing here words the reasons; :mod:`kaohe.render.vocab`
does, for every output.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kaohe.content.entryref import parse_ref
from kaohe.content.model import Content, Decision, Ledger, Publicity
from kaohe.errors import Diagnostic, warning
from kaohe.scoring.publicity import publicity_end


class DraftReason(StrEnum):
    NO_DECISION = "no-decision"  # no content/decision.yaml
    NOT_REVIEWED = "not-reviewed"  # some lines' ledgers have no review
    NO_RESULTS_HASH = "no-results-hash"  # the decision records no results_sha256 yet
    CHANGED_AFTER_APPROVAL = "changed-after-approval"  # the results differ from the approved ones
    PRECONDITIONS = "preconditions"  # the reviews and the decision are incomplete or out of order
    OBJECTIONS_OPEN = "objections-open"  # objections to the 公示 without their 复核 (content/publicity.yaml)


@dataclass(frozen=True)
class Draft:
    """One reason the results are a draft, with its details."""

    reason: DraftReason
    lines: tuple[str, ...] = ()  # NOT_REVIEWED: the ids of the lines waiting for review, in rubric order
    approved_sha256: str = ""  # CHANGED_AFTER_APPROVAL: what the 班子会 approved
    current_sha256: str = ""  # NO_RESULTS_HASH and CHANGED_AFTER_APPROVAL: the results now
    problems: tuple[str, ...] = ()  # PRECONDITIONS: each failing precondition, in words
    objections: tuple[str, ...] = ()  # OBJECTIONS_OPEN: the ids of the open objections, in file order


@dataclass(frozen=True)
class Approval:
    """The 班子会 decision that made the results final: what the documents cite."""

    meeting: date
    minutes: str
    notice_number: str  # 发文字号 of the results 通报
    notice_date: date  # 成文日期 of the results documents
    results_sha256: str


@dataclass(frozen=True)
class Finality:
    """Final with its approval, or a draft with every reason why."""

    approval: Approval | None = None
    drafts: tuple[Draft, ...] = ()

    @property
    def final(self) -> bool:
        return self.approval is not None

    @property
    def changed_after_approval(self) -> Draft | None:
        return next((d for d in self.drafts if d.reason is DraftReason.CHANGED_AFTER_APPROVAL), None)

    @property
    def approved_sha256(self) -> str | None:
        """The hash the decision approved, final or not (``None`` when it records none)."""
        if self.approval is not None:
            return self.approval.results_sha256
        changed = self.changed_after_approval
        return changed.approved_sha256 if changed is not None else None


def unreviewed_lines(content: Content) -> tuple[str, ...]:
    reviewed = {ledger.line for ledger in content.ledgers if ledger.review is not None}
    lines = [line.id for line in content.rubric.lines] if content.rubric else []
    return tuple(line for line in lines if line not in reviewed)


def review_problems(ledger: Ledger, meeting: date | None) -> Iterator[Diagnostic]:
    review = ledger.review
    if review is None:
        return
    where = ledger.at("review")
    if not review.by.strip():
        yield warning(where, f"the review of ledger '{ledger.line}' names no reviewer (审核人)")
    last = max((entry.date for entry in ledger.entries), default=None)
    if last is not None and review.date < last:
        yield warning(where, f"ledger '{ledger.line}' was reviewed on {review.date}, before its last entry ({last})")
    if meeting is not None and review.date > meeting:
        yield warning(where, f"ledger '{ledger.line}' was reviewed on {review.date}, after the 班子会 ({meeting})")


def decision_problems(decision: Decision, period_to: date | None) -> Iterator[Diagnostic]:
    if period_to is not None and decision.meeting <= period_to:
        yield warning(decision.at("meeting"), f"the 班子会 ({decision.meeting}) is not after the period ({period_to})")
    if decision.notice_date < decision.meeting:
        yield warning(
            decision.at("notice"), f"the notice is dated {decision.notice_date}, before the 班子会 ({decision.meeting})"
        )
    if not decision.minutes.strip():
        yield warning(decision.at("minutes"), "the decision names no minutes (会议纪要)")
    if not decision.notice_number.strip():
        yield warning(decision.at("notice"), "the decision's notice has no number (发文字号)")


def precondition_problems(content: Content) -> list[Diagnostic]:
    """What keeps an approval from being sound: each a positioned warning (FORMAT.md §6)."""
    decision = content.decision
    meeting = decision.meeting if decision is not None else None
    found = [problem for ledger in content.ledgers for problem in review_problems(ledger, meeting)]
    if decision is not None:
        found += decision_problems(decision, content.rubric.period_to if content.rubric else None)
    if content.publicity is not None:
        found += publicity_problems(content.publicity, decision)
        found += stale_reviews_after_upheld(content.publicity, content.ledgers)
    return found


def publicity_problems(publicity: Publicity, decision: Decision | None) -> Iterator[Diagnostic]:
    """With a 公示 (FORMAT.md §6a): the 班子会 after its last day, every objection decided (复核) before it."""
    end = publicity_end(publicity)
    meeting = decision.meeting if decision is not None else None
    if decision is not None and end is not None and decision.meeting <= end:
        yield warning(
            decision.at("meeting"), f"the 班子会 ({decision.meeting}) is not after the 公示's last day ({end})"
        )
    for objection in publicity.objections:
        review = objection.review
        if review is not None and meeting is not None and review.date > meeting:
            yield warning(
                review.at("date"),
                f"the 复核 of objection '{objection.id}' ({review.date}) is after the 班子会 ({meeting})",
            )


def stale_reviews_after_upheld(publicity: Publicity, ledgers: tuple[Ledger, ...]) -> Iterator[Diagnostic]:
    """A ledger changed to carry out an upheld objection is reviewed (审核) again, on or after that 复核."""
    by_line = {ledger.line: ledger for ledger in ledgers}
    for objection in publicity.objections:
        review, cited = objection.review, parse_ref(objection.entry)
        if review is None or not review.upheld or cited is None:
            continue
        ledger = by_line.get(cited.line)
        if ledger is not None and ledger.review is not None and ledger.review.date < review.date:
            yield warning(
                ledger.at("review"),
                f"ledger '{ledger.line}' was reviewed on {ledger.review.date}, before the 复核 of objection "
                f"'{objection.id}' ({review.date}) that changed it: review it again (update 'review:')",
            )


def draft_reasons(content: Content, digest: str) -> tuple[Draft, ...]:
    decision = content.decision
    drafts: list[Draft] = []
    if decision is None:
        drafts.append(Draft(DraftReason.NO_DECISION))
    waiting = unreviewed_lines(content)
    if waiting:
        drafts.append(Draft(DraftReason.NOT_REVIEWED, lines=waiting))
    if decision is not None and not decision.results_sha256:
        drafts.append(Draft(DraftReason.NO_RESULTS_HASH, current_sha256=digest))
    elif decision is not None and decision.results_sha256 != digest:
        drafts.append(
            Draft(DraftReason.CHANGED_AFTER_APPROVAL, approved_sha256=decision.results_sha256, current_sha256=digest)
        )
    problems = precondition_problems(content)
    if problems:
        drafts.append(Draft(DraftReason.PRECONDITIONS, problems=tuple(p.message for p in problems)))
    waiting_objections = open_objections(content)
    if waiting_objections:
        drafts.append(Draft(DraftReason.OBJECTIONS_OPEN, objections=waiting_objections))
    return tuple(drafts)


def open_objections(content: Content) -> tuple[str, ...]:
    """The ids of the objections to the 公示 that have no 复核 yet."""
    publicity = content.publicity
    return tuple(o.id for o in publicity.objections if o.open) if publicity is not None else ()


def open_objection_problems(content: Content) -> list[Diagnostic]:
    """A warning at each open objection: the results cannot be final while it is open."""
    publicity = content.publicity
    found = publicity.objections if publicity is not None else ()
    return [
        warning(o.pos, f"objection '{o.id}' is open: it has no 复核 (review) yet, so the results cannot be final")
        for o in found
        if o.open
    ]


def approval_of(decision: Decision) -> Approval:
    return Approval(
        meeting=decision.meeting,
        minutes=decision.minutes,
        notice_number=decision.notice_number,
        notice_date=decision.notice_date,
        results_sha256=decision.results_sha256,
    )


def decide_finality(content: Content, digest: str) -> tuple[Finality, list[Diagnostic]]:
    """The finality of results whose ``results_sha256`` is ``digest``, and a warning if they changed after approval."""
    drafts = draft_reasons(content, digest)
    decision = content.decision
    if not drafts and decision is not None:
        return Finality(approval=approval_of(decision)), []
    finality = Finality(drafts=drafts)
    problems = precondition_problems(content) + open_objection_problems(content)
    changed = finality.changed_after_approval
    if changed is not None and decision is not None:
        problems.append(
            warning(
                decision.at("results_sha256"),
                f"the results have changed since the 班子会 approved them: approved {changed.approved_sha256[:12]}…, "
                f"now {digest[:12]}…; everything is marked 草稿 until a new decision records results_sha256: {digest}",
            )
        )
    return finality, problems
