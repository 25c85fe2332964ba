"""The preview in headless Chromium: an entry added through the form, a refused one, and a broken ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from serve_support import PARTY, Served
from support import CHROMIUM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup.sh --dev installs it)"),
]

REBUILD_MS = 180_000  # the answer comes once the site is rebuilt: on a loaded 2-core machine, tens of seconds


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN")
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    yield opened
    context.close()
    assert problems == [], "the page's policy refused something the preview added"


def fill_entry(page: Page, served: Served, cites: str, note: str) -> None:
    page.goto(served.url + "_kaohe/new/party")
    page.fill("#date", "2008-06-20")
    page.select_option("#community", "beimen")
    page.fill("#cites", cites)
    page.fill("#count", "2")
    page.fill("#note", note)


def test_an_entry_added_through_the_form_shows_on_the_rebuilt_ledger_page(page: Page, served: Served) -> None:
    before = served.ledger().decode("utf-8")
    note = "本地预览：党务公开、民主评议两项制度未建立"
    fill_entry(page, served, "party.org.democracy.system", note)
    page.click("button[type=submit]")
    # the sample year is approved: the entry is written, and the form says at once that the approval no longer holds
    page.wait_for_selector("#warnings", timeout=REBUILD_MS)
    warned = page.inner_text("#warnings")
    assert "已记入台帐，但请核对" in warned and "changed since the 班子会 approved them" in warned
    page.goto(served.url + "site/lines/party.html")
    assert page.get_by_text(note).count() >= 1  # on the page built after the entry was written
    appended = (
        "  - date: 2008-06-20\n    community: beimen\n    rule: party.org.democracy.system\n"
        f"    count: 2\n    note: {note}\n"
    )
    assert served.ledger().decode("utf-8") == before + appended  # canonical, at the end; comments above kept


def test_an_invalid_entry_shows_checks_error_and_leaves_the_ledger_as_it_was(page: Page, served: Served) -> None:
    before = served.ledger()
    fill_entry(page, served, "party.org.democracy.sytem", "细则条目写错的一条")
    page.click("button[type=submit]")
    page.wait_for_selector("#problems")
    problems = page.inner_text("#problems")
    assert "unknown rule 'party.org.democracy.sytem' (did you mean 'party.org.democracy.system'?)" in problems
    assert page.input_value("#note") == "细则条目写错的一条"  # what was typed is kept for correcting
    assert served.ledger() == before


def test_a_ledger_broken_on_disk_shows_the_errors_page_until_it_is_fixed(page: Page, served: Served) -> None:
    page.goto(served.url + "site/index.html")
    ledger = served.root / PARTY
    good = ledger.read_text(encoding="utf-8")
    generation = served.running.preview.snapshot.generation
    ledger.write_text(good.replace("community: dongsheng", "community: dongshen", 1), encoding="utf-8")
    served.wait_for_build(generation, ok=False)
    # the open page reloads by itself: line 10 is `    community: dongshen`, the value at column 4 + 11 + 1 = 16
    page.wait_for_selector("text=content/ledgers/party.yaml:10:16", timeout=REBUILD_MS)
    assert "unknown community 'dongshen'" in page.inner_text(".problems")
    assert "community: dongshen" in page.inner_text(".source")
    page.click("a.open")
    page.wait_for_url("**/_kaohe/source?file=content/ledgers/party.yaml#L10", timeout=REBUILD_MS)
    assert page.inner_text("#L10").strip() == "community: dongshen"
    generation = served.running.preview.snapshot.generation
    ledger.write_text(good, encoding="utf-8")
    served.wait_for_build(generation, ok=True)
    fresh = page.context.new_page()  # the open page reloads itself now: a goto on it could be aborted by that
    fresh.goto(served.url + "site/index.html")
    assert fresh.locator("#ranking").count() == 1  # the site again
