"""The month strip on the lines overview and each line's page, in headless Chromium (kaohe/render/month_strip.py).

Hand counts from the sample ledgers (``grep -c 'date: 2008-MM' content/ledgers/<line>.yaml``):
- 劳保线 (labor): 0 0 0 1 10 11 1 1 2 2 12 11 (51);
- 党群线 (party): 1 1 3 4 2 4 3 1 3 4 3 13 (42): December holds 13 of 42, 31% (13 / 42 = 0.310).
Shades: a month's count against the line's busiest month in quarters, rounded up: in party's
strip 13 is level 4, 4 is ⌈4 × 4 / 13⌉ = ⌈1.23⌉ = 2, 1 is ⌈0.31⌉ = 1; nothing is level 0.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from test_site_readers import AXE, opened, url

from kaohe.render.month_strip import month_strip, months_of, shade

LABOR = [0, 0, 0, 1, 10, 11, 1, 1, 2, 2, 12, 11]
PARTY = [1, 1, 3, 4, 2, 4, 3, 1, 3, 4, 3, 13]  # February: one entry, the other removed by an upheld 复核


def label_of(counts: list[int]) -> str:
    return "各月记录条数：" + "，".join(f"{m}月{c}条" for m, c in enumerate(counts, 1)) + f"；共{sum(counts)}条"


def test_shades_are_quarters_of_the_busiest_month_rounded_up() -> None:
    assert [shade(c, 13) for c in (0, 1, 4, 13)] == [0, 1, 2, 4]
    assert shade(3, 12) == 1 and shade(4, 12) == 2  # 4 × 3 / 12 = 1 exactly; 4 × 4 / 12 = 1.33 → 2
    assert shade(0, 0) == 0


def test_the_months_of_a_period_that_crosses_a_year() -> None:
    assert list(months_of(date(2008, 11, 15), date(2009, 2, 1))) == [(2008, 11), (2008, 12), (2009, 1), (2009, 2)]
    strip = month_strip([date(2008, 11, 20), date(2009, 1, 3), date(2009, 1, 4)], date(2008, 11, 1), date(2009, 1, 31))
    assert [(c.month, c.count, c.level) for c in strip.cells] == [(11, 1, 2), (12, 0, 0), (1, 2, 4)]
    assert strip.last_share == "1月占全年记录的67%"  # 2 of 3 = 66.7%, rounded half up


def test_the_lines_overview_shows_each_line_s_strip_with_its_counts_in_words(
    browser: Browser, sample_site: Path
) -> None:
    with opened(browser) as page:
        page.goto(url(sample_site, "lines.html"))
        rows = page.locator("table.lines tbody tr")
        assert rows.count() == 13  # the sample's 13 lines
        labor = page.locator("tr", has=page.locator("a", has_text="劳保线")).locator(".months")
        assert labor.get_attribute("role") == "img"
        assert labor.get_attribute("aria-label") == label_of(LABOR)
        assert labor.locator(".month").all_inner_texts() == [str(c) for c in LABOR]


def test_a_line_page_shows_that_december_dominates(browser: Browser, sample_site: Path) -> None:
    with opened(browser) as page:
        page.goto(url(sample_site, "lines/party.html"))
        strip = page.locator("section.months-of-line .months")
        assert strip.get_attribute("aria-label") == label_of(PARTY)
        cells = strip.locator(".month")
        assert cells.count() == 12
        classes = [cells.nth(i).get_attribute("class") for i in range(12)]
        assert classes[11] == "month m4" and classes[0] == "month m1" and classes[3] == "month m2"
        colours = [cells.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in (0, 11)]
        assert colours[0] != colours[1]  # December is shaded darker than January
        assert "12月占全年记录的31%" in page.locator("section.months-of-line").inner_text()
        assert cells.nth(11).get_attribute("title") == "12月：13条"


def test_the_strip_passes_axe_on_the_line_page(browser: Browser, sample_site: Path) -> None:
    if not AXE.exists():
        pytest.skip("needs axe-core (scripts/setup.sh --dev installs it into .venv/node)")
    with opened(browser, bypass_csp=True) as page:
        page.goto(url(sample_site, "lines/party.html"))
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        found = page.evaluate(
            """async () => (await axe.run('section.months-of-line', {resultTypes: ['violations']}))
                .violations.map(v => v.id)"""
        )
    assert found == []
