"""The ranking page through the year: month-end standings pages, their selector, the rank chart, falling marks.

The sample site is rendered once in this process (no PDFs); a three-community year worked
out by hand (the same as in tests/test_as_of.py) checks the chart cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_support import project_results, render
from support import TOOL_ROOT, copy_project, results_of, small_project

from kaohe.numbers import two_places
from kaohe.scoring.asof import results_as_of
from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PHONE = (390, 844)
AXE = TOOL_ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ROW = re.compile(
    r'<tr data-community="(\w+)"[^>]*>\s*<td class="num rank">(\d+)(?:<span class="tie">并列</span>)?</td>'
    r"\s*<th[^>]*>[^<]*</th>\s*<td class=\"num total\">([\d.]+)</td>"
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, Path]:
    """The sample year's results and its site, rendered in this process."""
    root = copy_project(tmp_path_factory.mktemp("through-year") / "project")
    results = project_results(root)
    return results, render(results, root / "output", project_root=root)


@pytest.mark.parametrize("day", ["2008-03-31", "2008-06-30", "2008-12-31"])
def test_a_month_page_holds_what_build_as_of_that_day_computes(sample: tuple[Results, Path], day: str) -> None:
    results, site = sample
    rows = ROW.findall((site / "standings" / f"{day}.html").read_text(encoding="utf-8"))
    expected = results_as_of(results.content, date.fromisoformat(day)).communities
    assert rows == [(c.id, str(c.rank), two_places(c.total)) for c in expected]
    assert len(rows) == 10


def test_the_last_month_end_is_the_years_own_ranking(sample: tuple[Results, Path]) -> None:
    results, site = sample
    rows = ROW.findall((site / "standings" / "2008-12-31.html").read_text(encoding="utf-8"))
    year = results.communities
    assert rows == [(c.id, str(c.rank), two_places(c.total)) for c in year]  # the last entry is in December


def test_every_month_with_entries_has_its_page_and_a_link_on_the_ranking_page(sample: tuple[Results, Path]) -> None:
    _, site = sample
    pages = sorted(p.name for p in (site / "standings").glob("*.html"))
    # the sample's entries run from January to December 2008
    assert pages == [
        f"2008-{m:02d}-{d}.html"
        for m, d in zip(range(1, 13), (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), strict=True)
    ]
    index = (site / "index.html").read_text(encoding="utf-8")
    nav = index.split('<nav class="asof-nav"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)
    assert [label for _, _, label in links] == [f"{m}月末" for m in range(1, 13)] + ["全年"]
    assert links[-1] == ("index.html", ' aria-current="page"', "全年")
    assert all(href == f"standings/{name}" for (href, _, _), name in zip(links, pages, strict=False))


# --- the chart on a small year worked out by hand (see tests/test_as_of.py for the arithmetic) ---
#
#   ranks     Jan  Feb  Mar  Apr        rows in April's order: c1 (1), c2 (2), c3 (3)
#   c1         3    2    1    1         shading against the month before:
#   c2        1=    3    3    2           Feb: c1 up, c2 down;  Mar: c1 up, c3 down;  Apr: c2 up, c3 down
#   c3        1=    1    2    3         falling: April worse than February: c3 (1 → 3) alone

HAND_ENTRIES = """\
- {date: 2008-01-10, community: c1, rule: work.other.each, count: 1, note: 一}
- {date: 2008-02-12, community: c2, rule: work.other.each, count: 3, note: 二}
- {date: 2008-03-05, community: c3, rule: work.other.each, count: 2, note: 三}
- {date: 2008-04-20, community: c3, rule: work.other.each, count: 2, note: 四}
"""


@pytest.fixture(scope="module")
def hand_chart(tmp_path_factory: pytest.TempPathFactory) -> str:
    site = render(results_of(small_project(HAND_ENTRIES)), tmp_path_factory.mktemp("hand") / "output")
    index = (site / "index.html").read_text(encoding="utf-8")
    return index.split('<figure class="chart trend-chart"', 1)[1].split("</figure>", 1)[0]


def test_the_chart_gives_each_communitys_rank_at_every_month_end(hand_chart: str) -> None:
    ranks = re.findall(r'<text class="rank"[^>]*>([^<]+)</text>', hand_chart)  # column by column, rows in April's order
    assert ranks == ["3", "并1", "并1", "2", "3", "1", "1", "3", "2", "1", "2", "3"]
    totals = re.findall(r'<text class="total"[^>]*>([^<]+)</text>', hand_chart)
    by_month = [("79.00", "80.00", "80.00"), ("79.00", "77.00", "80.00"), ("79.00", "77.00", "78.00")]
    by_month.append(("79.00", "77.00", "76.00"))
    assert totals == [total for month in by_month for total in month]
    shading = re.findall(r'<rect class="cell ?(\w*)"', hand_chart)
    assert shading == ["", "", "", "up", "down", "", "up", "", "down", "", "up", "down"]
    columns = re.findall(r'<text class="col"[^>]*>([^<]+)</text>', hand_chart)
    assert columns == ["1月末", "2月末", "3月末", "4月末"]


def test_the_chart_marks_the_community_whose_rank_fell_over_two_months(hand_chart: str) -> None:
    rows = re.findall(r'<text class="row( falling)?"[^>]*>([^<]+)</text>', hand_chart)
    assert rows == [("", "c1社区"), ("", "c2社区"), (" falling", "c3社区 ▼")]
    note = hand_chart.split('<p class="falling-note"', 1)[1].split("</p>", 1)[0]
    assert "最近一个时点的名次比两个月前差" in note
    assert re.findall(r'<span class="falling-item">([^<]+)</span>', note) == ["c3社区（2月末第1名→4月末第3名）"]


def test_the_chart_is_one_image_with_a_name_a_description_and_no_links(hand_chart: str) -> None:
    svg = hand_chart.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and 'aria-label="各社区逐月名次与总分' in svg and 'aria-describedby="trend-desc"' in svg
    assert "<a " not in svg
    described = hand_chart.split('id="trend-desc">', 1)[1].split("</p>", 1)[0]
    assert "c3社区：1月末第1名、2月末第1名、3月末第2名、4月末第3名" in described


# --- in Chromium ---------------------------------------------------------------------------


@contextmanager
def opened(browser: Browser, size: tuple[int, int], javascript: bool = True, csp: bool = True) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, java_script_enabled=javascript, bypass_csp=not csp
    )
    try:
        yield context.new_page()
    finally:
        context.close()


