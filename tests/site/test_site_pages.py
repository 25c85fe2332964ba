"""The site's pages show the computed results: ranking, communities, lines, rubric, history, links."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from site_support import html_pages, parse_html, render
from support import ledger_yaml, results_of, small_project

from kaohe.render import RenderEnv, RenderError, vocab
from kaohe.render.site import context, render_site
from kaohe.scoring.results import Results, results_sha256


def ranking_cells(site: Path) -> tuple[list[str], list[list[str]], list[dict[str, str]]]:
    page = parse_html(site / "index.html")
    table = page.tables["ranking"]
    categories = [t.attrs["data-category"] for t in page.tags if t.name == "th" and "data-category" in t.attrs]
    return categories, table.rows, table.row_attrs


def test_every_page_of_the_site_is_written(
    sample_site: Path, sample_results: dict[str, Any], site_results: Results
) -> None:
    expected = ["index.html", "lines.html", "rubric.html", "history.html", "downloads.html", "search.html"]
    expected += [f"communities/{c['id']}.html" for c in sample_results["communities"]]
    expected += [f"lines/{line.id}.html" for line in site_results.rubric.lines]
    missing = [name for name in expected if not (sample_site / name).is_file()]
    assert not missing


def test_ranking_table_matches_results_json(sample_site: Path, sample_results: dict[str, Any]) -> None:
    categories, rows, attrs = ranking_cells(sample_site)
    communities = sample_results["communities"]
    assert [a["data-community"] for a in attrs] == [c["id"] for c in communities]
    for row, community in zip(rows, communities, strict=True):
        rank, name, total, *scores = row[: 3 + len(categories)]
        assert re.sub(r"(并列)?(递补为第\d+名)?$", "", rank) == str(community["rank"])
        assert name == community["name"]
        assert total == community["total"]
        assert scores == [community["categories"][cid]["score"] for cid in categories]
        award, veto = row[3 + len(categories) :]
        assert award == (f"{community['award']}{community['reward']}元" if community["award"] else "")
        assert veto == ("一票否决" if community["vetoed"] else "")
    assert sorted(categories) == sorted(communities[0]["categories"])


def test_community_pages_show_the_total_rank_and_award_of_results_json(
    sample_site: Path, sample_results: dict[str, Any]
) -> None:
    for community in sample_results["communities"]:
        page = parse_html(sample_site / "communities" / f"{community['id']}.html")
        assert community["name"] in page.text
        assert f"{community['total']}／" in page.text
        facts = page.text.split("名次", 1)[1]
        assert facts.lstrip().startswith(str(community["rank"]))
        if community["award"]:
            assert f"{community['award']}（{community['reward']}元）" in page.text


def test_community_page_lists_every_entry_that_moved_its_score(sample_site: Path, site_results: Results) -> None:
    results = site_results
    for community in results.communities:
        page = parse_html(sample_site / "communities" / f"{community.id}.html")
        shown = {attrs["id"] for attrs in page.tables["entries"].row_attrs} if "entries" in page.tables else set()
        expected = {f"e-{e.line}-{e.pos.line}" for e in results.content.entries() if e.community == community.id}
        assert shown == expected


def test_line_pages_list_every_ledger_entry_with_its_review(sample_site: Path, site_results: Results) -> None:
    results = site_results
    for ledger in results.content.ledgers:
        page = parse_html(sample_site / "lines" / f"{ledger.line}.html")
        rows = page.tables["ledger"].row_attrs if "ledger" in page.tables else []
        assert [r["id"] for r in rows] == [
            f"e-{ledger.line}-{e.pos.line}" for e in sorted(ledger.entries, key=lambda e: (e.date, e.pos))
        ]
        review = f"已审核：{ledger.review.by}，{ledger.review.date.isoformat()}" if ledger.review else "未审核"
        assert review in page.text


def test_line_scores_of_a_community_add_up_to_its_total(sample_site: Path, sample_results: dict[str, Any]) -> None:
    sums: defaultdict[str, Decimal] = defaultdict(Decimal)
    for page_path in sorted((sample_site / "lines").glob("*.html")):
        table = parse_html(page_path).tables["subtotals"]
        for attrs, row in zip(table.row_attrs, table.rows, strict=True):
            sums[attrs["data-community"]] += Decimal(row[-1].split("／")[0])
    assert {cid: f"{total:.2f}" for cid, total in sums.items()} == {
        c["id"]: c["total"] for c in sample_results["communities"]
    }


def test_rubric_page_shows_every_leaf_and_rule_once(sample_site: Path, site_results: Results) -> None:
    rubric = site_results.rubric
    page = parse_html(sample_site / "rubric.html")
    leaf_rows = [t.attrs["id"] for t in page.tags if t.name == "tr" and t.attrs.get("id", "").startswith("r-")]
    assert leaf_rows == [f"r-{leaf.full_id}" for leaf in rubric.leaves()]
    codes = [t for t in page.text.split() if t.count(".") >= 2 and t.split(".")[0] in {i.id for i in rubric.indicators}]
    assert sorted(set(codes) & set(rubric.rule_index())) == sorted(rubric.rule_index())
    spans = [int(t.attrs["rowspan"]) for t in page.tags if t.name == "th" and "category" in t.attrs.get("class", "")]
    assert sum(spans) == len(leaf_rows)


def test_history_page_shows_every_archived_year_and_this_one(sample_site: Path, site_results: Results) -> None:
    results = site_results
    page = parse_html(sample_site / "history.html")
    table = page.tables["history"]
    years = sorted({h.year for h in results.content.history} | {results.year})
    assert [cell.split("年")[0] for cell in table.head[0][1:]] == [str(y) for y in years]
    for attrs, row in zip(table.row_attrs, table.rows, strict=True):
        for year, cell in zip(years, row[1:], strict=True):
            archived = next((h for h in results.content.history if h.year == year), None)
            if archived is None:
                expected = results.community(attrs["data-community"])
                tie = "并列" if sum(c.rank == expected.rank for c in results.communities) > 1 else ""
                assert cell.startswith(f"{expected.total:.2f}{tie}第{expected.rank}名")
                continue
            row_of = next((c for c in archived.communities if c.id == attrs["data-community"]), None)
            if row_of is None:
                assert cell == "—"
                continue
            tie = "并列" if sum(c.rank == row_of.rank for c in archived.communities) > 1 else ""
            assert cell.startswith(f"{row_of.total:.2f}{tie}第{row_of.rank}名")


def test_output_index_sends_the_reader_to_the_site(built_sample: Path) -> None:
    page = parse_html(built_sample / "output" / "index.html")
    assert any(t.name == "a" and t.attrs.get("href") == "site/index.html" for t in page.tags)
    assert any(t.name == "meta" and "site/index.html" in t.attrs.get("content", "") for t in page.tags)


def broken_links(site: Path) -> list[str]:
    """Every link or anchor inside the site that leads nowhere: ``page → url``."""
    pages = {path.resolve(): parse_html(path) for path in html_pages(site)}
    broken: list[str] = []
    for page_path, page in pages.items():
        for tag in page.tags:
            url = tag.attrs.get("href") or tag.attrs.get("src") or ""
            if tag.name not in ("a", "link", "script", "img") or not url or url.startswith("data:"):
                continue
            parts = urlsplit(url)
            assert not parts.scheme, f"{page_path.name} links off the site: {url}"
            target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
            anchor_missing = target in pages and parts.fragment and parts.fragment not in pages[target].ids
            if not target.is_file() or anchor_missing:
                broken.append(f"{page_path.relative_to(site.resolve())} → {url}")
    return broken


def test_every_link_and_anchor_inside_the_site_resolves(sample_site: Path) -> None:
    assert not broken_links(sample_site)


def test_a_long_ledger_is_shown_a_month_a_page_that_the_community_pages_link_to(
    site_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "LEDGER_PAGE_ENTRIES", 30)  # a city's ledgers hold thousands; the sample's dozens
    site = render(site_results, tmp_path / "out")
    long = [ledger for ledger in site_results.content.ledgers if len(ledger.entries) > 30]
    assert long and len(long) < len(site_results.content.ledgers)  # some ledgers split, some on one page
    for ledger in long:
        line_page = parse_html(site / "lines" / f"{ledger.line}.html")
        assert "ledger" not in line_page.tables  # the months instead
        by_month: dict[str, list[str]] = defaultdict(list)
        for entry in sorted(ledger.entries, key=lambda e: (e.date, e.pos)):
            by_month[f"{entry.date:%Y-%m}"].append(f"e-{ledger.line}-{entry.pos.line}")
        links = [t.attrs.get("href", "") for t in line_page.tags if t.name == "a"]
        months = [f"../lines/{ledger.line}/{month}.html" for month in by_month]
        assert months * 2 == [link for link in links if link.startswith(f"../lines/{ledger.line}/")]  # top, bottom
        for month, anchors in by_month.items():
            month_page = parse_html(site / "lines" / ledger.line / f"{month}.html")
            assert [row["id"] for row in month_page.tables["ledger"].row_attrs] == anchors
            assert {row["data-date"][:7] for row in month_page.tables["ledger"].row_attrs} == {month}
            offered = [t.attrs["value"] for t in month_page.tags if t.name == "option" and t.attrs.get("value")]
            assert offered == [c.id for c in site_results.content.communities]  # every one, as the line's page
    community = parse_html(site / "communities" / f"{long[0].entries[0].community}.html")
    first = long[0].entries[0]
    assert f"../lines/{first.line}/{first.date:%Y-%m}.html#e-{first.line}-{first.pos.line}" in {
        t.attrs.get("href") for t in community.tags
    }
    assert not broken_links(site)


def test_each_page_says_whether_results_are_final(tmp_path: Path) -> None:
    source = small_project("- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 记录}")
    draft = results_of(source)
    site = render(draft, tmp_path / "draft")
    for page_path in html_pages(site):
        assert "草稿" in parse_html(page_path).text, page_path.name
    decision = f"meeting: 2009-01-09\nminutes: 纪要\nresults_sha256: {results_sha256(draft)}\nnotice: {{number: 文号, date: 2009-01-10}}\n"
    final = results_of(
        small_project(
            "- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 记录}",
            **{"content/decision.yaml": decision},
        )
    )
    assert final.final
    site = render(final, tmp_path / "final")
    for page_path in html_pages(site):
        page = parse_html(page_path)
        assert "草稿" not in page.text and "已审定" in page.text, page_path.name
        # at the top, in the page's main landmark, as clearly as a draft banner: the meeting and the 文号 in words
        top = page.text.split("示例数据", 1)[0] if "示例数据" in page.text else page.text
        main = page_path.read_text(encoding="utf-8").split('<main id="main">', 1)[1]
        assert 'class="banner banner-final"' in main.split("<h1", 1)[0], page_path.name
        assert "已审定经2009年1月9日班子会研究审定（纪要），2009年1月10日以文号通报。" in top, page_path.name


def test_unreviewed_ledgers_are_named_in_the_draft_banner(tmp_path: Path) -> None:
    source = small_project(**{"content/ledgers/b.yaml": ledger_yaml("b", "", review=False)})
    page = parse_html(render(results_of(source), tmp_path) / "index.html")
    assert "尚未经" in page.text and "乙线" in page.text.split("尚未经", 1)[1]


def test_sample_data_is_marked_on_every_page(tmp_path: Path) -> None:
    source = small_project()
    source.files["content/communities.yaml"] = "sample: true\n" + source.files["content/communities.yaml"]
    site = render(results_of(source), tmp_path)
    for page_path in [*html_pages(site), site.parent / "index.html"]:
        assert "示例数据" in page_path.read_text(encoding="utf-8"), page_path.name


VETO_AT_THE_TOP = (
    "- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 记录}\n"
    "- {date: 2008-03-01, community: c2, rule: work.rules.each, note: 记录}\n"
    "- {date: 2008-03-01, community: c4, rule: work.other.each, note: 记录}\n"
    "- {date: 2008-03-01, community: c5, rule: work.other.each, count: 2, note: 记录}",
    "- {date: 2008-05-01, community: c3, rule: safe.accident.death, note: 死亡事故}",
)


def test_communities_behind_a_vetoed_one_show_the_award_place_they_moved_up_to(tmp_path: Path) -> None:
    results = results_of(small_project(*VETO_AT_THE_TOP, ids=("c1", "c2", "c3", "c4", "c5")))
    # c3 loses nothing but is vetoed: 1st. c2 loses 0.3: 2nd; c1 2 × 0.3 = 0.6: 3rd; c4 1: 4th; c5 2 × 1 = 2: 5th.
    # 名次递补 gives the award places 1–3 (红旗 1, 先进 2–3) to c2, c1 and c4; c5 stays 5th (4th among the rest)
    site = render(results, tmp_path)
    _, rows, attrs = ranking_cells(site)
    by_id = {a["data-community"]: row[0] for a, row in zip(attrs, rows, strict=True)}
    assert by_id == {"c3": "1", "c2": "2递补为第1名", "c1": "3递补为第2名", "c4": "4递补为第3名", "c5": "5"}
    assert "递补为第1名" in parse_html(site / "communities" / "c2.html").text
    assert "递补" not in parse_html(site / "communities" / "c5.html").text


def test_equal_totals_are_shown_as_ties(tmp_path: Path) -> None:
    entries = "\n".join(
        f"- {{date: 2008-03-01, community: {cid}, rule: work.rules.each, note: 记录}}" for cid in ("c1", "c2")
    )
    results = results_of(small_project(entries))
    site = render(results, tmp_path)
    _, rows, attrs = ranking_cells(site)
    by_id = {a["data-community"]: row[0] for a, row in zip(attrs, rows, strict=True)}
    assert by_id["c1"] == by_id["c2"] == f"{results.community('c1').rank}并列"
    assert by_id["c3"] == "1"
    community = parse_html(site / "communities" / "c1.html")
    assert "（并列）" in community.text
    tied = results.community("c1").rank  # c1 and c2 lose the same points: both rank 2, after c3
    assert tied == 2
    history = parse_html(site / "history.html")
    assert f"并列第{tied}名" in " ".join(history.tables["history"].rows[0] + history.tables["history"].rows[1])
    bar_values = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', (site / "index.html").read_text("utf-8"))
    total = vocab.score(results.community("c1").total)
    assert bar_values.count(f"{total} 并列第{tied}名") == 4  # c1 and c2, in the wide chart and the phone's


def test_missing_site_templates_stop_the_build_with_a_clear_message(tmp_path: Path) -> None:
    results = results_of(small_project())
    env = RenderEnv(project_root=tmp_path, templates_dir=tmp_path / "no-templates", source_date_epoch=None)
    with pytest.raises(RenderError, match="no-templates"):
        render_site(results, tmp_path / "out", env, ())


def test_a_note_typed_on_two_lines_shows_on_two_lines(tmp_path: Path) -> None:
    source = small_project(
        '- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 1, note: "已整改\\n复查合格"}'
    )
    site = render(results_of(source), tmp_path / "out")
    pages = {page.name: page.read_text(encoding="utf-8") for page in html_pages(site)}
    showing = sorted(name for name, html in pages.items() if "已整改<br>\n复查合格" in html)
    assert showing and not [
        name for name, html in pages.items() if "已整改 复查合格" in html or "已整改复查合格" in html
    ]


def test_a_long_ledgers_entries_are_listed_by_month_in_runs_of_source_lines() -> None:
    from datetime import date

    from kaohe.content.model import Entry
    from kaohe.errors import Pos
    from kaohe.render.site.ledger import LedgerMonth, entry_month_runs

    def at(line: int, day: date) -> Entry:
        return Entry(
            pos=Pos("content/ledgers/a.yaml", line, 5), line="a", date=day, community="c1", rule="x",
            indicator=None, count=1, deduct=None, amount=None, note="", evidence="",
        )  # fmt: skip

    march, april = (
        LedgerMonth("2008年3月", "lines/a/2008-03.html", 3),
        LedgerMonth("2008年4月", "lines/a/2008-04.html", 1),
    )
    # source lines 5 and 9 in March, 17 in April, then 21: a late March entry written after the April one
    months = [
        (march, [at(5, date(2008, 3, 1)), at(9, date(2008, 3, 2)), at(21, date(2008, 3, 30))]),
        (april, [at(17, date(2008, 4, 1))]),
    ]
    assert entry_month_runs(months) == "5:0,17:1,21:0"  # 5 and 9 on the first page, 17 on the second, 21 on the first
    assert entry_month_runs([]) == ""
