"""The 处理告知书 of each person given a measure, read back from the built PDFs (kaohe/render/pdf/measure_notice.py).

The sample year is final: the 班子会 met on 2009-01-09, the notice is dated 2009-01-10, and
rubric.yaml gives no appeal_days, so the time limit is the default 15 calendar days:
2009-01-10 + 15 days = 2009-01-25. 东升社区's secretary 胡长林 was last overall in 2006, 2007 and
2008 (content/history/2006.yaml and 2007.yaml rank 东升 10th of 10, and so does this year): the
third-level measure 降职降级, exempted by decision.yaml. 建设社区's 苏晓东 was last in 劳动和社会保障
in 2007 and 2008: 诫勉.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pdf_support import read_pdf, running_text
from support import SAMPLE_CONTENT, MemorySource

from kaohe.pipeline import run
from kaohe.render.pdf import documents
from kaohe.render.pdf.measure_notice import appeal_deadline, measure_notices
from kaohe.render.pdf.report import measure_sentence
from kaohe.render.site.context import gather
from kaohe.render.site.export import measure_rows
from kaohe.render.site.ranking import ranking_page
from kaohe.scoring.results import Results

SECRETARY_NOTICE = "处理告知书-东升社区-胡长林.pdf"
STAFF_NOTICE = "处理告知书-建设社区-苏晓东.pdf"


def notice_text(path: Path) -> str:
    """The notice's text read back, its lines joined, without the sample mark a page break puts mid-sentence."""
    return running_text(read_pdf(path))


@functools.cache
def sample_results(drop_decision: bool = False) -> Results:
    """The sample year's results computed in this process, final (or a draft without decision.yaml); once each."""
    files = {
        str(p.relative_to(SAMPLE_CONTENT.parent)): p.read_text(encoding="utf-8") for p in SAMPLE_CONTENT.rglob("*.yaml")
    }
    if drop_decision:
        files.pop("content/decision.yaml")
    results = run(MemorySource(files)).results
    assert results is not None
    return results


def test_the_deadline_counts_calendar_days_from_the_notice_date() -> None:
    assert appeal_deadline(date(2009, 1, 10), 15) == date(2009, 1, 25)  # 10 + 15
    assert appeal_deadline(date(2009, 1, 20), 15) == date(2009, 2, 4)  # 20 + 15 = 35 = 31 + 4
    assert appeal_deadline(date(2008, 2, 20), 10) == date(2008, 3, 1)  # 2008 is a leap year: 20 + 10 = 30 = 29 + 1


def test_the_exempted_secretary_s_notice_names_him_the_measure_the_facts_and_the_deadline(final_project: Path) -> None:
    text = notice_text(final_project / "output" / "pdf" / SECRETARY_NOTICE)
    assert "胡长林同志：" in text
    assert (
        "该社区综合考核2006年度排第10名（共10个社区）、2007年度排第10名（共10个社区）、2008年度排第10名（共10个社区），均为排名最末"
        in text
    )
    assert "你连续三年综合考核排名最末，按规定应给予降职降级处理；" in text
    assert "不予降职降级处理，继续诫勉" in text  # the exemption's reason, from decision.yaml
    assert "可自本告知书成文之日起15日内（至2009年1月25日止）" in text
    assert "2009年1月10日" in text
    assert "抄送" not in text and "印发" not in text  # no 版记: a measure is copied to no one


def test_the_staff_member_s_notice_gives_the_second_level_measure(final_project: Path) -> None:
    text = notice_text(final_project / "output" / "pdf" / STAFF_NOTICE)
    assert "苏晓东同志：" in text
    assert "劳动和社会保障单项考核2007年度排第" in text and "2008年度排第" in text
    assert "你连续两年劳动和社会保障单项考核排名最末，给予诫勉。" in text
    assert "至2009年1月25日止" in text


def test_one_notice_per_person_and_each_is_internal(final_project: Path) -> None:
    results = sample_results()
    assert results.final
    notices = measure_notices(results, None)
    # results.json lists 10 measures, each of another person
    assert len(notices) == len({(m.community, m.person) for m in results.measures}) == 10
    assert all(doc.internal for doc in notices)
    others = [doc for doc in documents(results, None) if doc not in notices]
    assert all(doc.file_name.startswith("复核结果告知书") for doc in others if doc.internal)  # they name the objector
    built = {path.name for path in (final_project / "output" / "pdf").glob("处理告知书-*.pdf")}
    assert built == {doc.file_name for doc in notices}


def test_the_time_limit_follows_appeal_days() -> None:
    results = sample_results()
    longer = dataclasses.replace(results, rubric=dataclasses.replace(results.rubric, appeal_days=30))
    (notice,) = [doc for doc in measure_notices(longer, None) if "胡长林" in doc.meta_title]
    body = re.sub(r"\s", "", "".join(str(p.html) for p in notice.paragraphs))  # without the justification gaps
    assert "30日内（至2009年2月9日止）" in body  # 2009-01-10 + 30 days: 10 + 30 = 40 = 31 + 9


def test_before_the_results_are_final_there_is_no_notice_and_the_measure_is_proposed() -> None:
    draft = sample_results(drop_decision=True)
    assert not draft.final
    assert measure_notices(draft, None) == []
    staff = next(m for m in draft.measures if m.person == "苏晓东")
    assert measure_sentence(draft, staff).endswith("，拟给予诫勉。")
    final = sample_results()
    assert measure_sentence(final, next(m for m in final.measures if m.person == "苏晓东")).endswith("，给予诫勉。")


def test_the_site_and_the_spreadsheet_say_proposed_before_finality(tmp_path: Path) -> None:
    draft = sample_results(drop_decision=True)
    data = gather(draft, tmp_path, (), tmp_path, "")
    shown = {view.person: view.measure for view in ranking_page(data).measures}
    assert shown["苏晓东"] == "拟诫勉" and shown["蔡永刚"] == "拟警示谈话"
    assert {row[1]: row[5] for row in measure_rows(data)}["苏晓东"] == "拟诫勉"
    final = gather(sample_results(), tmp_path, (), tmp_path, "")
    assert {view.person: view.measure for view in ranking_page(final).measures}["苏晓东"] == "诫勉"


def test_a_page_of_the_notice_looks_like_a_letter(final_project: Path, tmp_path: Path) -> None:
    pdf = read_pdf(final_project / "output" / "pdf" / SECRETARY_NOTICE)
    assert all(abs(page.width - 210) < 0.5 and abs(page.height - 297) < 0.5 for page in pdf.pages)  # A4
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf.path), str(tmp_path / "p")], check=True
    )
    (png,) = tmp_path.glob("p*.png")
    pytest.importorskip("PIL")
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size  # A4 at 60 dpi: 210 and 297 mm × 60 / 25.4 = 496.1 and 701.6 pixels
        assert 495 <= width <= 497 and 701 <= height <= 703
        red, green, blue = (band.tobytes() for band in image.convert("RGB").split())
        reds = sum(1 for r, g, b in zip(red, green, blue, strict=True) if r > 180 and g < 80 and b < 80)
    assert reds > 500  # the red letter head (organ name and double rule) is there
