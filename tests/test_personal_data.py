"""`check` warns of mobile numbers and 身份证号 in notes and evidence (kaohe/check/personal_data.py).

Check digits worked by hand (GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the sum mod 11
picks from "10X98765432"):
- 11010519491231002X: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → X (valid).
- 430702198001010014: 28+27+0+35+0+8+2+9+48+0+0+9+0+5+0+0+2 = 173; 173 mod 11 = 8 → 4 (valid).
- 430702198013010011: the same but month 13: 198 mod 11 = 0 → 1, a right check digit on no real day.
"""

from __future__ import annotations

from datetime import date

import pytest
from support import small_project

from kaohe.check.personal_data import (
    INTERNAL,
    OBJECTION,
    PUBLISHED,
    id_check_char,
    is_id_number,
    mask,
    personal_numbers,
)
from kaohe.pipeline import run

LATEST = date(2008, 12, 31)
LEDGER_A = "content/ledgers/a.yaml"


def kinds(text: str) -> list[str]:
    return [kind for kind, _ in personal_numbers(text, LATEST)]


@pytest.mark.parametrize(
    ("first17", "check"),
    [("11010519491231002", "X"), ("43070219800101001", "4"), ("43070219801301001", "1")],
)
def test_the_check_character_is_the_hand_worked_one(first17: str, check: str) -> None:
    assert id_check_char(first17) == check


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("户主身份证11010519491231002X已核", ["id"]),
        ("身份证号11010519491231002x", ["id"]),  # a lowercase x is the same check character
        ("430702198001010014", ["id"]),
        ("110105194912310021", []),  # wrong check digit (X expected)
        ("430702198001010015", []),  # wrong check digit (4 expected)
        ("430702198013010011", []),  # right check digit, but month 13
        ("430702189901010017", []),  # born 1899: not plausible (and the check digit does not matter)
        ("4307021980010100141", []),  # 19 digits: part of a longer run
        ("联系电话13812345678", ["mobile"]),
        ("电话：139-1234-5678。", ["mobile"]),
        ("电话 150 1234 5678", ["mobile"]),
        ("213812345678", []),  # 12 digits: not a mobile number
        ("12812345678", []),  # 12x is no mobile prefix
        ("1381234567", []),  # 10 digits
        ("138-12345678", []),  # a 3-8 split is not how a mobile number is written
        ("到位资金150万元，合同号2008120301", []),
    ],
)
def test_what_counts_as_a_mobile_number_or_an_id_number(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


def test_a_birth_date_after_the_period_is_not_plausible() -> None:
    assert is_id_number("430702198001010014", LATEST)
    assert not is_id_number("430702198001010014", date(1979, 12, 31))


def test_the_message_masks_the_number() -> None:
    assert mask("13812345678") == "138****5678"
    assert mask("139-1234-5678") == "139****5678"
    assert mask("11010519491231002X") == "110105********002X"


def test_check_warns_at_the_note_and_the_evidence() -> None:
    entries = """\
    - date: 2008-03-12
      community: c1
      rule: work.rules.each
      note: 户主王某（身份证11010519491231002X）未登记
      evidence: 联系人电话13812345678
    - date: 2008-03-13
      community: c2
      rule: work.rules.each
      note: 档案编号110105194912310021
    """
    problems = [d for d in run(small_project(entries)).diagnostics]
    # ledger_yaml: line 5 is the first entry's '- date:', so the note is line 8 and the evidence line 9;
    # '    note: ' and '    evidence: ' are 10 and 14 characters: the texts start at columns 11 and 15
    assert [str(d) for d in problems] == [
        f"{LEDGER_A}:8:11: warning: the note holds what looks like a 身份证号 (ID card number), 110105********002X: "
        f"{PUBLISHED}",
        f"{LEDGER_A}:9:15: warning: the evidence holds what looks like a mobile number (手机号), 138****5678: "
        f"{PUBLISHED}",
    ]
    assert not any(d.is_error for d in problems)  # warnings: the results still build


def test_an_internal_entry_is_warned_with_what_internal_does_and_does_not_do() -> None:
    entries = "- {date: 2008-03-12, community: c1, rule: work.rules.each, note: 电话13812345678, internal: true}"
    (warned,) = [d for d in run(small_project(entries)).diagnostics if "手机号" in d.message]
    assert warned.message.endswith(INTERNAL) and "internal: true" not in warned.message  # already marked


def test_a_mobile_number_in_an_objection_is_warned_at_it_as_published() -> None:
    publicity = (
        "from: 2009-01-05\n"
        "working_days: 5\n"
        "objections:\n"
        "  - id: first\n"
        "    by: 李某某\n"
        "    community: c1\n"
        "    received: 2009-01-06\n"
        "    says: 请回电15912345678\n"
    )
    source = small_project(**{"content/publicity.yaml": publicity})
    found = [str(d) for d in run(source).diagnostics if "手机号" in d.message]
    # line 8 is '    says: …': 10 characters before the text, so it starts at column 11
    assert found == [
        "content/publicity.yaml:8:11: warning: the objection holds what looks like a mobile number (手机号), "
        f"159****5678: {OBJECTION}"
    ]
