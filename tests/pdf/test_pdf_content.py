"""What the PDFs say: scores equal results.json, the draft mark, the 发文字号, reproducibility, safety."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pdf_support import Pdf, all_pdfs, flat, read_pdf, results_json, running_text
from pypdf import PdfReader
from support import SMALL_RUBRIC, run_cli, run_ok, small_project

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv
from kaohe.render.pdf import render_pdfs
from kaohe.render.pdf.fetcher import AssetFetcher
from kaohe.scoring.results import Results

pytestmark = pytest.mark.slow
TOOL_ROOT = Path(__file__).resolve().parents[2]


def category_order(project: Path) -> list[str]:
    outcome = run(WorkingTree(project))
    assert outcome.results is not None
    return [top.id for top in outcome.results.rubric.indicators]


def results_notice(project: Path) -> Pdf:
    return read_pdf(project / "output" / "pdf" / "2008年度社区工作目标管理考核结果通报.pdf")


def test_results_table_equals_results_json(final_project: Path) -> None:
    data = results_json(final_project)
    order = category_order(final_project)
    pdf = results_notice(final_project)
    table_pages = pdf.pages[pdf.attachment_start() :]
    rows = ["".join(c.text for c in line) for page in table_pages for line in page.lines()]
    found = 0
    for community in data["communities"]:
        expected = [str(community["rank"]), community["name"]]
        expected += [community["categories"][cid]["score"] for cid in order] + [community["total"]]
        matching = [t for t in rows if community["name"] in t and t.startswith(str(community["rank"]))]
        assert matching, community["name"]
        assert any(t.startswith("".join(expected)) for t in matching), (matching, expected)
        found += 1
    assert found == len(data["communities"])


def test_score_sheets_state_total_rank_and_every_category(final_project: Path) -> None:
    data = results_json(final_project)
    outcome = run(WorkingTree(final_project))
    assert outcome.results is not None
    labels = {top.id: top.label for top in outcome.results.rubric.indicators}
    for community in data["communities"]:
        pdf = read_pdf(final_project / "output" / "pdf" / f"考核结果通知书-{community['name']}.pdf")
        text = running_text(pdf)
        assert f"考核总分{community['total']}分" in text
        assert f"排第{community['rank']}名" in text
        for cid, category in community["categories"].items():
            assert f"{labels[cid]}{category['score']}分" in text, (community["name"], cid)
        if community["award"]:
            assert community["award"] in text
        for veto in community["vetoes"]:
            assert veto["note"][:10] in text


def test_score_sheets_list_every_ledger_entry_with_its_date(final_project: Path) -> None:
    outcome = run(WorkingTree(final_project))
    assert outcome.results is not None
    for result in outcome.results.communities:
        pdf = read_pdf(final_project / "output" / "pdf" / f"考核结果通知书-{result.name}.pdf")
        text = flat(pdf.text)
        entries = [effect.entry for leaf in result.score.leaves.values() for effect in leaf.effects]
        for entry in entries:
            date = f"{entry.date.year}年{entry.date.month}月{entry.date.day}日"
            assert date in text, (result.name, date)
        assert f"共记载你社区{len(entries)}条考核事项" in text


# The 公示 notice and the 复核结果告知书 are issued during the 公示, before any decision: never drafts (README).
BEFORE_THE_DECISION = ("（公示）", "复核结果告知书")


def test_draft_mark_on_every_page_exactly_when_not_final(final_project: Path, draft_project: Path) -> None:
    for pdf in all_pdfs(draft_project):
        if any(part in pdf.path.name for part in BEFORE_THE_DECISION):
            assert "草稿" not in pdf.text, pdf.path.name
            continue
        for page in pdf.pages:
            assert "草稿" in page.text, (pdf.path.name, page.number)
    for pdf in all_pdfs(final_project):
        assert "草稿" not in pdf.text, pdf.path.name


def test_document_number_from_the_decision_only_when_final(final_project: Path, draft_project: Path) -> None:
    outcome = run(WorkingTree(final_project))
    assert outcome.results is not None and outcome.results.content.decision is not None
    number = outcome.results.content.decision.notice_number
    final_header = results_notice(final_project).pages[0]
    assert number in final_header.text
    draft_header = results_notice(draft_project).pages[0]
    assert number not in draft_header.text
    assert "年月日" in flat(results_notice(draft_project).text).replace(" ", "")


def test_sample_data_is_said_on_every_page(final_project: Path) -> None:
    outcome = run(WorkingTree(final_project))
    assert outcome.results is not None
    if not outcome.results.content.sample:
        pytest.skip("the content is not marked as sample data")
    for pdf in all_pdfs(final_project):
        for page in pdf.pages:
            assert "示例数据" in page.text, (pdf.path.name, page.number)


SMALL_NOTICE = """\
notice:
  issuers: [测试街道党工委, 测试街道办事处]
  number: 测试通〔2008〕1号
  date: 2008-08-01
  addressee: 各社区
  title: 关于印发《测试细则》的通知
  body: |
    现将《测试细则》印发给你们，请认真贯彻执行。
