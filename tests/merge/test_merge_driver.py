"""The merge driver on three versions written to files, as git hands them over (no repository needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import TOOL_ROOT, run_cli

from kaohe.actions.merge.driver import MergeResult, merge_driver, project_path

PARTY = "content/ledgers/party.yaml"
HEAD = "line: party\nyear: 2008\n\n"
ONE = (
    "  - date: 2008-01-22\n    community: dongsheng\n    rule: party.org.democracy.system\n    count: 3\n    note: 一\n"
)
TWO = "  - date: 2008-02-26\n    community: ziqiao\n    rule: party.org.democracy.system\n    note: 二\n"
NEW_A = "  - date: 2008-06-20\n    community: beimen\n    rule: party.org.democracy.system\n    note: 甲\n"
NEW_B = "  - date: 2008-07-01\n    community: jianshe\n    rule: party.org.democracy.system\n    note: 乙\n"


def ledger(*entries: str) -> str:
    return HEAD + ("entries:\n" + "".join(entries) if entries else "entries: []\n")


def merged(tmp_path: Path, base: str, ours: str, theirs: str, path: str = PARTY) -> tuple[MergeResult, str]:
    files = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        file = tmp_path / f".merge_file_{name}"
        file.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        files.append(file)
    result = merge_driver(files[0], files[1], files[2], path)
    return result, files[1].read_text(encoding="utf-8", errors="replace")


def test_a_comment_added_above_an_entry_and_an_edit_of_that_entry_both_apply(tmp_path: Path) -> None:
    result, text = merged(
        tmp_path,
        ledger(ONE, TWO),
        ledger(ONE, "  # 复查后补记\n" + TWO),
        ledger(ONE, TWO.replace("note: 二", "note: 二（复查）")),
    )
    assert result.ok and result.how == "entries"
    assert text == ledger(ONE, "  # 复查后补记\n" + TWO.replace("note: 二", "note: 二（复查）"))


def test_an_entry_both_sides_added_is_kept_once(tmp_path: Path) -> None:
    result, text = merged(tmp_path, ledger(ONE), ledger(ONE, NEW_A), ledger(ONE, NEW_A, NEW_B))
    assert result.ok
    assert text == ledger(ONE, NEW_A, NEW_B)


def test_a_new_years_empty_ledger_takes_both_sides_first_entries(tmp_path: Path) -> None:
    result, text = merged(tmp_path, ledger(), ledger(NEW_A), ledger(NEW_B))
    assert result.ok
    assert text == ledger(NEW_A, NEW_B)  # `entries: []` became a list of two


def test_a_ledger_both_sides_created_merges_its_entries(tmp_path: Path) -> None:
    result, text = merged(tmp_path, "", ledger(NEW_A), ledger(NEW_B))  # git's base is empty: no common ancestor
    assert result.ok
    assert text == ledger(NEW_A, NEW_B)


def test_deleting_every_entry_leaves_an_empty_list(tmp_path: Path) -> None:
    result, text = merged(tmp_path, ledger(ONE, TWO), ledger(), ledger(ONE, TWO))
    assert result.ok
    assert text == ledger()


def test_the_result_is_in_canonical_form_even_when_a_side_was_not(tmp_path: Path) -> None:
    untidy = NEW_A.replace("    community: beimen\n", "").replace("  - date:", "  - community:   beimen\n    date:")
    result, text = merged(tmp_path, ledger(ONE), ledger(ONE, untidy), ledger(ONE, NEW_B))
    assert result.ok
    assert text == ledger(ONE, NEW_A, NEW_B)  # date first, one space after the colon


def test_changes_to_two_neighbouring_entries_do_not_conflict(tmp_path: Path) -> None:
    result, text = merged(
        tmp_path,
        ledger(ONE, TWO),
        ledger(ONE.replace("count: 3", "count: 4"), TWO),
        ledger(ONE, TWO.replace("note: 二", "note: 二改")),
    )
    assert result.ok
    assert text == ledger(ONE.replace("count: 3", "count: 4"), TWO.replace("note: 二", "note: 二改"))


def test_a_conflict_is_reported_at_the_line_of_its_first_marker(tmp_path: Path) -> None:
    result, text = merged(
        tmp_path,
        ledger(ONE, TWO),
        ledger(ONE, TWO.replace("note: 二", "note: 甲改")),
        ledger(ONE, TWO.replace("note: 二", "note: 乙改")),
    )
    assert not result.ok and result.how == "entries"
    # lines 1–3 the head, 4 entries:, 5–9 the first entry, 10 <<<<<<<
    assert [(c.line, c.what) for c in result.conflicts] == [
        (10, "the entry 2008-02-26 ziqiao party.org.democracy.system")
    ]
    assert text.splitlines()[9] == "<<<<<<< ours"


def test_a_side_that_is_not_utf8_is_merged_line_by_line(tmp_path: Path) -> None:
    gbk = ledger(ONE, NEW_A).replace("note: 甲", "note: 乙").encode("gbk")
    files = []
    for name, data in (("base", ledger(ONE).encode()), ("ours", gbk), ("theirs", ledger(ONE).encode())):
        file = tmp_path / name
        file.write_bytes(data)
        files.append(file)
    result = merge_driver(files[0], files[1], files[2], PARTY)
    assert (result.how, result.ok) == ("lines", False)
    assert result.unmergeable.startswith("ours: content/ledgers/party.yaml:") and "not UTF-8" in result.unmergeable
    assert files[1].read_bytes() == gbk  # theirs changed nothing: the line merge is ours


def test_a_file_that_is_not_a_ledger_is_merged_line_by_line_like_git(tmp_path: Path) -> None:
    base = "year: 2008\ntitle: 细则\n"
    result, text = merged(tmp_path, base, "year: 2009\ntitle: 细则\n", base, "content/rubric.yaml")
    assert (result.how, result.ok, result.unmergeable) == ("lines", True, "")
    assert text == "year: 2009\ntitle: 细则\n"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("content/ledgers/party.yaml", "content/ledgers/party.yaml"),
        ("kaohe/2008/content/ledgers/party.yaml", "content/ledgers/party.yaml"),  # a project in a subfolder
        ("notes/party.yaml", "notes/party.yaml"),
    ],
)
def test_the_path_git_gives_is_taken_relative_to_the_project(given: str, expected: str) -> None:
    assert project_path(given) == expected


def test_the_command_without_the_four_files_is_a_usage_error() -> None:
    done = run_cli(TOOL_ROOT, "merge-driver", "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"].startswith("merge-driver: give the four files git passes")


def test_the_command_writes_the_merge_into_ours_and_says_so_in_json(tmp_path: Path) -> None:
    files = [tmp_path / name for name in ("base", "ours", "theirs")]
    for file, text in zip(files, (ledger(ONE), ledger(ONE, NEW_A), ledger(ONE, NEW_B)), strict=True):
        file.write_text(text, encoding="utf-8")
    done = run_cli(TOOL_ROOT, "merge-driver", "--json", *map(str, files), PARTY)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "path": PARTY,
        "how": "entries",
        "conflicts": [],
        "line_conflicts": 0,
        "unmergeable": "",
        "error": "",
    }
    assert files[1].read_text(encoding="utf-8") == ledger(ONE, NEW_A, NEW_B)


def test_a_version_over_checks_bounds_is_merged_line_by_line(tmp_path: Path) -> None:
    aliases = "extra: &a x\nmore: [" + ", ".join(["*a"] * 101) + "]\n"  # one alias more than the 100 allowed
    result, _text = merged(tmp_path, ledger(ONE), ledger(ONE) + aliases, ledger(ONE))
    assert (result.how, result.ok) == ("lines", False)
    assert (
        result.unmergeable.startswith("ours: content/ledgers/party.yaml:")
        and "more than 100 aliases" in result.unmergeable
    )


def test_entries_both_sides_added_are_interleaved_by_date_whichever_way_the_merge_goes(tmp_path: Path) -> None:
    # ours adds 07-15, theirs 07-08 and 07-20: the merged ledger reads 07-08, 07-15, 07-20 either way round.
    def new(day: str, note: str) -> str:
        return (
            f"  - date: 2008-07-{day}\n    community: jianshe\n    rule: party.org.democracy.system\n    note: {note}\n"
        )

    mine, yours = [new("15", "甲")], [new("08", "乙"), new("20", "丙")]
    one_way = merged(tmp_path, ledger(ONE), ledger(ONE, *mine), ledger(ONE, *yours))[1]
    other_way = merged(tmp_path, ledger(ONE), ledger(ONE, *yours), ledger(ONE, *mine))[1]
    assert one_way == other_way == ledger(ONE, new("08", "乙"), new("15", "甲"), new("20", "丙"))


def test_two_entries_of_one_day_added_on_the_two_sides_merge_alike_either_way(tmp_path: Path) -> None:
    # same date, community and rule: their #1 and #2 (file order) must not depend on the direction of the merge
    a = "  - date: 2008-07-15\n    community: jianshe\n    rule: party.org.democracy.system\n    note: 甲\n"
    b = "  - date: 2008-07-15\n    community: jianshe\n    rule: party.org.democracy.system\n    note: 乙\n"
    one_way = merged(tmp_path, ledger(ONE), ledger(ONE, a), ledger(ONE, b))[1]
    other_way = merged(tmp_path, ledger(ONE), ledger(ONE, b), ledger(ONE, a))[1]
    assert one_way == other_way == ledger(ONE, b, a)  # ordered by their text: 乙 (U+4E59) before 甲 (U+7532)
