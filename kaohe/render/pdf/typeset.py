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
from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import accumulate, pairwise

from markupsafe import Markup, escape

from kaohe.render.markup import run_in_lists
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


ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://[^\s（）《》，。；、]+", re.ASCII)


def address_joins(text: str) -> dict[int, str]:
    """What goes before each character inside an e-mail or web address: nothing, or a break.

    An address breaks only after ``@`` or ``/`` or before ``.``, where a reader sees the
    break is not part of it; kept whole, a long one would go to the next line and leave
    the line before it stretched loose.
    """
    joins: dict[int, str] = {}
    for match in ADDRESS.finditer(text):
        for at in range(match.start() + 1, match.end()):
            breaks = (text[at - 1] in "@/" and text[at] != "/") or text[at] == "."
            joins[at] = BREAK if breaks else ""
    return joins


def gap_text(text: str, previous: str = "") -> str:
    """``text`` with justification gaps; ``previous`` is the character just before it, if any."""
    out: list[str] = []
    prev = previous
    joins = address_joins(text) if "@" in text or "://" in text else {}
    for at, ch in enumerate(text):
        if ch.isspace():
            ch = REAL_SPACE
        if at in joins:
            out.append(joins[at])
        elif prev:
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


NOTE_CHARS = 2000  # a note in a PDF is cut after this many characters: WeasyPrint is slower than linear on one cell
NOTE_MORE = "……（全文见台帐）"
VOID_TAGS = {"br", "hr", "img", "wbr"}
TAG_NAME = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9]*)")


def clip_text(text: str, limit: int = NOTE_CHARS) -> str:
    """``text``, or its first ``limit`` characters and a pointer to the full text in the ledger."""
    return text if len(text) <= limit else text[:limit] + NOTE_MORE


def clip_html(fragment: str, limit: int = NOTE_CHARS) -> Markup:
    """Sanitised HTML cut like :func:`clip_text` after ``limit`` characters of its text, open tags closed."""
    out: list[str] = []
    open_tags: list[str] = []
    left = limit
    for part in TAG.split(fragment):
        if part.startswith("<"):
            out.append(part)
            name = TAG_NAME.match(part)
            if name is None or name[2].lower() in VOID_TAGS or part.endswith("/>"):
                continue
            if not name[1]:
                open_tags.append(name[2].lower())
            elif open_tags and open_tags[-1] == name[2].lower():
                open_tags.pop()
            continue
        text = html.unescape(part)
        if len(text) > left:
            out.append(str(escape(text[:left])))
            out.extend(f"</{tag}>" for tag in reversed(open_tags))
            out.append(str(escape(NOTE_MORE)))
            return Markup("".join(out))
        left -= len(text)
        out.append(part)
    return Markup(fragment)


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

TITLE_VOCABULARY = """关于 印发 年度 社区 工作 目标管理 目标 管理 量化 考核 细则 结果 通报 通知 通知书 表彰 先进 单位 街道
    情况 有关 事项 实施 办法 规定 的通知 的通报 的决定 得分 排名 明细 一览表 汇总表 评分 名单
    社区工作目标管理"""  # the last: the programme's name, never broken (not 社区 / 工作目标管理)
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