TREND_TEXT = """() => [...document.querySelectorAll('svg.trend text')].map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale; })"""


def test_on_a_phone_the_chart_text_is_at_least_12_px_and_the_page_does_not_scroll_sideways(
    browser: Browser, sample: tuple[Results, Path]
) -> None:
    _, site = sample
    with opened(browser, PHONE) as page:
        page.goto((site / "index.html").as_uri())
        sizes: list[float] = page.evaluate(TREND_TEXT)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        scrolls = page.evaluate(
            "(() => { const s = document.querySelector('.trend-chart .chart-scroll');"
            " return s.scrollWidth > s.clientWidth; })()"
        )
        hint = page.is_visible(".trend-chart .scroll-hint")
        links = page.eval_on_selector_all(
            ".asof-nav a", "as => as.map(a => { const r = a.getBoundingClientRect(); return [r.left, r.right]; })"
        )
    # 10 names + 12 month labels + 12 × 10 ranks and totals
    assert len(sizes) == 10 + 12 + 2 * 12 * 10 and min(sizes) >= 12
    assert overflow <= 0
    assert not scrolls or hint
    assert len(links) == 13 and all(left >= 0 and right <= PHONE[0] for left, right in links)


def test_the_selector_switches_to_a_month_and_back_without_javascript(
    browser: Browser, sample: tuple[Results, Path]
) -> None:
    _, site = sample
    with opened(browser, PHONE, javascript=False) as page:
        page.goto((site / "index.html").as_uri())
        page.click(".asof-nav a:text-is('6月末')")
        month_url = page.url
        banner = page.inner_text(".banner-asof")
        current = page.inner_text(".asof-nav a[aria-current='page']")
        rows = page.locator("table.standings tbody tr").count()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.click(".asof-nav a:text-is('全年')")
        back_url = page.url
    assert month_url.endswith("/standings/2008-06-30.html")
    assert banner.startswith("截至2008-06-30") and "不是年度考核结果" in banner
    assert current == "6月末" and rows == 10 and overflow <= 0
    assert back_url.endswith("/site/index.html")


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core (scripts/setup.sh --dev installs it into .venv/node)")
def test_axe_finds_nothing_serious_in_the_through_year_section_and_a_month_page(
    browser: Browser, sample: tuple[Results, Path]
) -> None:
    _, site = sample
    found = []
    with opened(browser, PHONE, csp=False) as page:  # the page's CSP allows only its own scripts
        for name, scope in (("index.html", "section.through-year"), ("standings/2008-06-30.html", "document")):
            page.goto((site / name).as_uri())
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            found += page.evaluate(
                f"""async () => (await axe.run({scope if scope == "document" else repr(scope)},
                        {{resultTypes: ['violations']}})).violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => '{name}: ' + v.id + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')))"""
            )
    assert found == []
