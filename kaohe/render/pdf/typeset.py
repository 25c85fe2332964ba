"""Text preparation for the PDF notices: justification gaps, headings, titles, dates.

GB/T 9704 body text is justified so that every full line ends at the right
edge of the type area. WeasyPrint stretches only spaces, so :func:`gap_text`
puts a space at every allowed break between Chinese characters (a no-break
space next to punctuation that must not start or end a line). The spaces are
drawn in the zero-advance gap font (:mod:`kaohe.render.pdf.gapfont`) and
removed from the text layer after rendering.

Real spaces in the content (between Latin words) become U+2005 (a quarter-em
space drawn by the body font), so they stay visible and are not mistaken for
justification gaps.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from itertools import combinations, pairwise

from markupsafe import Markup, escape

from kaohe.render.vocab import CN_DIGITS, CN_NUMERALS

BREAK = " "  # a justification gap where a line may break
GLUE = "\u00a0"  # a justification gap where a line must not break
REAL_SPACE = "\u2005"  # a space the author wrote (FOUR-PER-EM SPACE)

CLOSING = set("，。、；：？！）》」』”’〕】〉…—%,.;:?!)]}")  # must not start a line
OPENING = set("（《「『“‘〔【〈([{")  # must not end a line
UNBREAKABLE_PAIRS = set("—…")  # "——" and "……" stay together

HEADING_PATTERNS = (
    ("h1", re.compile(rf"^[{CN_NUMERALS}]+、")),  # 一、 黑体
    ("h2", re.compile(rf"^（[{CN_NUMERALS}]+）")),  # （一） 楷体
    ("h3", re.compile(r"^\d+[.．]")),  # 1. 仿宋
    ("h4", re.compile(r"^（\d+）")),  # （1） 仿宋
)
RUN_IN_LEVELS = {"h1": "hei", "h2": "kai"}  # heading levels set in another font


def is_wide(ch: str) -> bool:
    """Characters that take a full cell of the grid (CJK ideographs, full-width punctuation)."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFF60
        or ch in "“”‘’—…"
    )


FULL_CELL, HALF_CELL = Decimal(1), Decimal("0.5")


def cells(text: str) -> Decimal:
    """The width of ``text`` in grid cells: 1 for wide characters, ½ for the others."""
    return sum((FULL_CELL if is_wide(ch) else HALF_CELL for ch in text), Decimal(0))


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "._-/'+&@#")


def joiner(left: str, right: str) -> str:
    """What goes between two adjacent characters: a break gap, a glue gap or nothing."""
    if left.isspace() or right.isspace():
        return ""
    if _is_word_char(left) and _is_word_char(right):
        return ""
    if left == right and left in UNBREAKABLE_PAIRS:
        return GLUE
    if right in CLOSING or left in OPENING:
        return GLUE
    return BREAK  # between Chinese characters, and between a number and a Chinese unit (UAX #14)


def gap_text(text: str, previous: str = "") -> str:
    """``text`` with justification gaps; ``previous`` is the character just before it, if any."""
    out: list[str] = []
    prev = previous
    for ch in text:
        if ch.isspace():
            ch = REAL_SPACE
        if prev:
            out.append(joiner(prev, ch))
        out.append(ch)
        prev = ch
    return "".join(out)


TAG = re.compile(r"(<[^>]*>)")
BLOCK_TAG = re.compile(r"^</?(p|br|li|ul|ol|table|tr|td|th|thead|tbody|blockquote|pre|h\d|hr)\b", re.IGNORECASE)


def gap_html(fragment: str) -> Markup:
    """Sanitised HTML with justification gaps in its text (never inside tags)."""
    out: list[str] = []
    prev = ""
    for part in TAG.split(fragment):
        if not part:
            continue
        if part.startswith("<"):
            out.append(part)
            if BLOCK_TAG.match(part):
                prev = ""
            continue
        text = html.unescape(part)
        out.append(str(escape(gap_text(text, prev))))
        prev = text[-1] if text else prev
    return Markup("".join(out))


def plain_text(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


def heading_level(text: str) -> str:
    """``h1``…``h4`` for a numbered heading (一、 （一） 1. （1）), else ``""``."""
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return ""


def run_in_heading(text: str) -> tuple[str, str]:
    """Split a paragraph into its heading (up to the first 。, or all of it) and the rest."""
    end = text.find("。")
    if end == -1:
        return text, ""
    return text[: end + 1], text[end + 1 :]


# --- dates and numbers -------------------------------------------------------------------


# --- titles --------------------------------------------------------------------------------

TITLE_VOCABULARY = """关于 印发 年度 社区 工作 目标 管理 量化 考核 细则 结果 通报 通知 通知书 表彰 先进 单位 街道
    情况 有关 事项 实施 办法 规定 的通知 的通报 的决定 得分 排名 明细 一览表 汇总表 评分 名单"""
TITLE_WORDS = sorted(
    TITLE_VOCABULARY.split(),
    key=len,
    reverse=True,
)
TITLE_TOKEN = re.compile(
    rf"[{CN_DIGITS}零十\d]+年度?|" + "|".join(map(re.escape, TITLE_WORDS)) + r"|[A-Za-z0-9]+|.",
    re.DOTALL,
)


def title_tokens(title: str) -> list[str]:
    """Words of a title: opening marks join the next word, closing marks the previous one."""
    tokens: list[str] = []
    pending = ""
    for token in TITLE_TOKEN.findall(title):
        if token in OPENING:
            pending += token
        elif token in CLOSING and tokens:
            tokens[-1] += token
        else:
            tokens.append(pending + token)
            pending = ""
    if pending:
        tokens.append(pending)
    return tokens


def title_lines(title: str, max_cells: int) -> list[str]:
    """Break a long title between words into balanced lines (a trapezoid or diamond)."""
    tokens = title_tokens(title)
    if cells(title) <= max_cells or len(tokens) < 2:
        return [title]
    for count in range(2, len(tokens) + 1):
        best: tuple[Decimal, list[str]] | None = None
        for cuts in combinations(range(1, len(tokens)), count - 1):
            bounds = (0, *cuts, len(tokens))
            lines = ["".join(tokens[a:b]) for a, b in pairwise(bounds)]
            widths = [cells(line) for line in lines]
            if max(widths) > max_cells:
                continue
            score = max(widths) - min(widths)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [title]
