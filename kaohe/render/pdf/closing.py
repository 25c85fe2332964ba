"""Fitting the closing: when the signature has to go to a new page and leaves the page before half empty.

The last lines of the body go to the signature's page with it (the signature is never alone, see
notice.css), which can leave empty lines at the foot of the page before. GB/T 9704 §7.3.5.4 allows
adjusting the character spacing then: paragraphs on that page whose last line is short (at most
:data:`SHORT_TAIL` characters) are set a little tighter (never below :data:`TIGHTEST_PT`), the least
tightening first, so that each ends one line earlier, until the rest of the body and the signature fit
there. The line pitch, and so the 22-line grid, never changes. When that cannot win enough lines, the
first layout stays. Positions are WeasyPrint's layout geometry (CSS px), taken as Decimal where they are read.
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from weasyprint import CSS
from weasyprint.document import Document as LaidOut
from weasyprint.formatting_structure.boxes import LineBox

from kaohe.render.pdf.marks import marks
from kaohe.render.pdf.typeset import BREAK, GLUE

PT_PER_PX = Decimal("0.75")
LINE_PT = Decimal("28.95")
LINE_PX = LINE_PT / PT_PER_PX
TYPE_WIDTH_PT = Decimal("442.2")
BODY_PT = Decimal(16)
INDENT_CELLS = 2
SHORT_TAIL = 14  # a last line of at most this many characters may be pulled up by tightening…
TIGHTEST_PT = Decimal("-1.8")  # …if that takes no tighter letter-spacing than this (a character keeps 14.2 pt)


@dataclass(frozen=True)
class Tail:
    """A paragraph ending on the page before the signature's: its id, its lines, its characters."""

    id: str
    lines: int
    chars: int
    tail: int


def text_of(box: Any) -> str:
    return "".join(getattr(child, "text", "") for child in box.descendants()).replace(BREAK, "").replace(GLUE, "")


def px(value: Any) -> Decimal:
    """A length of WeasyPrint's layout (CSS px, a binary float there) as the decimal it prints as."""
    return Decimal(str(value))


def page_bottom(page: Any) -> Decimal:
    box = page._page_box
    return px(box.content_box_y() + box.height)


def used_bottom(document: LaidOut, index: int) -> Decimal:
    """The foot of the last line of body text on a page (a split paragraph's box may reach further)."""
    bottoms = [
        px(line.position_y + line.margin_height())
        for page, box in marks(document).paras
        if page == index
        for line in box.children
        if isinstance(line, LineBox)
    ]
    return max(bottoms, default=px(document.pages[index]._page_box.content_box_y()))


def tails_on(document: LaidOut, index: int) -> list[Tail]:
    """Paragraphs whose last line is short, ending on page ``index`` or begun there and ending on the next page.

    A paragraph split across the two pages counts too: set a line shorter, it can end on ``index``
    with the closing below it.
    """
    lines_of: dict[str, list[Any]] = {}
    first_page: dict[str, int] = {}
    last_page: dict[str, int] = {}
    for page, box in marks(document).paras:
        ident = box.element.get("id") or ""
        if ident and "heading" not in (box.element.get("class") or "").split():
            lines_of.setdefault(ident, []).extend(c for c in box.children if isinstance(c, LineBox))
            first_page.setdefault(ident, page)
            last_page[ident] = page
    out: list[Tail] = []
    for ident, lines in lines_of.items():
        if first_page[ident] > index or last_page[ident] > index + 1 or last_page[ident] < index or len(lines) < 2:
            continue
        tail = len(text_of(lines[-1]))
        if tail <= SHORT_TAIL:
            out.append(Tail(ident, len(lines), sum(len(text_of(line)) for line in lines), tail))
    return sorted(out, key=lambda t: (t.tail, t.id))


def spacing_for(tail: Tail) -> Decimal | None:
    """The letter-spacing that sets the paragraph in one line fewer, if not tighter than :data:`TIGHTEST_PT`."""
    cells = Decimal(tail.chars + INDENT_CELLS + 1)  # one cell to spare for the justification
    spacing = (TYPE_WIDTH_PT * (tail.lines - 1) / cells - BODY_PT).quantize(Decimal("0.01"), ROUND_FLOOR)
    return spacing if spacing >= TIGHTEST_PT else None


def lines_short(document: LaidOut) -> tuple[int, int] | None:
    """(the page before the signature's, the lines it lacks) when the signature went to a page of its own."""
    signatures = marks(document).signatures
    if not signatures or signatures[0][0] == 0:
        return None
    page, signature = signatures[0]
    before = page - 1
    free = page_bottom(document.pages[before]) - used_bottom(document, before)
    top = px(document.pages[page]._page_box.content_box_y())
    needed = px(signature.position_y + signature.margin_height()) - top - free
    lines = math.ceil(needed / LINE_PX - Decimal("0.05"))
    return (before, lines) if free >= LINE_PX and lines > 0 else None


def tightening(document: LaidOut) -> str:
    """CSS that pulls the closing up onto the page before, or ``""``."""
    short = lines_short(document)
    if short is None:
        return ""
    page, lines = short
    rules: list[str] = []
    candidates = [(spacing, tail) for tail in tails_on(document, page) if (spacing := spacing_for(tail)) is not None]
    for spacing, tail in sorted(candidates, key=lambda pair: (-pair[0], pair[1].id)):  # the least tightening first
        if len(rules) < lines:
            rules.append(
                f"#{tail.id} {{ letter-spacing: {spacing}pt; }} #{tail.id} .gap {{ word-spacing: {-spacing}pt; }}"
            )
    return "\n".join(rules) if len(rules) == lines else ""


def fit_closing(layout: Callable[[list[CSS]], LaidOut], css: Callable[[str], CSS]) -> tuple[LaidOut, list[CSS]]:
    """The layout, and the extra stylesheets it used: tightened when that brings the signature up a page."""
    document = layout([])
    rules = tightening(document)
    if not rules:
        return document, []
    extra = [css(rules)]
    tightened = layout(extra)
    if len(tightened.pages) < len(document.pages) or signature_page(tightened) < signature_page(document):
        return tightened, extra
    return document, []


def signature_page(document: LaidOut) -> int:
    return next((page for page, _ in marks(document).signatures), len(document.pages))
