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
    organ_lines,
    plain_text,
    run_in_heading,
    title_lines,
)
from kaohe.render.vocab import TABLE_NOTE, cn_date
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
BLANK_DATE_CELLS = Decimal(7)  # the blank date: 2 cells for the year, 1 each for month and day

TEMPLATE = "pdf/notice.html"  # below the tool's templates/: every notice, each view model rendered by it


EMPTY = Markup("")
COPY_TO_PIECE = re.compile(r"[^、，；]*[、，；]?")


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

    @property
    def heading_only(self) -> bool:
        """A heading line with no text after it: it stays on the page of what follows."""
        return bool(self.lead) and not str(self.html).strip()


@dataclass(frozen=True)
class SealedName:
    """One issuer's name in the sealed form, centred in its own seal space (``left``/``width`` in pt)."""

    lines: tuple[str, ...]  # the name, broken between words when its seal space is narrow
    left: str
    width: str


@dataclass(frozen=True)
class SealRow:
    """A row of names side by side, each under its own seal; ``space_before`` leaves room for the seals' tops."""

    names: tuple[SealedName, ...]
    space_before: str
    height: str


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期.

    Sealed form (GB/T 9704 §7.3.5.1, the default): ``seal_rows`` hold the names, side by side for joint
    issuers; the date is 4 cells from the right. Unsealed form (§7.3.5.2, ``sealed`` false): ``organs``
    stacked 2 cells from the right (``name_indent``), the date 2 cells right of the names.
    """

    organs: tuple[str, ...]
    date: Markup
    name_indent: str
    date_indent: str
    sealed: bool = False
    seal_rows: tuple[SealRow, ...] = ()


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送, 印发机关 and 印发日期 (a letter's 版记 has 抄送 only: ``printer`` and ``printed`` empty)."""

    copy_to: str
    printer: str = ""
    printed: Markup = EMPTY

    @property
    def copy_to_words(self) -> tuple[str, ...]:
        """抄送 in pieces that never break inside (a line breaks only after 、，；)."""
        return tuple(part for part in COPY_TO_PIECE.findall(self.copy_to) if part)


@dataclass(frozen=True)
class Table:
    """An attachment table: ``kind`` picks its template; ``rows`` are its view rows.

    A row whose ``starts_group`` is true heads a group (a category, a leaf): the PDF sets each group as a
    table of its own whose heading repeats at the top of a page the group continues on.
    """

    kind: str
    head: tuple[str, ...]
    rows: Sequence[object]
    widths: tuple[str, ...] = ()
    caption: str = ""  # a line above the table, when an attachment holds more than one
    note: str = ""  # a note below it, after 注：
    empty: str = ""  # what a table without rows says in one row under its heads

    @property
    def note_text(self) -> str:
        return TABLE_NOTE + self.note if self.note else ""

    @property
    def groups(self) -> tuple[TableGroup, ...]:
        groups: list[TableGroup] = []
        for row in self.rows:
            if getattr(row, "starts_group", False) or not groups:
                groups.append(TableGroup(row if getattr(row, "starts_group", False) else None, []))
            else:
                groups[-1].rows.append(row)
        return tuple(groups)


@dataclass(frozen=True)
class TableGroup:
    heading: object | None
    rows: list[object]


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
    public: bool = False  # in the public edition: marked so on every page
    letter: bool = False  # 信函格式 (GB/T 9704 §10.1): one organ's mark, red double lines, the number flush right
    internal: bool = False  # an internal document (a measure's 告知书): never in the public edition

    @property
    def title_height(self) -> str:
        """Titles take whole lines of the grid, whatever the title font's metrics."""
        return lines_height(len(self.title))

    @property
    def flow(self) -> tuple[tuple[Paragraph, str, str], ...]:
        """The paragraphs with their place and an id: the last (``closing``) and the one before it
        (``before-closing``) go to the signature's page with it, so that the signature is never alone."""
        count = len(self.paragraphs)
        places = {count - 1: "closing", count - 2: "before-closing"}
        return tuple((para, places.get(index, ""), f"para-{index}") for index, para in enumerate(self.paragraphs))


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
    html = str(render_markdown(text))
    out: list[Paragraph] = []
    end = 0
    for match in BLOCK.finditer(html):
        out.extend(loose_text(html[end : match.start()]))  # text a raw block tag left outside any <p>
        end = match.end()
        if match.group(2) is not None:
            out.append(Paragraph(Markup(match.group(2)), level="block"))
        else:
            out.extend(html_paragraph(match.group(1)))
    out.extend(loose_text(html[end:]))
    return tuple(out)


def loose_text(fragment: str) -> list[Paragraph]:
    """Text between blocks (the sanitiser drops a raw ``<div>`` but keeps its text): paragraphs of their own."""
    return [p for part in re.split(r"\n\s*\n", fragment) for p in html_paragraph(part.strip())]


def html_paragraph(inner: str) -> list[Paragraph]:
    inner = inner.replace("\n", "")
    plain = plain_text(inner)
    if not plain.strip():
        return []
    if TAG.search(inner) is None:
        return [paragraph(plain)]
    return [Paragraph(gap_html(inner), level=heading_level(plain))]


def signature(organs: Sequence[str], date_text: Markup, sealed: bool = False) -> Signature:
    """The sealed form (:func:`sealed_signature`) or the unsealed one (:func:`unsealed_signature`)."""
    return sealed_signature(organs, date_text) if sealed else unsealed_signature(organs, date_text)


