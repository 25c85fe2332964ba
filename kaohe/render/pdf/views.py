"""View models shared by the three notices: red header, paragraphs, signature, colophon.

Everything the templates show is decided here; the templates only lay it out.
Lengths handed to templates are CSS strings computed from the grid constants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from markupsafe import Markup

from kaohe.render.markup import render_markdown
from kaohe.render.pdf.typeset import (
    RUN_IN_LEVELS,
    TAG,
    cells,
    gap_html,
    gap_text,
    heading_level,
    plain_text,
    run_in_heading,
    title_lines,
)
from kaohe.render.vocab import cn_date
from kaohe.scoring.results import Results

LINE_PITCH_PT = Decimal("28.95")  # 22 lines in the 225 mm type area
LINE_CELLS = 28  # characters a line of 3号 body text
CELL_PT = Decimal("15.79")  # one grid cell: 16 pt less the letter-spacing
TITLE_CELLS = 20  # 2号 (22 pt) characters a title line
TYPE_WIDTH_PT = Decimal("442.2")  # 156 mm
MARK_NAME_PT = Decimal(28)  # the organ names of the mark
MARK_WENJIAN_PT = Decimal(42)  # 文件 beside the stacked names
MARK_GAP_PT = Decimal(14)
BLANK_DATE = Markup('<span class="blank-2"></span>年<span class="blank-1"></span>月<span class="blank-1"></span>日')
BLANK_DATE_CELLS = 7  # the blank date: 2 cells for the year, 1 each for month and day


EMPTY = Markup("")


@dataclass(frozen=True)
class RedHeader:
    """版头: the organ mark (names stacked, 文件 to their right), the 发文字号, the red rule."""

    organs: tuple[str, ...]
    wenjian: bool
    number: str  # "" leaves the line empty (drafts, score sheets)
    mark_scale: str  # horizontal condensing so the mark fits 156 mm


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text; ``lead`` is a run-in heading set in 黑体 or 楷体."""

    html: Markup
    lead: Markup = EMPTY
    lead_font: str = ""
    level: str = ""


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期 (unsealed form): names 2 cells from the right, the date 2 cells further in."""

    organs: tuple[str, ...]
    date: Markup
    name_indent: str
    date_indent: str


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送, 印发机关 and 印发日期."""

    copy_to: str
    printer: str
    printed: Markup


@dataclass(frozen=True)
class Table:
    """An attachment table: ``kind`` picks its template; ``rows`` are its view rows."""

    kind: str
    head: tuple[str, ...]
    rows: Sequence[object]
    widths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    label: str  # 附件 or 附件1
    title: tuple[str, ...]  # title lines
    tables: tuple[Table, ...]

    @property
    def title_height(self) -> str:
        return lines_height(len(self.title))


@dataclass(frozen=True)
class Document:
    """One PDF: a 通知, a 通报 or a 通知书 in the official layout."""

    file_name: str
    meta_title: str
    author: str
    created: str  # ISO date-time for dcterms.created, or ""
    header: RedHeader
    title: tuple[str, ...]
    addressee: Markup
    paragraphs: tuple[Paragraph, ...]
    attachment_note: Markup
    signature: Signature
    attachments: tuple[Attachment, ...] = ()
    colophon: Colophon | None = None
    draft: bool = False
    sample: bool = False

    @property
    def title_height(self) -> str:
        """Titles take whole lines of the grid, whatever the title font's metrics."""
        return lines_height(len(self.title))

    @property
    def leading_paragraphs(self) -> tuple[Paragraph, ...]:
        return self.paragraphs[:-1]

    @property
    def closing_paragraph(self) -> Paragraph | None:
        """The last paragraph stays on the page of the signature."""
        return self.paragraphs[-1] if self.paragraphs else None


def lines_height(count: int) -> str:
    return f"{LINE_PITCH_PT * count}pt"


def red_header(organs: Sequence[str], number: str, wenjian: bool = True) -> RedHeader:
    """The joint organ mark, condensed horizontally when it would be wider than the type area."""
    name_width = max(cells(name) for name in organs) * MARK_NAME_PT
    width = name_width + (MARK_GAP_PT + 2 * MARK_WENJIAN_PT if wenjian else 0)
    scale = min(Decimal(1), (TYPE_WIDTH_PT / width).quantize(Decimal("0.001")))
    return RedHeader(tuple(organs), wenjian, number, str(scale))


