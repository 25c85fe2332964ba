"""The justification gap font: a tiny font whose space glyphs have no advance.

WeasyPrint justifies a line only by stretching U+0020 and U+00A0, and Chinese
text has none. The PDF body text therefore gets a space at every allowed break
(see :mod:`kaohe.render.pdf.typeset`) drawn in this font, first in the body's
font stack: its spaces take no room whatever the body font is, so the
28-character grid holds and justification stretches exactly those gaps.
After rendering, :mod:`kaohe.render.pdf.finish` erases the gap glyphs from the
page content so that text copied or extracted from the PDF has no stray spaces.

The font is built with fontTools (deterministically: fixed timestamps) and
handed to WeasyPrint as a ``data:`` URL, so nothing is fetched from disk.
"""

from __future__ import annotations

import base64
import io
from functools import cache

from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

GAP_FAMILY = "KaoheGap"
GLYPHS = (".notdef", "space", "nbspace")
UNITS_PER_EM = 1000


@cache
def gap_font_bytes() -> bytes:
    """A TrueType font mapping U+0020 and U+00A0 to empty, zero-advance glyphs."""
    builder = FontBuilder(UNITS_PER_EM, isTTF=True)
    builder.setupGlyphOrder(list(GLYPHS))
    builder.setupCharacterMap({0x20: "space", 0xA0: "nbspace"})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() for name in GLYPHS})
    builder.setupHorizontalMetrics({name: (0, 0) for name in GLYPHS})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": GAP_FAMILY, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.updateHead(created=0, modified=0)
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def gap_font_face_css() -> str:
    """The ``@font-face`` rule declaring the gap font from a ``data:`` URL."""
    data = base64.b64encode(gap_font_bytes()).decode("ascii")
    return f'@font-face {{ font-family: "{GAP_FAMILY}"; src: url("data:font/ttf;base64,{data}"); }}\n'
