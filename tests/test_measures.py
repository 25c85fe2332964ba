"""Last places and measures over consecutive years, from history/ and this year's results."""

from __future__ import annotations

from support import run_ok, small_project

from kaohe.scoring.measures import Measure

# In the small rubric a 'work.other.each' deduction of N points lowers the 'work' category by N.
LAST_C3 = "- {date: 2008-03-01, community: c3, rule: work.other.each, count: 5, note: 扣分}\n"


def history(year: int, last: str, secretary: str, work_staff: str, others: tuple[str, ...] = ("c1", "c2")) -> str:
    rows = [
        f"  - {{id: {cid}, total: '90.00', rank: 1, secretary: 书记{cid}, "
        f"categories: {{work: {{score: '60.00', rank: 1, staff: 甲{cid}}}}}}}"
        for cid in others
    ]
    rows.append(
        f"  - {{id: {last}, total: '80.00', rank: {len(others) + 1}, secretary: {secretary}, "
        f"categories: {{work: {{score: '50.00', rank: {len(others) + 1}, staff: {work_staff}}}}}}}"
    )
    return f"year: {year}\ncommunities:\n" + "\n".join(rows) + "\n"


def measures_with(files: dict[str, str], decision: str | None = None) -> list[Measure]:
    extra = dict(files)
    if decision is not None:
        extra["content/decision.yaml"] = decision
    outcome = run_ok(small_project(LAST_C3, **extra))
    assert outcome.results is not None
    return list(outcome.results.measures)


def overall(measures: list[Measure]) -> Measure:
    return next(m for m in measures if m.scope == "overall")


def test_first_year_in_last_place_gets_a_warning_talk() -> None:
    m = overall(measures_with({}))
    assert (m.community, m.person, m.role, m.streak, m.measure) == ("c3", "书记c3", "secretary", 1, "警示谈话")


def test_second_consecutive_year_gets_admonition() -> None:
    m = overall(measures_with({"content/history/2007.yaml": history(2007, "c3", "书记c3", "甲c3")}))
    assert (m.streak, m.measure) == (2, "诫勉")


def test_third_consecutive_year_gets_demotion() -> None:
    files = {
        "content/history/2006.yaml": history(2006, "c3", "书记c3", "甲c3"),
        "content/history/2007.yaml": history(2007, "c3", "书记c3", "甲c3"),
    }
    m = overall(measures_with(files))
    assert (m.streak, m.measure, m.exempt) == (3, "降职降级", False)


def test_a_gap_year_breaks_the_streak() -> None:
    files = {
        "content/history/2006.yaml": history(2006, "c3", "书记c3", "甲c3"),
        "content/history/2007.yaml": history(2007, "c2", "书记c2", "甲c2", others=("c1", "c3")),
    }
    assert overall(measures_with(files)).streak == 1


def test_a_missing_history_year_breaks_the_streak() -> None:
    files = {"content/history/2006.yaml": history(2006, "c3", "书记c3", "甲c3")}
    assert overall(measures_with(files)).streak == 1


def test_a_new_person_in_the_role_starts_a_new_streak() -> None:
    files = {"content/history/2007.yaml": history(2007, "c3", "前任书记", "前任甲")}
    measures = measures_with(files)
    assert overall(measures).streak == 1
    work = next(m for m in measures if m.scope == "work")
    assert (work.person, work.role, work.streak) == ("甲c3", "staff", 1)


def test_a_person_who_moved_keeps_their_streak() -> None:
    # 书记c3 was secretary of c2 in 2007, and c2 was last then
    history_2007 = history(2007, "c2", "书记c3", "甲c3", others=("c1", "c3"))
    assert overall(measures_with({"content/history/2007.yaml": history_2007})).streak == 2


def test_category_last_place_names_the_staff_of_the_category_line() -> None:
    files = {"content/history/2007.yaml": history(2007, "c3", "别人", "甲c3")}
    work = next(m for m in measures_with(files) if m.scope == "work")
    assert (work.person, work.streak, work.measure) == ("甲c3", 2, "诫勉")


def test_ties_for_last_place_give_everyone_tied_a_measure() -> None:
    entries = LAST_C3 + "- {date: 2008-03-01, community: c2, rule: work.other.each, count: 5, note: 扣分}\n"
    outcome = run_ok(small_project(entries))
    assert outcome.results is not None
    assert sorted(m.community for m in outcome.results.measures if m.scope == "overall") == ["c2", "c3"]


DECISION = """\
meeting: 2009-01-09
minutes: 纪要
notice: {number: 常武北委通〔2009〕1号, date: 2009-01-10}
exemptions:
  - {community: c3, person: 书记c3, reason: 承担拆迁任务}
"""


def test_an_exemption_lifts_the_third_level_measure() -> None:
    files = {
        "content/history/2006.yaml": history(2006, "c3", "书记c3", "甲c3"),
        "content/history/2007.yaml": history(2007, "c3", "书记c3", "甲c3"),
    }
    m = overall(measures_with(files, DECISION))
    assert (m.streak, m.measure, m.exempt, m.reason) == (3, "降职降级", True, "承担拆迁任务")


def test_an_exemption_that_matches_nothing_is_a_warning() -> None:
    outcome = run_ok(small_project(LAST_C3, **{"content/decision.yaml": DECISION}))
    warnings = [str(d) for d in outcome.diagnostics if not d.is_error]
    assert (
        "content/decision.yaml:5:5: warning: exemption for 书记c3 of 'c3' matches no third-level measure this year"
        in warnings
    )
    assert overall(list(outcome.results.measures if outcome.results else [])).exempt is False
