"""The PDFs read back: GB/T 9704 page, grid, header, page numbers and fonts, for every document."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from pdf_support import (
    CLOSING,
    OPENING,
    PITCH_MM,
    PT,
    TYPE_LEFT,
    TYPE_RIGHT,
    TYPE_TOP,
    Char,
    Pdf,
    all_pdfs,
    cells,
    is_letter,
    is_wide,
    line_text,
    red_rule,
)
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

pytestmark = pytest.mark.slow

TOLERANCE = 1.0  # mm
MARGIN_MARKS = ("示例数据：社区、人员与台帐均为虚构", "草稿")
BLANK_DATE = re.compile(r"年\s+月\s+日")
SEALED_NAMES = ("中共武陵区", "城北街道工作委员会", "武陵区人民政府", "城北街道办事处")  # the sample's issuers, broken
SIDE_BY_SIDE = re.compile(rf"^({'|'.join(SEALED_NAMES)}) +({'|'.join(SEALED_NAMES)})$", re.MULTILINE)


@pytest.fixture(scope="module")
def pdfs(either_project: Path) -> list[Pdf]:
    found = all_pdfs(either_project)
    assert len(found) >= 3, "expected the rubric notice, the 通报 and the score sheets"
    return found


def body_pages(pdf: Pdf) -> range:
    return range(pdf.attachment_start())


def test_twelve_documents_with_names_a_clerk_recognises(final_project: Path) -> None:
    names = {pdf.path.name for pdf in all_pdfs(final_project)}
    assert "2008年度社区工作目标管理考核结果通报.pdf" in names
    assert "二〇〇八年社区工作目标管理量化考核细则（通知）.pdf" in names
    assert "考核结果通知书-紫桥社区.pdf" in names
    assert "处理告知书-东升社区-胡长林.pdf" in names
    assert "2008年度社区工作目标管理考核结果（公示）.pdf" in names
    # 2 notices, 10 sheets, one 处理告知书 for each of the 10 people given a measure, the 公示 notice and
    # one 复核结果告知书 for each of the 2 objections in content/publicity.yaml: 2 + 10 + 10 + 1 + 2
    assert len(names) == 25


def test_every_page_is_a4_portrait(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        for page in pdf.pages:
            assert abs(page.width - 210) < 0.5 and abs(page.height - 297) < 0.5, (pdf.path.name, page.number)


def test_body_text_starts_at_the_left_and_top_edges_of_the_type_area(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        lefts = []
        for index in body_pages(pdf):
            lines = pdf.pages[index].body_lines()
            lefts.append(min(line[0].x0 for line in lines))
            if index:  # page 1 starts with the red header
                assert abs(lines[0][0].em_top - TYPE_TOP) <= TOLERANCE, (pdf.path.name, index + 1, lines[0][0].em_top)
        assert abs(min(lefts) - TYPE_LEFT) <= TOLERANCE, (pdf.path.name, lefts)
        assert min(lefts) >= TYPE_LEFT - TOLERANCE


def test_body_lines_sit_on_a_grid_of_22_lines(pdfs: list[Pdf]) -> None:
    full_pages = 0
    for pdf in pdfs:
        for index in body_pages(pdf):
            lines = [line for line in pdf.pages[index].body_lines() if line[0].x0 < 60]  # not the 发文字号
            steps = [(line[0].em_top - TYPE_TOP) / PITCH_MM for line in lines]
            for step in steps:
                assert abs(step - round(step)) * PITCH_MM < 0.5, (pdf.path.name, index + 1, step)
                assert 0 <= round(step) <= 21, (pdf.path.name, index + 1, step)
            assert len(lines) <= 22
            full_pages += len(lines) == 22
    assert full_pages >= 2, "the notice and the 通报 fill at least one page of 22 lines each"


def test_full_lines_hold_28_characters_and_end_at_the_right_edge(pdfs: list[Pdf]) -> None:
    """A line followed by a continuation line (starting at 28 mm) is full: flush with 184 mm."""
    checked = 0
    for pdf in pdfs:
        for index in body_pages(pdf):
            lines = pdf.pages[index].body_lines()
            for line, following in pairwise(lines):
                if abs(following[0].x0 - TYPE_LEFT) > 0.5 or line[0].x0 > 45:
                    continue
                text, next_text = line_text(line), line_text(following)
                assert abs(line[-1].x1 - TYPE_RIGHT) <= TOLERANCE, (pdf.path.name, index + 1, text)
                indent = 2 if line[0].x0 > TYPE_LEFT + 5 else 0
                if all(is_wide(ch) and ch not in "“”‘’" for ch in text):
                    # 27 only where 禁则 pushed a character down: the next line may not start with it
                    forced_short = next_text[0] in CLOSING | OPENING or text[-1] in OPENING or next_text[1:2] in CLOSING
                    forced_short |= next_text[:2].isdigit()  # a run of digits (2008) does not fit in the last cell
                    expected = {27, 28} if forced_short else {28}
                    assert indent + len(text) in expected, (pdf.path.name, index + 1, text)
                    checked += 1
                else:  # half-width digits and quotes are narrower: only the right edge is fixed
                    assert indent + cells(text) <= 29, (pdf.path.name, index + 1, text)
    assert checked > 20


def test_organ_mark_is_red_and_35_mm_below_the_type_area_top(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        if is_letter(pdf):
            continue  # test_pdf_letters
        page = pdf.pages[0]
        mark = [c for c in page.chars if c.red]
        assert mark, pdf.path.name
        top = min(c.em_top for c in mark)
        assert abs(top - 72.0) <= TOLERANCE, (pdf.path.name, top)
        assert min(c.x0 for c in mark) >= TYPE_LEFT - TOLERANCE
        assert max(c.x1 for c in mark) <= TYPE_RIGHT + TOLERANCE
        centre = (min(c.x0 for c in mark) + max(c.x1 for c in mark)) / 2
        assert abs(centre - 106.0) <= TOLERANCE


def test_red_rule_spans_the_type_area_4_mm_under_the_document_number(pdfs: list[Pdf]) -> None:
    positions = set()
    for pdf in pdfs:
        if is_letter(pdf):
            continue
        page = pdf.pages[0]
        rule = red_rule(page)
        assert rule is not None, pdf.path.name
        assert abs(rule.x0 - TYPE_LEFT) <= TOLERANCE and abs(rule.x1 - TYPE_RIGHT) <= TOLERANCE
        assert 0.3 <= rule.bottom - rule.top <= 0.7
        number = [c for c in page.chars if c.black and c.size == 16 and "〔" in c.text and c.em_top < rule.top]
        if number:
            em_bottom = number[0].em_top + 16 * PT
            assert abs(rule.top - em_bottom - 4.0) <= 0.3, (pdf.path.name, rule.top - em_bottom)
        positions.add(round(rule.top))
    assert len(positions) == 1, "every document has its red rule in the same place"


def unnumbered(pdf: Pdf, index: int) -> bool:
    """Pages without a number: blank ones, a 版记 page after a blank page (§7.5), a letter's first page (§10.1)."""
    page = pdf.pages[index]
    after_blank = index > 0 and pdf.pages[index - 1].blank and "抄送" in page.text
    return page.blank or after_blank or (index == 0 and is_letter(pdf))


