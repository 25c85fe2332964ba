"""The notices' HTML read by lxml gives WeasyPrint the tree its own HTML5 parser would (kaohe/render/pdf/parsing.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TOOL_ROOT, copy_project, parse_differences
from weasyprint import HTML

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.pdf import documents
from kaohe.render.pdf.parsing import HTML_ATTRIBUTES, parsed_html
from kaohe.render.pdf.renderer import PdfRenderer


def notice_markup(root: Path) -> dict[str, str]:
    """File name → the HTML each notice of the year at ``root`` is rendered from."""
    outcome = run(WorkingTree(root))
    assert outcome.results is not None
    renderer = PdfRenderer(TOOL_ROOT / "templates")
    return {doc.file_name: renderer.html(doc) for doc in documents(outcome.results, source_date_epoch=1231718400)}


def test_every_notice_of_the_sample_year_parses_to_weasyprints_own_tree() -> None:
    markup = notice_markup(TOOL_ROOT)
    assert len(markup) == 25  # 1 通知, 1 通报, 1 公示, 10 考核结果通知书, 10 处理告知书, 2 复核结果告知书
    problems = {name: found for name, html in markup.items() if (found := parse_differences(html))}
    assert not problems


def test_every_draft_notice_parses_to_weasyprints_own_tree(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "content" / "decision.yaml").unlink()
    markup = notice_markup(project)
    assert any("考核结果通知书" in name for name in markup)
    problems = {name: found for name, html in markup.items() if (found := parse_differences(html))}
    assert not problems


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head></head><body><p>说明 <b>一</b> 二</p>\n<!-- note -->尾</body></html>",
        "<html><head></head><body><table><tbody><tr><td>甲</td></tr></tbody></table></body></html>\n\n",
    ],
)
def test_the_comparison_itself_passes_equal_trees(markup: str) -> None:
    assert parse_differences(markup) == []


def test_the_comparison_itself_finds_what_html5_repairs() -> None:
    # HTML5 puts the rows of a table without <tbody> into one; libxml2 does not
    assert parse_differences("<html><body><table><tr><td>甲</td></tr></table></body></html>")


def test_a_parsed_notice_holds_what_weasyprints_own_parsing_holds() -> None:
    theirs = HTML(string="<p>甲</p>", base_url="file:///notice/")
    ours = parsed_html("<p>甲</p>", "file:///notice/", theirs.url_fetcher)
    assert set(vars(theirs)) == set(vars(ours)) == HTML_ATTRIBUTES
    assert (ours.base_url, ours.media_type) == (theirs.base_url, theirs.media_type)
