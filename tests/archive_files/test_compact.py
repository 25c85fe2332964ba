"""Compact fonts: only the glyphs used, renumbered; the text, the fonts and every glyph's position survive."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from functools import partial
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import weasyprint
from archive_support import REPORT_PDF, font_programs
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

import kaohe.render.pdf.compact as compact
from kaohe.render.pdf.compact import (
    compact_pdf,
    parse_to_unicode,
    parse_widths,
    to_unicode_cmap,
    widths_array,
)
from kaohe.render.pdf.finish import finish_pdf
from kaohe.render.pdf.gapfont import GAP_FAMILY
from kaohe.render.pdf.subsetting import compact_subsets

Glyph = tuple[str, float, float, float, str]


def glyphs(path: Path) -> list[list[Glyph]]:
    """Every character pdfplumber reads, page by page: its text, position (pt), size and font (less the tag)."""
    with pdfplumber.open(path) as pdf:
        return [
            [
                (c["text"], round(c["x0"], 3), round(c["top"], 3), round(c["size"], 3), c["fontname"].split("+")[-1])
                for c in page.chars
            ]
            for page in pdf.pages
        ]


@pytest.mark.slow
def test_compaction_keeps_every_character_where_it_was(uncompacted: Path, tmp_path: Path) -> None:
    compacted = tmp_path / "compacted.pdf"
    shutil.copy(uncompacted, compacted)
    compact_pdf(compacted)
    before, after = glyphs(uncompacted), glyphs(compacted)
    assert len(after) == len(before) >= 2
    assert after == before
    assert sum(len(page) for page in after) > 500  # the 通报 and its score table: hundreds of characters


@pytest.mark.slow
def test_a_content_stream_written_otherwise_is_renumbered_through_the_parser_with_the_same_result(
    uncompacted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, rewritten = tmp_path / "plain.pdf", tmp_path / "rewritten.pdf"
    shutil.copy(uncompacted, plain)
    compact_pdf(plain)
    with pikepdf.open(uncompacted) as pdf:  # the same operators, as pikepdf writes them: `[ <…> 6 ] TJ`
        for page in pdf.pages:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)))
        pdf.save(rewritten)
    parsed: list[bool] = []
    monkeypatch.setattr(compact, "plain_lines", lambda holder: parsed.append(True))  # records, and answers None
    compact_pdf(rewritten)
    assert parsed and glyphs(rewritten) == glyphs(plain) == glyphs(uncompacted)
    assert program_sizes(rewritten) == program_sizes(plain)


def program_sizes(path: Path) -> list[tuple[str, int]]:
    return sorted((name.split("+")[1], len(program)) for name, program, _ in font_programs(path))


@pytest.mark.parametrize(
    ("stream", "plain"),
    [
        (b"q\nBT\n/ABCDEF 12 Tf\n[<0001>6.5<0002>] TJ\nET\nQ", True),  # as WeasyPrint writes it
        (b"BT /ABCDEF 12 Tf [<0001>] TJ ET", False),  # operators on one line
        (b"BT\r\n/ABCDEF 12 Tf\r\n[<0001>] TJ\r\nET", False),  # other line ends
        (b"BT\n/ABCDEF 12 Tf\n(AB) Tj\nET", False),  # a literal string
        (b"BT\n/ABCDEF 12 Tf\n[ <0001> 6 ] TJ\nET", False),  # spaced as pikepdf writes it
        (b"q\nBI /W 1 /H 1 ID x EI\nQ", False),  # an inline image
    ],
)
def test_only_a_stream_written_as_weasyprint_writes_it_takes_the_quick_path(stream: bytes, plain: bool) -> None:
    pdf = pikepdf.new()
    holder = compact.ContentHolder(pdf.make_stream(stream), is_page=False, fonts={})
    assert (compact.plain_lines(holder) is not None) == plain


@pytest.mark.slow
def test_compaction_keeps_the_same_fonts_with_far_fewer_glyphs(uncompacted: Path, tmp_path: Path) -> None:
    compacted = tmp_path / "compacted.pdf"
    shutil.copy(uncompacted, compacted)
    compact_pdf(compacted)
    names_before = sorted(name.split("+")[1] for name, _, _ in font_programs(uncompacted))
    names_after = sorted(name.split("+")[1] for name, _, _ in font_programs(compacted))
    assert names_after == names_before
    before = sum(len(program) for _, program, _ in font_programs(uncompacted))
    after = sum(len(program) for _, program, _ in font_programs(compacted))
    assert after * 3 < before  # WeasyPrint's subsets keep every glyph slot up to the highest one used


@pytest.mark.slow
def test_a_compacted_font_holds_only_the_glyphs_its_widths_list(archived: Path) -> None:
    for name, program, listed in font_programs(archived / REPORT_PDF):
        font = TTFont(io.BytesIO(program), lazy=True)
        assert sorted(listed) == list(range(min(listed), max(listed) + 1)), name  # renumbered without holes
        assert font["maxp"].numGlyphs <= len(listed) + 1 + 8, name  # .notdef, and a few components at most
        if "CFF " in font and hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):  # a CID-keyed CFF
            order = font.getGlyphOrder()
            assert order[1:] == [f"cid{i:05d}" for i in range(1, len(order))], name  # the identity charset


@pytest.mark.slow
def test_compacting_the_same_pdf_twice_gives_the_same_bytes(uncompacted: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for copy in (first, second):
        shutil.copy(uncompacted, copy)
        compact_pdf(copy)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.slow
def test_the_renderer_writes_compact_fonts(archived: Path) -> None:
    for path in sorted(archived.glob("*.pdf")):
        for name, program, _ in font_programs(path):
            font = TTFont(io.BytesIO(program), lazy=True)
            assert font["maxp"].numGlyphs < 1000, (path.name, name)  # a CJK font has 30,000 to 65,000


def test_widths_arrays_are_read_in_both_forms() -> None:
    widths = pikepdf.Array([1, pikepdf.Array([500, 600]), 5, 7, 300])
    assert {cid: int(width) for cid, width in parse_widths(widths).items()} == {1: 500, 2: 600, 5: 300, 6: 300, 7: 300}


def test_renumbered_widths_make_one_run_per_consecutive_block() -> None:
    array = widths_array({0: pikepdf.Object.parse(b"1000"), 1: pikepdf.Object.parse(b"500"),
                          3: pikepdf.Object.parse(b"250")})  # fmt: skip
    assert [int(x) if not isinstance(x, pikepdf.Array) else [int(y) for y in x] for x in array] == [
        0,
        [1000, 500],
        3,
        [250],
    ]


def test_to_unicode_maps_follow_the_new_glyph_numbers() -> None:
    cmap = b"2 beginbfchar\n<0011> <4e00>\n<0300> <4e8c>\nendbfchar\n1 beginbfrange\n<0400> <0401> <0031>\nendbfrange"
    texts = parse_to_unicode(cmap)
    assert texts == {0x11: "一".encode("utf-16-be"), 0x300: "二".encode("utf-16-be"), 0x400: b"\x001", 0x401: b"\x002"}
    written = to_unicode_cmap(texts, {0x11: 1, 0x300: 2, 0x400: 3, 0x401: 4})
    assert parse_to_unicode(written) == {1: "一".encode("utf-16-be"), 2: "二".encode("utf-16-be"), 3: b"\x001",
                                         4: b"\x002"}  # fmt: skip


def test_two_fonts_sharing_one_tounicode_map_each_get_their_own(uncompacted: Path, tmp_path: Path) -> None:
    """Another tool's PDF may point two fonts to one ToUnicode map: each is renumbered from the original."""
    alone, shared = tmp_path / "alone.pdf", tmp_path / "shared.pdf"
    shutil.copy(uncompacted, alone)
    with pikepdf.open(uncompacted) as pdf:
        page = pdf.pages[0]
        data = page.Contents.read_bytes()
        shown = re.findall(rb"^/(\S+) \S+ Tf$", data, re.MULTILINE)
        fonts = page.Resources.Font
        text_fonts = [tag for tag in set(shown) if not str(fonts["/" + tag.decode()].BaseFont).endswith(GAP_FAMILY)]
        name = max(text_fonts, key=shown.count).decode()  # the page's body font (the gap font shows no text)
        font = fonts["/" + name]
        copy = pdf.make_indirect(pikepdf.Dictionary(dict(font.items())))  # its own program, widths and descendant…
        cid = pdf.make_indirect(pikepdf.Dictionary(dict(font.DescendantFonts[0].items())))
        descriptor = pdf.make_indirect(pikepdf.Dictionary(dict(cid.FontDescriptor.items())))
        key = "/FontFile2" if "/FontFile2" in descriptor else "/FontFile3"
        program = pdf.make_stream(descriptor[key].read_bytes())
        for entry, value in descriptor[key].items():
            if entry not in ("/Length", "/Filter", "/DecodeParms"):
                program[entry] = value
        descriptor[key], cid.FontDescriptor, cid.W = program, descriptor, pikepdf.Array(list(cid.W))
        copy.DescendantFonts = pikepdf.Array([cid])
        assert copy.ToUnicode.objgen == font.ToUnicode.objgen  # …and the same ToUnicode map
        page.Resources.Font["/ZZZZZZ"] = copy
        lines = data.split(b"\n")
        switches = [
            i for i, line in enumerate(lines) if line.startswith(f"/{name} ".encode()) and line.endswith(b" Tf")
        ]
        for i in switches[1::2]:  # every other run of the body font shown with the copy
            lines[i] = b"/ZZZZZZ" + lines[i][len(name) + 1 :]
        page.Contents = pdf.make_stream(b"\n".join(lines))
        pdf.save(shared)
    compact_pdf(alone)
    compact_pdf(shared)
    assert text_of(shared) == text_of(alone)


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_text_drawn_through_a_tiling_pattern_keeps_its_glyphs(tmp_path: Path) -> None:
    """An SVG background with text is drawn as a tiling pattern: its text is renumbered with the page's."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="30" '
        'font-family="Noto Sans CJK SC" font-size="20">图案里的字甲乙</text></svg>'
    )
    background = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    html = (
        "<p style=\"font-family: 'Noto Sans CJK SC'\">前文甲乙</p>"
        f"<div style=\"height: 120px; background: url('{background}') repeat\">&nbsp;</div>"
    )
    written, compacted = tmp_path / "written.pdf", tmp_path / "compacted.pdf"
    weasyprint.HTML(string=html).write_pdf(written, uncompressed_pdf=True)  # WeasyPrint's own subsets
    shutil.copy(written, compacted)
    compact_pdf(compacted)
    numberings: dict[str, dict[int, int]] = {}  # and as the renderer writes: subset while written, renumbered
    subset_first = tmp_path / "subset-first.pdf"  # by the finisher, the widths and maps by compact_pdf
    with compact_subsets(None, numberings):
        weasyprint.HTML(string=html).write_pdf(
            subset_first, uncompressed_pdf=True, finisher=partial(finish_pdf, numberings=numberings)
        )
    compact_pdf(subset_first, numberings, text_renumbered=True)
    with pikepdf.open(written) as pdf:
        assert "/Pattern" in pdf.pages[0].Resources  # the case this is about
    assert page_image(compacted, tmp_path) == page_image(written, tmp_path)
    assert page_image(subset_first, tmp_path) == page_image(written, tmp_path)
    assert text_of(compacted) == text_of(subset_first) == text_of(written)


def page_image(path: Path, folder: Path) -> bytes:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(folder / path.stem)], check=True
    )
    return next(folder.glob(f"{path.stem}*.png")).read_bytes()
