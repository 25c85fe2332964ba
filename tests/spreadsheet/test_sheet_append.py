"""``append_entries``: the ledger as it would be is checked like ``check``; written in canonical form, or not at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sheet_support import LEDGER, PARTY_LEDGER, ledger_text, make_project

from kaohe.actions.append import NewEntry, append_entries

SYSTEM = "party.democracy.system"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_entries_are_appended_after_the_last_one_keys_in_canonical_order(project: Path) -> None:
    entry = NewEntry(
        date(2008, 5, 1), "ziqiao", rule="party.dues.collection", deduct=Decimal("0.50"), note="[补记] 未到"
    )
    result = append_entries(project, "party", [entry])
    assert (result.ok, result.written, result.added, result.present) == (True, True, (0,), ())
    # a decimal is written as the number it is; text YAML would misread is double-quoted
    assert ledger_text(project) == PARTY_LEDGER + (
        '  - date: 2008-05-01\n    community: ziqiao\n    rule: party.dues.collection\n    deduct: 0.5\n    note: "[补记] 未到"\n'
    )


def test_an_entry_already_there_is_left_out_counting_duplicates(project: Path) -> None:
    held = NewEntry(date(2008, 1, 22), "dongsheng", rule=SYSTEM, count=3, note="三项制度未建立")
    result = append_entries(project, "party", [held, held])
    # the ledger holds it once: the first given is that one, the second is new (check will warn of a duplicate)
    assert (result.present, result.added) == ((0,), (1,))
    assert [str(d).split(": ", 1)[1] for d in result.diagnostics] == [
        "warning: likely duplicate: an entry with the same date, community, rule, value and note comes earlier"
    ]


def test_a_count_of_1_is_the_same_entry_as_one_without_a_count(project: Path) -> None:
    entry = NewEntry(date(2008, 2, 1), "ziqiao", rule=SYSTEM, note="x")
    assert append_entries(project, "party", [entry]).written
    assert append_entries(
        project, "party", [NewEntry(date(2008, 2, 1), "ziqiao", rule=SYSTEM, count=1, note="x")]
    ).present == (0,)


def test_problems_in_new_entries_name_the_entry_and_key_and_nothing_is_written(project: Path) -> None:
    good = NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="好")
    bad = NewEntry(date(2009, 5, 1), "nowhere", rule="party.democracy.sytem", note="坏")
    result = append_entries(project, "party", [good, bad])
    assert not result.ok and not result.written
    assert ledger_text(project) == PARTY_LEDGER
    assert [(p.index, p.key) for p in result.entry_problems] == [(1, "date"), (1, "community"), (1, "rule")]
    assert [str(d) for d in result.diagnostics] == [
        f"{LEDGER}:16:11: error: date 2009-05-01 is outside the period 2008-01-01 – 2008-12-31",
        f"{LEDGER}:17:16: error: unknown community 'nowhere' (valid: beimen, dongsheng, ziqiao)",
        f"{LEDGER}:18:11: error: unknown rule 'party.democracy.sytem' (did you mean 'party.democracy.system'?)",
    ]


def test_an_error_elsewhere_in_the_content_blocks_the_write(project: Path) -> None:
    other = "line: other\nyear: 2008\nentries:\n  - {date: 2008-05-01, community: nowhere, rule: other.misc.late, note: x}\n"
    (project / "content/ledgers/other.yaml").write_text(other, "utf-8")
    result = append_entries(project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")])
    assert not result.ok and not result.written and result.entry_problems == ()
    assert [str(d) for d in result.diagnostics] == [
        "content/ledgers/other.yaml:4:35: error: unknown community 'nowhere' (valid: beimen, dongsheng, ziqiao)"
    ]
    assert ledger_text(project) == PARTY_LEDGER


def test_a_dry_run_gives_the_ledger_as_it_would_be_and_writes_nothing(project: Path) -> None:
    result = append_entries(
        project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")], dry_run=True
    )
    assert result.ok and not result.written and result.added == (0,)
    assert result.text.startswith(PARTY_LEDGER) and result.text.endswith("    note: x\n")
    assert ledger_text(project) == PARTY_LEDGER


def test_a_line_without_a_ledger_gets_one_with_the_rubric_year(project: Path) -> None:
    entry = NewEntry(date(2008, 5, 1), "beimen", rule="other.misc.late", count=2, note="逾期")
    result = append_entries(project, "other", [entry])
    assert result.written
    assert (project / "content/ledgers/other.yaml").read_text("utf-8") == (
        "line: other\nyear: 2008\nentries:\n"
        "  - date: 2008-05-01\n    community: beimen\n    rule: other.misc.late\n    count: 2\n    note: 逾期\n"
    )


def test_an_empty_flow_list_of_entries_becomes_a_block_list(project: Path) -> None:
    (project / LEDGER).write_text("line: party   # 党群\nyear: 2008\nentries: []\n", "utf-8")
    assert append_entries(project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")]).written
    assert ledger_text(project) == (
        "line: party   # 党群\nyear: 2008\nentries:\n"
        "  - date: 2008-05-01\n    community: ziqiao\n    rule: party.democracy.system\n    note: x\n"
    )


def test_a_ledger_not_yet_canonical_is_written_as_fmt_writes_it(project: Path) -> None:
    (project / LEDGER).write_text(
        "year: 2008\nline:   party\nentries:\n- {date: 2008-01-02, community: ziqiao, rule: party.democracy.system, note: 'a'}\n",
        "utf-8",
    )
    assert append_entries(project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")]).written
    assert ledger_text(project) == (
        "line: party\nyear: 2008\nentries:\n  - {date: 2008-01-02, community: ziqiao, rule: party.democracy.system, note: a}\n"
        "  - date: 2008-05-01\n    community: ziqiao\n    rule: party.democracy.system\n    note: x\n"
    )


def test_a_ledger_that_is_not_utf8_is_reported_not_rewritten(project: Path) -> None:
    (project / LEDGER).write_bytes("line: party\nyear: 2008\nentries: []\n# 注释\n".encode("gbk"))
    result = append_entries(project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")])
    assert not result.ok and not result.written
    assert str(result.diagnostics[0]).startswith(f"{LEDGER}:1:1: error: ")
    assert "UTF-8" in result.diagnostics[0].message


def test_comments_at_the_end_of_the_ledger_stay_above_the_new_entries(project: Path) -> None:
    (project / LEDGER).write_text(PARTY_LEDGER + "\n# 以下待补\n", "utf-8")
    assert append_entries(project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")]).written
    assert ledger_text(project) == PARTY_LEDGER + (
        "\n  # 以下待补\n  - date: 2008-05-01\n    community: ziqiao\n    rule: party.democracy.system\n    note: x\n"
    )


def test_a_ledger_changed_while_the_entries_were_checked_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaohe.actions import append
    from kaohe.content.source import ContentSource
    from kaohe.pipeline import Outcome, run

    edited = PARTY_LEDGER + "  - {date: 2008-02-01, community: ziqiao, rule: party.democracy.system, note: 同时}\n"

    def someone_edits_meanwhile(source: ContentSource) -> Outcome:
        outcome = run(source)
        (project / LEDGER).write_text(edited, "utf-8")
        return outcome

    monkeypatch.setattr(append, "run", someone_edits_meanwhile)
    result = append_entries(project, "party", [NewEntry(date(2008, 5, 1), "ziqiao", rule=SYSTEM, note="x")])
    assert not result.ok and not result.written
    assert str(result.diagnostics[-1]) == f"{LEDGER}:1:1: error: {append.CHANGED_MEANWHILE}"
    assert ledger_text(project) == edited
