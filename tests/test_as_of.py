"""``build --as-of DATE``: the year cut at a date, said on every page and file, no notices, bad dates refused.

The sample year is built once with ``--as-of 2008-06-30`` (no PDFs are written, so it is
quick); a second copy has every later entry removed from its ledgers by editing the YAML
text, and its results must be the same, ``as_of`` aside. A three-community year worked out
by hand checks the month ends, the ranks at each and the falling rule.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from support import TOOL_ROOT, copy_project, run_cli, run_ok, small_project, write_project

from kaohe.actions.build import build
from kaohe.cli.main import main
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.data import render_results_json
from kaohe.scoring.asof import cut, falling, month_points, results_as_of, standings, through_year
from kaohe.scoring.results import CommunityResult, Results, results_dict

AS_OF = "2008-06-30"
ITEM = re.compile(r"^  - ", re.MULTILINE)  # every entry of the sample's ledgers starts a line like this
ITEM_DATE = re.compile(r"date: (\d{4}-\d{2}-\d{2})")


@pytest.fixture(scope="module")
def as_of_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The sample built with ``build --as-of 2008-06-30 --json``: the project root and the JSON report."""
    root = copy_project(tmp_path_factory.mktemp("as-of") / "project")
    done = run_cli(root, "build", "--as-of", AS_OF, "--json")
    assert done.returncode == 0, done.stderr
    yield root, json.loads(done.stdout)


def ledger_cut_by_hand(text: str, last: str) -> tuple[str, int]:
    """The ledger's YAML with every entry dated after ``last`` deleted as text, and how many were deleted.

    Only what follows ``entries:`` is cut: a ledger's ``visits:`` (a list above it) stay as they are.
    """
    before, marker, after = text.partition("\nentries:\n")
    head, *items = ITEM.split(after)
    head = before + marker + head
    kept = [item for item in items if item_date(item) <= last]
    return head + "".join(f"  - {item}" for item in kept), len(items) - len(kept)


def item_date(item: str) -> str:
    found = ITEM_DATE.search(item)
    assert found is not None, item
    return found[1]


def year_results(root: Path) -> Results:
    """The project's results as ``check`` computes them (no cut)."""
    results = run(WorkingTree(root)).results
    assert results is not None
    return results


def without_as_of(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "as_of"}


