"""Each font subset once, compact, while WeasyPrint writes the PDF.

WeasyPrint subsets every font it embeds in two HarfBuzz passes over the whole font (the
glyphs used, keeping the font's glyph numbering; then the empty slots after the last one
dropped), and :mod:`.compact` then subsets that program a third time, renumbering the glyphs
1…n. Inside :func:`compact_subsets`, WeasyPrint's subsetting of a font is replaced by that
third pass alone, made on the whole font: the program embedded holds only the glyphs used,
numbered as :func:`.compact.subset_program` numbers them, and the numbering is recorded by
the font's PDF name (``/BaseFont``). :func:`.compact.compact_pdf`, given those numberings,
renumbers the text, the widths and the ``ToUnicode`` map to match, as it does for a font it
subsets itself. The file is the same as the two-stage path writes, glyph for glyph.

WeasyPrint also copies the whole font file out of HarfBuzz for every font of every document
(some 7 ms for a 26 MB collection of Noto CJK, eight fonts a score sheet), and a fresh HarfBuzz
face is made from it for every subset. Inside :func:`compact_subsets` each file is copied once
per process and its face made once per face index (:class:`FontFiles`); the faces keep what
HarfBuzz has parsed of their tables for the next document. The process holds one copy of each
file it embeds from (about 130 MB with the free stand-in faces), which WeasyPrint held anyway,
all at once, while writing each PDF.

A font WeasyPrint handles specially (one with glyphs missing for some characters, a variable
font, colour or bitmap glyphs) or one HarfBuzz cannot subset is left to WeasyPrint's own
subsetting, and :mod:`.compact` treats it as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uharfbuzz as hb  # type: ignore[import-untyped]
import weasyprint.pdf.fonts as weasyprint_fonts
from weasyprint.text.ffi import ffi, harfbuzz

from kaohe.render.pdf.compact import subset_face

Numberings = dict[str, dict[int, int]]  # a font's PDF name (no leading slash) → old glyph id → new
SPECIAL_TABLES = ("fvar",)  # WeasyPrint instantiates a variable font from the program it subset


@contextmanager
def compact_subsets() -> Iterator[Numberings]:
    """While it is open, fonts written by WeasyPrint are subset compactly; yields their numberings."""
    numberings: Numberings = {}
    original, original_data = weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if not subset_compactly(font, to_unicode, hinting, numberings):
            original(font, to_unicode, hinting)

    def object_data(hb_object: Any, ot_color: str | None = None, glyph: int | None = None) -> bytes | None:
        if ot_color is not None:  # a colour glyph's picture, not the font file
            return original_data(hb_object, ot_color, glyph)  # type: ignore[no-any-return]
        return FONT_FILES.data(hb_object)

    weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data = subset, object_data
    try:
        yield numberings
    finally:
        weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data = original, original_data


class FontFiles:
    """Each font file copied out of HarfBuzz once per process, and a HarfBuzz face of it per face index."""

    def __init__(self) -> None:
        # the address and length of a file's data in HarfBuzz → its blob (kept referenced, so the
        # memory is neither freed nor reused for another file while cached) and its bytes
        self.files: dict[tuple[int, int], tuple[Any, bytes | None]] = {}
        self.faces: dict[tuple[int, int], hb.Face] = {}  # (id of the cached bytes, face index) → face

    def data(self, hb_face: Any) -> bytes | None:
        """What ``weasyprint.text.fonts.get_hb_object_data(hb_face)`` returns: the whole file of the face."""
        blob = harfbuzz.hb_face_reference_blob(hb_face)
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        key = (int(ffi.cast("uintptr_t", pointer)), int(length[0]))
        if key in self.files:
            harfbuzz.hb_blob_destroy(blob)
            return self.files[key][1]
        data = None if pointer == ffi.NULL else ffi.unpack(pointer, key[1])
        self.files[key] = (blob, data)
        return data

    def face(self, data: bytes, index: int) -> hb.Face:
        """A HarfBuzz face of ``data``: made once when ``data`` is a file cached here, else made anew."""
        if not any(data is cached for _blob, cached in self.files.values()):
            return hb.Face(data, index)
        key = (id(data), index)
        if key not in self.faces:
            self.faces[key] = hb.Face(data, index)
        return self.faces[key]


FONT_FILES = FontFiles()


def subset_compactly(font: Any, to_unicode: dict[int, str], hinting: bool, numberings: Numberings) -> bool:
    """Replace ``font``'s program by the glyphs ``to_unicode`` lists, renumbered; ``False`` to leave it to WeasyPrint."""
    if not to_unicode or not is_plain(font):
        return False
    subset = subset_face(FONT_FILES.face(font.file_content, font.index), sorted({0, *to_unicode}), hinting)
    if subset is None:
        return False
    font.file_content, numbering = subset
    numberings[font.name.decode("latin-1").removeprefix("/")] = numbering
    return True


def is_plain(font: Any) -> bool:
    """A font WeasyPrint does nothing to after subsetting but embed it."""
    special = ("missing", "bitmap", "png", "svg", "colr")  # glyphs drawn otherwise, or not in the font
    return not any(getattr(font, name, False) for name in special) and not set(SPECIAL_TABLES) & set(font.tables)
