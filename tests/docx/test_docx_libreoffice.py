"""The DOCX as a word processor lays it out (LibreOffice stands in for WPS): pages, the grid, the text."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document
from docx_support import EPOCH, approved_year, libreoffice_pdfs, no_space, pdf_pages
from pypdf import PdfReader

from kaohe.render.markup import plain_text
from kaohe.render.pdf import documents
from kaohe.render.pdf.fonts import ROLES

pytestmark = pytest.mark.slow
Notices = tuple[Path, tuple[str, ...], tuple[str, ...]]
PITCH_PT = 28.95  # the grid's line pitch
BODY_PT = 16.0
LEFT_PT, WIDTH_PT = 28 * 72 / 25.4, 442.2  # the type area: 28 mm from the left edge, 156 mm wide
TOLERANCE_PT = 0.5
BODY_FONT = next(role for role in ROLES if role.key == "fang").stand_ins[0]  # what 仿宋_GB2312 falls back to
PUNCTUATION = set("，。、；：？！（）《》“”‘’")


def converted_pdf(converted: Path, relpath: str) -> Path:
    return converted / (Path(relpath).stem + ".pdf")


def test_libreoffice_lays_out_each_docx_on_as_many_pages_as_the_pdf(notices: Notices, converted: Path) -> None:
    """The PDF may have one page more: it puts the 版记 on an even page, which a DOCX cannot ask for."""
    out, pdfs, _ = notices
    for relpath in pdfs:
        ours = len(PdfReader(out / relpath).pages)
        theirs = len(PdfReader(converted_pdf(converted, relpath)).pages)
        assert ours - 1 <= theirs <= ours, (relpath, ours, theirs)


def body_lines(page: Any) -> dict[float, list[tuple[float, float]]]:
    """The body face's characters of a page by the foot of their line: (left, right) of each."""
    body_face = BODY_FONT.replace(" ", "")
    lines: dict[float, list[tuple[float, float]]] = {}
    for char in page.chars:
        if abs(char["size"] - BODY_PT) < 0.6 and body_face in char["fontname"] and char["text"] not in PUNCTUATION:
            lines.setdefault(round(char["bottom"], 1), []).append((char["x0"], char["x1"]))  # a line-end 。 may hang
    return lines


def assert_on_the_grid(baselines: list[float]) -> None:
    assert len(baselines) >= 5
    for upper, lower in pairwise(baselines):
        steps = (lower - upper) / PITCH_PT
        assert abs(steps - round(steps)) * PITCH_PT < TOLERANCE_PT, (upper, lower)  # whole grid lines apart


def test_body_lines_sit_on_the_grid_within_the_type_area(notices: Notices, converted: Path) -> None:
    _, pdfs, _ = notices
    report = next(p for p in pdfs if "通报" in p)
    with pdfplumber.open(converted_pdf(converted, report)) as pdf:
        lines = body_lines(pdf.pages[0])
    baselines = sorted(lines)[1:]  # from the 主送 on: the 发文字号's line is shortened to hold the red rule
    assert_on_the_grid(baselines)
    for baseline in baselines:  # within the type area: 28 mm from the left, 156 mm (442.2 pt) wide
        assert min(x0 for x0, _ in lines[baseline]) >= LEFT_PT - TOLERANCE_PT
        assert max(x1 for _, x1 in lines[baseline]) <= LEFT_PT + WIDTH_PT + TOLERANCE_PT
    full = [b for b in baselines if max(x1 for _, x1 in lines[b]) >= LEFT_PT + WIDTH_PT - BODY_PT]
    assert len(full) >= 2  # justified lines end at the right edge of the type area


def words(text: str) -> list[str]:
    """The characters less punctuation: LibreOffice may squeeze a line-end comma out of its text layer."""
    return sorted(ch for ch in no_space(text) if ch not in PUNCTUATION)


def test_libreoffice_reads_the_same_text_from_the_docx(notices: Notices, converted: Path) -> None:
    out, pdfs, _ = notices
    for relpath in pdfs:
        ours = "".join(pdf_pages(out / relpath))
        theirs = "".join(pdf_pages(converted_pdf(converted, relpath)))
        assert words(theirs) == words(ours), relpath


TYPE_BOTTOM_PT = (297 - 35) * 72 / 25.4  # the type area ends 35 mm above the page's foot