def test_as_of_results_equal_a_build_of_the_same_ledgers_cut_at_that_date(
    as_of_build: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, _ = as_of_build
    edited = copy_project(tmp_path / "edited")
    removed = 0
    for ledger in sorted((edited / "content" / "ledgers").glob("*.yaml")):
        text, gone = ledger_cut_by_hand(ledger.read_text(encoding="utf-8"), AS_OF)
        ledger.write_text(text, encoding="utf-8")
        removed += gone
    for year_end in ("publicity.yaml", "decision.yaml"):  # the year's 公示 and 班子会 are not a day's
        (edited / "content" / year_end).unlink()
    built = build(edited, TOOL_ROOT / "templates", renderers=(render_results_json,), quiet=True)
    assert built.ok, built.error or [str(d) for d in built.checked.diagnostics if d.is_error]
    as_of = json.loads((root / "output" / "results.json").read_text(encoding="utf-8"))
    by_hand = json.loads((edited / "output" / "results.json").read_text(encoding="utf-8"))
    full_year = results_dict(year_results(copy_project(tmp_path / "full")))
    # the sample has 347 entries, 135 of them dated 2008-01 to 2008-06 (see the ledgers): 212 go
    assert removed == 212
    assert as_of["as_of"] == AS_OF and "as_of" not in by_hand
    assert without_as_of(as_of) == by_hand
    assert as_of["stage"] == "draft" and "publicity" not in as_of  # never 公示中 or 复核中 as of a day
    assert as_of["communities"] != full_year["communities"]  # the cut changed the standings


def test_as_of_results_are_never_final_and_a_normal_build_has_no_as_of(
    as_of_build: tuple[Path, dict[str, Any]],
) -> None:
    root, report = as_of_build
    data = json.loads((root / "output" / "results.json").read_text(encoding="utf-8"))
    normal = results_dict(year_results(root))
    assert data["final"] is False and report["final"] is False
    assert report["as_of"] == AS_OF
    assert "as_of" not in normal
    site_copy = json.loads((root / "output" / "site" / "downloads" / "results.json").read_text(encoding="utf-8"))
    assert site_copy["as_of"] == AS_OF


def test_as_of_is_final_never_even_when_no_entry_is_left_out(tmp_path: Path) -> None:
    year = year_results(copy_project(tmp_path / "p"))
    year_end = results_as_of(year.content, date(2008, 12, 31))  # the last entry is in December: nothing is cut
    assert year_end.final is False and year_end.as_of == date(2008, 12, 31)
    assert [(c.id, c.total, c.rank) for c in year_end.communities] == [
        (c.id, c.total, c.rank) for c in year.communities
    ]
    assert year_end.sha256 != year.sha256


BANNER = re.compile(r'<div class="banners".*?</div>\s*(?=\{|<)', re.DOTALL)
PAGE_KINDS = ("index.html", "communities/", "lines.html", "lines/", "rubric.html", "history.html", "downloads.html",
              "search.html", "standings/")  # fmt: skip


def test_every_page_kind_says_as_of_the_date_at_the_top_and_in_the_footer(
    as_of_build: tuple[Path, dict[str, Any]],
) -> None:
    site = as_of_build[0] / "output" / "site"
    pages = sorted(site.rglob("*.html"))
    kinds = {kind for kind in PAGE_KINDS for page in pages if page.relative_to(site).as_posix().startswith(kind)}
    assert kinds == set(PAGE_KINDS)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        banners = html.split('<div class="banners"', 1)[1].split("</main>", 1)[0][:1500]
        footer = html.split('<footer class="site-footer">', 1)[1]
        name = page.relative_to(site).as_posix()
        day = page.stem if name.startswith("standings/") else AS_OF  # a month's page: 截至 its own date
        assert f'<strong class="asof-mark">截至{day}</strong>' in banners, name
        assert "不是年度考核结果" in banners, name
        assert "banner-draft" not in banners and "banner-final" not in banners, name
        assert "结果状态：截至2008-0" in footer and "已审定" not in footer, name


def test_no_notice_is_written_or_offered_as_of_a_date(as_of_build: tuple[Path, dict[str, Any]]) -> None:
    root, report = as_of_build
    output = root / "output"
    assert not (output / "pdf").exists()
    assert not [p for p in output.rglob("*") if p.suffix in (".pdf", ".docx")]
    assert not [name for name in report["written"] if name.endswith((".pdf", ".docx"))]
    assert [stage["name"] for stage in report["stages"]] == ["check", "results_json", "site", "swap"]
    assert "本次构建没有生成 PDF 文件" in (output / "site" / "index.html").read_text(encoding="utf-8")


def test_the_spreadsheets_carry_the_date(as_of_build: tuple[Path, dict[str, Any]]) -> None:
    downloads = as_of_build[0] / "output" / "site" / "downloads"
    rows = list(csv.reader(io.StringIO((downloads / "results.csv").read_text(encoding="utf-8-sig"))))
    status = rows[0].index("状态")
    assert all(row[status] == "草稿，截至2008-06-30，示例数据" for row in rows[1:]) and len(rows) == 11
    book = load_workbook(downloads / "results.xlsx")
    assert book["总排名"]["A1"].value == "2008年度社区工作目标管理考核结果（草稿，截至2008-06-30，示例数据）"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("2008-06-31", "not a date (YYYY-MM-DD): '2008-06-31'"),
        ("2008/6/30", "not a date (YYYY-MM-DD): '2008/6/30'"),
    ],
)
def test_a_malformed_as_of_date_is_a_usage_error_and_builds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, says: str
) -> None:
    root = write_project(tmp_path / "p", small_project(HAND_ENTRIES))
    with pytest.raises(SystemExit) as stop:  # argparse's usage error, as build.py exits with it
        main(["--root", str(root), "build", "--as-of", given])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert f"build.py build: error: argument --as-of: {says}" in err and "Traceback" not in err
    assert not (root / "output").exists()


def test_a_date_outside_the_period_is_a_usage_error_said_once_in_words_and_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path / "p", small_project(HAND_ENTRIES))
    code = main(["--root", str(root), "build", "--as-of", "2007-12-31", "--json"])  # in this process: quicker
    out, err = capsys.readouterr()
    says = "build: --as-of 2007-12-31 is outside the assessment period (2008-01-01 to 2008-12-31)"
    assert code == 2
    assert json.loads(out) == {"error": says}
    assert err.strip() == says
    assert not (root / "output").exists()


