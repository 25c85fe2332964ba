"""The 公示: its last day on the official calendar, the stage of the results, finality and results.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support import (
    OBJECTION,
    MemorySource,
    messages,
    results_of,
    run_cli,
    run_ok,
    small_project,
    with_decision,
    write_project,
)

from kaohe.actions.diff.markdown import file_kind
from kaohe.actions.diff.report import FileChange, other_file_changes
from kaohe.pipeline import run
from kaohe.render import vocab
from kaohe.scoring.delta import ADDED, CHANGED
from kaohe.scoring.finality import DraftReason
from kaohe.scoring.publicity import Stage
from kaohe.scoring.results import results_json_bytes, sha256_of
from kaohe.workdays import CalendarGap, last_day

ENTRY_A = "- {date: 2008-12-20, community: c1, rule: work.rules.each, note: 年底检查}"
PUBLICITY = """\
from: 2009-01-05
working_days: 5
place: 街道党政办公室
phone: 0519-88000000
"""
REVIEW = """\
    review: {upheld: false, reason: 整改在检查之后，扣分有据。, date: 2009-01-12, by: 复核组}
"""
# 2009-01-05 (Mon) … 01-09 (Fri): five working days, no holiday that week; the 公示 ends on the 9th.
DECISION = """\
meeting: 2009-01-13
minutes: 党工委会议纪要〔2009〕1号
results_sha256: {digest}
notice: {{number: 街通〔2009〕1号, date: 2009-01-14}}
"""


# --- the official calendar ----------------------------------------------------------------


def test_a_publicity_from_22_january_2009_runs_over_the_spring_festival_to_2_february() -> None:
    # 国办发明电〔2008〕49号: 春节 1月25日至31日放假调休, 1月24日(星期六)、2月1日(星期日)上班.
    # Working days from Thu 01-22: 22 (1), 23 Fri (2), 24 Sat worked in exchange (3),
    # 25–31 holiday, 02-01 Sun worked in exchange (4), 02-02 Mon (5).
    end = last_day(date(2009, 1, 22), 5)
    assert end == date(2009, 2, 2)
    assert date(2009, 1, 29) < end  # not over on 29 January


def test_a_publicity_across_national_day_2009_counts_the_exchanged_saturday() -> None:
    # 国庆、中秋 2009: 10月1日至8日放假调休, 9月27日(星期日)、10月10日(星期六)上班.
    # From Mon 09-28: 28 (1), 29 (2), 30 (3), 10-01…08 holiday, 10-09 Fri (4), 10-10 Sat worked (5).
    assert last_day(date(2009, 9, 28), 5) == date(2009, 10, 10)


def test_an_exchanged_sunday_is_a_working_day_and_counts_as_the_first() -> None:
    # 2009-09-27 is a Sunday worked in exchange: day 1; then Mon 28, Tue 29, Wed 30 (4), holiday to 10-08, Fri 10-09 (5).
    assert last_day(date(2009, 9, 27), 1) == date(2009, 9, 27)
    assert last_day(date(2009, 9, 27), 5) == date(2009, 10, 9)


def test_an_ordinary_weekend_is_not_counted() -> None:
    # Fri 2009-03-06 (1), Sat/Sun skipped, Mon 03-09 (2).
    assert last_day(date(2009, 3, 6), 2) == date(2009, 3, 9)


def test_a_year_the_calendar_does_not_cover_is_a_calendar_gap() -> None:
    with pytest.raises(CalendarGap) as gap:
        last_day(date(2003, 1, 6), 5)
    assert gap.value.year == 2003


def test_a_year_the_calendar_does_not_cover_is_a_positioned_error_not_a_traceback() -> None:
    source = small_project(ENTRY_A, **{"content/publicity.yaml": "from: 2003-01-06\nworking_days: 5\n"})
    outcome = run(source)
    errors = [m for m in messages(outcome.diagnostics) if ": error: " in m]
    assert len(errors) == 1
    assert errors[0].startswith("content/publicity.yaml:1:7: error: the official calendar of working days")
    assert "does not cover 2003" in errors[0]


def test_a_publicity_starting_on_a_holiday_is_a_warning() -> None:
    source = small_project(ENTRY_A, **{"content/publicity.yaml": "from: 2009-01-25\nworking_days: 5\n"})
    found = messages(run_ok(source).diagnostics)
    assert "content/publicity.yaml:1:7: warning: the 公示 starts on 2009-01-25, not a working day" in "\n".join(found)


def test_working_days_must_be_a_positive_whole_number() -> None:
    source = small_project(ENTRY_A, **{"content/publicity.yaml": "from: 2009-01-05\nworking_days: 0\n"})
    assert any("working_days" in m and ": error: " in m for m in messages(run(source).diagnostics))


# --- the stage ----------------------------------------------------------------------------


def approved(publicity: str) -> MemorySource:
    """The small year with a 公示 and a decision recording the hash of its own results."""
    return with_decision(small_project(ENTRY_A, **{"content/publicity.yaml": publicity}), DECISION)


def test_without_a_publicity_file_the_results_are_draft_as_before() -> None:
    results = results_of(small_project(ENTRY_A))
    data = json.loads(results_json_bytes(results))
    assert (results.stage, data["stage"], data["final"]) == (Stage.DRAFT, "draft", False)
    assert "publicity" not in data


def test_a_publicity_without_objections_is_the_publicity_stage() -> None:
    results = results_of(small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY}))
    data = json.loads(results_json_bytes(results))
    assert data["stage"] == "publicity"
    assert data["publicity"] == {"from": "2009-01-05", "to": "2009-01-09", "working_days": 5}


def test_an_objection_puts_the_results_in_review() -> None:
    results = results_of(small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY + OBJECTION}))
    assert json.loads(results_json_bytes(results))["stage"] == "review"


def test_finality_is_refused_while_an_objection_is_open() -> None:
    outcome = run_ok(approved(PUBLICITY + OBJECTION))
    assert outcome.results is not None and not outcome.results.final
    assert outcome.results.stage is Stage.REVIEW
    assert [(d.reason, d.objections) for d in outcome.results.finality.drafts] == [
        (DraftReason.OBJECTIONS_OPEN, ("c1-december",))
    ]
    assert (
        "content/publicity.yaml:6:5: warning: objection 'c1-december' is open: it has no 复核 (review) yet, "
        "so the results cannot be final"
    ) in messages(outcome.diagnostics)
    assert vocab.draft_reason(outcome.results.finality.drafts[0], {}, {}) == "公示期间收到的异议尚有1件未复核"


def test_a_decided_objection_and_a_meeting_after_the_publicity_make_the_results_final() -> None:
    results = results_of(approved(PUBLICITY + OBJECTION + REVIEW))
    data = json.loads(results_json_bytes(results))
    assert results.final and (data["stage"], data["final"]) == ("final", True)
    assert data["publicity"]["to"] == "2009-01-09"


def test_a_meeting_on_the_last_day_of_the_publicity_keeps_the_results_draft() -> None:
    source = small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY})
    source.files["content/decision.yaml"] = DECISION.replace("2009-01-13", "2009-01-09").format(
        digest=results_of(source).sha256
    )
    outcome = run_ok(source)
    assert outcome.results is not None and not outcome.results.final
    assert outcome.results.stage is Stage.PUBLICITY
    assert (
        "content/decision.yaml:1:10: warning: the 班子会 (2009-01-09) is not after the 公示's last day (2009-01-09)"
        in messages(outcome.diagnostics)
    )


def test_the_approval_hash_covers_the_publicity_and_the_objections() -> None:
    plain = results_of(small_project(ENTRY_A)).sha256
    with_publicity = results_of(small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY})).sha256
    objected = results_of(small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY + OBJECTION})).sha256
    said_otherwise = results_of(
        small_project(ENTRY_A, **{"content/publicity.yaml": (PUBLICITY + OBJECTION).replace("已整改", "已改")})
    ).sha256
    assert len({plain, with_publicity, objected, said_otherwise}) == 4


def test_the_stage_is_not_hashed_so_the_final_results_keep_their_hash() -> None:
    results = results_of(approved(PUBLICITY + OBJECTION + REVIEW))
    data = json.loads(results_json_bytes(results))
    assert sha256_of(data) == sha256_of(dict(data, stage="review")) == results.sha256


def test_the_diff_lists_an_added_or_changed_publicity_file() -> None:
    before = small_project(ENTRY_A)
    added = small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY})
    objected = small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY + OBJECTION})
    assert other_file_changes(before, added) == (FileChange("content/publicity.yaml", ADDED),)
    assert other_file_changes(added, objected) == (FileChange("content/publicity.yaml", CHANGED),)
    assert file_kind("content/publicity.yaml") == "公示、异议与复核 publicity"


def test_check_says_the_stage_in_words_and_in_json(tmp_path: Path) -> None:
    root = write_project(tmp_path, small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY + OBJECTION}))
    done = run_cli(root, "check")
    assert done.returncode == 0, done.stderr
    assert "results draft (复核中)" in done.stdout
    payload = json.loads(run_cli(root, "check", "--json").stdout)
    assert (payload["stage"], payload["final"]) == ("review", False)


def test_once_every_objection_has_its_review_the_stage_says_it_waits_for_approval(tmp_path: Path) -> None:
    content = {"content/publicity.yaml": PUBLICITY + OBJECTION + REVIEW}
    root = write_project(tmp_path, small_project(ENTRY_A, **content))
    done = run_cli(root, "check")
    assert done.returncode == 0, done.stderr
    assert "results draft (复核完毕，待审定)" in done.stdout and "复核中" not in done.stdout
    assert "  still draft: no 班子会 decision yet (content/decision.yaml)" in done.stdout.splitlines()
    payload = json.loads(run_cli(root, "check", "--json").stdout)
    assert (payload["stage"], payload["final"]) == ("review", False)  # results.json's stage names stay as they were


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        (
            "    review: {upheld: 是, reason: 整改在前。, date: 2009-01-12, by: 复核组, change: removed}\n",
            "'upheld' must be true or false, not '是'",
        ),
        (
            "    review: {upheld: true, reason: 整改在前。, date: 2009-1-12, by: 复核组, change: removed}\n",
            "'date' must be a date YYYY-MM-DD",
        ),
    ],
)
def test_a_review_that_does_not_read_is_one_error_with_no_guesses_after_it(review: str, expected: str) -> None:
    outcome = run(small_project(ENTRY_A, **{"content/publicity.yaml": PUBLICITY + OBJECTION + review}))
    found = [m for m in messages(outcome.diagnostics) if "publicity.yaml" in m]
    assert len(found) == 1 and expected in found[0], found  # not also "was not upheld … remove 'change'"
