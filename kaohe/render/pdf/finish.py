"""Post-processing of the PDF objects before WeasyPrint writes them (its ``finisher`` hook).

Two things are done to the text of every content stream, in one pass over its operators:

- the justification gaps are drawn in the zero-advance gap font; their glyphs are emptied from
  every text-showing operator so that copying or extracting text yields no stray spaces. The gap
  glyphs have no width, so positions are unchanged;
- the glyphs of a font :mod:`.subsetting` subset compactly while WeasyPrint wrote it are given
  their new numbers (the font's numbering, by its PDF name). :func:`.compact.compact_pdf` then
  renumbers only that font's widths and ``ToUnicode`` map, not its text again.

WeasyPrint writes each operator as one chunk of the stream (``/F1 16 Tf``, ``[<0a1b>-50<0c2d>] TJ``,
``q``, ``Q``); a font set inside ``q … Q`` is the font again after the ``Q``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pydyf  # type: ignore[import-untyped]

from kaohe.render.pdf.compact import PLAIN_HEX, HexRenumberer
from kaohe.render.pdf.gapfont import GAP_FAMILY

SET_FONT = re.compile(rb"^/(\S+) \S+ Tf$")
HEX_GLYPHS = re.compile(rb"<[0-9a-fA-F]*>")
OPERATORS = {  # the last two bytes of the operators that matter here
    b"q": "save",
    b"Q": "restore",
    b"Tf": "font",
    b"TJ": "show",
    b"Tj": "other",  # what WeasyPrint never writes: text shown otherwise than by TJ
    b" '": "other",
    b' "': "other",
}


def names_by_tag(objects: Iterable[object]) -> dict[bytes, str]:
    """Each font's resource name → its PDF name: WeasyPrint names a font by its subset tag (``ABCDEF+Family``)."""
    names: dict[bytes, str] = {}
    for obj in objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font":
            base = obj.get("BaseFont")
            name = (base if isinstance(base, bytes) else str(base).encode()).lstrip(b"/")
            names[name.split(b"+", 1)[0]] = name.decode("latin-1")
    return names


def gap_font_tags(names: Mapping[bytes, str]) -> set[bytes]:
    """Resource names of the gap font, of those of :func:`names_by_tag`."""
    suffix = "+" + GAP_FAMILY
    return {tag for tag, name in names.items() if name.endswith(suffix)}


def finish_chunks(chunks: list[object], gap_tags: set[bytes], renumberers: Mapping[bytes, HexRenumberer]) -> None:
    """A content stream's chunks, in place: the gap font's glyphs emptied, the compact fonts' renumbered.

    Only an operator's last two bytes are looked at first: most operators are not text.
    """
    current: bytes | None = None
    saved: list[bytes | None] = []
    for index, chunk in enumerate(chunks):
        kind = OPERATORS.get(chunk[-2:]) if isinstance(chunk, bytes) else None
        if kind is None:
            continue
        assert isinstance(chunk, bytes)
        if kind == "show" and current is not None:
            if current in gap_tags:
                chunks[index] = HEX_GLYPHS.sub(b"<>", chunk)
            elif current in renumberers:
                chunks[index] = PLAIN_HEX.sub(renumberers[current], chunk)
        elif kind == "font":
            font = SET_FONT.match(chunk)
            current = font.group(1) if font else current
        elif kind == "save" and chunk == b"q":
            saved.append(current)
        elif kind == "restore" and chunk == b"Q":
            current = saved.pop() if saved else current
        elif kind == "other" and current in renumberers:
            raise ValueError(f"text shown otherwise than by TJ, which is not renumbered: {chunk[:40]!r}")


def finish_pdf(document: object, pdf: pydyf.PDF, numberings: Mapping[str, Mapping[int, int]] | None = None) -> None:
    """WeasyPrint ``finisher``: the justification gaps out of the text layer; glyphs renumbered per ``numberings``.

    ``numberings``: old → new glyph id, by the PDF name of each font subset compactly while written.
    """
    names = names_by_tag(pdf.objects)
    gap_tags = gap_font_tags(names)
    renumberers = {
        tag: HexRenumberer(dict(numberings[name])) for tag, name in names.items() if numberings and name in numberings
    }
    if not gap_tags and not renumberers:
        return
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream):
            finish_chunks(obj.stream, gap_tags, renumberers)
