"""Finality (FORMAT.md §6) as data: the approval once results are final, or each reason they are a draft.

Results are final when ``content/decision.yaml`` records the 班子会 approval with
the ``results_sha256`` of exactly these results, and every line's ledger has
its review (审核). Nothing here words the reasons; :mod:`kaohe.render.vocab`
does, for every output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kaohe.content.model import Content, Decision
from kaohe.errors import Diagnostic, warning


class DraftReason(StrEnum):
    NO_DECISION = "no-decision"  # no content/decision.yaml
    NOT_REVIEWED = "not-reviewed"  # some lines' ledgers have no review
    NO_RESULTS_HASH = "no-results-hash"  # the decision records no results_sha256 yet
    CHANGED_AFTER_APPROVAL = "changed-after-approval"  # the results differ from the approved ones


@dataclass(frozen=True)
class Draft:
    """One reason the results are a draft, with its details."""

    reason: DraftReason
    lines: tuple[str, ...] = ()  # NOT_REVIEWED: the ids of the lines waiting for review, in rubric order
    approved_sha256: str = ""  # CHANGED_AFTER_APPROVAL: what the 班子会 approved
    current_sha256: str = ""  # NO_RESULTS_HASH and CHANGED_AFTER_APPROVAL: the results now


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
    return tuple(drafts)


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
    problems: list[Diagnostic] = []
    changed = next((d for d in drafts if d.reason is DraftReason.CHANGED_AFTER_APPROVAL), None)
    if changed is not None and decision is not None:
        problems.append(
            warning(
                decision.at("results_sha256"),
                f"the results have changed since the 班子会 approved them: approved {changed.approved_sha256[:12]}…, "
                f"now {digest[:12]}…; everything is marked 草稿 until a new decision records results_sha256: {digest}",
            )
        )
    return Finality(drafts=drafts), problems
