"""Text preparation for the notices: justification gaps, headings, titles, dates, the gap font."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from markupsafe import Markup

from kaohe.render.pdf.finish import finish_chunks
from kaohe.render.pdf.gapfont import gap_font_bytes
from kaohe.render.pdf.typeset import (
    BREAK,
    GLUE,
    REAL_SPACE,
    cells,
    gap_html,
    gap_text,
    heading_level,
    inline_blocks,
    organ_lines,
    title_lines,
    unbroken_units,
)
from kaohe.render.pdf.views import markdown_paragraphs, signature
from kaohe.render.vocab import chinese_year, cn_date, cn_ordinal


def test_gaps_between_chinese_characters_and_glue_before_closing_punctuation() -> None:
    assert gap_text("考核评分，结果") == f"考{BREAK}核{BREAK}评{BREAK}分{GLUE}，{BREAK}结{BREAK}果"
    assert gap_text("（一）") == f"（{GLUE}一{GLUE}）"
    assert gap_text("——") == f"—{GLUE}—"


def test_latin_words_stay_whole_and_their_spaces_stay_visible() -> None:
    assert gap_text("Excel 表格") == f"Excel{REAL_SPACE}表{BREAK}格"
    # a number may part from its unit at a line's end (UAX #14): gluing them was tried and left out, since
    # （95.20分）、 then moves as one to the next line and leaves the line before it stretched, loose
    assert gap_text("95.20分") == f"95.20{BREAK}分"


def test_an_address_breaks_only_after_at_or_slash_or_before_a_dot() -> None:
    # kept whole, a long address goes to the next line and leaves the line before it loose
    assert (
        gap_text("邮箱：ke@cb.example.org）")
        == f"邮{BREAK}箱{GLUE}：{BREAK}ke@{BREAK}cb{BREAK}.example{BREAK}.org{GLUE}）"
    )
    assert gap_text("见https://a.org/x。") == f"见{BREAK}https://{BREAK}a{BREAK}.org/{BREAK}x{GLUE}。"
    assert gap_text("95.20分，0519-88001234") == f"95.20{BREAK}分{GLUE}，{BREAK}0519-88001234"  # no address


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


def test_long_titles_break_between_words_into_a_trapezoid() -> None:
    title = "关于印发《二〇〇八年社区工作目标管理量化考核细则》的通知"
    lines = title_lines(title, 20)
    assert "".join(lines) == title
    assert len(lines) == 2 and all(cells(line) <= 20 for line in lines)
    assert not lines[1].startswith(("》", "的通"))
    assert title_lines("短标题", 20) == ["短标题"]
    # 23 cells: 社区工作目标管理, the programme's name, stays whole, so the breaks are after 关于 (2 + 21: too
    # long), after 年度 (8 + 15) or after 目标管理 (16 + 7): 8 + 15 is the more even trapezoid
    assert title_lines("关于二〇〇八年度社区工作目标管理考核结果的通报", 20) == [
        "关于二〇〇八年度",
        "社区工作目标管理考核结果的通报",
    ]


def test_titles_never_break_inside_book_title_marks_that_fit_a_line() -> None:
    # 15 cells in lines of 12: a trapezoid inside the marks (9 + 6: 关于印发《社区工作 / 细则》的通知) would be
    # more even; outside them only 4 + 11 and 12 + 3 are possible, and 4 + 11 is the more even
    lines = title_lines("关于印发《社区工作细则》的通知", 12)
    assert lines == ["关于印发", "《社区工作细则》的通知"]


def test_three_line_titles_are_diamonds_or_trapezoids_never_hourglasses() -> None:
    title = "关于二〇〇八年度社区工作目标管理考核结果和表彰先进单位的通报"  # 30 cells
    lines = title_lines(title, 12)
    widths = [cells(line) for line in lines]
    assert "".join(lines) == title and len(lines) == 3 and max(widths) <= 12
    assert not (widths[1] < widths[0] and widths[1] < widths[2])
    assert max(widths) - min(widths) >= 2


def test_issuer_names_break_after_a_place_name() -> None:
    assert organ_lines("中共武陵区城北街道工作委员会", 12) == ["中共武陵区", "城北街道工作委员会"]
    assert organ_lines("武陵区人民政府城北街道办事处", 12) == ["武陵区人民政府", "城北街道办事处"]
    assert organ_lines("城北街道办事处", 12) == ["城北街道办事处"]


def test_points_stay_whole_and_lists_run_in_inside_table_cells() -> None:
    assert str(unbroken_units("党组织建设（5分）")) == '党组织建设<span class="nobr">（5分）</span>'
    assert '<span class="nobr">扣0.2分</span>' in str(unbroken_units("每次扣0.2分"))
    assert str(unbroken_units("酌情扣分")) == '酌情<span class="nobr">扣分</span>'  # never 酌情扣｜分
    evidence = "<p>依据：</p>\n<ul>\n<li>投资协议</li>\n<li>银行进账单</li>\n</ul>"
    assert str(inline_blocks(evidence)) == "依据：投资协议；银行进账单"
    assert str(inline_blocks("<ol><li>甲</li><li>乙</li></ol>")) == "1.甲；2.乙"
    assert str(inline_blocks("<ol><li>死亡1人；</li><li>停产。</li></ol>")) == "1.死亡1人；2.停产。"  # never ；；


def test_text_around_a_raw_block_tag_is_kept() -> None:
    """The sanitiser drops ``<div>`` but keeps its text and the text after it, outside any ``<p>``."""
    paragraphs = markdown_paragraphs("前文<div>块内文字</div>后文\n\n第二段")
    texts = [str(p.html).replace(BREAK, "").replace(GLUE, "") for p in paragraphs]
    assert texts == ["前文", "块内文字后文", "第二段"]


def test_dates_and_numbers_in_official_style() -> None:
    assert chinese_year(2008) == "二〇〇八"
    assert cn_date(date(2009, 1, 10)) == "2009年1月10日"
    assert [cn_ordinal(n) for n in (1, 10, 12, 20)] == ["一", "十", "十二", "二十"]


JOINT = ["中共武陵区城北街道工作委员会", "武陵区人民政府城北街道办事处"]
SIGNED = Markup("2009年1月10日")  # 6.5 cells: 2009 (2) 年 1 (½) 月 10 (1) 日


def points(length: str) -> Decimal:
    return Decimal(length.removesuffix("pt"))


CELL = Decimal("15.79")
LINE = Decimal("28.95")


def test_unsealed_signature_names_end_two_cells_from_the_right_and_the_date_starts_two_cells_in() -> None:
    sig = signature(JOINT, SIGNED, sealed=False)
    assert not sig.sealed
    assert points(sig.name_indent) == Decimal("12") * CELL  # 28 - 2 - 14 cells
    assert points(sig.date_indent) == Decimal("14") * CELL


def test_sealed_signature_dates_four_cells_from_the_right_and_centres_one_issuer_over_the_date() -> None:
    sig = signature(["武陵区人民政府城北街道办事处"], SIGNED, sealed=True)
    assert sig.sealed
    assert points(sig.date_indent) == Decimal("17.5") * CELL  # 28 - 4 - 6.5 cells
    (row,) = sig.seal_rows
    (name,) = row.names
    assert name.lines == ("武陵区人民政府城北街道办事处",)
    assert points(name.left) == Decimal("13.75") * CELL  # centred on the date: 17.5 + 6.5 / 2 - 14 / 2
    assert points(row.space_before) == 2 * LINE  # name and date are the last 2 of the 4 signature lines


def test_sealed_signature_sets_joint_issuers_side_by_side_each_in_its_seal_space() -> None:
    sig = signature(JOINT, SIGNED, sealed=True)
    (row,) = sig.seal_rows
    first, second = row.names
    # centres 14 cells apart, the last on the date's centre (20.75): 6.75 and 20.75; names at most 12 cells wide
    assert first.lines == ("中共武陵区", "城北街道工作委员会")
    assert points(first.left) == Decimal("2.25") * CELL  # 6.75 - 9 / 2
    assert second.lines == ("武陵区人民政府", "城北街道办事处")
    assert points(second.left) == Decimal("17.25") * CELL  # 20.75 - 7 / 2
    assert points(row.space_before) == LINE  # two name lines and the date: one blank line above


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
    finish_chunks(chunks, {b"GAPGAP"}, {})
    assert chunks == [
        b"/AAAAAA 21 Tf",
        b"[<0a0b>6] TJ",
        b"/GAPGAP 21 Tf",
        b"[<>-0.1<>0] TJ",
        b"/AAAAAA 21 Tf",
        b"[<0001>] TJ",
    ]
