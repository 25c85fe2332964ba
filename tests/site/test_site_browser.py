"""End to end: the built site opened from disk in headless Chromium, as a reader would use it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from support import CHROMIUM

from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

DOCS = Path(__file__).resolve().parents[2] / "docs"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup.sh --dev installs it)"),
]


class Console:
    """Every console error, uncaught exception and failed request of a page."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on("console", self.console_message)
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"requestfailed: {r.url}"))
        return page

    def console_message(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")


def open_page(browser: Browser, console: Console, width: int = 1280, height: int = 900) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    return console.watch(context.new_page())


def ranking_from_dom(page: Page) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = page.eval_on_selector_all(
        "#ranking tbody tr",
        """rows => rows.map(r => ({
            id: r.dataset.community,
            rank: r.cells[0].firstChild.textContent.trim(),
            name: r.cells[1].textContent.trim(),
            total: r.cells[2].textContent.trim(),
        }))""",
    )
    return rows


def keep_for_readme(screenshot: Path, name: str, update: bool) -> None:
    """docs/ holds the README's screenshots; they are refreshed only with --update-snapshots."""
    if update:
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(screenshot, DOCS / name)


def test_a_reader_follows_the_ranking_to_a_community_a_line_and_searches(
    browser: Browser, sample_site: Path, sample_results: dict[str, Any], tmp_path: Path, update_snapshots: bool
) -> None:
    console = Console()
    page = open_page(browser, console, width=1366, height=768)
    page.goto((sample_site / "index.html").as_uri())

    shown = ranking_from_dom(page)
    expected = [
        {"id": c["id"], "rank": str(c["rank"]), "name": c["name"], "total": c["total"]}
        for c in sample_results["communities"]
    ]
    assert shown == expected
    page.screenshot(path=str(tmp_path / "ranking-full.png"), full_page=True)
    page.screenshot(
        path=str(tmp_path / "ranking.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1366, "height": 1560}
    )
    keep_for_readme(tmp_path / "ranking.png", "site-ranking.png", update_snapshots)

    first = sample_results["communities"][0]
    with page.expect_navigation():
        page.click(f"#ranking tr[data-community='{first['id']}'] th a")
    assert page.url.endswith(f"communities/{first['id']}.html")
    assert page.inner_text("#community-total").startswith(first["total"])
    page.screenshot(path=str(tmp_path / "community.png"), full_page=True)

    line_link = page.locator("#entries tbody tr td:nth-child(2) a").first
    line_name = line_link.inner_text()
    with page.expect_navigation():
        line_link.click()
    assert "/lines/" in page.url and line_name in page.inner_text("h1")
    assert page.locator("#review-status").inner_text()
    rows = page.locator("#ledger tbody tr")
    total_rows = rows.count()
    assert total_rows > 0
    page.fill("[data-filter='text'][data-filter-table='ledger']", first["name"][:2])
    visible = page.locator("#ledger tbody tr:not([hidden])").count()
    assert 0 < visible <= total_rows
    assert all(first["name"][:2] in t for t in page.locator("#ledger tbody tr:not([hidden])").all_inner_texts())

    page.fill("#site-search-q", sample_results["communities"][-1]["name"])
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    assert "search.html?q=" in page.url
    page.wait_for_selector("#search-results li")
    # the page part of each link; the query (?hl=…) asks the page to mark the searched words
    links = page.eval_on_selector_all("#search-results a", "as => as.map(a => a.getAttribute('href').split(/[?#]/)[0])")
    assert f"communities/{sample_results['communities'][-1]['id']}.html" in links
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    assert console.problems == []


def test_sorting_a_column_reorders_the_ranking(browser: Browser, sample_site: Path) -> None:
    console = Console()
    page = open_page(browser, console)
    page.goto((sample_site / "index.html").as_uri())
    page.click("#ranking thead th:nth-child(3) button")
    totals = [float(row["total"]) for row in ranking_from_dom(page)]
    assert totals == sorted(totals)
    page.click("#ranking thead th:nth-child(3) button")
    totals = [float(row["total"]) for row in ranking_from_dom(page)]
    assert totals == sorted(totals, reverse=True)
    assert console.problems == []


def test_search_finds_ledger_text_in_chinese(browser: Browser, sample_site: Path, site_results: Results) -> None:
    entry = next(e for e in site_results.content.entries() if len(e.note) >= 6)
    words = entry.note[1:5]
    console = Console()
    page = open_page(browser, console)
    page.goto((sample_site / "search.html").as_uri() + "?q=" + words)
    page.wait_for_selector("#search-results li")
    texts = page.locator("#search-results li").all_inner_texts()
    assert any(words in t for t in texts)
    assert page.locator("#search-results mark").first.inner_text() in words
    assert console.problems == []


def test_pages_fit_a_phone_and_an_a4_page(
    browser: Browser, sample_site: Path, tmp_path: Path, update_snapshots: bool
) -> None:
    console = Console()
    phone = open_page(browser, console, width=390, height=844)
    for name in ["index.html", "communities/" + sorted((sample_site / "communities").iterdir())[0].name, "rubric.html"]:
        phone.goto((sample_site / name).as_uri())
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is wider than a phone by {overflow}px"
    phone.goto((sample_site / "index.html").as_uri())
    phone.screenshot(path=str(tmp_path / "phone.png"))
    keep_for_readme(tmp_path / "phone.png", "site-phone.png", update_snapshots)

    a4 = open_page(browser, console, width=703, height=1000)  # 186 mm of A4 width inside the margins, at 96 dpi
    a4.goto((sample_site / "index.html").as_uri())
    a4.emulate_media(media="print")
    assert not a4.is_visible(".site-header")
    assert a4.evaluate("document.querySelector('#ranking').scrollWidth") <= 703
    a4.pdf(path=str(tmp_path / "ranking.pdf"), format="A4", print_background=True)
    assert (tmp_path / "ranking.pdf").stat().st_size > 0
    assert console.problems == []


def test_the_filter_box_folds_variant_characters_as_search_does(browser: Browser, sample_site: Path) -> None:
    console = Console()
    page = open_page(browser, console)
    page.goto((sample_site / "communities" / "dongsheng.html").as_uri())
    rows = page.locator("#entries tbody tr")
    expected = sum("台帐" in text or "台账" in text for text in rows.all_inner_texts())
    assert expected > 1  # the sample writes both forms
    for query in ("台帐", "台账", "臺帳"):
        page.fill("[data-filter='text'][data-filter-table='entries']", query)
        assert page.locator("#entries tbody tr:not([hidden])").count() == expected, query
    assert console.problems == []


def test_a_printed_filtered_table_says_it_is_filtered(browser: Browser, sample_site: Path) -> None:
    console = Console()
    page = open_page(browser, console)
    page.goto((sample_site / "lines" / "party.html").as_uri() + "?community=dongsheng")
    page.emulate_media(media="print")
    shown = page.locator("#ledger tbody tr:not([hidden])").count()
    total = page.locator("#ledger tbody tr").count()
    assert 0 < shown < total
    note = page.locator("[data-note-for='ledger']")
    assert note.is_visible()
    assert note.inner_text().endswith(f"：显示 {shown}／{total} 条")
    assert "社区：东升社区" in note.inner_text()
    page.goto((sample_site / "communities" / "dongsheng.html").as_uri())
    assert not page.locator("[data-note-for-toggle='tree']").is_visible()
    assert not page.locator("[data-note-for='entries']").is_visible()  # nothing filtered: no note
    page.emulate_media(media="screen")
    page.check("input[data-toggle-target='tree']")
    page.emulate_media(media="print")
    assert page.locator("[data-note-for-toggle='tree']").is_visible()
    assert console.problems == []


def test_a_long_ledgers_month_pager_keeps_the_filters_but_not_the_dates(
    browser: Browser, site_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_support import render

    from kaohe.render.site import context

    monkeypatch.setattr(context, "LEDGER_PAGE_ENTRIES", 30)  # the sample's longest ledgers shown a month a page
    site = render(site_results, tmp_path / "out")
    month = sorted((site / "lines").glob("*/*.html"))[1]  # a month with one before and one after it
    console = Console()
    page = open_page(browser, console)
    page.goto(month.as_uri() + "?from=" + f"{month.stem}-01")
    nxt = page.locator("a[rel='next']").first
    assert (nxt.get_attribute("href") or "").endswith(".html")  # the month's own dates are not carried
    community = page.locator("select[data-filter='community'] option").nth(1).get_attribute("value")
    page.select_option("select[data-filter='community']", community)
    page.fill("input[data-filter='text']", "扣")
    hrefs = [link.get_attribute("href") or "" for link in page.locator("a[data-keep-filters]").all()]
    assert len(hrefs) == 4  # before and after, at the top and at the end
    assert all(href.endswith(f".html?community={community}&text=%E6%89%A3") for href in hrefs), hrefs  # no from
    nxt.click()
    page.wait_for_load_state()
    assert page.locator("select[data-filter='community']").input_value() == community
    assert console.problems == []


def test_a_link_to_an_entry_made_before_its_ledger_was_paged_goes_on_to_the_entrys_month(
    browser: Browser, site_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_support import render

    from kaohe.render.site import context

    monkeypatch.setattr(context, "LEDGER_PAGE_ENTRIES", 30)  # the sample's longest ledgers shown a month a page
    site = render(site_results, tmp_path / "out")
    month = sorted((site / "lines").glob("*/*.html"))[1]
    line_page = month.parent.with_suffix(".html")
    anchor = re.search(r'<tr id="(e-[^"]+)"', month.read_text(encoding="utf-8"))
    assert anchor is not None
    community = re.search(rf'<tr id="{anchor[1]}"[^>]* data-community="([^"]+)"', month.read_text(encoding="utf-8"))
    assert community is not None
    console = Console()
    page = open_page(browser, console)
    page.goto(f"{line_page.as_uri()}?community={community[1]}#{anchor[1]}")  # as the link was, with a filter
    page.wait_for_url(f"**/{month.parent.name}/{month.name}?community={community[1]}#{anchor[1]}")
    assert page.locator(f"#{anchor[1]}").is_visible()  # on the month's page, its community's rows shown
    page.goto(f"{line_page.as_uri()}#ledger-h")  # an anchor of the page itself stays
    assert page.url.endswith(f"{line_page.name}#ledger-h")
    assert console.problems == []
