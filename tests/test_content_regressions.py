"""Bugs found on the clerk's path (check and fmt of hand-written content), each pinned by a test."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import MemorySource, copy_project, ledger_yaml, run_cli, small_project, write_project

from kaohe.actions.fmt import format_text
from kaohe.content.canonical import canonical_text, comment_lines
from kaohe.content.load import load_ledger
from kaohe.content.model import Ledger
from kaohe.content.source import WorkingTree
from kaohe.content.yamlnodes import conflict_markers
from kaohe.errors import Diagnostic
from kaohe.pipeline import run
from kaohe.scoring.results import results_dict

LEDGER = "content/ledgers/a.yaml"
MARKER_MESSAGE = (
    "merge conflict marker: resolve the merge (keep one side) and delete the <<<<<<<, ======= and >>>>>>> lines"
)


def errors(source: MemorySource) -> list[str]:
    return [str(d) for d in run(source).diagnostics if d.is_error]


def loaded_ledger(text: str) -> Ledger:
    problems: list[Diagnostic] = []
    ledger = load_ledger(MemorySource({LEDGER: text}), LEDGER, problems)
    assert ledger is not None and not [p for p in problems if p.is_error], [str(p) for p in problems]
    return ledger


def entry_values(ledger: Ledger) -> list[tuple[object, ...]]:
    return [
        (e.date, e.community, e.rule, e.indicator, e.count, e.deduct, e.amount, e.note, e.evidence)
        for e in ledger.entries
    ]


def assert_formats_losslessly(text: str) -> str:
    """``text`` formatted: no problem, the same entries and comments, and formatting again changes nothing."""
    formatted = format_text(LEDGER, text)
    assert formatted.problem is None, formatted.problem
    assert formatted.after is not None
    assert entry_values(loaded_ledger(formatted.after)) == entry_values(loaded_ledger(text))
    assert comment_lines(formatted.after) == comment_lines(text)
    assert canonical_text(LEDGER, formatted.after) == formatted.after
    return formatted.after


# --- a) a flow-style first entry with a trailing comment, after a comment line ----------

FLOW_AFTER_COMMENT = """\
line: a
year: 2008
review: {by: 审核人, date: 2009-01-05}
entries:
  # 一季度
  - {date: 2008-03-01, community: c1, rule: work.rules.judge, deduct: 0.5, note: 酌情扣分}   # 酌情扣分
  - date: 2008-03-02
    community: c2
    rule: work.rules.each
    count: 2
    note: 两项制度不全
"""


def test_a_flow_entry_with_a_trailing_comment_after_a_comment_line_stays_as_it_is() -> None:
    """The emitter used to write the next entry's second key on its first key's line (a dead end for fmt)."""
    assert assert_formats_losslessly(FLOW_AFTER_COMMENT) == FLOW_AFTER_COMMENT


def test_a_flow_entry_with_a_trailing_comment_is_formatted_when_the_ledger_has_a_text_block() -> None:
    """With a ``|`` block anywhere in the file, the same fault ended in a traceback."""
    text = FLOW_AFTER_COMMENT.replace("    note: 两项制度不全\n", "    note: |\n      两项制度不全\n      另附说明\n")
    assert assert_formats_losslessly(text) == text


def test_flow_entries_with_trailing_comments_are_reordered_losslessly() -> None:
    text = FLOW_AFTER_COMMENT.replace(
        "{date: 2008-03-01, community: c1, rule: work.rules.judge, deduct: 0.5, note: 酌情扣分}",
        "{note: 酌情扣分, deduct: 0.5, rule: work.rules.judge, community: c1, date: 2008-03-01}",
    ).replace("    community: c2\n", "    community: c2   # 第二条\n")
    after = assert_formats_losslessly(text)
    assert (
        "  - {date: 2008-03-01, community: c1, rule: work.rules.judge, deduct: 0.5, note: 酌情扣分}   # 酌情扣分\n"
        in after
    )
    assert "  - date: 2008-03-02\n    community: c2   # 第二条\n    rule: work.rules.each\n" in after


def test_a_comment_line_above_a_flow_entry_with_a_trailing_comment_is_kept() -> None:
    """The round trip used to drop the comment line above ``- {…}   # …`` (and the check for lost comments missed it)."""
    text = FLOW_AFTER_COMMENT.replace(
        "  - date: 2008-03-02\n",
        "  # 二季度\n  - {date: 2008-04-01, community: c3, rule: work.rules.each, note: 补记}   # 补记\n  - date: 2008-03-02\n",
    )
    after = assert_formats_losslessly(text)
    assert "  # 二季度\n  - {date: 2008-04-01," in after


