"""The 记一笔 form without a browser: what it offers from the rubric, how it reads a submission, the commit."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from serve_support import PARTY
from support import SAMPLE_CONTENT, copy_project

from kaohe.actions.append import NewEntry
from kaohe.actions.serve.form import LineForm, line_form, read_entry, submit

SAMPLE_ROOT = SAMPLE_CONTENT.parent


@pytest.fixture(scope="module")
def party() -> LineForm:
    form = line_form(SAMPLE_ROOT, "party")
    assert form is not None
    return form


def test_each_rule_asks_for_what_the_rubric_says_it_needs(party: LineForm) -> None:
    needs = {choice.id: choice.needs for choice in party.choices}
    assert needs["party.org.democracy.system"] == "count"  # per: 0.1
    assert needs["party.org.dues.collection"] == "deduct"  # discretionary: true
    economy = line_form(SAMPLE_ROOT, "invest")
    assert economy is not None
    funds = next(choice for choice in economy.choices if choice.id == "economy.invest.funds")
    assert (funds.needs, funds.indicator) == ("amount", True)  # method: ratio


def test_a_line_offers_only_its_own_rules(party: LineForm) -> None:
    assert party.choices and all(choice.id.startswith("party.") for choice in party.choices)


def test_an_unknown_line_has_no_form() -> None:
    assert line_form(SAMPLE_ROOT, "../content") is None


def test_the_rule_is_the_first_word_and_numbers_stay_exact(party: LineForm) -> None:
    entry = read_entry(
        party,
        {
            "date": "2008-04-08",
            "community": "dongsheng",
            "cites": "party.org.dues.collection 党费收缴力度不够酌情扣分",
            "deduct": "0.35",
            "note": "党费收缴不及时",
        },
    )
    assert entry == NewEntry(
        date=date(2008, 4, 8),
        community="dongsheng",
        rule="party.org.dues.collection",
        deduct=Decimal("0.35"),
        note="党费收缴不及时",
    )


def test_an_amount_on_a_ratio_indicator_is_cited_as_an_indicator() -> None:
    form = line_form(SAMPLE_ROOT, "invest")
    assert form is not None
    values = {"date": "2008-11-02", "community": "ziqiao", "cites": "economy.invest.funds", "amount": "150.5"}
    entry = read_entry(form, {**values, "note": "某项目到位资金"})
    assert isinstance(entry, NewEntry)
    assert (entry.rule, entry.indicator, entry.amount) == (None, "economy.invest.funds", Decimal("150.5"))


def test_dates_and_numbers_that_do_not_read_are_named_by_field(party: LineForm) -> None:
    values = {"date": "2008-02-30", "community": "nowhere", "cites": "", "count": "1.5", "deduct": "0,5"}
    problems = read_entry(party, values)
    assert isinstance(problems, dict)
    assert sorted(problems) == ["cites", "community", "count", "date", "deduct"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def test_a_ticked_entry_commits_the_ledger_alone(tmp_path: Path, party: LineForm) -> None:
    root = copy_project(tmp_path / "project")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "考核测试")
    git(root, "config", "user.email", "tests@example.org")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the sample year")
    (root / "notes.txt").write_text("staged, not for this commit\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    values = {
        "date": "2008-06-20",
        "community": "beimen",
        "cites": "party.org.democracy.system",
        "count": "2",
        "note": "两项制度未建立",
    }
    outcome = submit(root, party, values, commit=True)
    assert outcome.written and outcome.committed and not outcome.commit_error
    (approval,) = outcome.warnings  # the sample year is approved: this entry changes its results
    assert approval.startswith("content/decision.yaml:") and "changed since the 班子会 approved them" in approval
    assert git(root, "show", "--name-only", "--format=%s", "HEAD").split("\n")[:3] == [
        "党群线：2008-06-20 北门社区 两项制度未建立",
        "",
        PARTY,
    ]
    assert git(root, "status", "--porcelain") == "A  notes.txt\n"  # still staged, not committed


def test_an_entry_beside_one_of_the_same_day_community_and_rule_is_written_with_a_warning(
    tmp_path: Path, party: LineForm
) -> None:
    root = copy_project(tmp_path / "project")
    first = {"date": "2008-06-20", "community": "beimen", "cites": "party.org.democracy.system", "count": "2"}
    assert submit(root, party, {**first, "note": "两项制度未建立"}, commit=False).written
    again = submit(root, party, {**first, "count": "1", "note": "一项制度未建立"}, commit=False)
    assert again.written  # a warning, not an error: it may be another finding of that day
    twin = [w for w in again.warnings if "already holds an entry of 2008-06-20 for 'beimen'" in w]
    assert twin and "(count 1, note 一项制度未建立)" in twin[0]
