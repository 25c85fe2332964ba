"""The site as its readers use it, in Chromium: searching in their own words, filters that survive Back,
a phone at 390 px, A4 print, and axe-core's accessibility rules.

The sample year comes from the session's build; print uses the same content without ``decision.yaml``,
so that it is a draft and every printed page must say 草稿.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unicodedata import normalize
from urllib.parse import quote, urlsplit

import pytest
from site_support import TOOL_ROOT, project_results, render, search_documents, search_index_documents

from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow

AXE = TOOL_ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1366, 768)
PHONE = (390, 844)
RIGHT_MARGIN_PT = 12 / 25.4 * 72  # @page margin: 12 mm on the right, in PDF points
PAGE_KINDS = (  # one page of each kind; the community and the line are small ones, with a veto and a bonus
    "index.html",
    "communities/binhu.html",
    "lines.html",
    "lines/invest.html",
    "rubric.html",
    "history.html",
    "downloads.html",
    "search.html?q=台账",
)
PHONE_KINDS = ("index.html", "communities/binhu.html", "lines/invest.html")  # the layouts a phone changes most


@contextmanager
def opened(browser: Browser, size: tuple[int, int] = DESKTOP, bypass_csp: bool = False) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=bypass_csp)
    problems: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        yield page
    finally:
        context.close()
    assert problems == []


def url(site: Path, name: str) -> str:
    path, _, query = name.partition("?")
    return (site / path).as_uri() + (f"?{query}" if query else "")


def search(page: Page, site: Path, query: str) -> list[dict[str, str]]:
    page.goto(url(site, f"search.html?q={quote(query)}"))
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    found: list[dict[str, str]] = page.eval_on_selector_all(
        "#search-results li",
        """items => items.map(li => ({
            kind: li.querySelector('.kind').textContent,
            title: li.querySelector('a').textContent,
            href: li.querySelector('a').getAttribute('href'),
        }))""",
    )
    return found


def community_id(results: Results, name: str) -> str:
    return next(c.id for c in results.communities if c.name == name)


def without_query(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["东升", "紫桥"])
def test_searching_a_community_name_puts_the_community_first(
    browser: Browser, sample_site: Path, site_results: Results, query: str
) -> None:
    with opened(browser) as page:
        found = search(page, sample_site, query)
    assert len(found) > 1  # its ledger entries follow
    assert found[0]["kind"] == "社区" and found[0]["title"] == f"{query}社区"
    assert without_query(found[0]["href"]) == f"communities/{community_id(site_results, query + '社区')}.html"
    kinds = [hit["kind"] for hit in found]
    assert kinds == sorted(kinds, key=["社区", "各线", "细则", "台帐"].index)


def deep_words(site: Path) -> str:
    """Four characters from well inside a ledger entry's text, so that its snippet starts with …."""
    docs = search_documents(site)
    texts: list[str] = [doc["text"] for doc in docs if doc["kind"] == "台帐"]
    return next(
        words
        for text in texts
        if len(text) > 60
        for words in (text[45:49],)
        if words.strip() == words and " " not in words
    )


