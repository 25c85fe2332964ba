"""Finality as data: final only with a sound approval, else a draft with every reason and a positioned warning.

The approval of a small year is recorded with its own hash; then one precondition
at a time is broken and the result must turn draft, saying where and why.
"""

from __future__ import annotations

from datetime import date

import pytest
from support import DECISION, MemorySource, ledger_yaml, results_of, run_ok, small_project, with_decision

from kaohe.scoring.finality import Approval, DraftReason

ENTRY_A = "- {date: 2008-12-20, community: c1, rule: work.rules.each, note: 年底检查}"


def approved(decision: str = DECISION, **files: str) -> MemorySource:
    """The small year with a decision that records the hash of its own results."""
    return with_decision(small_project(ENTRY_A, **files), decision)


def test_a_sound_approval_makes_the_results_final_and_carries_the_decision() -> None:
    results = results_of(approved())
    assert results.final
    assert results.finality.drafts == ()
    assert results.approval == Approval(
        meeting=date(2009, 1, 9),
        minutes="党工委会议纪要〔2009〕1号",
        notice_number="街通〔2009〕1号",
        notice_date=date(2009, 1, 10),
        results_sha256=results.sha256,
    )


def test_without_a_decision_the_results_are_a_draft_with_no_approval() -> None:
    results = results_of(small_project(ENTRY_A))
    assert not results.final and results.approval is None
    assert [d.reason for d in results.finality.drafts] == [DraftReason.NO_DECISION]


def test_a_decision_without_a_hash_says_which_hash_to_record() -> None:
    results = results_of(small_project(ENTRY_A, **{"content/decision.yaml": DECISION.format(digest='""')}))
    (draft,) = results.finality.drafts
    assert (draft.reason, draft.current_sha256) == (DraftReason.NO_RESULTS_HASH, results.sha256)


def test_results_changed_after_approval_are_a_draft_that_names_both_hashes() -> None:
    source = approved()
    source.files["content/ledgers/a.yaml"] = ledger_yaml("a", ENTRY_A.replace("}", ", count: 2}"))
    outcome = run_ok(source)
    assert outcome.results is not None
    (draft,) = outcome.results.finality.drafts
    assert draft.reason is DraftReason.CHANGED_AFTER_APPROVAL
    assert draft.approved_sha256 != draft.current_sha256 == outcome.results.sha256
    assert outcome.results.finality.approved_sha256 == draft.approved_sha256
    assert [d.pos.line for d in outcome.diagnostics if "changed since" in d.message] == [3]  # results_sha256 line


REVIEWED_LATE = "line: a\nyear: 2008\nreview: {by: 审核人, date: 2009-01-12}\nentries:\n  " + ENTRY_A + "\n"
REVIEWED_EARLY = "line: a\nyear: 2008\nreview: {by: 审核人, date: 2008-12-01}\nentries:\n  " + ENTRY_A + "\n"
NO_REVIEWER = "line: a\nyear: 2008\nreview: {by: ' ', date: 2009-01-05}\nentries:\n  " + ENTRY_A + "\n"


@pytest.mark.parametrize(
    ("files", "decision", "expected"),
    [
        (
            {"content/ledgers/a.yaml": NO_REVIEWER},
            DECISION,
            "content/ledgers/a.yaml:3:9: warning: the review of ledger 'a' names no reviewer (审核人)",
        ),
        (
            {"content/ledgers/a.yaml": REVIEWED_EARLY},
            DECISION,
            "content/ledgers/a.yaml:3:9: warning: ledger 'a' was reviewed on 2008-12-01, before its last entry "
            "(2008-12-20)",
        ),
        (
            {"content/ledgers/a.yaml": REVIEWED_LATE},
            DECISION,
            "content/ledgers/a.yaml:3:9: warning: ledger 'a' was reviewed on 2009-01-12, after the 班子会 (2009-01-09)",
        ),
        (
            {},
            DECISION.replace("meeting: 2009-01-09", "meeting: 2008-12-30"),
            "content/decision.yaml:1:10: warning: the 班子会 (2008-12-30) is not after the period (2008-12-31)",
        ),
        (
            {},
            DECISION.replace("date: 2009-01-10", "date: 2009-01-08"),
            "content/decision.yaml:4:9: warning: the notice is dated 2009-01-08, before the 班子会 (2009-01-09)",
        ),
        (
            {},
            DECISION.replace("minutes: 党工委会议纪要〔2009〕1号", 'minutes: ""'),
            "content/decision.yaml:2:10: warning: the decision names no minutes (会议纪要)",
        ),
        (
            {},
            DECISION.replace("number: 街通〔2009〕1号", 'number: ""'),
            "content/decision.yaml:4:9: warning: the decision's notice has no number (发文字号)",
        ),
    ],
    ids=[
        "no reviewer",
        "review before last entry",
        "review after meeting",
        "meeting in the period",
        "notice before meeting",
        "no minutes",
        "no notice number",
    ],
)
def test_each_failing_precondition_keeps_the_results_draft_and_says_where(
    files: dict[str, str], decision: str, expected: str
) -> None:
    source = approved(decision, **files)
    outcome = run_ok(source)
    assert outcome.results is not None
    assert not outcome.results.final
    assert [d.reason for d in outcome.results.finality.drafts] == [DraftReason.PRECONDITIONS]
    assert expected in [str(d) for d in outcome.diagnostics]
