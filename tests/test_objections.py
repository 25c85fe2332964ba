"""Objections to the 公示 and their 复核: entry references, late objections, upheld ones that move an award."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from support import MemorySource, messages, results_of, run_ok, small_project

from kaohe.content.entryref import EntryRef, parse_ref, resolve
from kaohe.pipeline import run
from kaohe.render.objections import objection_facts

PUBLICITY = "from: 2009-01-05\nworking_days: 5\n"  # Mon 01-05 … Fri 01-09
IDS = ("c1", "c2", "c3", "c4")


def deduct(community: str, count: int, day: str = "2008-03-01") -> str:
    return f"- {{date: {day}, community: {community}, rule: work.other.each, count: {count}, note: 扣分}}\n"


def objection(entry: str, received: str = "2009-01-07", review: str = "", community: str = "c4") -> str:
    text = (
        "objections:\n"
        "  - id: first\n"
        "    by: 李某某\n"
        f"    community: {community}\n" + (f"    entry: {entry}\n" if entry else "") + f"    received: {received}\n"
        "    says: 该项工作已按时完成。\n"
    )
    return text + (f"    review: {review}\n" if review else "")


def year(entries: str, publicity: str) -> MemorySource:
    return small_project(entries, ids=IDS, **{"content/publicity.yaml": PUBLICITY + publicity})


def found(source: MemorySource) -> str:
    return "\n".join(messages(run(source).diagnostics))


# --- references -------------------------------------------------------------------------


def test_an_entry_reference_names_line_date_community_and_rule() -> None:
    assert parse_ref("a/2008-03-01/c4/work.other.each") == EntryRef("a", date(2008, 3, 1), "c4", "work.other.each")
    assert parse_ref("a/2008-03-01/c4/work.other.each#2") == EntryRef("a", date(2008, 3, 1), "c4", "work.other.each", 2)
    assert parse_ref("a/2008-13-01/c4/work.other.each") is None
    assert parse_ref("a 2008-03-01 c4 work.other.each") is None


def test_an_objection_to_an_entry_that_is_not_there_suggests_the_closest() -> None:
    source = year(deduct("c4", 4), objection("a/2008-03-02/c4/work.other.each"))
    assert (
        "content/publicity.yaml:7:12: error: objection 'first': no entry 'a/2008-03-02/c4/work.other.each' "
        "(did you mean 'a/2008-03-01/c4/work.other.each'?)"
    ) in found(source)


def test_a_reference_matching_two_entries_needs_a_number() -> None:
    source = year(deduct("c4", 1) + deduct("c4", 2), objection("a/2008-03-01/c4/work.other.each"))
    assert "matches 2 entries: add #1 … #2 (in file order)" in found(source)
    run_ok(year(deduct("c4", 1) + deduct("c4", 2), objection("a/2008-03-01/c4/work.other.each#2")))


def test_an_objection_about_one_community_cannot_cite_another_communitys_entry() -> None:
    source = year(deduct("c3", 1), objection("a/2008-03-01/c3/work.other.each", community="c4"))
    assert "objection 'first' is about 'c4' but its entry is of 'c3'" in found(source)


def test_an_unknown_community_is_an_error_with_a_hint() -> None:
    source = year(deduct("c4", 1), objection("", community="c5"))
    assert "content/publicity.yaml:6:16: error: objection about unknown community 'c5' (valid: c1, c2, c3, c4)" in (
        found(source)
    )


# --- late objections ----------------------------------------------------------------------


def test_an_objection_received_after_the_publicity_ended_is_a_late_warning_kept_on_record() -> None:
    # The 公示 ends Fri 2009-01-09; Mon 01-12 is after it.
    outcome = run_ok(year(deduct("c4", 4), objection("a/2008-03-01/c4/work.other.each", received="2009-01-12")))
    assert (
        "content/publicity.yaml:8:15: warning: objection 'first' is late: received on 2009-01-12, "
        "after the 公示 ended (2009-01-09); it is kept on record and shown"
    ) in messages(outcome.diagnostics)
    assert outcome.content is not None and outcome.content.publicity is not None
    assert [o.id for o in outcome.content.publicity.objections] == ["first"]


def test_an_objection_on_the_last_day_is_not_late() -> None:
    outcome = run_ok(year(deduct("c4", 4), objection("a/2008-03-01/c4/work.other.each", received="2009-01-09")))
    assert not [m for m in messages(outcome.diagnostics) if "late" in m]


# --- the 复核 -------------------------------------------------------------------------------

UPHELD_REMOVED = "{upheld: true, reason: 台帐记载有误, date: 2009-01-12, by: 复核组, change: removed}"


def four_communities(c4_entry: bool) -> str:
    """c1 −1, c2 −3, c3 −2 and (when kept) c4 −4 on work.other.each (1 point each)."""
    return deduct("c1", 1) + deduct("c2", 3) + deduct("c3", 2) + (deduct("c4", 4) if c4_entry else "")


def test_an_upheld_objection_whose_ledger_change_removes_the_entry_moves_the_awards() -> None:
    # The small year scores 80 with no entries (the ratio leaf 招商引资, 20 points, has no amount: 0).
    # Before: c1 79, c3 78, c2 77, c4 76 → 红旗 c1; 先进 (ranks 2–3) c3, c2; c4 nothing.
    before = run_ok(year(four_communities(True), objection("a/2008-03-01/c4/work.other.each"))).results
    assert before is not None
    assert {c.id: c.granted.name for c in before.communities} == {"c1": "红旗", "c3": "先进", "c2": "先进", "c4": None}
    # After the entry is removed: c4 80, c1 79, c3 78, c2 77 → 红旗 c4; 先进 c1, c3; c2 loses its award.
    after = run_ok(year(four_communities(False), objection("a/2008-03-01/c4/work.other.each", review=UPHELD_REMOVED)))
    assert after.results is not None
    assert [(c.id, c.total) for c in after.results.communities] == [
        ("c4", Decimal(80)),
        ("c1", Decimal(79)),
        ("c3", Decimal(78)),
        ("c2", Decimal(77)),
    ]
    assert {c.id: c.granted.name for c in after.results.communities} == {
        "c4": "红旗",
        "c1": "先进",
        "c3": "先进",
        "c2": None,
    }


def test_an_upheld_removal_while_the_entry_is_still_in_the_ledger_is_an_error() -> None:
    source = year(four_communities(True), objection("a/2008-03-01/c4/work.other.each", review=UPHELD_REMOVED))
    assert "objection 'first' was upheld with the entry removed, but 'a/2008-03-01/c4/work.other.each' is still" in (
        found(source)
    )


def test_an_upheld_objection_needs_the_change_that_carries_it_out() -> None:
    review = "{upheld: true, reason: 台帐记载有误, date: 2009-01-12, by: 复核组}"
    source = year(four_communities(True), objection("a/2008-03-01/c4/work.other.each", review=review))
    assert "objection 'first' was upheld: 'change' names the ledger change that carries it out" in found(source)


def test_an_upheld_change_to_another_entry_must_name_an_entry_of_the_ledger() -> None:
    moved = "{upheld: true, reason: 日期记错, date: 2009-01-12, by: 复核组, change: a/2008-04-01/c4/work.other.each}"
    wrong = year(
        four_communities(False) + deduct("c4", 4, "2008-04-02"),
        objection("a/2008-03-01/c4/work.other.each", review=moved),
    )
    assert "the change of objection 'first': no entry 'a/2008-04-01/c4/work.other.each'" in found(wrong)
    right = year(
        four_communities(False) + deduct("c4", 4, "2008-04-01"),
        objection("a/2008-03-01/c4/work.other.each", review=moved),
    )
    run_ok(right)


def test_an_objection_not_upheld_keeps_the_entry_and_takes_no_change() -> None:
    review = "{upheld: false, reason: 扣分有据, date: 2009-01-12, by: 复核组, change: removed}"
    source = year(four_communities(True), objection("a/2008-03-01/c4/work.other.each", review=review))
    assert "objection 'first' was not upheld, so no ledger change carries it out: remove 'change'" in found(source)


def test_a_ledger_changed_by_an_upheld_objection_must_be_reviewed_again_after_the_review_of_it() -> None:
    # support.ledger_yaml reviews every ledger on 2009-01-05; the 复核 that removed the entry is of 2009-01-12
    source = year(four_communities(False), objection("a/2008-03-01/c4/work.other.each", review=UPHELD_REMOVED))
    assert "content/ledgers/a.yaml:3:9: warning: ledger 'a' was reviewed on 2009-01-05, before the 复核 of " in (
        found(source)
    )
    reviewed_again = source.files["content/ledgers/a.yaml"].replace("date: 2009-01-05", "date: 2009-01-12")
    again = MemorySource({**source.files, "content/ledgers/a.yaml": reviewed_again})
    assert "review it again" not in found(again)


def test_a_correction_in_words_says_what_the_entry_does_now() -> None:
    # work.other.each takes 1 point per count: the entry of 4 counts, corrected to 2, now deducts 2.00.
    same = "{upheld: true, reason: 次数记错, date: 2009-01-12, by: 复核组, change: a/2008-03-01/c4/work.other.each}"
    corrected = year(
        four_communities(False) + deduct("c4", 2), objection("a/2008-03-01/c4/work.other.each", review=same)
    )
    (facts,) = objection_facts(results_of(corrected))
    assert facts.change == "更正该条记载（现为扣2.00分）"
    moved = "{upheld: true, reason: 日期记错, date: 2009-01-12, by: 复核组, change: a/2008-04-01/c4/work.other.each}"
    elsewhere = year(
        four_communities(False) + deduct("c4", 4, "2008-04-01"),
        objection("a/2008-03-01/c4/work.other.each", review=moved),
    )
    (facts,) = objection_facts(results_of(elsewhere))
    assert facts.change.startswith("更正为") and "2008年4月1日记载的" in facts.change
    assert facts.change.endswith("（现为扣4.00分）")
    gone = year(four_communities(False), objection("a/2008-03-01/c4/work.other.each", review=UPHELD_REMOVED))
    (facts,) = objection_facts(results_of(gone))
    assert facts.change == "删除该条记录"


def test_a_removed_entry_is_checked_for_what_can_still_be_checked() -> None:
    # The entry objected to is c4's of 2008-03-01; the objection names 2008-03-07 (a slip of one key).
    slip = year(four_communities(True), objection("a/2008-03-07/c4/work.other.each", review=UPHELD_REMOVED))
    assert (
        "warning: objection 'first' was upheld with 'a/2008-03-07/c4/work.other.each' removed, but the ledger "
        "still holds 'a/2008-03-01/c4/work.other.each'"
    ) in found(slip)
    far = year(four_communities(True), objection("a/2008-09-17/c4/work.other.each", review=UPHELD_REMOVED))
    assert "still holds" not in found(far)  # another day altogether: it may well have been another entry
    wrong_line = year(four_communities(False), objection("b/2008-03-01/c4/work.other.each", review=UPHELD_REMOVED))
    assert "'work.other.each' is a rule of line 'a', not of 'b'" in found(wrong_line)
    no_rule = year(four_communities(False), objection("a/2008-03-01/c4/work.other.evry", review=UPHELD_REMOVED))
    assert "the rubric has no rule 'work.other.evry'" in found(no_rule)


def test_a_reference_that_does_not_resolve_says_which_part_is_wrong() -> None:
    by_name = year(four_communities(True), objection("a/2008-03-01/c4社区/work.other.each"))
    assert "'c4社区' is not a community id (did you mean 'c4'?)" in found(by_name)  # its id, from its name
    wrong_line = year(four_communities(True), objection("b/2008-03-01/c4/work.other.each"))
    assert "'work.other.each' is a rule of line 'a', not of 'b'" in found(wrong_line)
    near = year(four_communities(True), objection("a/2008-03-02/c4/work.other.each"))
    assert "did you mean 'a/2008-03-01/c4/work.other.each'?" in found(near)  # the parts are right: the closest entry


def test_a_mistyped_reference_is_matched_among_the_entries_of_its_own_community() -> None:
    entries = (
        "- {date: 2008-11-05, community: c1, rule: work.rules.each, note: 检查}\n"
        "- {date: 2008-12-23, community: c2, rule: work.rules.each, note: 检查}"
    )
    content = run_ok(small_project(entries)).content
    assert content is not None
    # c2's entry is one character from the reference, c1's three: an objection about c1 is shown c1's
    found = resolve(content, "a/2008-12-23/c1/work.rules.each")
    assert (
        found.problem == "no entry 'a/2008-12-23/c1/work.rules.each' (did you mean 'a/2008-11-05/c1/work.rules.each'?)"
    )
