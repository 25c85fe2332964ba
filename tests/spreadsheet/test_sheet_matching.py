"""Communities by id or name; rules by id, by the template's choice, by their text, and ambiguous ones."""

from __future__ import annotations

import pytest
from sheet_support import make_project

from kaohe.actions.spreadsheet.matching import Cited, Communities, Rules
from kaohe.actions.spreadsheet.values import Wrong
from kaohe.content.load import load_communities, load_rubric
from kaohe.content.model import Rubric
from kaohe.content.source import WorkingTree


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rubric, Communities]:
    tree = WorkingTree(make_project(tmp_path_factory.mktemp("matching")))
    rubric = load_rubric(tree, [])
    assert rubric is not None
    return rubric, Communities(load_communities(tree, [])[0])


@pytest.mark.parametrize("written", ["ziqiao", "紫桥社区", "紫桥", " 紫桥社区 ", "ZiQiao"])
def test_a_community_is_found_by_id_or_name(content: tuple[Rubric, Communities], written: str) -> None:
    assert content[1].find(written) == "ziqiao"


def test_an_unknown_community_suggests_the_closest_name(content: tuple[Rubric, Communities]) -> None:
    found = content[1].find("紫乔社区")
    assert found == Wrong("unknown community '紫乔社区' (did you mean '紫桥社区'?)")
    assert content[1].find("紫乔") == Wrong("unknown community '紫乔' (did you mean '紫桥社区'?)")
    # 社区, which every name has, makes no name close: 新华社区 shares nothing else with 北门社区 or 东升社区
    assert content[1].find("新华社区") == Wrong("unknown community '新华社区'")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("party.democracy.system", Cited("party.democracy.system", True)),
        ("party.democracy.system 制度不健全每项扣0.1分", Cited("party.democracy.system", True)),  # the template's
        ("制度不健全每项扣0.1分", Cited("party.democracy.system", True)),
        ("制度不健全，每项扣0.1分。", Cited("party.democracy.system", True)),  # punctuation aside
        ("制度不健全每项扣0.1", Cited("party.democracy.system", True)),  # part of the text
        ("一件重大事项不公开扣0.3分", Cited("party.democracy.disclose", True, "一件重大事项不公开扣0.3分")),  # a guess
        ("党费", Cited("party.dues.collection", True, "党费")),  # a word of its text: a guess too
        ("党费收缴力度不够", Cited("party.dues.collection", True)),
        ("招商引资", Cited("party.invest", False)),  # a ratio indicator by its name
        ("party.invest", Cited("party.invest", False)),
        ("other.misc.late", Cited("other.misc.late", True)),  # another line's: check reports it
    ],
)
def test_a_rule_is_found_by_id_or_by_its_text(
    content: tuple[Rubric, Communities], written: str, expected: Cited
) -> None:
    assert Rules(content[0], "party").find(written) == expected


def test_a_text_two_rules_share_is_ambiguous_and_lists_both(content: tuple[Rubric, Communities]) -> None:
    found = Rules(content[0], "party").find("未按要求开展工作酌情扣分")
    assert isinstance(found, Wrong)
    assert found.message == (
        "'未按要求开展工作酌情扣分' matches several rules: "
        "party.culture.discretionary 未按要求开展工作酌情扣分（文体活动）; "
        "party.groups.discretionary 未按要求开展工作酌情扣分（群团工作）; write the rule's id"
    )


def test_a_text_matching_no_rule_of_the_line_says_so(content: tuple[Rubric, Communities]) -> None:
    found = Rules(content[0], "party").find("逾期上报每次扣0.5分")  # the other line's rule
    assert isinstance(found, Wrong)
    assert found.message.startswith("no rule of this line matches '逾期上报每次扣0.5分'")


def test_a_misspelt_id_suggests_the_id_meant(content: tuple[Rubric, Communities]) -> None:
    found = Rules(content[0], "party").find("party.democracy.sytem")
    assert found == Wrong(
        "no rule of this line matches 'party.democracy.sytem' (did you mean 'party.democracy.system'?)"
    )


def test_a_text_near_no_rule_names_the_closest_and_how_to_cite_it(content: tuple[Rubric, Communities]) -> None:
    found = Rules(content[0], "party").find("民主制度没有健全")  # not close enough to be taken as 制度不健全每项扣0.1分
    assert isinstance(found, Wrong)
    assert found.message.endswith("; if that is the one, write its id party.democracy.system in the cell)")


def test_a_date_after_today_is_imported_with_a_warning_at_its_cell(content: tuple[Rubric, Communities]) -> None:
    from datetime import date

    from kaohe.actions.spreadsheet.columns import Layout
    from kaohe.actions.spreadsheet.grid import Sheet
    from kaohe.actions.spreadsheet.rows import Context, row_entry

    rubric, communities = content
    sheet = Sheet(
        "台帐", ((("日期", "社区", "细则条目", "说明")), ("2008-12-20", "紫桥社区", "party.democracy.system", "x"))
    )
    layout = Layout(1, {"date": 1, "community": 2, "rule": 3, "note": 4}, {"date": "日期"})
    today = date(2008, 12, 2)  # in the assessment year: 12-20 is not yet, a slip for 2-20 perhaps
    context = Context("a.xlsx", sheet, layout, rubric, communities, Rules(rubric, "party"), today)
    entry, problems = row_entry(context, 2)
    assert entry is not None and entry.date == date(2008, 12, 20)
    assert [str(p) for p in problems] == [
        "a.xlsx:台帐!A2: warning: 2008-12-20 is after today (2008-12-02): check the date"
    ]
    assert row_entry(Context("a.xlsx", sheet, layout, rubric, communities, Rules(rubric, "party")), 2)[1] == []
