"""The view models' text as DOCX runs: justification gaps out, inline Markdown as bold and italic.

The PDF view models hold body text with a justification gap at every allowed break
(:mod:`kaohe.render.pdf.typeset`): spaces drawn in a zero-width font. A word processor
justifies Chinese text by itself, so :func:`gapped_spans` takes the gaps out again and turns
the spaces the author wrote (kept as U+2005) back into spaces. Text that never had gaps
(table cells, notes, dates) goes through :func:`spans`, which keeps every character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from kaohe.render.pdf.typeset import BREAK, GLUE, REAL_SPACE

UNGAP = str.maketrans({BREAK: None, GLUE: None, REAL_SPACE: " "})
IDEOGRAPHIC_SPACE = "\u3000"  # one grid cell left blank (the blank date of a draft)
BLANK_CLASS = re.compile(r"\bblank-(\d+)\b")
BOLD_TAGS = {"strong", "b"}
ITALIC_TAGS = {"em", "i"}
BREAK_TAGS = {"br"}
BLOCK_TAGS = {"p", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "table"}
CELL_TAGS = {"td", "th"}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # XML 1.0 cannot hold these


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot hold (a control character in a note)."""
    return NOT_XML.sub("", text)


@dataclass(frozen=True)
class Span:
    """A run of text in one style; ``\\n`` is a line break inside the paragraph."""

    text: str
    bold: bool = False
    italic: bool = False


class _Spans(HTMLParser):
    """Sanitised inline HTML (and, with ``blocks``, block HTML) as paragraphs of spans."""

    def __init__(self, ungap: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.ungap = ungap
        self.bold = 0
        self.italic = 0
        self.paragraphs: list[list[Span]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BOLD_TAGS:
            self.bold += 1
        elif tag in ITALIC_TAGS:
            self.italic += 1
        elif tag in BREAK_TAGS:
            self.add("\n")
        elif tag in BLOCK_TAGS:
            self.new_paragraph()
        elif tag in CELL_TAGS and self.paragraphs[-1]:
            self.add(" ")
        elif tag == "span":
            blank = BLANK_CLASS.search(dict(attrs).get("class") or "")
            if blank:
                self.add(IDEOGRAPHIC_SPACE * int(blank.group(1)), raw=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in BOLD_TAGS:
            self.bold = max(0, self.bold - 1)
        elif tag in ITALIC_TAGS:
            self.italic = max(0, self.italic - 1)
        elif tag in BLOCK_TAGS:
            self.new_paragraph()

    def handle_data(self, data: str) -> None:
        self.add(data.replace("\n", " "))  # a newline in HTML is a space; <br> breaks the line

    def add(self, text: str, raw: bool = False) -> None:
        if self.ungap and not raw:
            text = text.translate(UNGAP)
        text = xml_text(text)
        if text:
            self.paragraphs[-1].append(Span(text, self.bold > 0, self.italic > 0))

    def new_paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])


def _parse(markup: str, ungap: bool) -> list[list[Span]]:
    parser = _Spans(ungap)
    parser.feed(str(markup))
    parser.close()
    return [paragraph for paragraph in parser.paragraphs if plain(paragraph).strip()]


def gapped_spans(markup: str) -> list[Span]:
    """Body text with justification gaps (a Paragraph's ``html`` or ``lead``, the addressee) as spans."""
    return [span for paragraph in _parse(markup, ungap=True) for span in paragraph]


def spans(markup: str) -> list[Span]:
    """Text without gaps (a table cell, a note, a date) as spans, every character kept."""
    return [span for paragraph in _parse(markup, ungap=False) for span in paragraph]


def block_paragraphs(markup: str) -> list[list[Span]]:
    """A Markdown block (list, quotation, table, code) as one paragraph per item, row or line."""
    return _parse(markup, ungap=False)


def plain(found: list[Span]) -> str:
    return "".join(span.text for span in found)
