"""Post-processing of the PDF objects before WeasyPrint writes them (its ``finisher`` hook).

The justification gaps are drawn in the zero-advance gap font; their glyphs are
emptied from every text-showing operator so that copying or extracting text
yields no stray spaces. The gap glyphs have no width, so positions are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pydyf  # type: ignore[import-untyped]

from kaohe.render.pdf.gapfont import GAP_FAMILY

SET_FONT = re.compile(rb"^/(\S+) \S+ Tf$")
HEX_GLYPHS = re.compile(rb"<[0-9a-fA-F]*>")


def gap_font_tags(objects: Iterable[object]) -> set[bytes]:
    """Resource names of the gap font: WeasyPrint names a font by its subset tag (``ABCDEF+Family``)."""
    tags: set[bytes] = set()
    for obj in objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font":
            base = obj.get("BaseFont")
            name = base if isinstance(base, bytes) else str(base).encode()
            if name.endswith(b"+" + GAP_FAMILY.encode()):
                tags.add(name.lstrip(b"/").split(b"+", 1)[0])
    return tags


def erase_gap_glyphs(chunks: list[object], tags: set[bytes]) -> list[object]:
    """The content-stream chunks with every gap-font glyph string emptied."""
    current_is_gap = False
    out: list[object] = []
    for chunk in chunks:
        if isinstance(chunk, bytes):
            font = SET_FONT.match(chunk)
            if font:
                current_is_gap = font.group(1) in tags
            elif current_is_gap and chunk.endswith(b"] TJ"):
                chunk = HEX_GLYPHS.sub(b"<>", chunk)
        out.append(chunk)
    return out


def finish_pdf(document: object, pdf: pydyf.PDF) -> None:
    """WeasyPrint ``finisher``: remove the justification gaps from the text layer."""
    tags = gap_font_tags(pdf.objects)
    if not tags:
        return
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream):
            obj.stream = erase_gap_glyphs(obj.stream, tags)