def test_page_numbers_alternate_sides_with_em_dashes(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        for index, page in enumerate(pdf.pages):
            numbers = [line for line in page.lines(14.0) if line[0].em_top > 262]
            if unnumbered(pdf, index):
                assert not numbers, (pdf.path.name, page.number)
                continue
            assert len(numbers) == 1, (pdf.path.name, page.number)
            line = numbers[0]
            assert re.fullmatch(r"—(\d+)—", line_text(line)), line_text(line)
            assert line_text(line) == f"—{page.number}—"
            # GB/T 9704 §7.5: 7 mm below the type area (262 mm), measured to the baseline of the number line
            assert abs(line[0].baseline - 269.0) <= 0.3, (pdf.path.name, line[0].baseline)
            one_char = 14 * PT
            if page.number % 2:
                assert abs(line[-1].x1 - (TYPE_RIGHT - one_char)) <= TOLERANCE, (pdf.path.name, page.number)
            else:
                assert abs(line[0].x0 - (TYPE_LEFT + one_char)) <= TOLERANCE, (pdf.path.name, page.number)


def test_fonts_are_embedded_and_subset(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        reader = PdfReader(pdf.path)
        seen = 0
        for page in reader.pages:
            resources = page["/Resources"].get_object()
            assert isinstance(resources, DictionaryObject), pdf.path.name
            fonts = resources.get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
                seen += 1
        assert seen, pdf.path.name
        assert pdf.path.stat().st_size < 3_000_000, "whole CJK fonts must never be embedded"


def face(char: Char) -> str:
    return char.font.split("+", 1)[1]


def test_body_text_is_set_in_a_fangsong_face(pdfs: list[Pdf]) -> None:
    """仿宋, not a 宋体 stand-in: FandolFang (scripts/setup.sh) or the licensed 仿宋_GB2312."""
    for pdf in pdfs:
        for index in body_pages(pdf):
            for line in pdf.pages[index].body_lines():
                plain = [c for c in line if c.size == 16 and "Sans" not in face(c) and is_wide(c.text)]
                assert all("Fang" in face(c) for c in plain), (pdf.path.name, index + 1, {face(c) for c in plain})


def test_font_roles_use_their_styles(pdfs: list[Pdf]) -> None:
    notice = next(pdf for pdf in pdfs if "通报" in pdf.path.name)
    fonts = {face(c) for page in notice.pages for c in page.chars}
    assert any("Serif-CJK-SC" in f for f in fonts), fonts  # 小标宋 / 宋体 stand-ins
    assert any("Sans-CJK-SC" in f for f in fonts), fonts  # 黑体 for 一、 headings and 附件
    assert any("Fang" in f for f in fonts), fonts  # 仿宋 body


def test_kai_headings_match_the_body_in_size_and_stay_on_the_grid_cells(pdfs: list[Pdf]) -> None:
    """（一） headings: FandolKai at 16 × 1.04 = 16.64 pt (its characters are smaller in the em than FandolFang's),
    each still one 15.79 pt grid cell (5.57 mm) wide."""
    rubric = next(pdf for pdf in pdfs if "细则" in pdf.path.name)
    lines = [
        [c for c in line if "Kai" in c.font]
        for page in rubric.pages
        for line in page.lines()
        if any("Kai" in c.font and c.size > 16 for c in line)
    ]
    assert lines, "the notice has （一） headings"
    assert {c.size for line in lines for c in line} == {16.64}
    for line in lines:
        steps = [b.x0 - a.x0 for a, b in pairwise(line) if is_wide(a.text)]
        assert steps and all(abs(step - 15.79 * PT) < 0.05 for step in steps), steps


def test_extracted_text_has_no_stray_spaces(pdfs: list[Pdf]) -> None:
    """The justification gaps never reach the text layer: copying body text gives no spaces."""
    between_chinese = re.compile(r"[\u4e00-\u9fff，。、；：（）][ \u00a0]+[\u4e00-\u9fff，。、；：（）]")
    for pdf in pdfs:
        reader = PdfReader(pdf.path)
        for index in body_pages(pdf):
            assert pdf.pages[index].body_spaces == 0, (pdf.path.name, index + 1)
            if index == 0:
                continue  # the red header's stacked names sit side by side with 文件
            for text in (pdf.pages[index].text, reader.pages[index].extract_text()):
                for margin_mark in MARGIN_MARKS:  # separate boxes in the top margin, side by side
                    text = text.replace(margin_mark, "\n")
                text = SIDE_BY_SIDE.sub("", text)  # joint issuers' names stand side by side over their seals
                found = between_chinese.search(BLANK_DATE.sub("", text))  # a draft leaves the date to the clerk
                assert found is None, (pdf.path.name, index + 1, found)