def date_cells_of(date_text: Markup) -> Decimal:
    return BLANK_DATE_CELLS if date_text == BLANK_DATE else cells(plain_text(date_text))


def unsealed_signature(organs: Sequence[str], date_text: Markup) -> Signature:
    """Names right-aligned 2 cells from the right edge; the date starts 2 cells right of the names.

    A date longer than that room ends 2 cells from the right instead, and the names move left with it.
    """
    name_cells = max(cells(name) for name in organs)
    date_start = min(LINE_CELLS - 2 - name_cells + 2, LINE_CELLS - 2 - date_cells_of(date_text))
    return Signature(tuple(organs), date_text, pt(date_start - 2), pt(date_start))


SEALED_DATE_RIGHT = 4  # 成文日期 右空四字
SEAL_CELLS = Decimal("7.54")  # a 42 mm seal, the largest an office of this level uses, in 5.57 mm cells
SEALS_PER_ROW = 3  # three 42 mm seals side by side fit the 156 mm type area without touching
NAME_GAP_CELLS = 2  # at least this much between two names side by side
SIGNATURE_LINES = 4  # the seal space: blank lines above the names, then names and date, 4 lines in all


def sealed_signature(organs: Sequence[str], date_text: Markup) -> Signature:
    """Room for the seals: the date 4 cells from the right, each name centred in its own seal space.

    One issuer: its name centred over the date. Joint issuers: up to three names side by side in a row,
    the last centred over the date, the others to its left at the same pitch (the seals' centres at least a
    seal's width apart, every seal within the type area). Above the first row, blank lines leave room for
    the seals' upper half, so that a seal whose top is within one line of the body covers its name and the
    date with them below its centre.
    """
    date_cells = date_cells_of(date_text)
    date_start = LINE_CELLS - SEALED_DATE_RIGHT - date_cells
    centre = date_start + date_cells / 2
    rows = [tuple(organs[i : i + SEALS_PER_ROW]) for i in range(0, len(organs), SEALS_PER_ROW)]
    seal_rows = tuple(seal_row(row, centre, index == len(rows) - 1) for index, row in enumerate(rows))
    return Signature(tuple(organs), date_text, pt(Decimal(0)), pt(date_start), sealed=True, seal_rows=seal_rows)


def seal_pitch(count: int, centre: Decimal) -> Decimal:
    """The distance between the centres of ``count`` names ending at ``centre``: 14 cells, less if crowded."""
    if count <= 1:
        return Decimal(0)
    return min(Decimal(LINE_CELLS) / 2, (centre - SEAL_CELLS / 2) / (count - 1))


def seal_row(row: tuple[str, ...], centre: Decimal, last: bool) -> SealRow:
    pitch = seal_pitch(SEALS_PER_ROW if len(row) < SEALS_PER_ROW and not last else len(row), centre)
    width = pitch - NAME_GAP_CELLS if len(row) > 1 else Decimal(LINE_CELLS)
    names = []
    for index, organ in enumerate(row):
        lines = tuple(organ_lines(organ, int(width)))
        line_cells = max(cells(line) for line in lines)
        middle = centre - (len(row) - 1 - index) * pitch
        left = min(max(Decimal(0), middle - line_cells / 2), LINE_CELLS - line_cells)
        names.append(SealedName(lines, pt(left), pt(line_cells)))
    height = max(len(name.lines) for name in names)
    blank = max(1, SIGNATURE_LINES - height - 1)  # the date's line is the last of the four
    return SealRow(tuple(names), lines_height(blank), lines_height(height))


def pt(cell_count: Decimal | int) -> str:
    return f"{cell_count * CELL_PT}pt"


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


def sealed(results: Results) -> bool:
    """The sealed signature form unless rubric.yaml's notice says ``sealed: false``."""
    notice = results.rubric.notice
    return notice.sealed if notice is not None else True


def addressee_of(results: Results) -> str:
    notice = results.rubric.notice
    return notice.addressee if notice else "各社区党总支、居委会"


def letter(
    results: Results,
    source_date_epoch: int | None,
    *,
    file_name: str,
    title: str,
    meta_title: str,
    addressee: str,
    paragraphs: tuple[Paragraph, ...],
    signed_on: Markup,
    number: str = "",
    attachment_note: Markup = EMPTY,
    attachments: tuple[Attachment, ...] = (),
    colophon: Colophon | None = None,
    draft: bool = False,
    internal: bool = False,
) -> Document:
    """A letter of the street office in the 信函格式 (GB/T 9704 §10.1, docs/NOTICE.md).

    The first issuer's mark with its number flush right, the title, one addressee, and the issuers'
    signature (sealed unless rubric.yaml says otherwise) dated ``signed_on``. The score sheets, the
    measures' 告知书 and the 复核结果告知书 are letters; what else they carry is theirs.
    """
    return Document(
        file_name=file_name,
        meta_title=meta_title,
        author="、".join(issuers(results)),
        created=created_stamp(source_date_epoch),
        header=red_header(issuers(results)[:1], number, wenjian=False),
        title=title_of(title),
        addressee=gap_text_markup(addressee),
        paragraphs=paragraphs,
        attachment_note=attachment_note,
        signature=signature(issuers(results), signed_on, sealed(results)),
        attachments=attachments,
        colophon=colophon,
        draft=draft,
        sample=results.content.sample,
        letter=True,
        internal=internal,
    )
