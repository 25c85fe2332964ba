"""The forms GB/T 9704 asks for, measured back from the PDFs: seals, letters, headings, closings, 版记, tables."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from pdf_support import (
    PITCH_MM,
    PT,
    TYPE_BOTTOM,
    TYPE_LEFT,
    TYPE_RIGHT,
    TYPE_TOP,
    Char,
    Page,
    Pdf,
    all_pdfs,
    cells,
    is_letter,
    line_text,
    read_pdf,
)

from kaohe.render.pdf.report import category_head

pytestmark = pytest.mark.slow

CELL_MM = 15.79 * PT  # one grid cell: 5.57 mm
RESULTS_PDF = "2008年度社区工作目标管理考核结果通报.pdf"
NOTICE_PDF = "二〇〇八年社区工作目标管理量化考核细则（通知）.pdf"
SHEET_PDF = "考核结果通知书-紫桥社区.pdf"
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
DATE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|年\s*月\s*日)$")


@pytest.fixture(scope="module")
def pdfs(either_project: Path) -> list[Pdf]:
    return all_pdfs(either_project)


def date_line(pdf: Pdf) -> tuple[int, list[Char]]:
    """The page index and the line of the 成文日期 under the signature (the first date line alone on its line)."""
    for index in range(pdf.attachment_start()):
        for line in pdf.pages[index].body_lines():
            if DATE.match(line_text(line)) and line[0].x0 > TYPE_LEFT + 60:
                return index, line
    raise AssertionError(f"{pdf.path.name}: no signature date")


def lines_above(page: Page, line: list[Char]) -> list[list[Char]]:
    return [other for other in page.body_lines() if other[0].baseline < line[0].baseline - 1]


# --- sealed signature (§7.3.5.1) --------------------------------------------------------------


def test_sealed_form_dates_four_cells_from_the_right_and_names_side_by_side_over_the_seals(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        index, date = date_line(pdf)
        page = pdf.pages[index]
        # 右空四字: the date ends 4 cells (22.28 mm) left of the right edge: 184 − 22.28 = 161.72 mm
        if not DATE.match(line_text(date)).group(0).startswith("年"):  # type: ignore[union-attr]
            assert abs(date[-1].x1 - (TYPE_RIGHT - 4 * CELL_MM)) < 0.6, (pdf.path.name, date[-1].x1)
        above = lines_above(page, date)
        names = [line for line in above if line[0].baseline > date[0].baseline - 3 * PITCH_MM]
        # two issuers, each broken into two lines: 中共武陵区 / 城北街道工作委员会 and 武陵区人民政府 / 城北街道办事处
        assert len(names) == 2, (pdf.path.name, [line_text(n) for n in names])
        for line in names:
            halves = split_at_gap(line)
            assert len(halves) == 2, (pdf.path.name, line_text(line))
            left, right = halves
            assert right[0].x0 - left[-1].x1 >= 2 * CELL_MM - 0.2  # the names never touch
            assert left[0].x0 >= TYPE_LEFT - 0.5 and right[-1].x1 <= TYPE_RIGHT + 0.5
        # the last issuer's name is centred over the date (its seal presses both)
        second = [split_at_gap(line)[1] for line in names]
        centre = (date[0].x0 + date[-1].x1) / 2
        for part in second:
            assert abs((part[0].x0 + part[-1].x1) / 2 - centre) < CELL_MM, (pdf.path.name, line_text(part))
        # room for the seals' upper half: one blank line between the body (or 附件说明) and the names
        body = [line for line in above if line not in names]
        assert body, pdf.path.name
        gap = names[0][0].baseline - body[-1][0].baseline
        assert abs(gap - 2 * PITCH_MM) < 0.5, (pdf.path.name, gap)


def split_at_gap(line: list[Char]) -> list[list[Char]]:
    parts: list[list[Char]] = [[line[0]]]
    for a, b in pairwise(line):
        if b.x0 - a.x1 > CELL_MM:
            parts.append([])
        parts[-1].append(b)
    return parts


# --- the closing: never alone, no empty foot ------------------------------------------------


def test_the_signature_page_holds_body_text_and_goes_over_only_when_the_closing_cannot_fit(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        index, date = date_line(pdf)
        page = pdf.pages[index]
        text_lines = [
            line
            for line in lines_above(page, date)
            if line[0].baseline < date[0].baseline - 2.5 * PITCH_MM and not line_text(line).startswith("附件")
        ]
        assert len(text_lines) >= 2, (pdf.path.name, "the signature would stand alone")
        if index > 0 and text_lines[0][0].em_top < TYPE_TOP + 1:  # the closing began a page
            previous = pdf.pages[index - 1].body_lines()
            free = 21 - round((previous[-1][0].em_top - TYPE_TOP) / PITCH_MM)
            taken = round((date[0].em_top - TYPE_TOP) / PITCH_MM) + 1  # the lines up to the date on its page
            assert free < taken, (pdf.path.name, index + 1, "the closing would have fitted", free, taken)


def test_the_results_notice_tightens_paragraphs_to_keep_its_closing_on_the_last_body_page(final_project: Path) -> None:
    """Laid out on the grid alone, 特此通报 and the signature went to page 4 with 2 lines, leaving 7 lines empty on
    page 3; a paragraph with a 2-character last line set tighter brings them all onto page 3 (§7.3.5.4)."""
    pdf = read_pdf(final_project / "output" / "pdf" / RESULTS_PDF)
    index, _ = date_line(pdf)
    assert index == 2 and "特此通报。" in pdf.pages[2].text
    assert len(pdf.pages[1].body_lines()) == 22
    assert pdf.attachment_start() == 3


# --- headings keep with what follows ------------------------------------------------------


def test_no_page_ends_with_a_heading(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        for index in range(pdf.attachment_start()):
            lines = pdf.pages[index].body_lines()
            text = line_text(lines[-1])
            assert not (HEADING.match(text) and cells(text) < 27), (pdf.path.name, index + 1, text)


# --- the 版记 ---------------------------------------------------------------------------------


def colophon_page(pdf: Pdf) -> int:
    return next(i for i, page in enumerate(pdf.pages) if "抄送：" in page.text.replace(" ", ""))


def test_the_colophon_of_a_file_sits_on_the_foot_of_an_even_page(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        if is_letter(pdf):
            continue
        index = colophon_page(pdf)
        page = pdf.pages[index]
        assert index == len(pdf.pages) - 1 and (index + 1) % 2 == 0, (pdf.path.name, index + 1)
        rules = [r for r in page.rects if r.color[:1] == (0.0,) and r.x1 - r.x0 > 150]
        assert rules and abs(max(r.bottom for r in rules) - TYPE_BOTTOM) < 0.3, (
            pdf.path.name,
            [r.bottom for r in rules],
        )
        if pdf.pages[index - 1].blank:  # §7.5: neither the blank page nor the 版记 page is numbered
            numbers = [line for line in page.lines(14.0) if line[0].em_top > TYPE_BOTTOM]
            assert not numbers, pdf.path.name
            # the 版记 went over a page only because it did not fit under the attachment's end
            before = pdf.pages[index - 2]
            used = max(c.baseline for c in before.chars if TYPE_TOP - 2 < c.em_top < TYPE_BOTTOM)
            assert TYPE_BOTTOM - used < TYPE_BOTTOM - min(r.top for r in rules) + 2, pdf.path.name


def test_copy_to_wraps_after_the_colon_and_only_between_words(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        if pdf.path.name.startswith(("复核结果告知书", "处理告知书")):  # to one person alone: no 抄送, no 版记
            assert "抄送" not in pdf.text, pdf.path.name
            continue
        page = pdf.pages[colophon_page(pdf)]
        lines = [line for line in page.lines(14.0) if line[0].em_top < TYPE_BOTTOM]
        start = next(i for i, line in enumerate(lines) if line_text(line).startswith("抄送："))
        first = lines[start]
        colon = next(c for c in first if c.text == "：")
        block = [first]
        for line in lines[start + 1 :]:
            if abs(line[0].x0 - colon.x1) > 0.5:
                break
            block.append(line)  # a wrapped line starts right after the colon (§7.4.2)
        text = "".join(line_text(line) for line in block)
        assert text.endswith("。") and len(block) >= 2, (pdf.path.name, text)
        for line in block[:-1]:
            assert line_text(line)[-1] in "、，；", (pdf.path.name, line_text(line))


def test_a_letter_ends_with_its_copy_to_at_the_foot_of_its_last_page(final_project: Path) -> None:
    pdf = read_pdf(final_project / "output" / "pdf" / SHEET_PDF)
    last = pdf.pages[-1]
    lines = [line for line in last.lines(14.0) if line[0].em_top < TYPE_BOTTOM]
    assert line_text(lines[0]).startswith("抄送：")
    assert TYPE_BOTTOM - PITCH_MM < lines[-1][0].baseline < TYPE_BOTTOM  # on the last line of the type area
    near = lines[0][0].em_top - PITCH_MM  # from a line above 抄送 down: the 版记 (a table above it has its borders)
    assert not [r for r in last.rects if r.x1 - r.x0 > 150 and r.top > near], "a letter's 版记 has no rules (§10.1)"
    assert "印发" not in last.text


# --- letters (§10.1) --------------------------------------------------------------------------


def test_score_sheets_are_letters_with_mark_double_lines_and_number(final_project: Path) -> None:
    communities = re.findall(r"^  - id: (\S+)\n    name: (\S+)", communities_text(final_project), re.MULTILINE)
    assert len(communities) == 10
    for serial, (_, name) in enumerate(communities, 1):
        pdf = read_pdf(final_project / "output" / "pdf" / f"考核结果通知书-{name}.pdf")
        page = pdf.pages[0]
        mark = [c for c in page.chars if c.red]
        assert "".join(c.text for c in mark) == "中共武陵区城北街道工作委员会"  # the lead organ only
        assert abs(min(c.em_top for c in mark) - 30.0) < 0.5  # 30 mm from the page top
        assert abs((min(c.x0 for c in mark) + max(c.x1 for c in mark)) / 2 - 105.0) < 0.5
        red = sorted((r for r in page.rects if len(r.color) == 3 and r.color[0] > 0.8), key=lambda r: r.top)
        tops = [r for r in red if r.top < 60]
        bottoms = [r for r in red if r.top > 250]
        for rules in (tops, bottoms):
            assert rules and all(abs(r.x0 - 20.0) < 0.3 and abs(r.x1 - 190.0) < 0.3 for r in rules)  # 170 mm, centred
        mark_bottom = min(c.em_top for c in mark) + 28 * PT
        assert abs(min(r.top for r in tops) - mark_bottom - 4.0) < 0.5  # 4 mm under the mark
        assert abs(max(r.bottom for r in bottoms) - 277.0) < 0.3  # 20 mm from the page bottom
        number = next(line for line in page.lines(16.0) if "〔" in line_text(line))
        assert line_text(number) == f"常武北委函〔2009〕{serial}号"  # decision.yaml letter_number, counted up
        assert abs(number[-1].x1 - TYPE_RIGHT) < 0.5  # flush right
        assert abs(number[0].em_top - max(r.bottom for r in tops) - 7 / 8 * 16 * PT) < 0.6
        body = page.body_lines()
        assert line_text(body[1]) == f"{name}党总支、居委会："  # 主送 the community (line 0: the number)
        assert not [line for line in page.lines(14.0) if line[0].em_top > TYPE_BOTTOM], "no number on page 1"


def communities_text(project: Path) -> str:
    return (project / "content" / "communities.yaml").read_text(encoding="utf-8")


def test_draft_letters_have_no_number_yet(draft_project: Path) -> None:
    page = read_pdf(draft_project / "output" / "pdf" / SHEET_PDF).pages[0]
    assert not [line for line in page.lines(16.0) if "〔" in line_text(line)]


# --- tables -----------------------------------------------------------------------------------


def attachment_pages(pdf: Pdf) -> list[Page]:
    return list(pdf.pages[pdf.attachment_start() :])


def table_lines(page: Page) -> list[list[Char]]:
    return [
        line
        for line in page.lines()
        if TYPE_TOP - 2 < line[0].em_top < TYPE_BOTTOM
        and line[0].size < 15
        and line[0].black
        and "抄送" not in line_text(line)
    ]


def is_hei(line: list[Char]) -> bool:
    return "Sans" in line[0].font


def test_continued_table_pages_start_with_a_heading_and_never_end_with_one(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        pages = [page for page in attachment_pages(pdf) if table_lines(page) and "抄送" not in page.text]
        for page in pages[1:]:  # a continuation page: the column heads or the group's label first
            first = table_lines(page)[0]
            assert is_hei(first), (pdf.path.name, page.number, line_text(first))
        for page in pages[:-1]:
            last = table_lines(page)[-1]
            assert not is_hei(last) or line_text(last).startswith("合计"), (pdf.path.name, page.number, line_text(last))


def test_every_page_of_a_score_sheets_detail_starts_with_its_column_heads_then_a_group_heading(
    pdfs: list[Pdf],
) -> None:
    sheets = [pdf for pdf in pdfs if pdf.path.name.startswith("考核结果通知书")]
    continued = 0
    for pdf in sheets:
        pages = attachment_pages(pdf)
        start = next(i for i, page in enumerate(pages) if "二、扣分和计分明细" in page.text.replace(" ", ""))
        for page in pages[start + 1 :]:
            lines = table_lines(page)
            if not lines:
                continue
            continued += 1
            assert line_text(lines[0]).replace(" ", "") == "日期细则条目扣分／计分说明", (pdf.path.name, page.number)
            assert is_hei(lines[1]), (pdf.path.name, page.number, line_text(lines[1]))  # a group's own, or repeated
    assert continued >= 10  # the sample's sheets run their detail over several pages each


def test_table_cells_hold_no_bullets_and_never_break_inside_a_points_figure(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        for page in attachment_pages(pdf):
            for line in table_lines(page):
                text = line_text(line)
                assert "•" not in text and text != "）", (pdf.path.name, page.number, text)
                assert not re.search(r"（[\d.]*$|扣[\d.]*$", text), (pdf.path.name, page.number, text)
                assert not re.match(r"^[\d.]*分）", text), (pdf.path.name, page.number, text)


def test_the_items_and_the_deductions_tables_have_captions_and_a_gap(final_project: Path) -> None:
    pdf = read_pdf(final_project / "output" / "pdf" / SHEET_PDF)
    text = "".join(page.text for page in attachment_pages(pdf)).replace(" ", "")
    assert "一、各项得分及单项名次" in text and "二、扣分和计分明细" in text
    assert text.index("一、各项得分及单项名次") < text.index("合计") < text.index("二、扣分和计分明细")


def test_results_table_headers_are_short_and_figures_clear_of_the_borders(final_project: Path) -> None:
    pdf = read_pdf(final_project / "output" / "pdf" / RESULTS_PDF)
    page = next(page for page in attachment_pages(pdf) if "总分" in page.text)
    header = [c for c in page.chars if 8.9 < c.size < 9.1 and c.em_top > TYPE_TOP]
    stability = [c for c in header if borders_around(page, c) == borders_around(page, header_char(header, "综"))]
    assert len({round(c.baseline, 1) for c in stability}) <= 5, "综治 header in at most 5 lines (3 characters each)"
    figures = [c for c in page.chars if abs(c.size - 10) < 0.1 and c.text.isdigit()]
    assert figures
    for char in figures:
        left, right = borders_around(page, char)
        assert char.x0 - left >= 0.9 and right - char.x1 >= 0.9, (char.text, char.x0 - left, right - char.x1)
    remark_lines = [line for line in page.lines(10.0) if "红旗单位" in line_text(line)]
    assert remark_lines, "红旗单位 on one line"


def header_char(chars: list[Char], text: str) -> Char:
    return next(c for c in chars if c.text == text)


def borders_around(page: Page, char: Char) -> tuple[float, float]:
    left = max(x for x in page.borders if x <= char.x0 + 0.1)
    right = min(x for x in page.borders if x >= char.x1 - 0.1)
    return left, right


def test_rubric_item_names_span_their_rows(final_project: Path) -> None:
    """党组织建设（5分） is one cell over its goals, its name in the middle, not on the first of empty cells."""
    page = attachment_pages(read_pdf(final_project / "output" / "pdf" / NOTICE_PDF))[0]
    name = next(line for line in page.lines() if line_text(line).startswith("党组织"))
    first_goal = next(line for line in page.lines() if "坚持民主集中制" in line_text(line))
    third_goal = next(line for line in page.lines() if "有党费收缴台帐" in line_text(line))
    assert first_goal[0].baseline + 10 < name[0].baseline, "the name is not on the first row alone"
    assert abs(name[0].baseline - third_goal[0].baseline) < 40


# --- titles -------------------------------------------------------------------------------------


def test_titles_are_trapezoids(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        title = [line for line in pdf.pages[0].lines(22.0) if line[0].black]
        widths = [cells(line_text(line)) for line in title]
        if len(widths) == 2:
            assert abs(widths[0] - widths[1]) >= 2, (pdf.path.name, [line_text(line) for line in title])


# --- the 通报's score table: category headings in whole words -----------------------------


@pytest.mark.parametrize(
    ("label", "lines", "cells"),
    [
        ("党群工作", "党群\n工作", 3),  # 4 characters in a 3-character column: 2 lines of 2, not 3 + 1
        ("劳动和社会保障", "劳动和\n社会\n保障", 3),  # 7 = 3 + 2 + 2, the longer line first
        (
            "社会治安综合治理与稳定",
            "社会治安\n综合治理\n与稳定",
            4,
        ),  # 11 > 3 lines × 3: a 4-character column, 4 + 4 + 3
        ("安全", "安全", 3),
    ],
)
def test_a_category_heading_is_set_in_balanced_lines(label: str, lines: str, cells: int) -> None:
    assert category_head(label) == (lines, cells)


def test_the_score_table_headings_keep_their_words_whole(pdfs: list[Pdf]) -> None:
    pdf = next(p for p in pdfs if p.path.name == RESULTS_PDF)
    page = pdf.pages[pdf.attachment_start()]
    small = ["".join(c.text for c in line) for line in page.lines(size=9)]  # the headings are set in 9 pt
    words = " ".join(small)
    for whole in ("党群", "工作", "综合治理", "社会治安", "计划", "生育"):
        assert whole in words, (whole, small)
    assert not any(broken in words for broken in ("党群工", "安综合", "计划生")), small


def test_a_score_above_its_maximum_says_the_bonus_that_lifted_it() -> None:
    from support import results_of, small_project

    from kaohe.render.pdf.sheet import category_sentence

    invest = "- {date: 2008-03-01, community: c1, indicator: money.invest, amount: 120, note: 到位资金}"
    results = results_of(small_project(entries_b=invest))
    sentence = category_sentence(results.community("c1"), results)
    # 招商引资: 120 of the target 100 is 20 % over, 2 steps of 0.1: a bonus of 2 × 1 = 2 points (max 3);
    # 经济 = 招商引资 20 + 2 and 加分项 10, untouched = 32 of 30
    assert "经济32.00分（满分30分，含加分2.00分，单项第1名）" in sentence
    assert "工作60.00分（满分60分，单项第1名）" in sentence  # no bonus: nothing said