"""
SMALL_LEDGER_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 制度不全}
- {date: 2008-06-30, community: c3, rule: work.rules.judge, deduct: 0.5, note: 未按时开展}
"""
SMALL_LEDGER_B = """\
- {date: 2008-05-01, community: c2, indicator: money.invest, amount: 120, note: 招商项目}
- {date: 2008-09-12, community: c3, rule: safe.accident.death, note: 死亡事故}
"""


def small_final_year() -> Results:
    """SMALL_RUBRIC with a 细则 notice, three communities and a few entries, approved: every kind of PDF, final."""
    source = small_project(SMALL_LEDGER_A, SMALL_LEDGER_B, **{"content/rubric.yaml": SMALL_RUBRIC + SMALL_NOTICE})
    draft = run_ok(source).results
    assert draft is not None
    source.files["content/decision.yaml"] = (
        f"meeting: 2009-01-09\nminutes: 纪要\nresults_sha256: {draft.sha256}\nnotice: {{number: 文号, date: 2009-01-10}}\n"
    )
    results = run_ok(source).results
    assert results is not None and results.final
    return results


def test_two_builds_give_byte_identical_pdfs(tmp_path: Path) -> None:
    results = small_final_year()
    env = RenderEnv(tmp_path, TOOL_ROOT / "templates", source_date_epoch=1231718400)
    render_pdfs(results, tmp_path / "a", env, ())
    render_pdfs(results, tmp_path / "b", env, ())
    first = sorted((tmp_path / "a" / "pdf").glob("*.pdf"))
    people = {(m.community, m.person) for m in results.measures if m.person}  # one 处理告知书 each
    assert len(first) == 2 + len(results.communities) + len(people)
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / "pdf" / path.name).read_bytes(), path.name
    metadata = PdfReader(first[0]).metadata
    assert metadata is not None
    created = metadata.creation_date
    assert created is not None and created.date().isoformat() == "2009-01-12"


def test_missing_cjk_font_stops_the_build_with_a_clear_message(sample_project: Path, tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><cachedir>' + str(tmp_path) + "</cachedir></fontconfig>")
    done = run_cli(sample_project, env={"FONTCONFIG_FILE": str(config), "PATH": os.environ.get("PATH", "")})
    assert done.returncode == 1
    assert "fonts-noto-cjk" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (sample_project / "output" / "pdf").exists()


def test_fetcher_serves_only_the_project_assets(tmp_path: Path) -> None:
    assets = TOOL_ROOT / "templates" / "pdf"
    fetcher = AssetFetcher(assets)
    assert fetcher.allows((assets / "notice.css").as_uri())
    assert fetcher.allows("data:text/plain,hello")
    for url in ("file:///etc/passwd", "https://example.org/x.png", (assets / ".." / "index.html").as_uri()):
        assert not fetcher.allows(url), url
        with pytest.raises(ValueError, match="own assets"):
            fetcher.fetch(url)
    assert re.search("passwd", " ".join(fetcher.refused))
