"""Each validation check of ``kaohe.check.CHECKS`` on a project that is valid except for one problem.

Every case asserts the whole list of diagnostics the pipeline prints
(``path:line:col: severity: message``), and that the named check is the one that
finds them. Columns are counted by hand in the comments (1-based; a Chinese
character is one column). ``test_every_check_has_a_test`` fails when a check is
added to ``CHECKS`` without a test here.

Line numbers in SMALL_RUBRIC (tests/support.py): 5–6 the lines a, b; 8–9 the awards;
10 measures; 12 'work'; 21–23 the rules of work.rules; 32 money's line; 33 bonus_allowed;
40 the targets of money.invest; 41 zero_below; 42 bonus; 47 money.extra.plus; 52 veto_allowed;
58 safe.accident.death. Ledgers from ``ledger_yaml``: line 1 ``line:``, 2 ``year:``,
3 ``review:``, 4 ``entries:``, 5 the first entry.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import SMALL_RUBRIC, MemorySource, communities_yaml, ledger_yaml, small_project

from kaohe.check import CHECKS
from kaohe.check.personal_data import PUBLISHED
from kaohe.pipeline import run

BY_NAME = {check.__name__: check for check in CHECKS}
RUBRIC = "content/rubric.yaml"
COMMUNITIES = "content/communities.yaml"
LEDGER_A = "content/ledgers/a.yaml"
LEDGER_B = "content/ledgers/b.yaml"


def edited(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (line numbers kept when ``new`` has no newline)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def rubric_with(old: str, new: str) -> MemorySource:
    return small_project(**{RUBRIC: edited(SMALL_RUBRIC, old, new)})


def assert_found(check_name: str, source: MemorySource, *expected: str, loader: tuple[str, ...] = ()) -> None:
    """The pipeline prints exactly ``expected``; the check named finds all of it except the ``loader`` lines."""
    outcome = run(source)
    assert [str(d) for d in outcome.diagnostics] == list(expected)
    assert outcome.content is not None
    own = {str(d) for d in BY_NAME[check_name](outcome.content)}
    assert own == set(expected) - set(loader)


def test_the_base_project_is_valid() -> None:
    assert [str(d) for d in run(small_project()).diagnostics] == []


# --- the rubric -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # work.rules 2 → 3: the children of 'work' add up to 3 + 58 = 61; 'work' is the mapping at 12:5
        (
            "        points: 2\n",
            "        points: 3\n",
            "content/rubric.yaml:12:5: error: the points of 'work' children add up to 61, not 60",
        ),
        # money 30 → 35 and invest 20 → 25 (money's children add up: 25 + 10 = 35); the categories
        # 60 + 35 + 10 = 105, reported at the first category 12:5
        (
            "    points: 30\n    line: b\n    bonus_allowed: true\n    children:\n      - id: invest\n"
            "        name: 招商引资\n        points: 20\n",
            "    points: 35\n    line: b\n    bonus_allowed: true\n    children:\n      - id: invest\n"
            "        name: 招商引资\n        points: 25\n",
            "content/rubric.yaml:12:5: error: the categories' points add up to 105, not 100",
        ),
    ],
    ids=["children", "categories"],
)
def test_check_points_add_up(old: str, new: str, expected: str) -> None:
    assert_found("check_points_add_up", rubric_with(old, new), expected)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # the rule 'judge' (22:13, the flow mapping after "          - ") renamed 'each' like the one at line 21
        (
            "{id: judge,",
            "{id: each,",
            "content/rubric.yaml:22:13: error: duplicate rule id 'each' in 'work.rules' (first at line 21)",
        ),
        # the award at 9:5 renamed like the one at line 8
        (
            "{name: 先进,",
            "{name: 红旗,",
            "content/rubric.yaml:9:5: error: duplicate award name '红旗' (first at line 8)",
        ),
    ],
    ids=["rule", "award"],
)
def test_check_unique_ids(old: str, new: str, expected: str) -> None:
    assert_found("check_unique_ids", rubric_with(old, new), expected)


def test_check_unique_ids_of_lines() -> None:
    # the line at 6:5 takes the id of the line at 5; nothing else names line b any more (money and safe are
    # scored by a, the communities name staff of a only, there is no ledger b.yaml)
    rubric = edited(SMALL_RUBRIC, "  - {id: b, name: 乙线}\n", "  - {id: a, name: 乙线}\n").replace(
        "    line: b\n", "    line: a\n"
    )
    communities = "communities:\n" + "".join(
        f"  - {{id: {c}, name: {c}社区, secretary: 书记{c}, staff: {{a: 甲{c}}}}}\n" for c in ("c1", "c2", "c3")
    )
    source = small_project(**{RUBRIC: rubric, COMMUNITIES: communities})
    del source.files[LEDGER_B]
    assert_found("check_unique_ids", source, "content/rubric.yaml:6:5: error: duplicate line id 'a' (first at line 5)")


def test_check_lines_known() -> None:
    # "    line: bb" on 'money' (line 32): the value starts after 4 spaces and "line: " (6), at column 11
    assert_found(
        "check_lines_known",
        rubric_with("    line: b\n    bonus_allowed: true\n", "    line: bb\n    bonus_allowed: true\n"),
        "content/rubric.yaml:32:11: error: unknown line 'bb' on 'money' (did you mean 'b'?)",
    )


def test_check_veto_and_bonus_placement_for_a_veto() -> None:
    # line 58: 10 spaces, "- " (11–12), "{" (13), "id: death, " (14–24), "text: " (25–30),
    # 死亡事故一票否决 (31–38), ", " (39–40), "veto: " (41–46): the value 'true' at column 47
    assert_found(
        "check_veto_and_bonus_placement",
        rubric_with("    veto_allowed: true\n", "    veto_allowed: false\n"),
        "content/rubric.yaml:58:47: error: veto rule 'safe.accident.death' is outside a veto_allowed subtree",
    )


def test_check_veto_and_bonus_placement_for_bonuses() -> None:
    # line 42: 8 spaces, "bonus: " (9–15): the mapping at column 16
    # line 47: "{" (13), "id: plus, " (14–23), "text: " (24–29), 每项加0.5分 (30–36), ", " (37–38),
    # "add: " (39–43): the value at column 44
    assert_found(
        "check_veto_and_bonus_placement",
        rubric_with("    bonus_allowed: true\n", "    bonus_allowed: false\n"),
        "content/rubric.yaml:42:16: error: 'money.invest' has a bonus outside a bonus_allowed subtree"
        " (其他各线一律不设加分因素)",
        "content/rubric.yaml:47:44: error: bonus rule 'money.extra.plus' is outside a bonus_allowed subtree",
    )


def test_check_ratio_settings() -> None:
    # line 41: 8 spaces, "zero_below: " (9–20): the value at column 21
    assert_found(
        "check_ratio_settings",
        rubric_with("zero_below: 0.5", "zero_below: 1.5"),
        "content/rubric.yaml:41:21: error: zero_below of 'money.invest' is a fraction of the target, at most 1",
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # line 9: "{" (5), "name: " (6–11), 先进 (12–13), ", " (14–15), "from_rank: " (16–26), "3" (27),
        # ", " (28–29), "to_rank: " (30–38): to_rank's value at column 39
        (
            "from_rank: 2, to_rank: 3",
            "from_rank: 3, to_rank: 2",
            "content/rubric.yaml:9:39: error: award '先进' runs from rank 3 to 2",
        ),
        # no measures: reported at the top of the rubric
        (
            "measures: [警示谈话, 诫勉, 降职降级]",
            "measures: []",
            "content/rubric.yaml:1:1: error: 'measures' must name at least one measure (警示谈话, 诫勉, 降职降级)",
        ),
    ],
    ids=["award-ranks", "no-measures"],
)
def test_check_awards_and_measures(old: str, new: str, expected: str) -> None:
    assert_found("check_awards_and_measures", rubric_with(old, new), expected)


def test_check_period() -> None:
    assert_found(
        "check_period",
        rubric_with("period: {from: 2008-01-01, to: 2008-12-31}", "period: {from: 2008-12-31, to: 2008-01-01}"),
        "content/rubric.yaml:1:1: error: the period ends (2008-01-01) before it starts (2008-12-31)",
    )


# --- communities ------------------------------------------------------------------------


def test_check_communities_unknown_staff_line() -> None:
    # line 2: "  - " (1–4), "{" (5), "id: c1, " (6–13), "name: " (14–19), c1社区 (20–23), ", " (24–25),
    # "secretary: " (26–36), 书记c1 (37–40), ", " (41–42), "staff: " (43–49): the staff mapping at column 50
    communities = edited(communities_yaml("c1", "c2", "c3"), "b: 乙c1", "z: 乙c1")
    assert_found(
        "check_communities",
        small_project(**{COMMUNITIES: communities}),
        "content/communities.yaml:2:50: error: staff of unknown line 'z' in 'c1' (valid: a, b)",
    )


def test_check_communities_duplicate_id() -> None:
    # communities c1, c2, c1: the third row (line 4) repeats the first (line 2)
    assert_found(
        "check_communities",
        small_project(ids=("c1", "c2", "c1")),
        "content/communities.yaml:4:5: error: duplicate community id 'c1' (first at line 2)",
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # line 40: 8 spaces, "targets: " (9–17): the mapping at column 18; 'c9' is close to no id (valid ones listed)
        (
            "targets: {default: 100, c2: 200}",
            "targets: {default: 100, c2: 200, c9: 50}",
            "content/rubric.yaml:40:18: error: target for unknown community 'c9' in 'money.invest' (valid: c1, c2, c3)",
        ),
        # no default: c1 and c3 have no target
        (
            "targets: {default: 100, c2: 200}",
            "targets: {c2: 200}",
            "content/rubric.yaml:40:18: error: 'money.invest' has no target for c1, c3 (add 'default')",
        ),
    ],
    ids=["unknown", "missing"],
)
def test_check_ratio_targets(old: str, new: str, expected: str) -> None:
    assert_found("check_ratio_targets", rubric_with(old, new), expected)


# --- ledgers ----------------------------------------------------------------------------


def test_check_ledger_files_name_must_be_the_line() -> None:
    # b.yaml says "line: a": the value at 1:7 (after "line: ")
    source = small_project(**{LEDGER_B: ledger_yaml("a", "")})
    assert_found(
        "check_ledger_files",
        source,
        "content/ledgers/b.yaml:1:7: error: ledger file b.yaml says line 'a'; the file name must be the line id",
    )


def test_check_ledger_files_unknown_line() -> None:
    source = small_project(**{"content/ledgers/z.yaml": ledger_yaml("z", "")})
    assert_found(
        "check_ledger_files",
        source,
        "content/ledgers/z.yaml:1:7: error: unknown line 'z' (valid: a, b)",
    )


def test_check_ledger_files_wrong_year() -> None:
    source = small_project(**{LEDGER_A: ledger_yaml("a", "").replace("year: 2008", "year: 2007")})
    assert_found(
        "check_ledger_files",
        source,
        "content/ledgers/a.yaml:2:7: error: ledger year 2007 is not the rubric's year 2008",
    )


def test_check_ledger_files_unreviewed_and_missing_ledgers_are_warnings() -> None:
    source = small_project(**{LEDGER_A: ledger_yaml("a", "", review=False)})
    del source.files[LEDGER_B]
    # line b is the rubric's line at 6:5
    assert_found(
        "check_ledger_files",
        source,
        "content/ledgers/a.yaml:1:7: warning: ledger 'a' is not yet reviewed (审核): results stay draft",
        "content/rubric.yaml:6:5: warning: line 'b' has no ledger content/ledgers/b.yaml",
    )


# Columns of an entry "  - {date: 2008-03-01, community: c1, rule: X, ...}": "{" 5, date's value 12,
# community's value 35, the value of 'rule' 45 (after "rule: " at 39–44), of 'indicator' 50 (after
# "indicator: " at 39–49). A value after X starts at 45 + len(X) + 2 + len(key) + 2.
ENTRY_CASES = [
    # (ledger line, the entry's fields after "date, community, ", the expected message)
    ("a", "community: c9, rule: work.rules.each, note: x", "5:35: error: unknown community 'c9' (valid: c1, c2, c3)"),
    (  # a community's name where its id belongs
        "a",
        "community: c2社区, rule: work.rules.each, note: x",
        "5:35: error: unknown community 'c2社区' (write its id: community: c2)",
    ),
    (
        "a",
        "community: c1, rule: work.rules.eech, note: x",
        "5:45: error: unknown rule 'work.rules.eech' (did you mean 'work.rules.each'?)",
    ),
    (
        "a",
        "community: c1, rule: work.rules, note: x",
        "5:45: error: unknown rule 'work.rules' (an indicator, not a rule: cite one of its rules,"
        " or use 'indicator:' for an amount)",
    ),
    (
        "a",
        "community: c1, rule: safe.accident.minor, note: x",
        "5:45: error: 'safe.accident.minor' is scored by line 'b' (乙线), not by this ledger's line 'a'",
    ),
    # work.rules.each is 15 columns (45–59), ", " 60–61, "deduct: " 62–69: the value at 70
    (
        "a",
        "community: c1, rule: work.rules.each, deduct: 0.5, note: x",
        "5:70: error: 'deduct' on 'work.rules.each', which is not discretionary (酌情扣分); use 'count'",
    ),
    # "amount: " is 8 columns like "deduct: ": the value at 70
    (
        "a",
        "community: c1, rule: work.rules.each, amount: 5, note: x",
        "5:70: error: 'amount' on 'work.rules', which is not scored by completion ratio (method: ratio)",
    ),
    (
        "a",
        "community: c1, rule: work.rules.judge, note: x",
        "5:5: error: discretionary rule 'work.rules.judge' needs 'deduct' (the points taken)",
    ),
    (
        "a",
        "community: c1, rule: work.rules.judge, deduct: 0.5",
        "5:5: error: rule 'work.rules.judge' needs a 'note' saying why",
    ),
    # a blank note is no note: said where the entry starts, as when it is left out
    (
        "a",
        'community: c1, rule: work.rules.judge, deduct: 0.5, note: "　 "',
        "5:5: error: rule 'work.rules.judge' needs a 'note' saying why",
    ),
    (
        "a",
        'community: c1, rule: work.rules.judge, deduct: 0.5, note: ""',
        "5:5: error: rule 'work.rules.judge' needs a 'note' saying why",
    ),
    # work.rules.judge is 16 columns (45–60), ", " 61–62, "deduct: " 63–70: the value at 71
    (
        "a",
        "community: c1, rule: work.rules.judge, deduct: 5, note: x",
        "5:71: error: deduct 5 is more than the 2 points of 'work.rules'",
    ),
    # work.rules.none 45–59, ", " 60–61, "count: " 62–68: the value at 69
    (
        "a",
        "community: c1, rule: work.rules.none, count: 2, note: x",
        "5:69: error: 'count' on 'work.rules.none', which is not counted per occurrence",
    ),
    (
        "b",
        "community: c1, indicator: money.investt, amount: 5, note: x",
        "5:50: error: unknown indicator 'money.investt' (did you mean 'money.invest'?)",
    ),
    # money.extra 50–60, ", " 61–62, "amount: " 63–70: the value at 71
    (
        "b",
        "community: c1, indicator: money.extra, amount: 5, note: x",
        "5:71: error: 'amount' on 'money.extra', which is not scored by completion ratio (method: ratio)",
    ),
    (
        "b",
        "community: c1, indicator: money.invest, note: x",
        "5:5: error: an entry on ratio indicator 'money.invest' needs 'amount' (万元)",
    ),
    # money.invest 50–61, ", " 62–63, "amount: " 64–71, "5" 72, ", " 73–74, "count: " 75–81: the value at 82
    (
        "b",
        "community: c1, indicator: money.invest, amount: 5, count: 2, note: x",
        "5:82: error: 'count' does not apply to ratio indicator 'money.invest': give 'amount'",
    ),
    (
        "b",
        "community: c1, indicator: money.invest, amount: 5",
        "5:5: error: an amount needs a 'note' (the project, the payment)",
    ),
    (
        "a",
        "community: c1, indicator: money.invest, amount: 5, note: x",
        "5:50: error: 'money.invest' is scored by line 'b' (乙线), not by this ledger's line 'a'",
    ),
]


@pytest.mark.parametrize(("line", "fields", "expected"), ENTRY_CASES, ids=[c[2].split(": ", 2)[2] for c in ENTRY_CASES])
def test_check_entries(line: str, fields: str, expected: str) -> None:
    entry = f"- {{date: 2008-03-01, {fields}}}"
    source = small_project(**{f"content/ledgers/{line}.yaml": ledger_yaml(line, entry)})
    assert_found("check_entries", source, f"content/ledgers/{line}.yaml:{expected}")


def test_check_entries_date_outside_the_period() -> None:
    source = small_project("- {date: 2009-01-05, community: c1, rule: work.rules.each, note: x}")
    assert_found(
        "check_entries",
        source,
        "content/ledgers/a.yaml:5:12: error: date 2009-01-05 is outside the period 2008-01-01 – 2008-12-31",
    )


def test_check_duplicate_entries() -> None:
    entry = "- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 两项}\n"
    # the second copy, on line 6, is the one named
    assert_found(
        "check_duplicate_entries",
        small_project(entry + entry),
        "content/ledgers/a.yaml:6:5: warning: likely duplicate: an entry with the same date, community,"
        " rule, value and note comes earlier",
    )


# --- history and decision ---------------------------------------------------------------


def history(year: int, *rows: str) -> str:
    return f"year: {year}\ncommunities:\n" + "".join(f"  - {row}\n" for row in rows)


ROW = "{id: c1, total: '90.00', rank: 1, secretary: 书记c1, categories: {work: {score: '50.00', rank: 1, staff: 甲c1}}}"


def test_check_history_year_after_the_rubric() -> None:
    source = small_project(**{"content/history/2009.yaml": history(2009, ROW)})
    assert_found(
        "check_history",
        source,
        "content/history/2009.yaml:1:7: error: history year 2009 is after the rubric's year 2008",
    )


def test_check_history_one_year_in_two_files() -> None:
    # 2007.yaml holds 2006 (the loader's error, at the value 1:7); the check names both files at their top, 1:1
    source = small_project(
        **{"content/history/2006.yaml": history(2006, ROW), "content/history/2007.yaml": history(2006, ROW)}
    )
    loader = "content/history/2007.yaml:1:7: error: history file 2007.yaml holds year 2006"
    assert_found(
        "check_history",
        source,
        "content/history/2006.yaml:1:1: error: year 2006 appears in more than one history file",
        "content/history/2007.yaml:1:1: error: year 2006 appears in more than one history file",
        loader,
        loader=(loader,),
    )


def test_check_history_duplicate_community() -> None:
    source = small_project(**{"content/history/2007.yaml": history(2007, ROW, ROW.replace("rank: 1", "rank: 2"))})
    assert_found(
        "check_history",
        source,
        "content/history/2007.yaml:4:5: error: duplicate community 'c1' in history 2007 (first at line 3)",
    )


def test_check_history_unknown_category_is_a_warning() -> None:
    # line 3: "  - " (1–4), "{" (5), "id: c1, " (6–13), "total: " (14–20), '90.00' (21–27), ", " (28–29),
    # "rank: " (30–35), "1" (36), ", " (37–38), "secretary: " (39–49), 书记c1 (50–53), ", " (54–55),
    # "categories: " (56–67): the mapping at column 68
    row = ROW.replace("{work:", "{wrk:")
    assert_found(
        "check_history",
        small_project(**{"content/history/2007.yaml": history(2007, row)}),
        "content/history/2007.yaml:3:68: warning: category 'wrk' of 2007 is not in this year's rubric"
        " (did you mean 'work'?)",
    )


def decision(exemption: str) -> str:
    return (
        "meeting: 2009-01-09\nminutes: 纪要\nnotice: {number: 常武北委通〔2009〕1号, date: 2009-01-10}\n"
        f"exemptions:\n  - {exemption}\n"
    )


def test_check_decision_unknown_community() -> None:
    # line 5: "  - " (1–4), "{" (5), "community: " (6–16): the value at column 17
    source = small_project(**{"content/decision.yaml": decision("{community: c9, person: 书记c9, reason: 拆迁}")})
    assert_found(
        "check_decision",
        source,
        "content/decision.yaml:5:17: error: exemption for unknown community 'c9' (valid: c1, c2, c3)",
    )


def test_check_decision_exemption_without_a_reason() -> None:
    source = small_project(**{"content/decision.yaml": decision("{community: c3, person: 书记c3, reason: '  '}")})
    assert_found(
        "check_decision",
        source,
        "content/decision.yaml:5:5: error: an exemption needs a 'reason' (如无特殊原因: the special reason)",
    )


# --- the 公示 (content/publicity.yaml) ------------------------------------------------------

ENTRY_C1 = "- {date: 2008-12-20, community: c1, rule: work.rules.each}"


def publicity(entry: str = "a/2008-12-20/c1/work.rules.each", received: str = "2009-01-06") -> str:
    """A 公示 from Mon 2009-01-05, 5 working days (to Fri 01-09), with one objection decided; line 7 its entry."""
    return (
        "from: 2009-01-05\nworking_days: 5\nobjections:\n  - id: x\n    by: 张某\n    community: c1\n"
        f"    entry: {entry}\n    received: {received}\n    says: 不应扣分\n"
        "    review: {upheld: false, reason: 有据, date: 2009-01-12, by: 复核组}\n"
    )


def test_check_publicity_entry_reference_names_no_entry() -> None:
    # line 7: "    entry: " is 11 columns, the reference at column 12
    source = small_project(ENTRY_C1, **{"content/publicity.yaml": publicity(entry="a/2008-12-21/c1/work.rules.each")})
    assert_found(
        "check_publicity",
        source,
        "content/publicity.yaml:7:12: error: objection 'x': no entry 'a/2008-12-21/c1/work.rules.each' "
        "(did you mean 'a/2008-12-20/c1/work.rules.each'?)",
    )


def test_check_publicity_late_objection_is_a_warning() -> None:
    # line 8: "    received: " is 14 columns; Mon 2009-01-12 is after the last day, Fri 01-09
    source = small_project(ENTRY_C1, **{"content/publicity.yaml": publicity(received="2009-01-12")})
    assert_found(
        "check_publicity",
        source,
        "content/publicity.yaml:8:15: warning: objection 'x' is late: received on 2009-01-12, "
        "after the 公示 ended (2009-01-09); it is kept on record and shown",
    )


# --- the seed's timing rules (kaohe/check/timing.py) and personal data ---------------------

RUBRIC_END = SMALL_RUBRIC.count("\n") + 1  # a line appended to SMALL_RUBRIC
YEAR_END = "schedule: {year_end: {from: 2008-12-01, to: 2008-12-31}, consent_by: [党工委书记]}\n"
C1_DEC_20 = "{date: 2008-12-20, community: c1, rule: work.rules.each}"


def test_check_schedule_year_end_needs_consent_by() -> None:
    # "schedule: {" is 11 columns and "year_end: " 10 more: the window at column 22
    schedule = "schedule: {year_end: {from: 2008-12-01, to: 2008-12-31}}\n"
    assert_found(
        "check_schedule",
        small_project(**{RUBRIC: SMALL_RUBRIC + schedule}),
        f"{RUBRIC}:{RUBRIC_END}:22: error: schedule.year_end needs 'consent_by': who may consent (办事处党政主职)",
    )


def test_check_year_end_visits_without_consent() -> None:
    # line 5: "  - " (1–4), the visit's mapping at column 5
    text = f"line: a\nyear: 2008\nreview: {{by: 审核人, date: 2009-01-05}}\nvisits:\n  - {{date: 2008-12-20}}\nentries:\n  - {C1_DEC_20}\n"
    assert_found(
        "check_year_end_visits",
        small_project(**{RUBRIC: SMALL_RUBRIC + YEAR_END, LEDGER_A: text}),
        f"{LEDGER_A}:5:5: error: the visit to the communities on 2008-12-20 (1 entry) falls in the year-end window "
        "(2008-12-01 – 2008-12-31) and records no consent (未经办事处党政主职同意，各线年底一律不能到社区进行考核): "
        "add 'consent: {by: …, date: …}' by one of 党工委书记",
    )


def test_check_year_end_pile_up_names_the_day() -> None:
    # c1 and c2 of three communities on 2008-12-20 (2 × 2 > 3); the first of them is entry 1, line 5, column 5
    entries = f"- {C1_DEC_20}\n- {{date: 2008-12-20, community: c2, rule: work.rules.each}}"
    assert_found(
        "check_year_end_pile_up",
        small_project(entries, **{RUBRIC: SMALL_RUBRIC + YEAR_END}),
        f"{LEDGER_A}:5:5: warning: ledger 'a' has entries for 2 of 3 communities on 2008-12-20, in the year-end "
        "window (2008-12-01 – 2008-12-31), with no visit recorded: ledgers come from daily work "
        "(未经办事处党政主职同意，各线年底一律不能到社区进行考核); if the line went to the communities, "
        "record the visit under 'visits:' with its consent",
    )


def test_check_assessment_window_review_after_it() -> None:
    # both ledgers are reviewed on 2009-01-05 (line 3; "review: {by: 审核人, date: " is 24 columns)
    schedule = "schedule: {assessment: {from: 2009-01-01, to: 2009-01-04}}\n"
    outside = "was reviewed on 2009-01-05, outside the assessment window (2009-01-01 – 2009-01-04, 考核时间)"
    assert_found(
        "check_assessment_window",
        small_project(**{RUBRIC: SMALL_RUBRIC + schedule}),
        f"{LEDGER_A}:3:25: warning: ledger 'a' {outside}",
        f"{LEDGER_B}:3:25: warning: ledger 'b' {outside}",
    )


def test_check_reviewer_not_lead() -> None:
    # line 3: "review: {by: " is 13 columns, the reviewer at column 14
    rubric = edited(SMALL_RUBRIC, "{id: a, name: 甲线}", "{id: a, name: 甲线, lead: 审核人}")
    assert_found(
        "check_reviewer_not_lead",
        small_project(**{RUBRIC: rubric}),
        f"{LEDGER_A}:3:14: error: ledger 'a' is reviewed by its own lead '审核人', who recorded its entries "
        "(回避: 考核结果要报请分管副书记审核); the review must be by another person",
    )


def test_check_personal_data_mobile_number_in_a_note() -> None:
    # line 5: "  - {" (1–5), "date: 2008-03-12, " (6–23), "community: c1, " (24–38),
    # "rule: work.rules.each, " (39–61), "note: " (62–67): the note at column 68
    entries = "- {date: 2008-03-12, community: c1, rule: work.rules.each, note: 电话13812345678}"
    assert_found(
        "check_personal_data",
        small_project(entries),
        f"{LEDGER_A}:5:68: warning: the note holds what looks like a mobile number (手机号), 138****5678: {PUBLISHED}",
    )


# --- every check has its test -----------------------------------------------------------

TESTS_BY_CHECK: dict[str, tuple[Callable[..., None], ...]] = {
    "check_points_add_up": (test_check_points_add_up,),
    "check_unique_ids": (test_check_unique_ids, test_check_unique_ids_of_lines),
    "check_lines_known": (test_check_lines_known,),
    "check_veto_and_bonus_placement": (
        test_check_veto_and_bonus_placement_for_a_veto,
        test_check_veto_and_bonus_placement_for_bonuses,
    ),
    "check_ratio_settings": (test_check_ratio_settings,),
    "check_awards_and_measures": (test_check_awards_and_measures,),
    "check_period": (test_check_period,),
    "check_communities": (test_check_communities_unknown_staff_line, test_check_communities_duplicate_id),
    "check_ratio_targets": (test_check_ratio_targets,),
    "check_ledger_files": (
        test_check_ledger_files_name_must_be_the_line,
        test_check_ledger_files_unknown_line,
        test_check_ledger_files_wrong_year,
        test_check_ledger_files_unreviewed_and_missing_ledgers_are_warnings,
    ),
    "check_entries": (test_check_entries, test_check_entries_date_outside_the_period),
    "check_duplicate_entries": (test_check_duplicate_entries,),
    "check_history": (
        test_check_history_year_after_the_rubric,
        test_check_history_one_year_in_two_files,
        test_check_history_duplicate_community,
        test_check_history_unknown_category_is_a_warning,
    ),
    "check_decision": (test_check_decision_unknown_community, test_check_decision_exemption_without_a_reason),
    "check_publicity": (
        test_check_publicity_entry_reference_names_no_entry,
        test_check_publicity_late_objection_is_a_warning,
    ),
    "check_schedule": (test_check_schedule_year_end_needs_consent_by,),
    "check_year_end_visits": (test_check_year_end_visits_without_consent,),
    "check_year_end_pile_up": (test_check_year_end_pile_up_names_the_day,),
    "check_assessment_window": (test_check_assessment_window_review_after_it,),
    "check_reviewer_not_lead": (test_check_reviewer_not_lead,),
    "check_personal_data": (test_check_personal_data_mobile_number_in_a_note,),
}


def test_every_check_has_a_test() -> None:
    names = [check.__name__ for check in CHECKS]
    assert len(set(names)) == len(names), "two checks share a name"
    assert sorted(TESTS_BY_CHECK) == sorted(names), "a check in CHECKS without a test here, or a test of a gone check"
    for name, tests in TESTS_BY_CHECK.items():
        for test in tests:
            assert test.__name__.startswith(f"test_{name}"), (name, test.__name__)
            assert globals().get(test.__name__) is test, f"{test.__name__} is not a test of this module"