def test_text_with_a_colon_or_question_mark_in_a_flow_entry_stays_quoted_for_check() -> None:
    """YAML 1.2 allows ``{note: 8:30}`` plain, but the parser check uses does not: fmt must not unquote it."""
    text = ledger_yaml(
        "a", '- {date: 2008-03-01, community: c1, rule: work.rules.each, note: "8:30到", evidence: "0?"}'
    )
    after = assert_formats_losslessly(text)
    assert '{date: 2008-03-01, community: c1, rule: work.rules.each, note: "8:30到", evidence: "0?"}' in after
    assert not errors(small_project(entries_a="", **{LEDGER: after}))


@pytest.mark.slow
def test_fmt_rewrites_the_readme_style_of_entry_in_the_sample_year(tmp_path: Path) -> None:
    """A comment line, then a flow entry with a trailing comment (README: other kinds of entry), in a sample ledger."""
    root = copy_project(tmp_path / "project")
    ledger = root / "content" / "ledgers" / "party.yaml"
    text = ledger.read_text(encoding="utf-8")
    first = text.index("  - date:")
    block_end = text.index("  - date:", first + 1)
    flow = (
        "  # 一季度\n"
        "  - {community: dongsheng, date: 2008-01-22, rule: party.org.democracy.system, count: 3,"
        " note: 未建立党务公开、民主评议党员、党员联系群众三项制度}   # 每项扣分\n"
    )
    changed = text[:first] + flow + text[block_end:]
    ledger.write_text(changed, encoding="utf-8")
    assert run_cli(root, "check").returncode == 0
    before = run(WorkingTree(root))

    checked = run_cli(root, "fmt", "--check")
    assert "Traceback" not in checked.stderr
    assert checked.returncode == 1
    assert checked.stdout == "content/ledgers/party.yaml: not in canonical form\n"

    done = run_cli(root, "fmt")
    assert done.returncode == 0, done.stderr
    assert "formatted content/ledgers/party.yaml" in done.stdout
    after_text = ledger.read_text(encoding="utf-8")
    assert (
        "  # 一季度\n  - {date: 2008-01-22, community: dongsheng, rule: party.org.democracy.system, count: 3,"
        in after_text
    )
    assert comment_lines(after_text) == comment_lines(changed)
    after = run(WorkingTree(root))
    assert before.results is not None and after.results is not None
    assert results_dict(after.results) == results_dict(before.results)
    assert run_cli(root, "fmt", "--check").returncode == 0


# --- b) CRLF line ends ------------------------------------------------------------------

CANONICAL_WITH_BLANKS = """\
# 甲线台帐
line: a   # 线
year: 2008
review:

  # 审核记录
  by: 审核人
  date: 2009-01-05

entries:
  - date: 2008-03-01   # 日期
    community: c1

    rule: work.rules.each
    note: 说明
"""


def test_crlf_line_ends_become_lf_and_keep_every_comment_and_blank_line() -> None:
    """The comments' ``\\r`` used to stay, and blank lines after ``review:`` and inside entries were dropped."""
    crlf = CANONICAL_WITH_BLANKS.replace("\n", "\r\n")
    after = assert_formats_losslessly(crlf)
    assert after == CANONICAL_WITH_BLANKS
    assert "\r" not in after


def test_a_lone_carriage_return_is_a_line_end_too() -> None:
    assert assert_formats_losslessly(CANONICAL_WITH_BLANKS.replace("\n", "\r")) == CANONICAL_WITH_BLANKS


def test_blank_lines_at_the_end_of_a_file_go_but_those_between_keys_stay() -> None:
    """Reordering used to carry blank lines to the end of the file, which then ended in several newlines."""
    text = "entries:\n  - {date: 2008-03-01, community: c1, rule: work.rules.each}\n\nline: a\n\nyear: 2008\n\n\n"
    after = "line: a\n\nyear: 2008\nentries:\n  - {date: 2008-03-01, community: c1, rule: work.rules.each}\n"
    assert canonical_text(LEDGER, text) == after


