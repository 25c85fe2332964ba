"""Markdown of notice bodies and entries' notes: how a line break inside the text is shown; text escaped once.

In a notice's body a line break inside a Chinese paragraph joins the lines without a space;
in a note or evidence every line break is a line break, as the clerk typed it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from kaohe.render.markup import (
    PLAIN_PARAGRAPH,
    _converted,
    _safe_html,
    escaped,
    plain_line,
    plain_text,
    render_markdown,
    render_note,
    render_note_inline,
)

XSS_PAYLOADS = Path(__file__).resolve().parent / "data" / "xss-payloads.txt"


def test_text_escaped_once_reads_as_jinja2_would_escape_it() -> None:
    payloads = [line for line in XSS_PAYLOADS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(payloads) > 50 and any("<script" in p for p in payloads) and any('"' in p for p in payloads)
    assert [escaped(p) for p in payloads] == [str(escape(p)) for p in payloads]
    assert escaped('王会计 & "张" <b>\'') == "王会计 &amp; &#34;张&#34; &lt;b&gt;&#39;"


@given(st.text())
def test_any_text_escaped_once_is_what_jinja2_writes(text: str) -> None:
    assert escaped(text) == str(escape(text))


def test_safe_html_is_not_escaped_again() -> None:
    note = render_note_inline("已整改 <b>复查</b> & 合格")
    assert isinstance(note, Markup) and str(note) == "已整改 <b>复查</b> &amp; 合格"  # sanitised: <b> is allowed
    assert escaped(note) == str(note)


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


PLAIN_ALPHABET = st.sampled_from(
    [
        *"0123456789azAZ ,.;:%/+-·×—‘’“”…",
        "\u3000",
        *"、。《》【】〔〕",
        *"一二党群社区检查发现㐀鿿",
        *"！（），：；？～Ａｚ",
    ]
)
MARKUP_ALPHABET = st.sampled_from([*"*_`#>[]()!<>&\"'|\\~=\n", "1. ", "- ", "+ ", "    "])


@given(
    st.lists(PLAIN_ALPHABET, min_size=1).map("".join)
    | st.lists(st.one_of(PLAIN_ALPHABET, MARKUP_ALPHABET), min_size=1).map("".join)
)
@example("*强调*和**加粗**")
@example("a_b_ `代码` [链接](https://example.org) <b>")
@example("1. 一项")
@example("- 一项")
@example("+ 一项")
@example("# 标题")
@example("    缩进")
@example("甲\n乙")
@example("---")
def test_a_note_reads_the_same_whether_markdown_converted_it_or_not(text: str) -> None:
    # A plain line is written without Markdown (kaohe.render.markup.PLAIN_PARAGRAPH); these texts are
    # mostly such lines, or lines with a markup character somewhere that must go through Markdown.
    for line_breaks in (False, True):
        assert _safe_html(text, line_breaks) == _converted(text, line_breaks)
    html = _converted(text, True).strip()
    one_paragraph = html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1
    assert str(render_note_inline(text)) == (html[3:-4] if one_paragraph else html)


def test_a_plain_note_is_one_paragraph_and_a_list_marker_is_not_plain() -> None:
    assert str(render_note("全年组织党建活动3次，少1次")) == "<p>全年组织党建活动3次，少1次</p>"
    assert str(render_note("1. 未整改")) == "<ol>\n<li>未整改</li>\n</ol>"
    assert str(render_note("- 未整改")) == "<ul>\n<li>未整改</li>\n</ul>"


def test_every_character_of_a_plain_note_is_written_as_markdown_would_write_it() -> None:
    # Each character PLAIN_PARAGRAPH allows, in one line between two Han characters, and then the whole
    # line as a note: one conversion checks all some 27,800 of them against Markdown and nh3.
    allowed = "".join(chr(code) for code in range(0x20, 0x10000) if PLAIN_PARAGRAPH.fullmatch(chr(code)))
    assert len(allowed) > 27_000 and "<" not in allowed and "&" not in allowed and "*" not in allowed
    text = f"甲{allowed}乙"
    assert plain_line(text)
    assert _safe_html(text, True) == _converted(text, True) == f"<p>{text}</p>"
    assert _safe_html(text, False) == _converted(text, False)


def test_a_star_between_digits_is_a_multiplication_sign_not_emphasis() -> None:
    note = "宣传栏面积仅3*4米，要求5*6米"
    assert str(render_note(note)) == f"<p>{note}</p>"
    assert plain_text(render_note_inline(note)) == note  # the PDF, the workbook and search keep the numbers
    assert str(render_note("*强调*与3 * 4")) == "<p><em>强调</em>与3 * 4</p>"


def test_a_list_in_a_note_reads_in_the_workbook_and_search_as_the_notices_run_it_in() -> None:
    note = render_note("1. 年度没有发展新党员\n2. 培养台帐不全")
    assert str(note).startswith("<ol>")  # the site shows the list
    assert plain_text(note) == "1.年度没有发展新党员；2.培养台帐不全"  # as the score sheet's cell reads
    assert plain_text(render_note("- 甲；\n- 乙")) == "甲；乙"


def test_a_full_width_space_stays_in_the_plain_text_as_the_site_shows_it() -> None:
    """Spreadsheets and search collapse the whitespace a browser collapses (spaces, tabs, line breaks), no more."""
    assert plain_text(render_note_inline("检查人　王五")) == "检查人\u3000王五"  # plain: the fast path
    assert plain_text(render_note("**检查人**　王五\n复查  合格")) == "检查人\u3000王五 复查 合格"  # through Markdown
    assert plain_text(render_note("- 甲　一\n- 乙")) == "甲\u3000一；乙"
    assert plain_text(render_note("a &amp; b\t c")) == "a & b c"
