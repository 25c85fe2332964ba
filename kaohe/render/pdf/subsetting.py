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

A font WeasyPrint handles specially (one with glyphs missing for some characters, a variable
font, colour or bitmap glyphs) or one HarfBuzz cannot subset is left to WeasyPrint's own
subsetting, and :mod:`.compact` treats it as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import weasyprint.pdf.fonts as weasyprint_fonts

from kaohe.render.pdf.compact import subset_program

Numberings = dict[str, dict[int, int]]  # a font's PDF name (no leading slash) → old glyph id → new
SPECIAL_TABLES = ("fvar",)  # WeasyPrint instantiates a variable font from the program it subset


@contextmanager
def compact_subsets() -> Iterator[Numberings]:
    """While it is open, fonts written by WeasyPrint are subset compactly; yields their numberings."""
    numberings: Numberings = {}
    original = weasyprint_fonts.Font.subset

    def subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if not subset_compactly(font, to_unicode, hinting, numberings):
            original(font, to_unicode, hinting)

    weasyprint_fonts.Font.subset = subset
    try:
        yield numberings
    finally:
        weasyprint_fonts.Font.subset = original


def subset_compactly(font: Any, to_unicode: dict[int, str], hinting: bool, numberings: Numberings) -> bool:
    """Replace ``font``'s program by the glyphs ``to_unicode`` lists, renumbered; ``False`` to leave it to WeasyPrint."""
    if not to_unicode or not is_plain(font):
        return False
    subset = subset_program(font.file_content, sorted({0, *to_unicode}), font.index, hinting)
    if subset is None:
        return False
    font.file_content, numbering = subset
    numberings[font.name.decode("latin-1").removeprefix("/")] = numbering
    return True


def is_plain(font: Any) -> bool:
    """A font WeasyPrint does nothing to after subsetting but embed it."""
    special = ("missing", "bitmap", "png", "svg", "colr")  # glyphs drawn otherwise, or not in the font
    return not any(getattr(font, name, False) for name in special) and not set(SPECIAL_TABLES) & set(font.tables)
