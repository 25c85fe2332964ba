"""The approval covers what the content says: any edit after approval voids it, a reformatting does not.

Each case edits an approved small year in one way that moves no score (the
cases an attack run found slipping through) and asserts that the results turn
draft; the reorderings and re-spellings must keep them final.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from support import MemorySource, communities_yaml, ledger_yaml, run_ok, small_project, with_decision

from kaohe.scoring.finality import DraftReason
from kaohe.scoring.fingerprint import encoded

ENTRIES_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 两项制度不全, evidence: 检查记录}
- {date: 2008-04-02, community: c2, rule: work.other.each, note: 缺报表}
"""
LEDGER = "content/ledgers/a.yaml"
COMMUNITIES = "content/communities.yaml"
RUBRIC = "content/rubric.yaml"


def approved() -> MemorySource:
    source = with_decision(small_project(ENTRIES_A))
    now = run_ok(source).results
    assert now is not None and now.final
    return source


def edited(path: str, old: str, new: str) -> MemorySource:
    source = approved()
    assert old in source.files[path], old
    source.files[path] = source.files[path].replace(old, new)
    return source


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        (LEDGER, "两项制度不全", "一项制度不全"),  # a note
        (LEDGER, "检查记录", "检查记录（补）"),  # an evidence
        (LEDGER, "2008-03-01", "2008-03-02"),  # an entry's date
        (COMMUNITIES, "secretary: 书记c1", "secretary: 另一位书记"),  # a secretary's name
        (RUBRIC, "text: 每项扣0.3分", "text: 每次扣0.3分"),  # a rule's text
        (LEDGER, "review: {by: 审核人,", "review: {by: 另一审核人,"),  # who reviewed
    ],
    ids=["note", "evidence", "date", "secretary", "rule text", "reviewer"],
)
def test_an_edit_after_approval_voids_it_though_no_score_moves(path: str, old: str, new: str) -> None:
    before = run_ok(approved()).results
    outcome = run_ok(edited(path, old, new))
    after = outcome.results
    assert before is not None and after is not None
    assert [c.total for c in after.communities] == [c.total for c in before.communities]
    assert after.content_sha256 != before.content_sha256
    assert not after.final
    assert DraftReason.CHANGED_AFTER_APPROVAL in [d.reason for d in after.finality.drafts]


def test_reordering_and_respelling_keep_the_approval() -> None:
    source = approved()
    entries = ENTRIES_A.splitlines()
    reordered = approved()
    reordered.files[LEDGER] = ledger_yaml("a", "\n".join(reversed(entries)))
    reordered.files[COMMUNITIES] = communities_yaml("c3", "c1", "c2")
    reordered.files[RUBRIC] = source.files[RUBRIC].replace(
        "  - {id: a, name: 甲线}\n  - {id: b, name: 乙线}\n", "  - {id: b, name: 乙线}\n  - {id: a, name: 甲线}\n"
    )
    respelled = approved()
    respelled.files[LEDGER] = "# 甲线台帐\n" + source.files[LEDGER].replace("note: 缺报表}", 'note: "缺报表"}  # 补记')
    for variant in (reordered, respelled):
        results = run_ok(variant).results
        assert results is not None
        assert results.final, [d.reason for d in results.finality.drafts]


@dataclass(frozen=True)
class NoticeBefore:
    body: str
    printer: str = ""


@dataclass(frozen=True)
class NoticeAfter:  # a later version of the format adds a setting whose default keeps the old behaviour
    body: str
    printer: str = ""
    sealed: bool = True


def test_a_setting_added_later_with_its_default_leaves_the_fingerprint_as_it_was() -> None:
    assert encoded(NoticeBefore("正文")) == encoded(NoticeAfter("正文")) == '{"body":"正文"}'
    assert encoded(NoticeAfter("正文", sealed=False)) == '{"body":"正文","sealed":false}'
    assert encoded(NoticeAfter("正文", printer="党政办")) == '{"body":"正文","printer":"党政办"}'
