"""Text preparation for the notices: justification gaps, headings, titles, dates, the gap font."""

from __future__ import annotations

import io
from datetime import date

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from markupsafe import Markup

from kaohe.render.pdf.finish import erase_gap_glyphs
from kaohe.render.pdf.gapfont import gap_font_bytes
from kaohe.render.pdf.typeset import (
    BREAK,
    GLUE,
    REAL_SPACE,
    cells,
    gap_html,
    gap_text,
    heading_level,
    title_lines,
)
from kaohe.render.pdf.views import markdown_paragraphs, signature
from kaohe.render.vocab import chinese_year, cn_date, cn_ordinal


def test_gaps_between_chinese_characters_and_glue_before_closing_punctuation() -> None:
    assert gap_text("考核评分，结果") == f"考{BREAK}核{BREAK}评{BREAK}分{GLUE}，{BREAK}结{BREAK}果"
    assert gap_text("（一）") == f"（{GLUE}一{GLUE}）"
    assert gap_text("——") == f"—{GLUE}—"


def test_latin_words_stay_whole_and_their_spaces_stay_visible() -> None:
    assert gap_text("Excel 表格") == f"Excel{REAL_SPACE}表{BREAK}格"
    assert gap_text("95.20分") == f"95.20{BREAK}分"


def test_removing_the_gaps_gives_back_the_text() -> None:
    text = "根据《二〇〇八年社区工作目标管理量化考核细则》（常武北委通〔2008〕5号），现将结果通报如下："
    assert gap_text(text).replace(BREAK, "").replace(GLUE, "") == text


def test_gaps_go_into_text_but_never_into_tags_or_entities() -> None:
    html = gap_html('<strong>重要</strong>事项&amp;说明<a href="https://example.org/a b">链接</a>')
    assert 'href="https://example.org/a b"' in html
    assert "&amp;" in html
    assert f"重{BREAK}要</strong>{BREAK}事" in html  # a gap across the inline tag, after it
    assert "<strong>" in html and f"<{BREAK}" not in html


def test_markdown_body_is_sanitised_and_soft_breaks_join_without_space() -> None:
    body = '第一行\n第二行\n\n<a rel="attachment" href="file:///etc/passwd">附件</a><script>x()</script>'
    paragraphs = markdown_paragraphs(body)
    html = "".join(str(p.html) for p in paragraphs)
    assert "file:" not in html and "<script" not in html and 'rel="attachment"' not in html
    assert str(paragraphs[0].html).replace(BREAK, "") == "第一行第二行"


def test_numbered_headings_get_their_levels_and_run_in_fonts() -> None:
    assert heading_level("一、考核内容") == "h1"
    assert heading_level("（二）考核时间") == "h2"
    assert heading_level("3.对年度综合考核") == "h3"
    assert heading_level("（1）细目") == "h4"
    assert heading_level("考核时间定在") == ""
    lead = markdown_paragraphs("（一）考核办法。正文从这里开始")[0]
    assert lead.lead_font == "kai" and str(lead.lead).replace(BREAK, "").replace(GLUE, "") == "（一）考核办法。"


def test_long_titles_break_between_words_into_balanced_lines() -> None:
    title = "关于印发《二〇〇八年社区工作目标管理量化考核细则》的通知"
    lines = title_lines(title, 20)
    assert "".join(lines) == title
    assert len(lines) == 2 and all(cells(line) <= 20 for line in lines)
    assert abs(cells(lines[0]) - cells(lines[1])) <= 3
    assert not lines[1].startswith(("》", "的通"))
    assert title_lines("短标题", 20) == ["短标题"]


def test_dates_and_numbers_in_official_style() -> None:
    assert chinese_year(2008) == "二〇〇八"
    assert cn_date(date(2009, 1, 10)) == "2009年1月10日"
    assert [cn_ordinal(n) for n in (1, 10, 12, 20)] == ["一", "十", "十二", "二十"]


def test_signature_names_end_two_cells_from_the_right_and_the_date_starts_two_cells_in() -> None:
    sig = signature(["中共武陵区城北街道工作委员会", "武陵区人民政府城北街道办事处"], Markup("2009年1月10日"))
    assert float(sig.name_indent.removesuffix("pt")) == 12 * 15.79  # 28 - 2 - 14 cells
    assert float(sig.date_indent.removesuffix("pt")) == 14 * 15.79


def test_gap_font_spaces_take_no_room() -> None:
    font = TTFont(io.BytesIO(gap_font_bytes()))
    cmap = font.getBestCmap()
    assert set(cmap) == {0x20, 0xA0}
    assert all(font["hmtx"][name][0] == 0 for name in cmap.values())
    assert gap_font_bytes() == gap_font_bytes()


def test_gap_glyphs_are_erased_only_in_the_gap_font() -> None:
    chunks: list[object] = [
        b"/AAAAAA 21 Tf",
        b"[<0a0b>6] TJ",
        b"/GAPGAP 21 Tf",
        b"[<>-0.1<0001>0] TJ",
        b"/AAAAAA 21 Tf",
        b"[<0001>] TJ",
    ]
    out = erase_gap_glyphs(chunks, {b"GAPGAP"})
    assert out == [
        b"/AAAAAA 21 Tf",
        b"[<0a0b>6] TJ",
        b"/GAPGAP 21 Tf",
        b"[<>-0.1<>0] TJ",
        b"/AAAAAA 21 Tf",
        b"[<0001>] TJ",
    ]
