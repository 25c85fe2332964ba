"""Real ``git merge``s of two clerks' branches, with the ledger merge driver set up by ``merge-driver --install``.

The party ledger of each repository is the small one below, so every expected line number is
counted here by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_support import PARTY, LedgerRepo, entry

from kaohe.content.canonical import canonical_text
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run

LEDGER = """\
# 党群线日常考核台帐（测试）
# 按日期登记。

line: party
year: 2008
review: {by: 刘国强, date: 2009-01-06}

entries:
  - date: 2008-01-22
    community: dongsheng
    rule: party.org.democracy.system
    count: 3
    note: 1月检查发现三项制度未建立
  # 二月检查
  - date: 2008-02-26
    community: ziqiao
    rule: party.org.democracy.system
    note: 党员积分管理制度未建立
  - date: 2008-12-26
    community: liuye
    rule: party.office.info.short
    note: 全年报送信息11条，少1条
"""
FIRST = LEDGER.splitlines(keepends=True)[8:13]  # lines 9–13: the first entry
SECOND = LEDGER.splitlines(keepends=True)[13:18]  # lines 14–18: the comment and the second entry
OURS_NEW = entry("2008-06-20", "beimen", "party.org.democracy.system", "6月检查发现两项制度未建立", count=2)
THEIRS_NEW = entry("2008-07-01", "jianshe", "party.office.info.short", "7月报送信息少1条")


@pytest.fixture
def repo(tmp_path: Path) -> LedgerRepo:
    return LedgerRepo(tmp_path / "project", LEDGER)


def errors_of(repo: LedgerRepo) -> list[str]:
    return [str(d) for d in run(WorkingTree(repo.root)).diagnostics if d.is_error]


def test_the_small_ledger_is_in_canonical_form() -> None:
    assert canonical_text(PARTY, LEDGER) == LEDGER


def test_two_clerks_appending_to_the_same_ledger_merge_cleanly(repo: LedgerRepo) -> None:
    repo.on_branch("ours", LEDGER, LEDGER + OURS_NEW)
    repo.on_branch("theirs", LEDGER, LEDGER + THEIRS_NEW)
    repo.git("switch", "-q", "ours")
    merged = repo.merge("theirs")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert repo.read() == LEDGER + OURS_NEW + THEIRS_NEW  # both kept, ours first; the comments too
    assert repo.git("status", "--porcelain").stdout == ""  # committed: git saw no conflict
    assert errors_of(repo) == []


def test_an_edit_and_an_append_merge_cleanly(repo: LedgerRepo) -> None:
    edited = LEDGER.replace("    count: 3\n", "    count: 4\n")
    repo.on_branch("ours", LEDGER, edited)
    repo.on_branch("theirs", LEDGER, LEDGER + THEIRS_NEW)
    repo.git("switch", "-q", "ours")
    assert repo.merge("theirs").returncode == 0
    assert repo.read() == edited + THEIRS_NEW
    assert errors_of(repo) == []


def test_entries_added_in_the_middle_and_at_the_end_by_different_clerks_merge_cleanly(repo: LedgerRepo) -> None:
    middle = "".join(FIRST) + OURS_NEW
    repo.on_branch("ours", "".join(FIRST), middle)
    repo.on_branch("theirs", LEDGER, LEDGER + THEIRS_NEW)
    repo.git("switch", "-q", "ours")
    assert repo.merge("theirs").returncode == 0
    assert repo.read() == LEDGER.replace("".join(FIRST), middle) + THEIRS_NEW


def test_both_editing_the_same_entry_leaves_markers_around_that_entry_only(repo: LedgerRepo) -> None:
    ours_first = "".join(FIRST).replace("count: 3", "count: 4")
    theirs_first = "".join(FIRST).replace("count: 3", "count: 5")
    repo.on_branch("ours", "".join(FIRST), ours_first)
    repo.on_branch("theirs", LEDGER, LEDGER.replace("".join(FIRST), theirs_first) + THEIRS_NEW)
    repo.git("switch", "-q", "ours")
    merged = repo.merge("theirs")
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout
    head = "".join(LEDGER.splitlines(keepends=True)[:8])
    rest = "".join(SECOND) + "".join(LEDGER.splitlines(keepends=True)[18:])
    conflict = f"<<<<<<< ours\n{ours_first}=======\n{theirs_first}>>>>>>> theirs\n"
    assert repo.read() == head + conflict + rest + THEIRS_NEW  # the other side's new entry merged all the same
    # lines 1–8 the header; 9 <<<<<<<; 10–14 ours (5 lines); 15 =======; 16–20 theirs; 21 >>>>>>>
    checked = repo.build_py("check")
    assert checked.returncode == 1
    markers = [line for line in checked.stderr.splitlines() if "merge conflict marker" in line]
    assert [line.split(": error:")[0] for line in markers] == [f"{PARTY}:{n}:1" for n in (9, 15, 21)]


def test_one_deleting_an_entry_the_other_editing_it_conflicts_over_that_entry(repo: LedgerRepo) -> None:
    repo.on_branch("ours", "".join(SECOND), "")
    theirs_second = "".join(SECOND).replace("党员积分管理制度未建立", "党员积分管理、党员学习两项制度未建立")
    repo.on_branch("theirs", "".join(SECOND), theirs_second)
    repo.git("switch", "-q", "ours")
    assert repo.merge("theirs").returncode != 0
    conflict = f"<<<<<<< ours\n=======\n{theirs_second}>>>>>>> theirs\n"  # ours: nothing (deleted)
    assert repo.read() == LEDGER.replace("".join(SECOND), conflict)


def test_reviews_recorded_differently_conflict_around_the_review_alone(repo: LedgerRepo) -> None:
    review = "review: {by: 刘国强, date: 2009-01-06}\n"
    repo.on_branch("ours", review, "review: {by: 刘国强, date: 2009-01-07}\n")
    repo.on_branch("theirs", review, "review: {by: 王建华, date: 2009-01-06}\n")
    repo.git("switch", "-q", "ours")
    assert repo.merge("theirs").returncode != 0
    conflict = "<<<<<<< ours\nreview: {by: 刘国强, date: 2009-01-07}\n=======\nreview: {by: 王建华, date: 2009-01-06}\n>>>>>>> theirs\n"
    assert repo.read() == LEDGER.replace(review, conflict)


def test_a_version_that_does_not_parse_is_merged_line_by_line_with_markers(repo: LedgerRepo) -> None:
    repo.on_branch("ours", "    count: 3\n", "    count: [4\n")
    repo.on_branch("theirs", "    count: 3\n", "    count: 5\n")
    repo.git("switch", "-q", "ours")
    merged = repo.merge("theirs")
    assert merged.returncode != 0
    assert "Traceback" not in merged.stdout + merged.stderr
    assert "merged line by line" in merged.stdout + merged.stderr
    conflict = "<<<<<<< ours\n    count: [4\n=======\n    count: 5\n>>>>>>> theirs\n"
    assert repo.read() == LEDGER.replace("    count: 3\n", conflict)


def test_a_version_that_does_not_parse_fails_the_merge_even_without_overlapping_lines(repo: LedgerRepo) -> None:
    repo.on_branch("ours", "    count: 3\n", "    count: [4\n")
    repo.on_branch("theirs", LEDGER, LEDGER + THEIRS_NEW)
    repo.git("switch", "-q", "ours")
    assert repo.merge("theirs").returncode != 0  # git stops, so a person looks at the broken file
    assert repo.read() == LEDGER.replace("    count: 3\n", "    count: [4\n") + THEIRS_NEW


def test_install_configures_git_and_adds_the_attribute_once(repo: LedgerRepo) -> None:
    again = repo.build_py("merge-driver", "--install")  # the fixture installed it already
    assert again.returncode == 0, again.stderr
    assert "added to" not in again.stdout
    attributes = (repo.root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert attributes.count("content/ledgers/*.yaml merge=kaohe-ledger") == 1
    driver = repo.git("config", "merge.kaohe-ledger.driver").stdout.strip()
    assert driver.endswith(" merge-driver %O %A %B %P") and "--root" in driver