def paragraph(text: str) -> Paragraph:
    """Body text written by the tool (not Markdown); numbered headings get their fonts."""
    level = heading_level(text)
    if level in RUN_IN_LEVELS:
        lead, rest = run_in_heading(text)
        return Paragraph(gap_text_markup(rest, lead[-1]), gap_text_markup(lead), RUN_IN_LEVELS[level], level)
    return Paragraph(gap_text_markup(text), level=level)


def gap_text_markup(text: str, previous: str = "") -> Markup:
    return Markup.escape(gap_text(text, previous))


BLOCK = re.compile(r"<p>(.*?)</p>|(<(ul|ol|table|blockquote|pre|h\d)\b.*?</\3>|<hr\s*/?>)", re.DOTALL)


def markdown_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The notice body (Markdown → sanitised HTML) as grid paragraphs with gaps for justification.

    A soft line break inside a Chinese paragraph joins the lines without a space.
    """
    out: list[Paragraph] = []
    for match in BLOCK.finditer(str(render_markdown(text))):
        if match.group(2) is not None:
            out.append(Paragraph(Markup(match.group(2)), level="block"))
            continue
        inner = match.group(1).replace("\n", "")
        plain = plain_text(inner)
        if TAG.search(inner) is None:
            out.append(paragraph(plain))
        else:
            out.append(Paragraph(gap_html(inner), level=heading_level(plain)))
    return tuple(out)


def signature(organs: Sequence[str], date_text: Markup) -> Signature:
    """Names right-aligned 2 cells from the right edge; the date starts 2 cells right of the names."""
    name_cells = max(cells(name) for name in organs)
    name_start = LINE_CELLS - 2 - name_cells
    date_cells = BLANK_DATE_CELLS if date_text == BLANK_DATE else cells(plain_text(date_text))
    date_start = min(name_start + 2, LINE_CELLS - 2 - date_cells)
    return Signature(tuple(organs), date_text, f"{name_start * CELL_PT}pt", f"{date_start * CELL_PT}pt")


def created_stamp(source_date_epoch: int | None) -> str:
    """The PDF creation date: SOURCE_DATE_EPOCH or none at all (never the clock)."""
    if source_date_epoch is None:
        return ""
    return datetime.fromtimestamp(source_date_epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def title_of(text: str) -> tuple[str, ...]:
    return tuple(title_lines(text, TITLE_CELLS))


def issue_date(results: Results) -> Markup:
    """成文日期 of the results documents: the decision's notice date once final, blank in a draft."""
    approval = results.approval
    return Markup.escape(cn_date(approval.notice_date)) if approval is not None else BLANK_DATE


def date_markup(day: date) -> Markup:
    return Markup.escape(cn_date(day))


def printed_line(date_text: Markup) -> Markup:
    return date_text + Markup("印发")


def attachment_note(names: Sequence[str]) -> Markup:
    """附件说明: ``附件：name`` or ``附件：1.name`` for several (no full stop after a name)."""
    if not names:
        return Markup("")
    if len(names) == 1:
        return Markup.escape(f"附件：{names[0]}")
    return Markup("<br>").join(Markup.escape(f"{'附件：' if i == 1 else ''}{i}.{n}") for i, n in enumerate(names, 1))


def copy_to_line(results: Results) -> str:
    """抄送: rubric.yaml ``notice.copy_to``, else the office's usual recipients."""
    notice = results.rubric.notice
    text = notice.copy_to.strip() if notice and notice.copy_to.strip() else "街道党工委、办事处班子成员，街道各线"
    return text if text.endswith("。") else text + "。"


def printer_of(results: Results) -> str:
    """印发机关: rubric.yaml ``notice.printer``, else the issuing office's 党政办公室."""
    notice = results.rubric.notice
    if notice and notice.printer.strip():
        return notice.printer.strip()
    organ = notice.issuers[-1] if notice and notice.issuers else "街道办事处"
    return f"{organ}党政办公室"


def issuers(results: Results) -> tuple[str, ...]:
    notice = results.rubric.notice
    if notice and notice.issuers:
        return notice.issuers
    return ("街道党工委", "街道办事处")


def addressee_of(results: Results) -> str:
    notice = results.rubric.notice
    return notice.addressee if notice else "各社区党总支、居委会"
