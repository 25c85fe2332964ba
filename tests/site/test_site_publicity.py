"""The 公示 on the site: a banner on every page while 公示中/复核中, each objection and its 复核 on its community's page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_support import html_pages, parse_html, project_results, render
from support import CHROMIUM, copy_project, results_of, small_project

from kaohe.render.site.publicity import publicity_banner
from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PUBLICITY = """\
from: 2009-01-04
working_days: 5
place: 街道党政办公室
phone: 0519-88001234
objections:
  - id: jianshe-disclose
    by: 许建平
    community: jianshe
    entry: party/2008-03-12/jianshe/party.org.democracy.disclose
    received: 2009-01-09
    says: 办公用房改造事项已在社区公开栏张贴，不应扣分。
    review: {upheld: false, reason: 张贴在检查之后，扣分有据, date: 2009-01-09, by: 街道考核复核小组}
  - id: ziqiao-volunteer
    by: 郑某某
    community: ziqiao
    entry: party/2008-09-25/ziqiao/party.org.volunteer.late-report
    received: 2009-01-06
    says: 志愿服务数据已按时上报。
"""


@pytest.fixture(scope="module")
def review_year(tmp_path_factory: pytest.TempPathFactory) -> Results:
    """The sample year during its 复核: one objection decided (late), one still open."""
    project = copy_project(tmp_path_factory.mktemp("publicity-site") / "project")
    (project / "content" / "publicity.yaml").write_text(PUBLICITY, encoding="utf-8")  # in place of the sample's
    return project_results(project)


@pytest.fixture(scope="module")
def review_site(review_year: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(review_year, tmp_path_factory.mktemp("publicity-out") / "output")


def test_every_page_carries_the_banner_with_the_end_date_and_how_to_object(review_site: Path) -> None:
    pages = html_pages(review_site)
    assert len(pages) > 10
    for path in pages:
        if path.name == "index.html" and path.parent != review_site:
            continue  # the output folder's redirect page
        text = parse_html(path).text
        # 2009-01-04 (Sunday worked for 元旦) … 01-08: five working days.
        assert "复核中" in text, path
        assert "公示期：2009年1月4日至2009年1月8日（5个工作日）。" in text, path
        assert "请在公示期内（至2009年1月8日）向街道党政办公室（电话：0519-88001234）提出" in text, path
        assert "收到异议2件，其中待复核1件。" in text, path


def test_the_community_page_lists_its_objections_with_their_review(review_site: Path) -> None:
    jianshe = parse_html(review_site / "communities" / "jianshe.html").text
    assert "公示异议及复核" in jianshe
    # received Fri 2009-01-09, the day after the 公示's last day: late, and shown as such
    assert "异议不成立2009年1月9日收到（公示期满后提出，已登记在案）：党群线台帐2008年3月12日记载的" in jianshe
    assert "异议人许建平" in jianshe and "复核结论异议不成立。张贴在检查之后，扣分有据" in jianshe
    ziqiao = parse_html(review_site / "communities" / "ziqiao.html").text
    assert "待复核2009年1月6日收到：" in ziqiao and "许建平" not in ziqiao and "复核结论" not in ziqiao
    assert "公示异议及复核" not in parse_html(review_site / "communities" / "qingnian.html").text


def test_no_banner_without_a_publicity_and_none_once_final() -> None:
    entry = "- {date: 2008-12-20, community: c1, rule: work.rules.each, note: 年底检查}"
    assert publicity_banner(results_of(small_project(entry))) is None
    publicised = small_project(entry, **{"content/publicity.yaml": "from: 2009-01-05\nworking_days: 5\n"})
    banner = publicity_banner(results_of(publicised))
    assert banner is not None and (banner.stage, banner.count) == ("公示中", "")
    publicised.files["content/decision.yaml"] = (
        "meeting: 2009-01-12\nminutes: 纪要〔2009〕1号\n"
        f"results_sha256: {results_of(publicised).sha256}\nnotice: {{number: 街通〔2009〕1号, date: 2009-01-12}}\n"
    )
    final = results_of(publicised)
    assert final.final and publicity_banner(final) is None


def test_once_every_objection_has_its_review_the_banner_says_the_results_wait_for_approval() -> None:
    entry = "- {date: 2008-12-20, community: c1, rule: work.rules.each, note: 年底检查}"
    objection = (
        "objections:\n  - {id: c1-dec, by: 张某某, community: c1, entry: a/2008-12-20/c1/work.rules.each,"
        " received: 2009-01-07, says: 已整改。}\n"
    )
    publicity = "from: 2009-01-05\nworking_days: 5\n" + objection
    pending = publicity_banner(results_of(small_project(entry, **{"content/publicity.yaml": publicity})))
    assert pending is not None and (pending.stage, pending.count) == ("复核中", "收到异议1件，其中待复核1件。")
    reviewed = publicity.replace(
        "已整改。}", "已整改。, review: {upheld: false, reason: 有据, date: 2009-01-12, by: 复核组}}"
    )
    done = publicity_banner(results_of(small_project(entry, **{"content/publicity.yaml": reviewed})))
    assert done is not None and (done.stage, done.count) == ("复核完毕，待审定", "收到异议1件，均已复核。")
    # reviewed on 2009-01-07, within the 公示 (01-05 … 01-09): more objections may yet come, so not 复核完毕
    early = reviewed.replace("date: 2009-01-12", "date: 2009-01-07")
    within = publicity_banner(results_of(small_project(entry, **{"content/publicity.yaml": early})))
    assert within is not None and (within.stage, within.count) == ("复核中", "收到异议1件，均已复核。")


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup.sh --dev installs it)")
def test_the_banner_and_the_objections_show_in_a_browser(review_site: Path, browser: Browser, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(review_site, site)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto((site / "communities" / "jianshe.html").as_uri())
    banner = page.locator("#publicity-banner")
    assert banner.is_visible()
    assert "2009年1月8日" in banner.inner_text()
    item = page.locator("#objection-jianshe-disclose")
    assert item.is_visible()
    assert "异议不成立" in item.inner_text()
    page.screenshot(path=str(tmp_path / "jianshe.png"), full_page=False)
    context.close()
