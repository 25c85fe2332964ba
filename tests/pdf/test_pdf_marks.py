"""One walk of a laid-out document finds the boxes the closing and the 版记 are placed by, as WeasyPrint orders them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from weasyprint import HTML
from weasyprint.formatting_structure.boxes import BlockBox

from kaohe.render.pdf.marks import marks, page_boxes, walked

PAGES = """
<style>@page { size: A5; margin: 10mm } .seal { position: absolute; top: 5mm } td { height: 30mm }</style>
<p class="para" id="p1">一段正文。</p>
<table><tr><td><p class="para" id="p2">表中的段落</p></td></tr><tr><td>二</td></tr><tr><td>三</td></tr>
<tr><td>四</td></tr><tr><td>五</td></tr><tr><td>六</td></tr></table>
<div class="signature other"><span class="seal">印</span>城北街道办事处</div>
<footer><p>抄送：区委办</p></footer>
<p class="para" id="p3" style="break-before: page">后一页</p>
<footer><p>第二个</p></footer>
"""


def naive(document: Any, test: Callable[[Any], bool]) -> list[tuple[int, Any]]:
    """What the walks before did: WeasyPrint's descendants() of every page, for each question."""
    return [(i, box) for i, page in enumerate(document.pages) for box in page._page_box.descendants() if test(box)]


def with_class(name: str) -> Callable[[Any], bool]:
    def test(box: Any) -> bool:
        element = getattr(box, "element", None)
        return isinstance(box, BlockBox) and element is not None and name in (element.get("class") or "").split()

    return test


def test_pages_are_walked_in_the_order_of_descendants_placeholders_not_entered() -> None:
    document = HTML(string=PAGES).render()
    assert len(document.pages) >= 2
    for page in document.pages:
        assert list(page_boxes(page._page_box)) == list(page._page_box.descendants())
    assert any(
        type(box).__name__ == "AbsolutePlaceholder" for page in document.pages for box in page_boxes(page._page_box)
    )


def test_marks_are_what_a_walk_for_each_question_finds() -> None:
    document = HTML(string=PAGES).render()
    found = marks(document)
    assert list(found.paras) == naive(document, with_class("para")) and len(found.paras) == 3
    assert (
        list(found.signatures) == naive(document, with_class("signature")) and found.signatures
    )  # and its anonymous box
    footers = naive(document, lambda box: getattr(box, "element_tag", None) == "footer")
    first_on_each_page = [pair for k, pair in enumerate(footers) if k == 0 or footers[k - 1][0] != pair[0]]
    assert list(found.colophons) == first_on_each_page and len(found.colophons) == 2


def test_marks_are_found_once_for_each_laid_out_document() -> None:
    html = HTML(string=PAGES)
    first, second = html.render(), html.render()
    assert marks(first) is marks(first)
    assert marks(second) is not marks(first) and marks(second) == walked(second)
