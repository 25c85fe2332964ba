"""Fonts subset once while WeasyPrint writes: the same file, glyph for glyph, as subsetting twice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
import weasyprint.pdf.fonts as weasyprint_fonts
from archive_support import REPORT_PDF, font_programs

from kaohe.render.pdf.compact import compact_pdf, numbered_already
from kaohe.render.pdf.subsetting import compact_subsets, is_plain, subset_compactly


def page_images(path: Path, out: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(out / path.stem)], check=True)
    return [png.read_bytes() for png in sorted(out.glob(f"{path.stem}-*.png"))]


@pytest.mark.slow
def test_a_pdf_subset_while_written_equals_one_subset_after_writing(
    archived: Path, uncompacted: Path, tmp_path: Path
) -> None:
    after = tmp_path / "after.pdf"  # WeasyPrint's own subsets, renumbered afterwards: the path without subsetting
    shutil.copy(uncompacted, after)
    compact_pdf(after)
    written = archived / REPORT_PDF  # the renderer's: each font subset once, inside WeasyPrint's writing
    assert font_programs(written) == font_programs(after)  # names, programs byte for byte, widths
    with pikepdf.open(written) as pdf, pikepdf.open(after) as other:
        assert [page.Contents.read_bytes() for page in pdf.pages] == [
            page.Contents.read_bytes() for page in other.pages
        ]
    assert page_images(written, tmp_path) == page_images(after, tmp_path)


def plain_font(**special: object) -> SimpleNamespace:
    fields: dict[str, object] = {"missing": {}, "bitmap": False, "png": False, "svg": False, "colr": False}
    return SimpleNamespace(**{**fields, "tables": ["CFF ", "cmap"], **special})


@pytest.mark.parametrize(
    "special",
    [
        {"missing": {0x4E00: 65535}},  # a character the font lacks: WeasyPrint draws its .notdef
        {"tables": ["glyf", "fvar"]},  # a variable font, instantiated from the subset afterwards
        {"colr": True},
        {"png": True},
        {"bitmap": True},
    ],
)
def test_a_font_weasyprint_treats_specially_is_left_to_its_own_subsetting(special: dict[str, object]) -> None:
    numberings: dict[str, dict[int, int]] = {}
    font = plain_font(**special)
    assert not is_plain(font)
    assert not subset_compactly(font, {5: "一"}, False, numberings)
    assert numberings == {}
    assert is_plain(plain_font())


def test_a_font_harfbuzz_cannot_read_is_left_to_weasyprint() -> None:
    numberings: dict[str, dict[int, int]] = {}
    font = plain_font(file_content=b"not a font", index=0, name=b"/ABCDEF+Broken")
    assert not subset_compactly(font, {5: "一"}, False, numberings)
    assert font.file_content == b"not a font" and numberings == {}


def test_weasyprints_subsetting_is_back_after_the_block_even_when_it_fails() -> None:
    original = weasyprint_fonts.Font.subset
    with pytest.raises(RuntimeError), compact_subsets():
        assert weasyprint_fonts.Font.subset is not original
        raise RuntimeError
    assert weasyprint_fonts.Font.subset is original


def test_a_glyph_shown_but_not_kept_in_the_subset_is_an_error_not_a_wrong_glyph() -> None:
    assert numbered_already({0: 0, 7: 1, 9: 2}, [0, 9], "F") == {0: 0, 9: 2}
    with pytest.raises(ValueError, match=r"F: glyphs \[8\]"):
        numbered_already({0: 0, 7: 1, 9: 2}, [0, 7, 8], "F")


def test_text_showing_a_glyph_the_numbering_lacks_is_an_error() -> None:
    from kaohe.render.pdf.compact import renumbered

    assert renumbered(b"\x00\x07\x00\x09", {7: 1, 9: 2}) == b"\x00\x01\x00\x02"
    with pytest.raises(ValueError, match="glyph 8 is shown"):
        renumbered(b"\x00\x07\x00\x08", {7: 1, 9: 2})
