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
(some 7 ms for a 26 MB collection of Noto CJK, eight fonts a score sheet), and a HarfBuzz face
made from bytes copies them once more. Inside :func:`compact_subsets` a font file that HarfBuzz
mapped from disk is not copied at all (:class:`FontFiles`): WeasyPrint gets a view of the mapped
bytes, and the subsetting face is made once per file and face index from the file itself
(mapped again, read only as far as HarfBuzz reads it), keeping what HarfBuzz parsed of its tables
for the next document. Which file backs the memory is read from ``/proc/self/maps``; where that
cannot say (another system, a font held only in memory), the bytes are copied as before.

A font WeasyPrint handles specially (one with glyphs missing for some characters, a variable
font, colour or bitmap glyphs) or one HarfBuzz cannot subset is left to WeasyPrint's own
subsetting, and :mod:`.compact` treats it as before.
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uharfbuzz as hb  # type: ignore[import-untyped]
import weasyprint.pdf.fonts as weasyprint_fonts
from weasyprint.text.ffi import ffi, harfbuzz

from kaohe.render.pdf.compact import subset_face

Numberings = dict[str, dict[int, int]]  # a font's PDF name (no leading slash) → old glyph id → new
SPECIAL_TABLES = ("fvar",)  # WeasyPrint instantiates a variable font from the program it subset


@contextmanager
def compact_subsets(files: FontFiles | None = None, numberings: Numberings | None = None) -> Iterator[Numberings]:
    """While it is open, fonts written by WeasyPrint are subset compactly; yields their numberings.

    ``files``: the font files of the renderer, kept from one document to the next (by default,
    for this block only). ``numberings``: the dictionary to record them in (by default a new one).
    """
    files = files if files is not None else FontFiles()
    numberings = numberings if numberings is not None else {}
    original, original_data = weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if not subset_compactly(font, to_unicode, hinting, numberings, files):
            if isinstance(font.file_content, memoryview):  # WeasyPrint's own ways expect bytes, not a view
                font.file_content = bytes(font.file_content)
            original(font, to_unicode, hinting)

    def object_data(hb_object: Any, ot_color: str | None = None, glyph: int | None = None) -> bytes | memoryview | None:
        if ot_color is not None:  # a colour glyph's picture, not the font file
            return original_data(hb_object, ot_color, glyph)  # type: ignore[no-any-return]
        return files.data(hb_object)

    weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data = subset, object_data
    try:
        yield numberings
    finally:
        weasyprint_fonts.Font.subset, weasyprint_fonts.get_hb_object_data = original, original_data


@dataclass(frozen=True)
class FontFile:
    """A font file HarfBuzz mapped from disk for Pango, as WeasyPrint's fonts see it."""

    owner: Any  # the bytes' address, holding a reference to Pango's HarfBuzz blob of the file until freed
    view: memoryview  # the file's bytes where they are mapped, not a copy
    path: str


class FontFiles:
    """The font files of one renderer, each viewed in place, and a HarfBuzz face of it per face index.

    It lives as long as the renderer and its WeasyPrint font configuration, whose fonts it holds.
    """

    def __init__(self) -> None:
        self.files: dict[tuple[int, int], FontFile] = {}  # (address, length) of the mapped bytes → file
        self.faces: dict[tuple[str, int], hb.Face] = {}  # (file, face index) → face

    def data(self, hb_face: Any) -> bytes | memoryview | None:
        """What ``weasyprint.text.fonts.get_hb_object_data(hb_face)`` returns: the whole file of the face.

        A file mapped from disk comes as a view of the mapped bytes, the same view every time;
        anything else (a subset WeasyPrint made, a font in memory) as a copy, as WeasyPrint makes it.
        """
        blob = harfbuzz.hb_face_reference_blob(hb_face)
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        key = (int(ffi.cast("uintptr_t", pointer)), int(length[0]))
        if key in self.files:
            harfbuzz.hb_blob_destroy(blob)
            return self.files[key].view
        path = mapped_file(*key) if pointer != ffi.NULL else None
        if path is None:
            data = None if pointer == ffi.NULL else ffi.unpack(pointer, key[1])
            harfbuzz.hb_blob_destroy(blob)
            return data
        # the view owns the blob reference: the bytes stay mapped while anything holds the view
        owner = ffi.gc(pointer, lambda _pointer, blob=blob: harfbuzz.hb_blob_destroy(blob))
        self.files[key] = FontFile(owner, memoryview(ffi.buffer(owner, key[1])), path)
        return self.files[key].view

    def face(self, data: bytes | memoryview, index: int) -> hb.Face:
        """A HarfBuzz face of ``data``: once per file and index for a file viewed here, else made anew."""
        file = next((file for file in self.files.values() if file.view is data), None)
        if file is None:
            return hb.Face(bytes(data), index)
        key = (file.path, index)
        if key not in self.faces:
            self.faces[key] = hb.Face(self.blob(file), index)
        return self.faces[key]

    @staticmethod
    def blob(file: FontFile) -> hb.Blob:
        """The file mapped once more for the subsetting, or its bytes copied if it changed or went since."""
        try:
            same = os.path.getsize(file.path) == len(file.view)
        except OSError:
            same = False
        return hb.Blob.from_file_path(file.path) if same else hb.Blob(bytes(file.view))


def mapped_file(address: int, length: int, maps: str = "/proc/self/maps") -> str | None:
    """The file whose whole content is mapped at ``address`` (``length`` bytes); ``None`` if none is."""
    try:
        with open(maps, encoding="utf-8", errors="replace") as listing:
            lines = listing.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) < 6 or not fields[5].startswith("/") or fields[5].endswith(" (deleted)"):
            continue
        start = int(fields[0].partition("-")[0], 16)
        if start == address and int(fields[2], 16) == 0:
            path = fields[5]
            try:
                return path if os.path.getsize(path) == length else None
            except OSError:
                return None
    return None


def subset_compactly(
    font: Any, to_unicode: dict[int, str], hinting: bool, numberings: Numberings, files: FontFiles
) -> bool:
    """Replace ``font``'s program by the glyphs ``to_unicode`` lists, renumbered; ``False`` to leave it to WeasyPrint."""
    if not to_unicode or not is_plain(font):
        return False
    subset = subset_face(files.face(font.file_content, font.index), sorted({0, *to_unicode}), hinting)
    if subset is None:
        return False
    font.file_content, numbering = subset
    numberings[font.name.decode("latin-1").removeprefix("/")] = numbering
    return True


def is_plain(font: Any) -> bool:
    """A font WeasyPrint does nothing to after subsetting but embed it."""
    special = ("missing", "bitmap", "png", "svg", "colr")  # glyphs drawn otherwise, or not in the font
    return not any(getattr(font, name, False) for name in special) and not set(SPECIAL_TABLES) & set(font.tables)
