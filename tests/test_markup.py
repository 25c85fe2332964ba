"""Markdown of notice bodies and entries' notes: how a line break inside the text is shown.

In a notice's body a line break inside a Chinese paragraph joins the lines without a space;
in a note or evidence every line break is a line break, as the clerk typed it.
"""

from __future__ import annotations

from kaohe.render.markup import plain_text, render_markdown, render_note, render_note_inline


def test_a_line_break_between_chinese_characters_joins_them_without_a_space() -> None:
    assert str(render_markdown("社区按时报送\n季度台帐。")) == "<p>社区按时报送季度台帐。</p>"


def test_a_line_break_after_chinese_punctuation_joins_the_next_line() -> None:
    assert str(render_markdown("已整改，\n  复查合格。")) == "<p>已整改，复查合格。</p>"


def test_a_line_break_between_latin_words_still_reads_as_a_space() -> None:
    assert plain_text(render_markdown("GB/T 9704\nA4 paper")) == "GB/T 9704 A4 paper"


def test_a_line_break_beside_a_digit_is_left_as_markdown_has_it() -> None:
    assert plain_text(render_markdown("共扣\n2分")) == "共扣 2分"


def test_list_items_written_over_two_lines_join_too() -> None:
    assert str(render_markdown("- 第一项\n  接续\n- 第二项")) == "<ul>\n<li>第一项接续</li>\n<li>第二项</li>\n</ul>"


def test_code_keeps_its_line_breaks() -> None:
    assert "<code>台帐\n文件</code>" in str(render_markdown("`台帐\n文件`"))


def test_a_hard_break_stays_a_line_break() -> None:
    assert str(render_markdown("第一行  \n第二行")) == "<p>第一行<br>\n第二行</p>"


def test_every_line_break_of_a_note_breaks_the_line() -> None:
    assert str(render_note_inline("已整改\n复查合格")) == "已整改<br>\n复查合格"
    assert str(render_note("3月检查\nGB/T 9704")) == "<p>3月检查<br>\nGB/T 9704</p>"


def test_a_note_of_two_lines_searches_as_two_words() -> None:
    assert plain_text(render_note_inline("已整改\n复查合格")) == "已整改 复查合格"