def test_fmt_of_a_crlf_file_writes_lf_and_then_reports_it_canonical(tmp_path: Path) -> None:
    root = write_project(tmp_path, small_project())
    lf = ledger_yaml("a", "- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 说明}   # 行尾\n")
    (root / LEDGER).write_bytes(lf.replace("\n", "\r\n").encode("utf-8"))
    checked = run_cli(root, "fmt", "--check")
    assert checked.returncode == 1 and checked.stdout == f"{LEDGER}: not in canonical form\n"
    done = run_cli(root, "fmt")
    assert done.returncode == 0, done.stderr
    assert (root / LEDGER).read_bytes() == lf.encode("utf-8")
    assert run_cli(root, "fmt", "--check").returncode == 0


# --- c) an impossible date --------------------------------------------------------------


def test_fmt_keeps_dates_as_written_even_an_impossible_one() -> None:
    text = ledger_yaml(
        "a",
        """\
        - {community: c1, date: 2008-02-30, rule: work.rules.each, note: 不存在的日期}
        - {community: c1, date: "2008-03-01", rule: work.rules.each, note: 写成文字的日期}
        - {community: c1, date: 2008-03-02, rule: work.rules.each, note: 日期}
        """,
    )
    formatted = format_text(LEDGER, text)
    assert formatted.problem is None
    assert formatted.after is not None
    assert "review: {by: 审核人, date: 2009-01-05}\n" in formatted.after
    assert "{date: 2008-02-30, community: c1," in formatted.after
    assert '{date: "2008-03-01", community: c1,' in formatted.after, "a quoted date is text and stays quoted"
    assert "{date: 2008-03-02, community: c1," in formatted.after
    assert canonical_text(LEDGER, formatted.after) == formatted.after


def test_fmt_reports_an_impossible_date_like_check(tmp_path: Path) -> None:
    entry = "- {community: c1, date: 2008-02-30, rule: work.rules.each, note: 不存在的日期}"
    root = write_project(tmp_path, small_project(entries_a=entry))
    expected = f"{LEDGER}:5:27: error: 'date' is not a real date: '2008-02-30'"
    assert expected in run_cli(root, "check").stderr
    done = run_cli(root, "fmt")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert expected in done.stderr
    checked = run_cli(root, "fmt", "--check")
    assert "Traceback" not in checked.stderr
    assert checked.stdout == f"{LEDGER}: not in canonical form\n"


# --- d) one bad value does not hide an entry's other problems ---------------------------


def test_a_bad_date_does_not_hide_an_unknown_community_or_rule() -> None:
    found = errors(small_project(entries_a="- {date: 2008-02-30, community: c9, rule: work.rules.eech, note: 三处错}"))
    assert found == [
        f"{LEDGER}:5:12: error: 'date' is not a real date: '2008-02-30'",
        f"{LEDGER}:5:35: error: unknown community 'c9' (valid: c1, c2, c3)",
        f"{LEDGER}:5:45: error: unknown rule 'work.rules.eech' (did you mean 'work.rules.each'?)",
    ]


def test_a_bad_count_does_not_hide_an_unknown_community_or_a_rule_of_another_line() -> None:
    found = errors(small_project(entries_a="- {date: 2008-03-01, community: c9, rule: safe.accident.minor, count: 0}"))
    assert found == [
        f"{LEDGER}:5:35: error: unknown community 'c9' (valid: c1, c2, c3)",
        f"{LEDGER}:5:45: error: 'safe.accident.minor' is scored by line 'b' (乙线), not by this ledger's line 'a'",
        f"{LEDGER}:5:73: error: 'count' must be at least 1, not 0",
    ]


def test_a_bad_amount_is_reported_once_with_the_entrys_other_problems() -> None:
    found = errors(
        small_project(entries_b="- {date: 2008-03-01, community: c9, indicator: money.invest, amount: 一百}")
    )
    path = "content/ledgers/b.yaml"
    assert found == [
        f"{path}:5:5: error: an amount needs a 'note' (the project, the payment)",
        f"{path}:5:35: error: unknown community 'c9' (valid: c1, c2, c3)",
        f"{path}:5:72: error: 'amount' must be a decimal number, not '一百'",
    ], "no 'needs amount' besides the bad amount"


