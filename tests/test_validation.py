"""A deliberately broken content folder: every expected diagnostic, with path, line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import TOOL_ROOT, run_cli, small_project, write_project

from kaohe.pipeline import run

BROKEN = TOOL_ROOT / "tests" / "data" / "broken"

EXPECTED = """\
content/communities.yaml:2:46: error: staff of unknown line 'z' in 'c1' (valid: a, b)
content/communities.yaml:4:5: error: duplicate community id 'c1' (first at line 2)
content/decision.yaml:3:17: error: results_sha256 must be 64 lowercase hex digits
content/decision.yaml:6:17: error: exemption for unknown community 'c9' (valid: c1, c2)
content/history/2007.yaml:1:7: error: history file 2007.yaml holds year 2006
content/ledgers/a.yaml:1:7: warning: ledger 'a' is not yet reviewed (审核): results stay draft
content/ledgers/a.yaml:4:35: error: unknown community 'c3' (valid: c1, c2)
content/ledgers/a.yaml:5:45: error: unknown rule 'work.rules.eech' (did you mean 'work.rules.each'?)
content/ledgers/a.yaml:6:45: error: 'safe.accident.fire' is scored by line 'b' (乙线), not by this ledger's line 'a'
content/ledgers/a.yaml:7:12: error: date 2009-01-05 is outside the period 2008-01-01 – 2008-12-31
content/ledgers/a.yaml:8:70: error: 'deduct' on 'work.rules.each', which is not discretionary (酌情扣分); use 'count'
content/ledgers/a.yaml:9:70: error: 'amount' on 'work.rules', which is not scored by completion ratio (method: ratio)
content/ledgers/a.yaml:10:69: error: 'count' must be at least 1, not 0
content/ledgers/a.yaml:11:69: error: 'count' must be at least 1, not -2
content/ledgers/a.yaml:12:50: error: 'money.invest' is scored by line 'bb', not by this ledger's line 'a'
content/ledgers/a.yaml:12:72: error: 'amount' must be a decimal number, not '一百'
content/ledgers/a.yaml:13:82: error: 'note' must be text, not a list
content/ledgers/a.yaml:14:5: error: missing key 'community' in an entry
content/ledgers/a.yaml:14:24: error: unknown key 'comunity' in an entry (did you mean 'community'?)
content/ledgers/a.yaml:15:12: error: 'date' is not a real date: '2008-02-30'
content/ledgers/a.yaml:17:5: warning: likely duplicate: an entry with the same date, community, rule, value and note comes earlier
content/ledgers/a.yaml:18:5: error: discretionary rule 'work.rules.judge' needs 'deduct' (the points taken)
content/ledgers/a.yaml:18:5: error: rule 'work.rules.judge' needs a 'note' saying why
content/ledgers/a.yaml:19:71: error: deduct 5 is more than the 2 points of 'work.rules'
content/ledgers/a.yaml:20:50: error: unknown indicator 'money.investt' (did you mean 'money.invest'?)
content/ledgers/a.yaml:21:70: error: 'amount' on 'work.rules', which is not scored by completion ratio (method: ratio)
content/ledgers/b.yaml:1:7: error: ledger file b.yaml says line 'a'; the file name must be the line id
content/ledgers/b.yaml:2:7: error: ledger year 2007 is not the rubric's year 2008
content/ledgers/broken.yaml:3:37: error: malformed YAML: did not find expected ',' or '}' (while parsing a flow mapping)
content/rubric.yaml:8:5: error: duplicate line id 'a' (first at line 6)
content/rubric.yaml:13:5: error: the categories' points add up to 95, not 100
content/rubric.yaml:13:5: error: the points of 'work' children add up to 2, not 60
content/rubric.yaml:24:13: error: duplicate rule id 'each' in 'work.rules' (first at line 22)
content/rubric.yaml:25:44: error: veto rule 'work.rules.veto' is outside a veto_allowed subtree
content/rubric.yaml:26:9: error: missing key 'points' in an indicator
content/rubric.yaml:28:9: error: unknown key 'pionts' in an indicator (did you mean 'points'?)
content/rubric.yaml:34:11: error: unknown line 'bb' on 'money' (did you mean 'b'?)
content/rubric.yaml:41:16: error: 'money.invest' has a bonus outside a bonus_allowed subtree (其他各线一律不设加分因素)
content/rubric.yaml:51:46: error: rule 'safe.accident.minor' has more than one kind: per, discretionary
content/rubric.yaml:53:39: error: bonus rule 'safe.accident.plus' is outside a bonus_allowed subtree
"""


def test_check_reports_every_problem_in_file_order_with_its_position() -> None:
    done = run_cli(BROKEN, "check")
    assert done.returncode == 1
    assert done.stderr.splitlines() == EXPECTED.splitlines()


def test_check_json_gives_the_same_diagnostics_for_editors() -> None:
    done = run_cli(BROKEN, "check", "--json")
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    lines = [f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}" for d in payload["diagnostics"]]
    assert lines == EXPECTED.splitlines()
    assert payload["errors"] == sum(1 for line in lines if ": error: " in line)
    assert payload["warnings"] == sum(1 for line in lines if ": warning: " in line)


def test_every_diagnostic_points_inside_its_file() -> None:
    for line in EXPECTED.splitlines():
        path, row, col, _rest = line.split(":", 3)
        text = (BROKEN / path).read_text(encoding="utf-8").splitlines()
        assert 1 <= int(row) <= max(1, len(text)), line  # a truncated file's error is on its last line
        assert 1 <= int(col) <= len(text[int(row) - 1]) + 1 if text else int(col) == 1, line


@pytest.mark.slow
def test_a_broken_build_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    entries = "- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 制度不全}"
    project = write_project(tmp_path / "project", small_project(entries))
    built = run_cli(project)
    assert built.returncode == 0, built.stderr
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert any(p.suffix == ".pdf" for p in before) and any(p.suffix == ".html" for p in before)
    ledger = project / "content" / "ledgers" / "a.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "  - {date: 2008-13-01}\n", encoding="utf-8")
    done = run_cli(project)
    assert done.returncode == 1
    assert "output/ left as it was" in done.stderr
    after = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert after == before


def test_a_ledger_saved_as_gbk_is_named_with_the_position_of_the_first_bad_byte(sample_project: Path) -> None:
    ledger = sample_project / "content" / "ledgers" / "united.yaml"
    entry = "  - {date: 2008-05-06, community: ziqiao, rule: party.united.tasks.discretionary, deduct: 0.1, note: 中文}"
    ledger.write_bytes(f"line: united\nyear: 2008\nentries:\n{entry}\n".encode("gbk"))  # 中 is D6 D0: invalid UTF-8
    done = run_cli(sample_project, "check")
    assert done.returncode == 1
    expected = f"content/ledgers/united.yaml:4:{entry.index('中') + 1}: error: the file is not UTF-8 text"
    assert expected in done.stderr
    assert "has no ledger" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_utf8_bom_is_accepted(sample_project: Path) -> None:
    ledger = sample_project / "content" / "ledgers" / "united.yaml"
    ledger.write_bytes(b"\xef\xbb\xbf" + ledger.read_bytes())
    assert run_cli(sample_project, "check").returncode == 0


def test_an_archived_history_of_the_current_year_does_not_break_check(sample_project: Path) -> None:
    history = sample_project / "content" / "history"
    (history / "2008.yaml").write_text(
        (history / "2007.yaml").read_text(encoding="utf-8").replace("year: 2007", "year: 2008"), encoding="utf-8"
    )
    done = run_cli(sample_project, "check")
    assert done.returncode == 0, done.stderr
    future = (history / "2007.yaml").read_text(encoding="utf-8").replace("year: 2007", "year: 2009")
    (history / "2009.yaml").write_text(future, encoding="utf-8")
    done = run_cli(sample_project, "check")
    assert done.returncode == 1
    assert "history year 2009 is after the rubric's year 2008" in done.stderr


@pytest.mark.parametrize(
    ("ledger", "hint"),
    [
        ("  - date：2008-06-30\n    community: c1\n", "line 5 has a full-width colon after 'date': write ':'"),
        ("  - {date: 2008-06-30，community: c1}\n", "line 5 has a full-width comma '，' between fields"),
        ("  - date: 2008-06-30\n     community: c1\n", "check the indentation of line 6 and the line above"),
        ("\t- date: 2008-06-30\n", "line 5 is indented with a tab"),
        ("  - date:2008-06-30\n    community: c1\n", "line 5: write a space after 'date:'"),
        ("  - {date：2008-06-30, community: c1}\n", "after 'date' write ':' followed by a space"),  # YAML reads it
        (
            "  - date: 2008-06-30\n    note: 二季度财务未公开, 整改期限: 7日内\n",
            "line 6: the text of 'note' holds ': ', which YAML reads as a new key: put the text in quotes",
        ),
        ("  - date: 2008-06-30\n    evidence: * 见公开栏照片\n", "line 6: a text starting with '*' must be in quotes"),
    ],
)
def test_a_slip_of_a_chinese_keyboard_or_of_indentation_is_named_with_the_yaml_error(ledger: str, hint: str) -> None:
    # small_project's ledger a.yaml: line, year and review, then 'entries:' on line 4, the first entry on line 5
    source = small_project()
    head = source.files["content/ledgers/a.yaml"].split("entries:")[0]
    source.files["content/ledgers/a.yaml"] = head + "entries:\n" + ledger
    found = [str(d) for d in run(source).diagnostics if d.pos.path == "content/ledgers/a.yaml"]
    assert any(hint in message for message in found), found


@pytest.mark.parametrize(
    "note",
    ["说明：已整改", "见 item：3", "见 http://example.cn/a"],  # a Chinese colon, or a word that is no key
)
def test_a_note_is_not_taken_for_a_slip(note: str) -> None:
    source = small_project()
    head = source.files["content/ledgers/a.yaml"].split("entries:")[0]
    source.files["content/ledgers/a.yaml"] = head + f"entries:\n  - note: {note}\n     community: c1\n"
    (message,) = [str(d) for d in run(source).diagnostics if d.pos.path == "content/ledgers/a.yaml"]
    assert "full-width" not in message and "write a space" not in message and "check the indentation" in message


def test_a_url_at_the_start_of_a_line_is_not_taken_for_a_key_without_its_space() -> None:
    from kaohe.content.yamlbuild import syntax_hint

    hint = syntax_hint("evidence:\n  - http://example.cn/a\n   - b\n", 3, "did not find expected '-' indicator")
    assert "http" not in hint and "check the indentation of line 3" in hint


def ledger_a_entry(text: str) -> str:
    """Ledger a.yaml of small_project with one entry of these lines: 'entries:' is its line 4, the entry starts on 5."""
    source = small_project()
    return source.files["content/ledgers/a.yaml"].split("entries:")[0] + "entries:\n" + text


CUT = "'#' after a space starts a YAML comment"


@pytest.mark.parametrize(
    ("entry", "warned"),
    [
        (
            "  - {date: 2008-06-30, community: c1, rule: work.rules.each, count: 1,\n    note: 3号楼 #2单元漏水}\n",
            None,  # inside a flow mapping the '}' is cut too: YAML's own error says so, not this warning
        ),
        (  # line 9 "    note: 3号楼 #2单元漏水": 4 spaces, "note:" to 9, a space, 3号楼 11–13, a space, '#' at 15
            "  - date: 2008-06-30\n    community: c1\n    rule: work.rules.each\n    count: 1\n"
            "    note: 3号楼 #2单元漏水\n",
            "content/ledgers/a.yaml:9:15: warning: "
            + CUT
            + ": the note is read as '3号楼' and '#2单元漏水' is left out",
        ),
        (  # "    note: #…": '#' right after the space at 10
            "  - date: 2008-06-30\n    community: c1\n    rule: work.rules.judge\n    deduct: 0.5\n"
            "    note: #3号楼未公开\n",
            "content/ledgers/a.yaml:9:11: warning: "
            + CUT
            + ": the note is read as nothing and '#3号楼未公开' is left out",
        ),
        (  # line 10: 4 spaces, "evidence:" to 13, a space, six characters 15–20, a tab at 21, '#' at 22
            "  - date: 2008-06-30\n    community: c1\n    rule: work.rules.each\n    count: 1\n"
            "    note: 已整改\n    evidence: 照片见群相册\t# 王会计\n",
            "content/ledgers/a.yaml:10:22: warning: "
            + CUT
            + ": the evidence is read as '照片见群相册' and '# 王会计' is left out",
        ),
        (  # a CRLF file: the same line 9 and column 15, the comment without the CR
            "  - date: 2008-06-30\r\n    community: c1\r\n    rule: work.rules.each\r\n    count: 1\r\n"
            "    note: 3号楼 #2单元漏水\r\n",
            "content/ledgers/a.yaml:9:15: warning: "
            + CUT
            + ": the note is read as '3号楼' and '#2单元漏水' is left out",
        ),
        (  # "    note:   #…": however far off, a '#' that leaves the note empty; at 4 + 5 + 3 + 1 = 13
            "  - date: 2008-06-30\n    community: c1\n    rule: work.rules.judge\n    deduct: 0.5\n"
            "    note:   #3号楼未公开\n",
            "content/ledgers/a.yaml:9:13: warning: "
            + CUT
            + ": the note is read as nothing and '#3号楼未公开' is left out",
        ),
    ],
)
def test_a_note_cut_short_by_a_comment_is_named_with_what_was_read(entry: str, warned: str | None) -> None:
    source = small_project()
    source.files["content/ledgers/a.yaml"] = ledger_a_entry(entry)
    found = [str(d).split(";")[0] for d in run(source).diagnostics if CUT in d.message]  # up to the advice
    assert found == ([] if warned is None else [warned])


@pytest.mark.parametrize(
    "note",
    [
        '"3号楼 #2单元漏水"  # 复查时补',  # quoted: the '#' inside is the note's own, the comment after is meant
        "'3号楼 #2单元'",
        "3号楼#2单元漏水",  # no space before '#': YAML keeps it
        "3号楼＃2单元漏水",  # the full-width sign
        "|\n      3号楼 #2单元漏水",  # a block: every '#' in it is text
        "3号楼2单元漏水  # 复查时补",  # two spaces before it: a comment, as yamllint writes one
        "3号楼2单元漏水\t\t# 复查时补",
    ],
)
def test_a_hash_that_is_part_of_the_note_is_not_warned_about(note: str) -> None:
    source = small_project()
    source.files["content/ledgers/a.yaml"] = ledger_a_entry(
        f"  - date: 2008-06-30\n    community: c1\n    rule: work.rules.each\n    count: 1\n    note: {note}\n"
        "  # a comment on a line of its own is fine too\n"
    )
    outcome = run(source)
    assert not [d for d in outcome.diagnostics if CUT in d.message]
    assert outcome.results is not None and outcome.content is not None
    assert "2单元" in next(iter(outcome.content.entries())).note
    assert "复查" not in next(iter(outcome.content.entries())).note  # the comment set off is no part of it


@pytest.mark.parametrize(
    ("written", "formatted", "warned"),
    [
        ("note: '3号楼已整改' # 6月补录", 'note: "3号楼已整改"', False),  # quoted: the comment is meant, and stays so
        ("note: 3号楼 #2单元漏水", "note: 3号楼 #2单元漏水", True),  # one space: fmt leaves it for the clerk to see
        ("note: 3号楼已整改   # 6月补录", "note: 3号楼已整改   # 6月补录", False),  # set off: as far off as it was
    ],
)
def test_fmt_keeps_what_check_makes_of_a_note_before_a_comment(written: str, formatted: str, warned: bool) -> None:
    """The entry indented four spaces deeper than fmt writes it: the note moves left, its comment with it."""
    from kaohe.content.canonical import canonical_text

    deeper = "      - date: 2008-06-30\n        community: c1\n        rule: work.rules.each\n        count: 1\n"
    before = ledger_a_entry(deeper + f"        {written}\n")
    after = canonical_text("content/ledgers/a.yaml", before)
    assert f"\n    {formatted}" in after
    assert canonical_text("content/ledgers/a.yaml", after) == after
    for text in (before, after):
        source = small_project()
        source.files["content/ledgers/a.yaml"] = text
        assert any(CUT in d.message for d in run(source).diagnostics) is warned