# --- a small year worked out by hand ---------------------------------------------------------
#
# Three communities; with no amount entered the ratio leaf money.invest (20 points) scores 0
# for everyone (completion 0 is below zero_below 0.5), so each starts at 100 − 20 = 80.
# work.other.each deducts 1 per count:
#   2008-01-10 c1 ×1 → c1 79            Jan 31: c2 80, c3 80 (both 1st, tied), c1 79 (3rd)
#   2008-02-12 c2 ×3 → c2 77            Feb 29: c3 80 (1), c1 79 (2), c2 77 (3)
#   2008-03-05 c3 ×2 → c3 78            Mar 31: c1 79 (1), c3 78 (2), c2 77 (3)
#   2008-04-20 c3 ×2 → c3 76            Apr 30: c1 79 (1), c2 77 (2), c3 76 (3)
# Falling (rank at the last point worse than two points before, Apr against Feb):
#   c1 1 vs 2 (better), c2 2 vs 3 (better), c3 3 vs 1 (worse): c3 alone.

HAND_ENTRIES = """\
- {date: 2008-01-10, community: c1, rule: work.other.each, count: 1, note: 一}
- {date: 2008-02-12, community: c2, rule: work.other.each, count: 3, note: 二}
- {date: 2008-03-05, community: c3, rule: work.other.each, count: 2, note: 三}
- {date: 2008-04-20, community: c3, rule: work.other.each, count: 2, note: 四}
"""


def hand_year() -> Any:
    content = run_ok(small_project(HAND_ENTRIES)).content
    assert content is not None
    return content


def test_month_ends_run_from_the_period_start_to_the_month_of_the_latest_entry() -> None:
    content = hand_year()
    assert month_points(content.rubric, content) == (
        date(2008, 1, 31),
        date(2008, 2, 29),
        date(2008, 3, 31),
        date(2008, 4, 30),
    )
    # as of a day inside a month, that day is the last point
    assert month_points(content.rubric, content, date(2008, 3, 10)) == (
        date(2008, 1, 31),
        date(2008, 2, 29),
        date(2008, 3, 10),
    )


def test_the_ranks_at_each_month_end_and_the_falling_mark_on_a_hand_worked_year() -> None:
    series = through_year(hand_year())
    ranks = [{c.id: (c.total, c.rank) for c in point.communities} for point in series]
    assert ranks == [
        {"c1": (D(79), 3), "c2": (D(80), 1), "c3": (D(80), 1)},
        {"c1": (D(79), 2), "c2": (D(77), 3), "c3": (D(80), 1)},
        {"c1": (D(79), 1), "c2": (D(77), 3), "c3": (D(78), 2)},
        {"c1": (D(79), 1), "c2": (D(77), 2), "c3": (D(76), 3)},
    ]
    assert falling(series) == ("c3",)
    # as of March, against January: c1 1 vs 3 (better), c3 2 vs 1 and c2 3 vs 1 (worse), in March's order
    assert falling(series[:3]) == ("c3", "c2")
    assert falling(series[:2]) == ()  # two points: too few to say


def test_the_year_scored_month_by_month_at_once_is_each_month_end_scored_afresh() -> None:
    outcome = run(WorkingTree(TOOL_ROOT))
    content = outcome.content
    assert outcome.ok and content is not None
    series = through_year(content)
    assert len(series) == 12
    for point in series:
        # every leaf, node, effect (in ledger order), veto, rank and award: equal to the day's own cut
        afresh = standings(content, point.day)
        assert point.communities == afresh, point.day
        # and each sum the same Decimal, digit for digit (2.50 is not 2.5 on a page): the month's
        # scores are summed again only above the leaves that month changed
        assert [written_sums(c) for c in point.communities] == [written_sums(c) for c in afresh], point.day
    assert series[5].communities != series[-1].communities  # the months differ: the comparison has teeth


def written_sums(community: CommunityResult) -> list[str]:
    return [str(community.score.total), *(f"{key} {value}" for key, value in community.score.nodes.items())]


def test_the_cut_keeps_the_entries_of_the_day_itself() -> None:
    content = hand_year()
    kept = [entry.date for entry in cut(content, date(2008, 2, 12)).entries()]
    assert kept == [date(2008, 1, 10), date(2008, 2, 12)]
    assert len(list(content.entries())) == 4  # the content itself is left as it was
