"""Fonts subset once while WeasyPrint writes: the same file, glyph for glyph, as subsetting twice."""

from __future__ import annotations

import gc
import shutil
import subprocess
import weakref
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
import weasyprint.pdf.fonts as weasyprint_fonts
from archive_support import EPOCH, REPORT_PDF, approved_year, font_programs
from support import TOOL_ROOT

import kaohe.render.pdf.subsetting as subsetting_module
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.pdf import documents
from kaohe.render.pdf.compact import HexRenumberer, compact_pdf, numbered_already
from kaohe.render.pdf.finish import finish_chunks
from kaohe.render.pdf.renderer import PdfRenderer
from kaohe.render.pdf.subsetting import FontFiles, compact_subsets, is_plain, mapped_file, subset_compactly


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


@pytest.mark.slow
def test_a_font_left_to_weasyprint_beside_fonts_subset_while_written_is_compacted_all_the_same(
    archived: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FandolFang treated as WeasyPrint treats a variable font: subset by WeasyPrint, compacted after writing,
    # while the other fonts are subset while written and their text renumbered by the finisher
    plain = subsetting_module.is_plain
    monkeypatch.setattr(subsetting_module, "is_plain", lambda font: plain(font) and b"FandolFang" not in font.name)
    doc = next(d for d in documents(approved_year(), EPOCH) if d.file_name == REPORT_PDF)
    mixed = tmp_path / "mixed.pdf"
    PdfRenderer(TOOL_ROOT / "templates").render(doc, mixed)
    written = archived / REPORT_PDF  # every font subset while written
    with pikepdf.open(written) as pdf, pikepdf.open(mixed) as other:
        assert [page.Contents.read_bytes() for page in pdf.pages] == [
            page.Contents.read_bytes() for page in other.pages
        ]
    assert font_programs(mixed) == font_programs(written)
    assert page_images(mixed, tmp_path) == page_images(written, tmp_path)


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
    assert not subset_compactly(font, {5: "一"}, False, numberings, FontFiles())
    assert numberings == {}
    assert is_plain(plain_font())


def test_a_font_harfbuzz_cannot_read_is_left_to_weasyprint() -> None:
    numberings: dict[str, dict[int, int]] = {}
    font = plain_font(file_content=b"not a font", index=0, name=b"/ABCDEF+Broken")
    assert not subset_compactly(font, {5: "一"}, False, numberings, FontFiles())
    assert font.file_content == b"not a font" and numberings == {}


def test_weasyprints_subsetting_is_back_after_the_block_even_when_it_fails() -> None:
    original, original_data = weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data
    with pytest.raises(RuntimeError), compact_subsets():
        assert weasyprint_fonts.Font.subset is not original
        assert weasyprint_fonts.get_hb_object_data is not original_data
        raise RuntimeError
    assert weasyprint_fonts.Font.subset is original
    assert weasyprint_fonts.get_hb_object_data is original_data


def test_a_glyph_shown_but_not_kept_in_the_subset_is_an_error_not_a_wrong_glyph() -> None:
    assert numbered_already({0: 0, 7: 1, 9: 2}, [0, 9], "F") == {0: 0, 9: 2}
    with pytest.raises(ValueError, match=r"F: glyphs \[8\]"):
        numbered_already({0: 0, 7: 1, 9: 2}, [0, 7, 8], "F")


def test_text_showing_a_glyph_the_numbering_lacks_is_an_error() -> None:
    from kaohe.render.pdf.compact import renumbered

    assert renumbered(b"\x00\x07\x00\x09", {7: 1, 9: 2}) == b"\x00\x01\x00\x02"
    with pytest.raises(ValueError, match="glyph 8 is shown"):
        renumbered(b"\x00\x07\x00\x08", {7: 1, 9: 2})


@pytest.mark.slow
def test_each_font_file_is_viewed_where_harfbuzz_mapped_it_and_faced_once_per_renderer(tmp_path: Path) -> None:
    outcome = run(WorkingTree(TOOL_ROOT))
    assert outcome.results is not None
    letters = [doc for doc in documents(outcome.results, 1231718400) if doc.file_name.startswith("处理告知书")][:2]
    renderer = PdfRenderer(TOOL_ROOT / "templates")
    renderer.render(letters[0], tmp_path / "first.pdf")
    files = renderer.font_files
    after_first = dict(files.files)
    faces_after_first = dict(files.faces)
    renderer.render(letters[1], tmp_path / "second.pdf")
    # the second letter uses the same faces: the same views, no face made again
    assert files.files.keys() == after_first.keys() and len(after_first) >= 4
    assert all(files.files[key].view is file.view for key, file in after_first.items())
    assert files.faces == faces_after_first
    for file in after_first.values():
        assert isinstance(file.view, memoryview)  # not a copy
        assert file.view == Path(file.path).read_bytes(), file.path
    assert {path for path, _index in files.faces} <= {file.path for file in files.files.values()}
    held = weakref.ref(files)
    kept = next(file for file in after_first.values() if file.path.startswith("/usr"))
    view, path = kept.view, kept.path
    del renderer, files, after_first, faces_after_first, kept
    gc.collect()
    assert held() is None  # the views and faces go with the renderer (a long-lived ``serve`` makes many)
    assert view[:4096] == Path(path).read_bytes()[:4096]  # a view still held keeps its bytes mapped


MAPS = """\
55d0c0a00000-55d0c0a21000 r--p 00000000 fd:01 1234                       /usr/bin/python3.11
7f0000000000-7f0001900000 r--s 00000000 fd:01 5678                       {font}
7f0002000000-7f0002100000 r--s 00100000 fd:01 5678                       {font}
7f0003000000-7f0003010000 r--s 00000000 fd:01 9999                       /tmp/gone.otf (deleted)
7f0004000000-7f0004021000 rw-p 00000000 00:00 0                          [heap]
"""


@pytest.mark.parametrize(
    ("address", "length", "found"),
    [
        (0x7F0000000000, 7, True),  # the whole file mapped from its start
        (0x7F0000000000, 8, False),  # not the whole file
        (0x7F0002000000, 7, False),  # mapped from an offset inside the file
        (0x7F0003000000, 7, False),  # a file removed since
        (0x7F0004000000, 7, False),  # memory, not a file
        (0x7F0005000000, 7, False),  # nothing mapped there
    ],
)
def test_the_file_behind_harfbuzzs_bytes_is_found_only_when_they_are_the_whole_file(
    tmp_path: Path, address: int, length: int, found: bool
) -> None:
    font = tmp_path / "font.otf"
    font.write_bytes(b"OTTO\0\0\0")  # 7 bytes
    maps = tmp_path / "maps"
    maps.write_text(MAPS.format(font=font), encoding="utf-8")
    assert mapped_file(address, length, str(maps)) == (str(font) if found else None)


def test_without_a_map_of_the_memory_nothing_is_found(tmp_path: Path) -> None:
    assert mapped_file(0x7F0000000000, 7, str(tmp_path / "no-such-maps")) is None


def test_the_finisher_renumbers_a_compact_fonts_text_with_the_font_each_q_and_Q_leaves() -> None:
    renumberers = {b"AAAAAA": HexRenumberer({5: 1, 7: 2})}  # AAAAAA was subset compactly: 5 → 1, 7 → 2
    chunks: list[object] = [
        b"/AAAAAA 16 Tf",
        b"q",
        b"/BBBBBB 16 Tf",  # a font left to WeasyPrint: its text stays for compact_pdf
        b"[<0005>] TJ",
        b"Q",  # AAAAAA again
        b"[<0005>-50<00070005>] TJ",
        b"/GAPGAP 16 Tf",
        b"[<0003>] TJ",
    ]
    finish_chunks(chunks, {b"GAPGAP"}, renumberers)
    assert chunks == [
        b"/AAAAAA 16 Tf",
        b"q",
        b"/BBBBBB 16 Tf",
        b"[<0005>] TJ",
        b"Q",
        b"[<0001>-50<00020001>] TJ",
        b"/GAPGAP 16 Tf",
        b"[<>] TJ",
    ]


@pytest.mark.parametrize("shown", [b"[<0009>] TJ", b"<0005> Tj"])
def test_the_finisher_refuses_text_of_a_compact_font_it_cannot_renumber(shown: bytes) -> None:
    renumberers = {b"AAAAAA": HexRenumberer({5: 1})}  # glyph 9 not kept; Tj is not WeasyPrint's
    with pytest.raises(ValueError):
        finish_chunks([b"/AAAAAA 16 Tf", shown], set(), renumberers)
