"""Where the 版记 goes, decided on the laid-out pages (CSS cannot say "at the foot of the last even page").

GB/T 9704 puts the 版记 of a 文件 on the last page, an even one, with its last rule on the bottom edge of
the type area (§7.4); a letter's 版记 (抄送 only) at the foot of its last page (§10.1). The colophon is
first laid out right after the attachment, kept whole:

- when its page may hold it (any page for a letter, an even page for a 文件), it is moved down onto the
  bottom edge of the type area: no new page;
- otherwise the pages are laid out again with the colophon on the next even page. When that leaves a
  blank page before it, neither the blank page nor the 版记 page carries a page number (§7.5).
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from weasyprint import CSS
from weasyprint.document import Document as LaidOut

from kaohe.render.pdf.marks import marks

MOVES = {  # how the colophon moves to a later page, as CSS (the PdfRenderer builds each once)
    "next-even": ".colophon { break-before: left; }",
    "after-blank": ".colophon { break-before: left; page: bare; }",  # @page bare: no page number
    "next": ".colophon { break-before: page; }",
}


@dataclass(frozen=True)
class Placed:
    """The page (0-based) the colophon starts on, whether it lies whole on it, and whether it shares it."""

    page: int
    whole: bool
    shares_page: bool


def placed(document: LaidOut) -> Placed | None:
    found = marks(document).colophons
    if not found:
        return None
    index, box = found[0]
    page_box = document.pages[index]._page_box
    top = page_box.content_box_y()
    return Placed(index, len(found) == 1, box.position_y > top + 1)


def to_bottom(document: LaidOut) -> None:
    """Move the colophon down so that its last rule lies on the bottom edge of the type area."""
    for index, box in marks(document).colophons:
        page_box = document.pages[index]._page_box
        bottom = page_box.content_box_y() + page_box.height
        box.translate(dy=bottom - (box.position_y + box.margin_height()))


def move_of(where: Placed, letter: bool) -> str:
    """``""`` when the colophon may stay on its page, else the :data:`MOVES` key that moves it."""
    if letter:
        return "" if where.whole else "next"
    if where.whole and (where.page + 1) % 2 == 0:
        return ""
    return "next-even" if where.shares_page or not where.whole else "after-blank"


def place_colophon(
    document: LaidOut, layout: Callable[[list[CSS]], LaidOut], letter: bool, moves: Mapping[str, CSS]
) -> LaidOut:
    """``document``, or laid out again by ``layout`` (given an extra stylesheet) when the colophon must move."""
    where = placed(document)
    if where is None:
        return document
    move = move_of(where, letter)
    if move:
        document = layout([moves[move]])
    to_bottom(document)
    return document