def half_cells(text: str) -> int:
    """The width of ``text`` in half cells (an integer, for the title breaker)."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


SHAPE_STEP = 4  # half cells: lines of a shaped title differ by at least 2 characters (else it reads as a rectangle)
SHAPED_TOKENS = 80  # up to this many words the 2- and 3-line shapes are all tried (3 lines: n² / 2 splits)


def title_lines(title: str, max_cells: int) -> list[str]:
    """A title in the fewest lines of at most ``max_cells``, shaped as GB/T 9704 §7.3.1 asks.

    Two or three lines form a trapezoid or a diamond (never a rectangle of equal lines, never an hourglass),
    breaking between words and never inside ``《…》``; among those shapes the most compact one, then the
    earliest breaks. Longer titles (and titles no shape fits) get :func:`balanced_title_lines`.
    """
    lines = balanced_title_lines(title, max_cells)
    if len(lines) not in (2, 3):
        return lines
    tokens = quoted_tokens(title_tokens(title), 2 * max_cells)
    if len(tokens) > SHAPED_TOKENS:
        return lines
    cuts = shaped_cuts([half_cells(token) for token in tokens], 2 * max_cells, len(lines))
    if cuts is None:
        return lines
    bounds = (0, *cuts, len(tokens))
    return ["".join(tokens[a:b]) for a, b in pairwise(bounds)]


def quoted_tokens(tokens: list[str], limit: int) -> list[str]:
    """The words of a title with each ``《…》`` made one word (when it fits a line)."""
    out: list[str] = []
    quote: list[str] = []
    for token in tokens:
        if quote or token.startswith("《"):
            quote.append(token)
            if "》" in token:
                joined = "".join(quote)
                out.extend([joined] if half_cells(joined) <= limit else quote)
                quote = []
            continue
        out.append(token)
    return out + quote


def shape_ok(widths: Sequence[int]) -> bool:
    """A trapezoid or a diamond: no rectangle (lines about equal), no hourglass (a short middle line)."""
    if max(widths) - min(widths) < SHAPE_STEP:
        return False
    return not (len(widths) == 3 and widths[1] < widths[0] and widths[1] < widths[2])


def shaped_cuts(widths: Sequence[int], limit: int, count: int) -> tuple[int, ...] | None:
    """The breaks of the most compact trapezoid or diamond of ``count`` lines, or ``None``."""
    ends = list(accumulate(widths, initial=0))
    words = len(widths)
    if count == 2:
        splits: Iterator[tuple[int, ...]] = ((i,) for i in range(1, words))
    else:
        splits = ((i, j) for i in range(1, words - 1) for j in range(i + 1, words))
    best: tuple[int, tuple[int, ...]] | None = None
    for cuts in splits:
        bounds = (0, *cuts, words)
        line_widths = [ends[b] - ends[a] for a, b in pairwise(bounds)]
        if max(line_widths) > limit or not shape_ok(line_widths):
            continue
        key = (max(line_widths) - min(line_widths), cuts)
        if best is None or key < best:
            best = key
    return best[1] if best is not None else None


def balanced_title_lines(title: str, max_cells: int) -> list[str]:
    """Break a long title between words into balanced lines.

    The fewest lines of at most ``max_cells``; among those, the smallest difference between the longest and the
    shortest line; among those, the earliest breaks. The time is linear in the length of the title (see
    :func:`balanced_cuts`); trying every combination of breaks never finished for a 90-character name.
    """
    tokens = title_tokens(title)
    widths = [half_cells(token) for token in tokens]
    if sum(widths) <= 2 * max_cells or len(tokens) < 2:
        return [title]
    cuts = balanced_cuts(widths, 2 * max_cells)
    if cuts is None:
        return [title]
    bounds = (0, *cuts, len(tokens))
    return ["".join(tokens[a:b]) for a, b in pairwise(bounds)]


def balanced_cuts(widths: Sequence[int], limit: int) -> tuple[int, ...] | None:
    """Where to break words of these widths into balanced lines of at most ``limit``; ``None`` if a word is wider.

    Greedy filling from the start and from the end gives the fewest lines and, for each break, the window of
    words it can fall after. With the fewest lines a window lies within one greedy line, so it holds at most
    ``limit`` + 1 breaks (a word is at least one half cell wide). For each candidate shortest width a dynamic
    programme over the windows finds the narrowest longest line, then the earliest breaks that reach the best
    difference. The work is lines × window² × candidates: linear in the length for a given ``limit``.
    """
    if not widths or max(widths) > limit:
        return None
    ends = list(accumulate(widths, initial=0))  # ends[i]: the width of the first i words
    windows = break_windows(ends, limit)
    count = len(windows) - 1
    total = ends[-1]
    floor_average, ceil_average = total // count, -(-total // count)
    best: int | None = None  # the smallest difference between the longest and the shortest line
    for low in range(floor_average, 0, -1):  # the shortest line is at most the average...
        if best is not None and ceil_average - low >= best:
            break  # ...and the longest at least the average: no shorter shortest line can do better
        top = narrowest_top(ends, windows, low, limit)
        if top is not None and (best is None or top - low < best):
            best = top - low
    assert best is not None  # low = 1 admits every split into the fewest lines
    found = (earliest_cuts(ends, windows, low, low + best) for low in range(ceil_average - best, floor_average + 1))
    return min(cuts for cuts in found if cuts is not None)


def break_windows(ends: Sequence[int], limit: int) -> list[range]:
    """For each break of a split into the fewest lines (the start and the end included), where it can fall."""
    words = len(ends) - 1
    furthest = [0]  # furthest[j]: the furthest j greedy lines reach from the start
    while furthest[-1] < words:
        end = furthest[-1]
        while end < words and ends[end + 1] - ends[furthest[-1]] <= limit:
            end += 1
        furthest.append(end)
    count = len(furthest) - 1
    earliest = [words] * (count + 1)  # earliest[j]: the earliest start count - j greedy lines reach the end from
    for line in range(count - 1, -1, -1):
        start = earliest[line + 1]
        while start > 0 and ends[earliest[line + 1]] - ends[start - 1] <= limit:
            start -= 1
        earliest[line] = start
    return [range(a, b + 1) for a, b in zip(earliest, furthest, strict=True)]


def narrowest_top(ends: Sequence[int], windows: Sequence[range], low: int, high: int) -> int | None:
    """The narrowest longest line of a split into ``windows`` whose lines are ``low``…``high`` wide, if any."""
    tops: list[int | None] = [0]  # for each break of the previous window: the narrowest longest line so far
    for before, window in pairwise(windows):
        row: list[int | None] = []
        for end in window:
            options = [
                max(top, ends[end] - ends[start])
                for start, top in zip(before, tops, strict=True)
                if top is not None and low <= ends[end] - ends[start] <= high
            ]
            row.append(min(options, default=None))
        tops = row
    return tops[-1]


def earliest_cuts(ends: Sequence[int], windows: Sequence[range], low: int, high: int) -> tuple[int, ...] | None:
    """The earliest breaks of a split into ``windows`` whose lines are ``low``…``high`` wide, if there is one."""
    finishing = [set(windows[-1])]  # for each window from the end: the breaks the rest of the lines fit after
    for window in reversed(windows[:-1]):
        later = finishing[-1]
        finishing.append({a for a in window if any(low <= ends[b] - ends[a] <= high for b in later)})
    finishing.reverse()
    if not finishing[0]:
        return None
    cuts: list[int] = []
    start = 0
    for reachable in finishing[1:-1]:
        start = min(end for end in reachable if end > start and low <= ends[end] - ends[start] <= high)
        cuts.append(start)
    return tuple(cuts)


# --- organ names ---------------------------------------------------------------------------

ORGAN_BREAK = re.compile(r"(?:区|县|市|州|省|政府|街道|镇|乡)(?=.)")  # a name may break after a place or a 政府


def organ_lines(name: str, max_cells: int) -> list[str]:
    """An issuer's name in lines of at most ``max_cells``: broken after a place name where it can be.

    ``中共武陵区城北街道工作委员会`` → ``中共武陵区`` / ``城北街道工作委员会``; among the breaks that fit, the
    most even one, then the earliest. Without such a break, like a title (:func:`title_lines`).
    """
    if half_cells(name) <= 2 * max_cells:
        return [name]
    fits = [
        cut.end()
        for cut in ORGAN_BREAK.finditer(name)
        if max(half_cells(name[: cut.end()]), half_cells(name[cut.end() :])) <= 2 * max_cells
    ]
    if not fits:
        return title_lines(name, max_cells)
    best = min(fits, key=lambda end: (abs(half_cells(name[:end]) - half_cells(name[end:])), end))
    return [name[:best], name[best:]]


# --- table cells ---------------------------------------------------------------------------

UNBROKEN = re.compile(r"（[\d.]+分）|[扣加计得减]?[\d.]+(?:分|元|万元|%|人|次|户|个|天|名|条|处|项)|[扣加减]分")
PARAGRAPH_TAG = re.compile(r"\s*</?p>\s*")


def unbroken_units(text: str) -> Markup:
    """``text`` escaped, with ``（5分）`` and ``扣0.2分`` kept on one line (never ``（5｜分）``)."""
    out: list[str] = []
    end = 0
    for match in UNBROKEN.finditer(text):
        out.append(str(escape(text[end : match.start()])))
        out.append(f'<span class="nobr">{escape(match.group(0))}</span>')
        end = match.end()
    out.append(str(escape(text[end:])))
    return Markup("".join(out))


def inline_blocks(fragment: str) -> Markup:
    """Sanitised Markdown HTML for a table cell: lists run in (:func:`~kaohe.render.markup.run_in_lists`), paragraphs joined."""
    return Markup(PARAGRAPH_TAG.sub("", run_in_lists(fragment)).strip())