def test_the_colophon_sits_at_the_foot_of_the_type_area(notices: Notices, converted: Path) -> None:
    """The 版记 floats to the bottom of its page in LibreOffice too, not in the text flow below the last table."""
    _, pdfs, _ = notices
    placed = 0
    for relpath in pdfs:
        with pdfplumber.open(converted_pdf(converted, relpath)) as pdf:
            page = next((p for p in pdf.pages if "抄送" in no_space(p.extract_text() or "")), None)
            if page is None:
                continue
            copy_to = min(w["top"] for w in page.extract_words() if w["text"].startswith("抄"))
            below = [c["bottom"] for c in page.chars if c["top"] >= copy_to - 1 and c["bottom"] <= TYPE_BOTTOM_PT + 2]
            assert max(below) >= TYPE_BOTTOM_PT - PITCH_PT, (relpath, round(copy_to), round(max(below)))
            placed += 1
    assert placed >= 2  # the 通报's 抄送 and 印发, and each score sheet's 抄送


def name_centres(pdf_path: Path, names: set[str]) -> dict[str, list[float]]:
    """Each name line's horizontal centre, wherever it stands alone as a word."""
    found: dict[str, list[float]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for word in page.extract_words():
                if word["text"] in names:
                    found.setdefault(word["text"], []).append((word["x0"] + word["x1"]) / 2)
    return found


def test_sealed_names_are_centred_on_their_seals_as_in_the_pdf(notices: Notices, converted: Path) -> None:
    """Each line of an issuer's name is centred where the PDF centres it (a centring tab stop), not begun there."""
    out, pdfs, _ = notices
    checked = 0
    for doc in documents(approved_year(), EPOCH):
        lines = {line for row in doc.signature.seal_rows for name in row.names for line in name.lines}
        relpath = next((p for p in pdfs if Path(p).name == doc.file_name), None)
        if not lines or relpath is None:
            continue
        ours, theirs = name_centres(out / relpath, lines), name_centres(converted_pdf(converted, relpath), lines)
        for line in lines:
            assert line in ours and line in theirs, (relpath, line)
            assert abs(ours[line][-1] - theirs[line][-1]) < 1.0, (relpath, line, ours[line], theirs[line])
            checked += 1
    assert checked >= 2


# --- a clerk's edit -------------------------------------------------------------------------------

ADDED = "各社区要以此次考核为契机，对照细则查找差距，逐项整改，把日常台帐记实记细，"  # 37 characters


@pytest.fixture(scope="session")
def edited_report(notices: Notices, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The 通报 as a clerk leaves it after typing in a word processor, and LibreOffice's PDF of it.

    A new paragraph above the body's last and a sentence at the end of the last, 4 lines more: just
    enough that, without the keep-with-next of the body's last paragraph and the closing's styles, the
    signature goes to the next page alone. Also the text the body now ends with.
    """
    out, _, docxs = notices
    document = Document(str(next(out / d for d in docxs if "通报" in d)))
    paragraphs = document.paragraphs
    note = next(i for i, p in enumerate(paragraphs) if p.style is not None and p.style.name == "附件说明")
    last = paragraphs[note - 1]
    last.insert_paragraph_before(ADDED)  # a paragraph typed anew takes the body style (正文)
    last.add_run(ADDED)
    folder = tmp_path_factory.mktemp("edited")
    document.save(str(folder / "edited.docx"))
    converted = libreoffice_pdfs([folder / "edited.docx"], tmp_path_factory.mktemp("edited-pdf"))
    return converted / "edited.pdf", no_space(last.text)[-12:]


def test_an_edited_notice_keeps_its_signature_with_the_end_of_the_body(edited_report: tuple[Path, str]) -> None:
    pdf_path, body_end = edited_report
    doc = next(d for d in documents(approved_year(), EPOCH) if "通报" in d.file_name)
    names = [line for row in doc.signature.seal_rows for name in row.names for line in name.lines]
    with pdfplumber.open(pdf_path) as pdf:
        texts = [no_space(page.extract_text() or "") for page in pdf.pages]
    date = no_space(plain_text(doc.signature.date))
    signed = next(i for i, text in enumerate(texts) if re.search(f"{date}(?!印发)", text))  # not the 版记's date
    assert body_end in texts[signed], "the signature went to a page without the body's last lines"
    assert texts[signed].index(body_end) < texts[signed].index(names[0])


def test_an_edited_notice_keeps_its_colophon_at_the_foot_and_its_lines_on_the_grid(
    edited_report: tuple[Path, str],
) -> None:
    pdf_path, _ = edited_report
    with pdfplumber.open(pdf_path) as pdf:
        last = pdf.pages[-1]
        copy_to = min(w["top"] for w in last.extract_words() if w["text"].startswith("抄"))
        below = [c["bottom"] for c in last.chars if c["top"] >= copy_to - 1 and c["bottom"] <= TYPE_BOTTOM_PT + 2]
        assert max(below) >= TYPE_BOTTOM_PT - PITCH_PT
        assert_on_the_grid(sorted(body_lines(pdf.pages[1])))  # the page the added paragraph is on
