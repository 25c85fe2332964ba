"""``posted`` in publicity.yaml: the 公示 notice is rendered from the commit it was posted from, not from today's ledgers."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from support import OBJECTION, run_cli, small_project, write_project

from kaohe.actions.check import check
from kaohe.content.source import GitRevision
from kaohe.pipeline import run
from kaohe.render import vocab
from kaohe.render.edition import public_results
from kaohe.render.pdf import documents
from kaohe.render.pdf.publicity import publicity_file_name, publicity_notice
from kaohe.render.pdf.views import Document
from kaohe.scoring.results import Results, results_dict

ENTRY_A = "- {date: 2008-12-20, community: c1, rule: work.rules.each, note: 年底检查}"
PUBLICITY = """\
from: 2009-01-05
working_days: 5
place: 街道党政办公室
"""
UPHELD = (
    OBJECTION + "    review: {upheld: true, reason: 检查前已整改。, date: 2009-01-12, by: 复核组, change: removed}\n"
)
POSTED_LINE = 4  # the line ``posted:`` is written on below PUBLICITY (3 lines); its value starts in column 9


def git(root: Path, *args: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=办公室", "-c", "user.email=office@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def posted_year(root: Path, publicity_then: str = PUBLICITY, posted: str = "gongshi") -> Path:
    """The 公示 posted from a commit (tagged ``gongshi``), then an upheld 复核 that removes the entry it was about."""
    return after_the_publicity(root, ENTRY_A, "", UPHELD, publicity_then=publicity_then, posted=posted)


def after_the_publicity(
    root: Path, then: str, now: str, objections: str, publicity_then: str = PUBLICITY, posted: str = "gongshi"
) -> Path:
    """Ledger a posted with entries ``then`` (tagged ``gongshi``), then holding ``now``, with ``objections``."""
    write_project(root, small_project(then, **{"content/publicity.yaml": publicity_then}))
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "公示")
    git(root, "tag", "gongshi")
    write_project(root, small_project(now, **{"content/publicity.yaml": f"{PUBLICITY}posted: {posted}\n{objections}"}))
    commit_all(root, "复核")
    return root


def posted_warnings(root: Path) -> list[str]:
    return [str(d) for d in check(root).outcome.diagnostics if "posted 公示" in d.message]


def checked_results(root: Path) -> Results:
    outcome = check(root).outcome
    assert not [str(d) for d in outcome.diagnostics if d.is_error]
    assert outcome.results is not None
    return outcome.results


def errors_of(root: Path) -> list[str]:
    return [str(d) for d in check(root).outcome.diagnostics if d.is_error]


def notice_in(docs: tuple[Document, ...], results: Results) -> Document:
    return next(doc for doc in docs if doc.file_name == publicity_file_name(results))


def total_of(results: Results, community: str) -> Decimal:
    return results.community(community).total


def test_the_publicity_notice_shows_the_results_of_the_posted_commit(tmp_path: Path) -> None:
    results = checked_results(posted_year(tmp_path))
    then = run(GitRevision(tmp_path, "gongshi")).results
    assert results.posted is not None and then is not None
    # the 复核 removed c1's one deduction of 0.3 (work.rules.each, 每项扣0.3分): posted total + 0.3 = today's total
    assert total_of(results.posted, "c1") + Decimal("0.3") == total_of(results, "c1")
    assert total_of(results.posted, "c1") == total_of(then, "c1")
    notice = notice_in(documents(results, 1231718400), results)
    assert notice == publicity_notice(then, 1231718400)
    assert notice != publicity_notice(replace(results, posted=None), 1231718400)


def test_the_downloads_page_says_the_publicity_notice_is_the_posted_one(tmp_path: Path) -> None:
    results = checked_results(posted_year(tmp_path))
    assert vocab.posted_note(results).startswith("《公示》按张贴时的提交 gongshi 生成")
    assert vocab.posted_note(replace(results, posted=None)) == ""


def test_the_other_notices_and_results_json_stay_on_todays_ledgers(tmp_path: Path) -> None:
    results = checked_results(posted_year(tmp_path))
    data = results_dict(results)
    assert data["publicity"]["posted"] == "gongshi"
    c1 = next(c for c in data["communities"] if c["id"] == "c1")
    assert Decimal(c1["total"]) == total_of(results, "c1") != total_of(results.posted or results, "c1")


def test_a_revision_that_is_not_a_commit_is_an_error_at_posted(tmp_path: Path) -> None:
    errors = errors_of(posted_year(tmp_path, posted="gongshi-typo"))
    assert errors == [
        f"content/publicity.yaml:{POSTED_LINE}:9: error: posted: 'gongshi-typo' is not a commit of this repository "
        "(did you mean 'gongshi'?)"
    ]


def test_a_tag_not_fetched_says_how_to_fetch_it(tmp_path: Path) -> None:
    [message] = errors_of(posted_year(tmp_path, posted="v7"))
    assert message.endswith(
        "posted: 'v7' is not a commit of this repository: a tag the office pushed comes with 'git fetch --tags'; "
        "else write the tag or commit the 公示 was built from"
    )


@pytest.mark.parametrize("branch", ["main", "HEAD"])
def test_a_branch_is_not_a_posted_revision(tmp_path: Path, branch: str) -> None:
    [message] = errors_of(posted_year(tmp_path, posted=branch))
    assert message.endswith(
        f"error: posted: '{branch}' is a branch, which moves on: write the tag or the commit id the 公示 was built from"
    )


def test_a_posted_commit_that_already_holds_objections_is_a_warning(tmp_path: Path) -> None:
    open_then = OBJECTION  # the objection, not yet reviewed, was already in the posted commit
    root = after_the_publicity(tmp_path, ENTRY_A, "", UPHELD, publicity_then=PUBLICITY + open_then)
    found = [str(d) for d in check(root).outcome.diagnostics if "already holds" in d.message]
    assert found == [
        f"content/publicity.yaml:{POSTED_LINE}:9: warning: posted: 'gongshi' already holds 1 objection(s): "
        "is it the commit the 公示 was built from, before any objection came?"
    ]


def test_a_commit_without_the_publicity_is_an_error(tmp_path: Path) -> None:
    root = posted_year(tmp_path)
    first = git(root, "rev-list", "--max-parents=0", "HEAD")
    (root / "content" / "publicity.yaml").write_text(f"{PUBLICITY}posted: {first}~0\n{UPHELD}", encoding="utf-8")
    assert errors_of(root) == []  # the first commit holds the 公示: still fine
    git(root, "checkout", "-q", "--orphan", "other")
    (root / "content" / "publicity.yaml").unlink()
    bare = commit_all(root, "没有公示")
    (root / "content" / "publicity.yaml").write_text(f"{PUBLICITY}posted: {bare}\n{UPHELD}", encoding="utf-8")
    [message] = errors_of(root)
    assert f"posted: '{bare}' ({bare[:10]}) has no content/publicity.yaml" in message


def test_a_commit_of_another_publicity_is_an_error(tmp_path: Path) -> None:
    other = PUBLICITY.replace("2009-01-05", "2009-01-06")
    [message] = errors_of(posted_year(tmp_path, publicity_then=other))
    assert message.startswith(f"content/publicity.yaml:{POSTED_LINE}:9: error: posted: the 公示 at 'gongshi'")
    assert "from 2009-01-06, 5 working days (here from 2009-01-05, 5)" in message


def test_a_posted_commit_whose_content_does_not_check_is_an_error(tmp_path: Path) -> None:
    root = posted_year(tmp_path)
    git(root, "checkout", "-q", "gongshi")
    ledger = root / "content" / "ledgers" / "a.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("work.rules.each", "work.rules.nosuch"), "utf-8")
    broken = commit_all(root, "写错的条目")
    git(root, "checkout", "-q", "main")
    (root / "content" / "publicity.yaml").write_text(f"{PUBLICITY}posted: {broken}\n{UPHELD}", encoding="utf-8")
    [message] = errors_of(root)
    assert "does not check without errors (the first: content/ledgers/a.yaml:" in message


def test_outside_a_git_repository_posted_is_an_error(tmp_path: Path) -> None:
    write_project(tmp_path, small_project(ENTRY_A, **{"content/publicity.yaml": f"{PUBLICITY}posted: gongshi\n"}))
    assert errors_of(tmp_path) == [
        f"content/publicity.yaml:{POSTED_LINE}:9: error: posted: 'gongshi' cannot be read: "
        "the project is not in a git repository"
    ]


def test_an_upheld_removal_carried_out_in_the_ledger_is_no_warning(tmp_path: Path) -> None:
    assert posted_warnings(posted_year(tmp_path)) == []


def test_an_upheld_correction_with_the_ledger_unchanged_is_an_error_at_change(tmp_path: Path) -> None:
    corrected = UPHELD.replace("change: removed", "change: a/2008-12-20/c1/work.rules.each")
    root = after_the_publicity(tmp_path, ENTRY_A, ENTRY_A, corrected)
    # the review is line 8 of the objections block: 4 + 8 = 12 of publicity.yaml ('change' is in its flow map)
    [message] = errors_of(root)
    assert message.startswith("content/publicity.yaml:12:")
    assert message.endswith(
        "error: objection 'c1-december' was upheld, but 'a/2008-12-20/c1/work.rules.each' is as in "
        "the posted 公示 ('gongshi'): change the ledger as the 复核 decided "
        "(its 复核结果告知书 says the ledger was corrected)"
    )
    fixed = after_the_publicity(tmp_path / "fixed", ENTRY_A, ENTRY_A.replace("}", ", count: 2}"), corrected)
    assert posted_warnings(fixed) == []


def test_an_entry_changed_though_its_objection_was_not_upheld_is_a_warning(tmp_path: Path) -> None:
    dismissed = UPHELD.replace("upheld: true", "upheld: false").replace(", change: removed", "")
    root = after_the_publicity(tmp_path, ENTRY_A, ENTRY_A.replace("年底检查", "年底检查（复查）"), dismissed)
    [message] = posted_warnings(root)
    # 'entry:' is line 5 of the objections block (after 'objections:', id, by, community): 4 + 5 = 9, value column 12
    assert message == (
        "content/publicity.yaml:9:12: warning: objection 'c1-december' was not upheld, but "
        "'a/2008-12-20/c1/work.rules.each' is no longer as in the posted 公示 ('gongshi'): "
        "a ledger change needs a 复核 that upholds it"
    )
    assert posted_warnings(after_the_publicity(tmp_path / "same", ENTRY_A, ENTRY_A, dismissed)) == []


def test_an_objection_to_an_entry_the_posted_publicity_did_not_hold_is_an_error(tmp_path: Path) -> None:
    open_objection = OBJECTION
    [message] = errors_of(after_the_publicity(tmp_path, "", ENTRY_A, open_objection))
    assert message.startswith(
        "content/publicity.yaml:9:12: error: objection 'c1-december': 'a/2008-12-20/c1/work.rules.each' "
        "is not in the posted 公示 ('gongshi'): no entry 'a/2008-12-20/c1/work.rules.each' "
        "(the ledger of line 'a' holds no entries)"
    )


ENTRY_B = "- {date: 2008-11-02, community: c2, rule: work.rules.each, note: 年终检查}"


def test_an_entry_added_after_the_publicity_with_no_objection_is_a_warning_at_the_entry(tmp_path: Path) -> None:
    root = after_the_publicity(tmp_path, ENTRY_A, "", UPHELD)
    ledger = root / "content" / "ledgers" / "a.yaml"
    ledger.write_text(ledger.read_text("utf-8").replace("entries: []", f"entries:\n  {ENTRY_B}"), "utf-8")
    # ledger_yaml writes 'line', 'year', 'review', 'entries:', then the entry: line 5, its mapping at column 5
    assert posted_warnings(root) == [
        "content/ledgers/a.yaml:5:5: warning: entry 'a/2008-11-02/c2/work.rules.each' was added or changed after "
        "the posted 公示 ('gongshi'), and no objection's 复核 accounts for it"
    ]


def test_an_entry_taken_out_after_the_publicity_with_no_objection_is_a_warning_at_posted(tmp_path: Path) -> None:
    root = after_the_publicity(tmp_path, f"{ENTRY_A}\n{ENTRY_B}", "", UPHELD)
    assert posted_warnings(root) == [
        f"content/publicity.yaml:{POSTED_LINE}:9: warning: posted: entry 'a/2008-11-02/c2/work.rules.each' of "
        "the posted 公示 ('gongshi') is gone, and no objection's 复核 accounts for it"
    ]


def test_an_entry_changed_after_the_publicity_is_said_once_at_the_entry(tmp_path: Path) -> None:
    root = after_the_publicity(
        tmp_path, f"{ENTRY_A}\n{ENTRY_B}", ENTRY_B.replace("年终检查", "年终检查（补记）"), UPHELD
    )
    [message] = posted_warnings(root)
    assert message.startswith("content/ledgers/a.yaml:5:5: warning: entry 'a/2008-11-02/c2/work.rules.each' was added")


def test_the_public_edition_redacts_the_posted_results_too(tmp_path: Path) -> None:
    posted = public_results(checked_results(posted_year(tmp_path))).posted
    assert posted is not None
    assert [c.secretary for c in posted.content.communities] == ["", "", ""]


@pytest.mark.slow
def test_check_on_the_command_line_names_the_line_of_posted(tmp_path: Path) -> None:
    done = run_cli(posted_year(tmp_path, posted="nosuch"), "--json", "check")
    assert done.returncode == 1
    [problem] = [d for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"]
    assert (problem["path"], problem["line"], problem["column"]) == ("content/publicity.yaml", POSTED_LINE, 9)
