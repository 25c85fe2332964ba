"""The boxes the closing and the 版记 are placed by, found in one walk of a laid-out document.

:mod:`.closing` (the signature, the paragraphs above it) and :mod:`.colophon` (the 版记's page) read
the same laid-out pages several times over; walking WeasyPrint's box trees for each question (some
3,000 boxes for a 12-page score sheet, through its recursive ``descendants()``) was some 10 ms of
every notice. :func:`marks` walks a document's pages once, in the order ``descendants()`` gives,
and keeps what it found for as long as the document lives. Moving a box afterwards (the 版记 to the
foot of its page) moves the same box objects, so what was found stays true.
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from weasyprint.document import Document as LaidOut
from weasyprint.formatting_structure.boxes import BlockBox, Box

PARA = "para"  # a body paragraph (templates/pdf/paragraph.html)
SIGNATURE = "signature"  # the signature block
COLOPHON_TAG = "footer"  # the 版记

Found = tuple[tuple[int, Any], ...]  # (page index, box), in document order


@dataclass(frozen=True)
class Marks:
    paras: Found  # block boxes of class para (a paragraph split across pages: one on each)
    signatures: Found  # block boxes of class signature
    colophons: Found  # the first box of the 版记 on each page it is on


_FOUND: WeakKeyDictionary[LaidOut, Marks] = WeakKeyDictionary()


def marks(document: LaidOut) -> Marks:
    """What :class:`Marks` holds for ``document``, found on the first call for it."""
    found = _FOUND.get(document)
    if found is None:
        found = _FOUND[document] = walked(document)
    return found


def walked(document: LaidOut) -> Marks:
    paras: list[tuple[int, Any]] = []
    signatures: list[tuple[int, Any]] = []
    colophons: list[tuple[int, Any]] = []
    for index, page in enumerate(document.pages):
        colophon_seen = False
        for box in page_boxes(page._page_box):
            if not colophon_seen and getattr(box, "element_tag", None) == COLOPHON_TAG:
                colophons.append((index, box))
                colophon_seen = True
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, BlockBox):
                continue
            classes = (element.get("class") or "").split()
            if PARA in classes:
                paras.append((index, box))
            if SIGNATURE in classes:
                signatures.append((index, box))
    return Marks(tuple(paras), tuple(signatures), tuple(colophons))


def page_boxes(page_box: Any) -> Iterator[Any]:
    """Every box of a page in the order of WeasyPrint's ``descendants()``, without its nested generators.

    A child that is not a :class:`Box` (a placeholder for a positioned box) is given, not entered, as there.
    """
    stack = [page_box]
    while stack:
        box = stack.pop()
        yield box
        if isinstance(box, Box) and box.children:
            stack.extend(reversed(box.children))