def test_a_search_loads_only_the_parts_of_the_index_it_needs(browser: Browser, sample_site: Path) -> None:
    entries = [doc for doc in search_documents(sample_site) if doc["kind"] == "台帐"]
    words = [f"{doc['title']} {doc['subtitle']} {doc['text']}".split() for doc in entries]
    rare = next(  # two characters found in one entry alone, with no other document of the index holding them
        pair
        for n, doc_words in enumerate(words)
        for word in doc_words
        for pair in (word[i : i + 2] for i in range(len(word) - 1))
        if sum(any(pair in w for w in other) for other in words) == 1
        and not any(pair in f"{d['title']} {d['subtitle']} {d['text']}" for d in search_index_documents(sample_site))
    )
    with opened(browser) as page:
        loaded: list[str] = []
        page.on("request", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
        found = search(page, sample_site, rare)
        assert [hit["kind"] for hit in found] == ["台帐"]
        entry_parts = [name for name in loaded if name.startswith("e-")]
        assert len(entry_parts) == 1  # the sample's 347 entries are in 6 parts: one is read
        loaded.clear()
        search(page, sample_site, "没有这样的词语")
        assert not [name for name in loaded if name.startswith("e-")]  # no candidate: no entry part is read


def test_highlights_mark_exactly_the_searched_characters_also_after_an_ellipsis(
    browser: Browser, sample_site: Path
) -> None:
    words = deep_words(sample_site)
    with opened(browser) as page:
        search(page, sample_site, words)
        marks = page.locator("#search-results mark").all_inner_texts()
        snippets = page.locator("#search-results .snippet").all_inner_texts()
    assert marks and set(marks) == {words}
    assert any(s.startswith("…") and words in s for s in snippets)  # the case that shifted marks two characters


def test_variant_and_traditional_forms_find_the_same_results(browser: Browser, sample_site: Path) -> None:
    with opened(browser) as page:
        results = {
            q: {without_query(hit["href"]) for hit in search(page, sample_site, q)} for q in ("台帐", "台账", "臺帳")
        }
    assert results["台帐"], "the sample's rubric and ledgers write both 台帐 and 台账"
    assert results["台帐"] == results["台账"] == results["臺帳"]


@pytest.mark.parametrize("query", ["zq", "ziqiao", "ZiQiao"])
def test_pinyin_of_a_name_finds_the_community(
    browser: Browser, sample_site: Path, site_results: Results, query: str
) -> None:
    with opened(browser) as page:
        found = search(page, sample_site, query)
        first_marks = page.locator("#search-results li").first.locator("a mark").all_inner_texts()
    assert found[0]["title"] == "紫桥社区"
    assert without_query(found[0]["href"]) == f"communities/{community_id(site_results, '紫桥社区')}.html"
    assert first_marks == ["紫桥"]  # the characters the pinyin stands for


@pytest.mark.parametrize(("query", "kind"), [("降职降级", "社区"), ("警示谈话", "社区"), ("刘国强", "各线")])
def test_measures_and_reviewers_are_searchable(browser: Browser, sample_site: Path, query: str, kind: str) -> None:
    with opened(browser) as page:
        found = search(page, sample_site, query)
    assert found and found[0]["kind"] == kind


def test_the_page_a_result_opens_marks_the_searched_words(browser: Browser, sample_site: Path) -> None:
    with opened(browser) as page:
        search(page, sample_site, "台账")
        entry = page.locator("#search-results li", has=page.locator(".kind", has_text="台帐")).first.locator("a")
        with page.expect_navigation():
            entry.click()
        marks = page.locator("#main mark").all_inner_texts()
    assert marks and set(marks) <= {"台帐", "台账"}


# --- filters and navigation ----------------------------------------------------------------


def visible_rows(page: Page, table: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden])", "rows => rows.map(r => ({...r.dataset}))"
    )
    return rows


def test_a_lines_filters_live_in_the_url_and_survive_back(
    browser: Browser, sample_site: Path, site_results: Results
) -> None:
    ziqiao = community_id(site_results, "紫桥社区")
    expected = [
        e
        for e in site_results.content.entries()
        if e.line == "party" and e.community == ziqiao and str(e.date) >= "2008-07-01"
    ]
    with opened(browser) as page:
        page.goto(url(sample_site, "lines/party.html"))
        page.select_option("select[data-filter='community'][data-filter-table='ledger']", ziqiao)
        page.fill("input[data-filter='from'][data-filter-table='ledger']", "2008-07-01")
        assert f"community={ziqiao}" in page.url and "from=2008-07-01" in page.url
        shared = page.url
        with page.expect_navigation():
            page.locator("#ledger tbody tr:not([hidden]) td a").first.click()
        page.go_back()
        page.wait_for_load_state()
        rows = visible_rows(page, "ledger")
        count = page.inner_text("[data-count-for='ledger']")
        page.goto(shared)  # the same address, opened afresh (as someone it was sent to)
        shared_rows = visible_rows(page, "ledger")
    assert len(rows) == len(expected) > 0
    assert all(r["community"] == ziqiao and r["date"] >= "2008-07-01" for r in rows)
    assert count.startswith(f"显示 {len(expected)}／")
    assert shared_rows == rows


def test_the_record_count_in_the_indicator_tree_opens_those_entries(browser: Browser, sample_site: Path) -> None:
    with opened(browser) as page:
        page.goto(url(sample_site, "communities/dongsheng.html"))
        link = page.locator("#tree a.entries-link").first
        leaf = link.evaluate("a => a.closest('tr').id.slice(2)")  # i-<leaf full id>
        shown = int(link.inner_text().strip("（）条记录"))
        with page.expect_navigation():
            link.click()
        rows = visible_rows(page, "entries")
        toc = page.locator("nav.toc a").all_inner_texts()
    assert len(rows) == shown and {r["leaf"] for r in rows} == {leaf}
    assert "指标明细" in toc and "扣分、加分与完成记录" in toc


