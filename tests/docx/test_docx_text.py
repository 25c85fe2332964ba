"""The view models' text as DOCX runs: gaps out, the author's spaces in, Markdown emphasis, XML-safe."""

from __future__ import annotations

from kaohe.render.docx.text import Span, block_paragraphs, gapped_spans, spans
from kaohe.render.pdf.typeset import gap_html, gap_text
from kaohe.render.pdf.views import BLANK_DATE


def test_justification_gaps_are_taken_out_and_the_authors_spaces_kept() -> None:
    gapped = gap_text("按 PDF/A 要求归档，共3项")  # a space at every break, U+2005 for the two real spaces
    assert gapped != "按 PDF/A 要求归档，共3项"
    assert gapped_spans(gapped) == [Span("按 PDF/A 要求归档，共3项")]


def test_markdown_emphasis_becomes_bold_and_italic_runs() -> None:
    html = gap_html("各社区要<strong>高度重视</strong>，<em>认真</em>整理")
    assert gapped_spans(html) == [
        Span("各社区要"),
        Span("高度重视", bold=True),
        Span("，"),
        Span("认真", italic=True),
        Span("整理"),
    ]


def test_a_drafts_blank_date_keeps_its_blank_cells() -> None:
    assert "".join(s.text for s in spans(BLANK_DATE)) == "\u3000\u3000年\u3000月\u3000日"  # 2 + 1 + 1 cells


def test_characters_xml_cannot_hold_are_left_out() -> None:
    assert spans("台帐\x01第\x0b12号") == [Span("台帐第12号")]


def test_a_markdown_list_gives_one_paragraph_per_item() -> None:
    found = block_paragraphs("<ul>\n<li>第一项</li>\n<li>第二项 <strong>重点</strong></li>\n</ul>")
    assert [[s.text for s in paragraph if s.text.strip()] for paragraph in found] == [["第一项"], ["第二项 ", "重点"]]
