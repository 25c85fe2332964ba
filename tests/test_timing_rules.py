"""The seed's timing rules: the year-end rule, the assessment window and 回避 (FORMAT.md §2 schedule, §4 visits).

The projects are the small test year (tests/support.py) with a ``schedule:`` in its rubric:
the year-end window 2008-12-01 – 2008-12-31, consent by 党工委书记 or 办事处主任, the
assessment window 2009-01-01 – 2009-01-10. Positions are counted in the ledger text each
test writes (``line_of``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from support import SAMPLE_CONTENT, SMALL_RUBRIC, MemorySource, small_project

from kaohe.errors import Diagnostic
from kaohe.pipeline import run

SCHEDULE = """\
schedule:
  year_end: {from: 2008-12-01, to: 2008-12-31}
  consent_by: [党工委书记, 办事处主任]
  assessment: {from: 2009-01-01, to: 2009-01-10}
"""
LEDGER_A = "content/ledgers/a.yaml"
YEAR_END_RULE = "未经办事处党政主职同意，各线年底一律不能到社区进行考核"


def rubric(schedule: str = SCHEDULE, lead: str = "") -> str:
    text = SMALL_RUBRIC.replace("measures: [", schedule + "measures: [", 1)
    if lead:
        text = text.replace("{id: a, name: 甲线}", f"{{id: a, name: 甲线, lead: {lead}}}", 1)
    return text


def entry(day: str, community: str) -> str:
    return f"- {{date: {day}, community: {community}, rule: work.rules.each}}\n"


def ledger(entries: str, visits: str = "", review: str = "{by: 审核人, date: 2009-01-05}") -> str:
    head = f"line: a\nyear: 2008\nreview: {review}\n"
    if visits:
        head += "visits:\n" + textwrap.indent(textwrap.dedent(visits), "  ")
    return head + "entries:\n" + textwrap.indent(entries, "  ")


def project(ledger_a: str, ids: Sequence[str] = ("c1", "c2", "c3"), **extra: str) -> MemorySource:
    files = {"content/rubric.yaml": rubric(), LEDGER_A: ledger_a, **extra}
    return small_project(ids=ids, **files)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` that holds ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def found(source: MemorySource) -> list[Diagnostic]:
    return list(run(source).diagnostics)


def shown(source: MemorySource) -> list[str]:
    return [str(d) for d in found(source)]


# --- the year-end rule: an inspection round in December ---------------------------------

DECEMBER_ROUND = entry("2008-03-12", "c3") + entry("2008-12-20", "c1") + entry("2008-12-20", "c2")


def test_a_december_round_without_a_recorded_visit_is_a_warning_naming_its_date() -> None:
    text = ledger(DECEMBER_ROUND)
    problems = found(project(text))
    assert [d.severity.value for d in problems] == ["warning"]
    (problem,) = problems
    # 2 of 3 communities on one day is more than half (2 × 2 > 3)
    assert problem.pos == (LEDGER_A, line_of(text, "2008-12-20"), 5)  # the first entry of that day, after '  - '
    assert "entries for 2 of 3 communities on 2008-12-20" in problem.message
    assert "year-end window (2008-12-01 – 2008-12-31)" in problem.message
    assert YEAR_END_RULE in problem.message


def test_a_december_round_recorded_as_a_visit_without_consent_is_an_error() -> None:
    text = ledger(DECEMBER_ROUND, visits="- {date: 2008-12-20}\n")
    problems = found(project(text))
    assert [(d.severity.value, d.pos.line) for d in problems] == [("error", line_of(text, "- {date: 2008-12-20}"))]
    assert "visit to the communities on 2008-12-20 (2 entries)" in problems[0].message
    assert "records no consent" in problems[0].message
    assert "党工委书记, 办事处主任" in problems[0].message


def test_a_december_round_with_consent_by_the_party_secretary_is_clean() -> None:
    visits = "- date: 2008-12-20\n  consent: {by: 党工委书记, date: 2008-12-15}\n  note: 年底到社区核实\n"
    assert shown(project(ledger(DECEMBER_ROUND, visits=visits))) == []


def test_a_consent_given_after_the_visit_or_by_someone_else_is_an_error() -> None:
    visits = "- date: 2008-12-20\n  consent: {by: 党工委副书记, date: 2008-12-21}\n"
    text = ledger(DECEMBER_ROUND, visits=visits)
    consent_line = line_of(text, "consent:")
    # '    consent: {by: ' is 18 characters (4 spaces, 'consent: ', '{', 'by: '): the name is at column 19;
    # then '党工委副书记, date: ' is 14 more: the date is at column 33
    assert shown(project(text)) == [
        f"{LEDGER_A}:{consent_line}:19: error: consent by '党工委副书记', who is not among those who may consent "
        "(schedule.consent_by) (did you mean '党工委书记'?)",
        f"{LEDGER_A}:{consent_line}:33: error: the consent is dated 2008-12-21, after the visit it allows (2008-12-20)",
    ]


def test_a_visit_outside_the_year_end_window_needs_no_consent() -> None:
    text = ledger(entry("2008-06-03", "c1") + entry("2008-06-03", "c2"), visits="- {date: 2008-06-03}\n")
    assert shown(project(text)) == []


def test_two_days_that_together_cover_most_communities_are_both_named() -> None:
    # c1 on 12-20, c2 on 12-22: neither day alone covers more than half of 3, the two together do (2 × 2 > 3)
    text = ledger(entry("2008-12-20", "c1") + entry("2008-12-22", "c2"))
    (problem,) = found(project(text))
    assert "entries for 2 of 3 communities on 2008-12-20, 2008-12-22" in problem.message
    assert problem.pos.line == line_of(text, "2008-12-20")


def test_entries_spread_over_december_are_no_pile_up() -> None:
    # five communities, one a day on three days: two days cover 2, not more than half of 5 (2 × 2 ≤ 5)
    days = entry("2008-12-03", "c1") + entry("2008-12-10", "c2") + entry("2008-12-17", "c3")
    assert shown(project(ledger(days), ids=("c1", "c2", "c3", "c4", "c5"))) == []


def test_half_of_the_communities_is_not_most() -> None:
    # 2 of 4 on one day: 2 × 2 = 4 is not more than 4
    text = ledger(entry("2008-12-20", "c1") + entry("2008-12-20", "c2"))
    assert shown(project(text, ids=("c1", "c2", "c3", "c4"))) == []


def test_a_november_round_is_outside_the_window() -> None:
    text = ledger(entry("2008-11-20", "c1") + entry("2008-11-20", "c2") + entry("2008-11-20", "c3"))
    assert shown(project(text)) == []


def test_without_a_schedule_the_timing_rules_are_not_checked() -> None:
    text = ledger(DECEMBER_ROUND, visits="- {date: 2008-12-20}\n")
    source = small_project(**{LEDGER_A: text})
    assert shown(source) == []


def test_a_year_end_window_needs_someone_who_may_consent() -> None:
    schedule = "schedule:\n  year_end: {from: 2008-12-01, to: 2008-12-31}\n"
    source = small_project(**{"content/rubric.yaml": rubric(schedule)})
    line = line_of(rubric(schedule), "year_end:")
    assert shown(source) == [
        f"content/rubric.yaml:{line}:13: error: schedule.year_end needs 'consent_by': who may consent (办事处党政主职)"
    ]


def test_a_visit_with_an_unknown_key_is_a_loading_error() -> None:
    text = ledger(DECEMBER_ROUND, visits="- {date: 2008-12-20, consent: {by: 党工委书记, date: 2008-12-15}, who: x}\n")
    (problem,) = found(project(text))
    assert problem.is_error
    assert "unknown key 'who' in a visit" in problem.message


# --- the assessment window (考核时间定在2009年元月上旬) -----------------------------------


def test_a_review_after_the_assessment_window_is_a_warning_at_its_date() -> None:
    text = ledger(entry("2008-03-12", "c1"), review="{by: 审核人, date: 2009-01-15}")
    # 'review: {by: 审核人, date: ' is 24 characters: the date starts at column 25
    assert shown(project(text)) == [
        f"{LEDGER_A}:3:25: warning: ledger 'a' was reviewed on 2009-01-15, outside the assessment window "
        "(2009-01-01 – 2009-01-10, 考核时间)"
    ]


def test_a_meeting_outside_the_assessment_window_is_a_warning_at_the_meeting() -> None:
    decision = "meeting: 2009-01-20\nminutes: 纪要\nnotice: {number: 通〔2009〕1号, date: 2009-01-21}\n"
    source = project(ledger(entry("2008-03-12", "c1")), **{"content/decision.yaml": decision})
    timing = [d for d in found(source) if "assessment window" in d.message]
    assert [str(d) for d in timing] == [
        "content/decision.yaml:1:10: warning: the 班子会 (2009-01-20) is outside the assessment window "
        "(2009-01-01 – 2009-01-10, 考核时间)"
    ]


def test_reviews_and_meeting_inside_the_window_are_clean() -> None:
    decision = "meeting: 2009-01-09\nminutes: 纪要\nnotice: {number: 通〔2009〕1号, date: 2009-01-10}\n"
    source = project(ledger(entry("2008-03-12", "c1")), **{"content/decision.yaml": decision})
    assert [d for d in found(source) if "assessment window" in d.message] == []


# --- 回避: the reviewer is not the line's own lead --------------------------------------


def test_a_review_by_the_lines_own_lead_is_an_error_at_the_reviewer() -> None:
    files = {
        "content/rubric.yaml": rubric(lead="张明"),
        LEDGER_A: ledger(entry("2008-03-12", "c1"), review="{by: 张明, date: 2009-01-05}"),
    }
    source = small_project(**files)
    # 'review: {by: ' is 13 characters: the name starts at column 14
    assert shown(source) == [
        f"{LEDGER_A}:3:14: error: ledger 'a' is reviewed by its own lead '张明', who recorded its entries "
        "(回避: 考核结果要报请分管副书记审核); the review must be by another person"
    ]


def test_a_review_by_another_person_than_the_lead_is_clean() -> None:
    files = {"content/rubric.yaml": rubric(lead="张明"), LEDGER_A: ledger(entry("2008-03-12", "c1"))}
    assert shown(small_project(**files)) == []


def test_the_sample_year_without_its_consented_visit_warns_only_of_the_labour_lines_round() -> None:
    """The sample's one pile-up: 劳保线 records every community's employment figures on 2008-12-20, a visit
    the sample records with its consent; without that record it is the one timing warning."""
    files = {
        str(path.relative_to(SAMPLE_CONTENT.parent)): path.read_text(encoding="utf-8")
        for path in SAMPLE_CONTENT.rglob("*.yaml")
    }
    assert "schedule:" in files["content/rubric.yaml"] and "visits:" in files["content/ledgers/labor.yaml"]
    as_given = [d for d in found(MemorySource(files)) if YEAR_END_RULE in d.message or "assessment" in d.message]
    assert as_given == []
    labor = files["content/ledgers/labor.yaml"]
    files["content/ledgers/labor.yaml"] = re.sub(r"^visits:.*?(?=^entries:)", "", labor, flags=re.S | re.M)
    files.pop("content/decision.yaml", None)  # its hash no longer matches: not what this test is about
    timing = [d for d in found(MemorySource(files)) if YEAR_END_RULE in d.message or "assessment" in d.message]
    assert [(d.pos.path, d.severity.value) for d in timing] == [("content/ledgers/labor.yaml", "warning")]
    assert "entries for 10 of 10 communities on 2008-12-20" in timing[0].message
