"""The DOCX as a word processor lays it out (LibreOffice stands in for WPS): pages, the grid, the text."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from docx_support import EPOCH, approved_year, no_space, pdf_pages
from pypdf import PdfReader

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


def test_body_lines_sit_on_the_grid_within_the_type_area(notices: Notices, converted: Path) -> None:
    _, pdfs, _ = notices
    report = next(p for p in pdfs if "通报" in p)
    body_face = BODY_FONT.replace(" ", "")
    with pdfplumber.open(converted_pdf(converted, report)) as pdf:
        chars = [c for c in pdf.pages[0].chars if abs(c["size"] - BODY_PT) < 0.6 and body_face in c["fontname"]]
    lines: dict[float, list[tuple[float, float]]] = {}
    for char in chars:
        if char["text"] not in PUNCTUATION:  # LibreOffice lets a line-end 。 hang into the margin
            lines.setdefault(round(char["bottom"], 1), []).append((char["x0"], char["x1"]))
    baselines = sorted(lines)[1:]  # from the 主送 on: the 发文字号's line is shortened to hold the red rule
    assert len(baselines) >= 5
    for upper, lower in pairwise(baselines):
        steps = (lower - upper) / PITCH_PT
        assert abs(steps - round(steps)) * PITCH_PT < TOLERANCE_PT, (upper, lower)  # whole grid lines apart
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