def test_an_entry_that_did_not_load_in_full_is_kept_apart_and_never_scored() -> None:
    source = small_project(
        entries_a="""\
        - {date: 2008-02-30, community: c1, rule: work.rules.each, note: 不存在的日期}
        - {date: 2008-03-01, community: c1, rule: work.rules.each, note: 好的}
        """
    )
    outcome = run(source)
    assert outcome.results is None
    assert outcome.content is not None
    ledger = next(ledger for ledger in outcome.content.ledgers if ledger.line == "a")
    assert [e.note for e in ledger.entries] == ["好的"]
    assert [(e.date, e.community, e.rule, e.note) for e in ledger.incomplete] == [
        (None, "c1", "work.rules.each", "不存在的日期")
    ]
    assert [e.note for e in outcome.content.entries()] == ["好的"]


# --- e) merge conflict markers ----------------------------------------------------------

CONFLICTED_LEDGER = """\
line: a
year: 2008
review: {by: 审核人, date: 2009-01-05}
entries:
<<<<<<< HEAD
  - {date: 2008-03-01, community: c1, rule: work.rules.each, note: 我们的}
||||||| merged common ancestors
  - {date: 2008-03-01, community: c1, rule: work.rules.each, note: 原来的}
=======
  - {date: 2008-03-01, community: c2, rule: work.rules.each, note: 他们的}
>>>>>>> other-branch
"""


def test_check_names_every_merge_conflict_marker_at_its_own_line() -> None:
    found = errors(small_project(**{LEDGER: CONFLICTED_LEDGER}))
    assert [line for line in found if line.startswith(LEDGER)] == [
        f"{LEDGER}:{number}:1: error: {MARKER_MESSAGE}" for number in (5, 7, 9, 11)
    ]


@pytest.mark.parametrize(
    "relpath", ["content/rubric.yaml", "content/communities.yaml", "content/decision.yaml", "content/history/2007.yaml"]
)
def test_merge_conflict_markers_are_named_in_every_content_file(relpath: str) -> None:
    text = "year: 2007\n<<<<<<< HEAD\ntitle: 一\n=======\ntitle: 二\n>>>>>>> theirs\n"
    found = [line for line in errors(small_project(**{relpath: text})) if line.startswith(relpath)]
    assert found == [f"{relpath}:{number}:1: error: {MARKER_MESSAGE}" for number in (2, 4, 6)]


def test_fmt_names_the_first_conflict_marker_and_the_lines_of_the_others() -> None:
    formatted = format_text(LEDGER, CONFLICTED_LEDGER)
    assert formatted.after is None
    assert str(formatted.problem) == f"{LEDGER}:5:1: error: {MARKER_MESSAGE} (more markers at lines 7, 9, 11)"


def test_fmt_and_fmt_check_report_conflict_markers_not_malformed_yaml(tmp_path: Path) -> None:
    root = write_project(tmp_path, small_project(**{LEDGER: CONFLICTED_LEDGER.replace("\n", "\r\n")}))
    for args in (("fmt",), ("fmt", "--check")):
        done = run_cli(root, *args)
        assert done.returncode == 1
        assert f"{LEDGER}:5:1: error: merge conflict marker" in done.stderr
        assert "malformed YAML" not in done.stderr
        assert "Traceback" not in done.stderr
    assert (root / LEDGER).read_bytes() == CONFLICTED_LEDGER.replace("\n", "\r\n").encode("utf-8")


def test_only_a_whole_marker_at_column_one_is_a_conflict_marker() -> None:
    text = ledger_yaml(
        "a",
        """\
        - date: 2008-03-01
          community: c1
          rule: work.rules.each
          note: |
            =======
            <<<<<<< 不是标记
        """,
    )
    assert not [line for line in errors(small_project(**{LEDGER: text})) if "conflict" in line]
    lines = ["=======", "======= x", "<<<<<<<", ">>>>>>> b", "|||||||", "========", "=======x", " =======", "<<<<<< a"]
    found = conflict_markers(LEDGER, "\n".join(lines))
    assert [d.pos.line for d in found] == [1, 2, 3, 4, 5]