def test_the_rubric_category_label_stays_on_screen_in_its_tall_cell(browser: Browser, sample_site: Path) -> None:
    with opened(browser) as page:
        page.goto(url(sample_site, "rubric.html"))
        cell = page.locator(".rubric th.category").first
        box = cell.bounding_box()
        assert box is not None and box["height"] > DESKTOP[1]  # taller than the window
        page.evaluate(f"window.scrollTo(0, {box['y'] + box['height'] / 2})")  # halfway down the category
        label = cell.locator(".sticky-label").bounding_box()
    assert label is not None and 0 <= label["y"] < DESKTOP[1]


# --- on a phone ----------------------------------------------------------------------------


def test_on_a_phone_every_rank_and_total_is_in_view_without_sideways_scrolling(
    browser: Browser, sample_site: Path, sample_results: dict[str, Any]
) -> None:
    with opened(browser, PHONE) as page:
        page.goto(url(sample_site, "index.html"))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        cards: list[dict[str, Any]] = page.eval_on_selector_all(
            "#ranking-cards li",
            """cards => cards.map(li => {
                const box = el => { const r = li.querySelector(el).getBoundingClientRect(); return [r.left, r.right, r.width]; };
                return { id: li.dataset.community, rank: li.querySelector('.rank').textContent,
                         total: li.querySelector('.total').firstChild.textContent, boxes: [box('.rank'), box('.total')] };
            })""",
        )
    assert overflow <= 0
    assert [(c["id"], c["total"]) for c in cards] == [(c["id"], c["total"]) for c in sample_results["communities"]]
    for card, community in zip(cards, sample_results["communities"], strict=True):
        assert card["rank"].startswith(f"第{community['rank']}名")
        assert all(left >= 0 and right <= PHONE[0] and width > 0 for left, right, width in card["boxes"])


CHART_TEXT = """() => [...document.querySelectorAll('svg text')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => { const svg = t.ownerSVGElement;
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return parseFloat(getComputedStyle(t).fontSize) * scale; })"""


def test_on_a_phone_chart_text_is_at_least_12_px_and_the_heat_map_legend_is_in_view(
    browser: Browser, sample_site: Path
) -> None:
    with opened(browser, PHONE) as page:
        page.goto(url(sample_site, "index.html"))
        sizes: list[float] = page.evaluate(CHART_TEXT)
        legend: list[list[float]] = page.eval_on_selector_all(
            ".chart .legend li",
            "items => items.map(li => [li.getBoundingClientRect().left, li.getBoundingClientRect().right])",
        )
        scrolls = page.evaluate(
            "(() => { const s = document.querySelector('.chart-scroll'); return s.scrollWidth > s.clientWidth; })()"
        )
        hint = page.is_visible(".scroll-hint")
    assert sizes and min(sizes) >= 12
    assert len(legend) == 5 and all(left >= 0 and right <= PHONE[0] for left, right in legend)
    assert not scrolls or hint  # a heat map wider than the phone says it scrolls


def test_on_a_phone_cards_sort_from_a_picker_and_hidden_sort_buttons_take_no_focus(
    browser: Browser, sample_site: Path
) -> None:
    with opened(browser, PHONE) as page:
        page.goto(url(sample_site, "lines/party.html"))
        page.select_option("select[data-sort-for='ledger']", label="分值（升序）")
        effects = page.eval_on_selector_all(
            "#ledger tbody tr", "rows => rows.map(r => Number(r.querySelector('.effect').dataset.sort))"
        )
        page.select_option("select[data-sort-for='subtotals']", label="本线得分（降序）")
        subtotal_scores = page.eval_on_selector_all(
            "#subtotals tbody tr", "rows => rows.map(r => Number(r.querySelector('.line-score').dataset.sort))"
        )
        focusable = page.evaluate(
            """[...document.querySelectorAll('button.sort')].filter(b => { b.focus(); return document.activeElement === b; }).length"""
        )
    assert len(effects) > 1 and effects == sorted(effects)
    assert focusable == 0
    assert subtotal_scores == sorted(subtotal_scores, reverse=True) and len(subtotal_scores) > 1


def test_on_a_phone_filtered_out_cards_are_not_shown(
    browser: Browser, sample_site: Path, site_results: Results
) -> None:
    ziqiao = community_id(site_results, "紫桥社区")
    expected = sum(1 for e in site_results.content.entries() if e.line == "party" and e.community == ziqiao)
    with opened(browser, PHONE) as page:
        page.goto(url(sample_site, f"lines/party.html?community={ziqiao}"))
        shown = page.eval_on_selector_all("#ledger tbody tr", "rows => rows.filter(r => r.offsetHeight > 0).length")
    assert shown == expected > 0


# --- in print ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample year without the 班子会 decision, so a draft; rendered without git and PDFs."""
    project = tmp_path_factory.mktemp("draft") / "project"
    shutil.copytree(TOOL_ROOT / "content", project / "content")
    (project / "content" / "decision.yaml").unlink()
    results = project_results(project)
    assert not results.final
    return render(results, project / "output", project_root=project)


def printed_pages(browser: Browser, site: Path, name: str, tmp_path: Path) -> list[tuple[str, Any, Any]]:
    """Each A4 page's text, the right edge of what is drawn on it, and the page width (PDF points)."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    target = tmp_path / (name.replace("/", "-") + ".pdf")
    with opened(browser) as page:
        page.goto(url(site, name))
        page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
    with pdfplumber.open(target) as pdf:
        return [
            # NFKC: the PDF's CJK fonts map some glyphs to Kangxi radicals (⽬ for 目)
            (normalize("NFKC", p.extract_text() or ""), max(x["x1"] for x in [*p.chars, *p.rects, *p.lines]), p.width)
            for p in pdf.pages
        ]


@pytest.mark.parametrize(
    ("name", "headers", "row"),
    [
        ("lines/party.html", ["日期", "社区", "细则条目", "分值", "说明", "依据"], r"2008-\d\d-\d\d"),
        ("rubric.html", ["类别", "项目", "工作目标", "扣分标准", "负责线"], r"[a-z]+\.[a-z-]+\.[a-z]"),
    ],
)
def test_printed_tables_repeat_every_column_header_and_fit_the_page(
    browser: Browser, draft_site: Path, tmp_path: Path, name: str, headers: list[str], row: str
) -> None:
    pages = printed_pages(browser, draft_site, name, tmp_path)
    start = next(n for n, (text, _, _) in enumerate(pages, start=1) if all(h in text for h in headers))
    continued = [n for n, (text, _, _) in enumerate(pages, start=1) if n > start and re.search(row, text)]
    assert len(continued) >= 2  # the table runs on over several pages
    for number in continued:
        assert all(h in pages[number - 1][0] for h in headers), f"{name} page {number} lacks a header"
    for number, (text, right, width) in enumerate(pages, start=1):
        assert "草稿" in text, f"{name} page {number} does not say 草稿"
        assert right <= width - RIGHT_MARGIN_PT + 1, f"{name} page {number} runs into the right margin"


def test_the_printed_ranking_fills_page_one_and_names_where_downloads_are(
    browser: Browser, draft_site: Path, tmp_path: Path
) -> None:
    pages = printed_pages(browser, draft_site, "index.html", tmp_path)
    first = pages[0][0]
    assert "总排名" in first and "排名最末" in first  # the measures follow the table, not a blank half page
    everything = "\n".join(text for text, _, _ in pages)
    assert "downloads/results.xlsx" in everything


def test_a_history_of_many_years_prints_landscape_and_fits(browser: Browser, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(TOOL_ROOT / "content", project / "content")
    archived = (project / "content" / "history" / "2007.yaml").read_text(encoding="utf-8")
    for year in range(1999, 2006):  # with 2006, 2007 and this year: 10 years, more than fit in portrait
        text = archived.replace("year: 2007", f"year: {year}")
        (project / "content" / "history" / f"{year}.yaml").write_text(text, encoding="utf-8")
    site = render(project_results(project), project / "output", project_root=project)
    pages = printed_pages(browser, site, "history.html", tmp_path)
    first = printed_pages(browser, site, "index.html", tmp_path)[0]
    text, right, width = pages[0]
    assert all(str(year) in text for year in range(1999, 2009))
    assert width > 800 and right <= width - RIGHT_MARGIN_PT + 1  # A4 landscape is 842 pt wide
    assert first[2] < 600  # the ranking of nine categories stays portrait (595 pt)


# --- accessibility -------------------------------------------------------------------------


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core (scripts/setup.sh --dev installs it into .venv/node)")
@pytest.mark.parametrize(("size", "kinds"), [(DESKTOP, PAGE_KINDS), (PHONE, PHONE_KINDS)], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page_kind(
    browser: Browser, sample_site: Path, size: tuple[int, int], kinds: tuple[str, ...]
) -> None:
    source = AXE.read_text(encoding="utf-8")
    found = []
    with opened(browser, size, bypass_csp=True) as page:  # the page's CSP allows only its own scripts
        for name in kinds:
            page.goto(url(sample_site, name))
            page.add_script_tag(content=source)
            violations: list[dict[str, Any]] = page.evaluate(
                """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
            )
            found += [f"{name}: {v['id']} at {v['nodes']}" for v in violations]
    assert found == []
