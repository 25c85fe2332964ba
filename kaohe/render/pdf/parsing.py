"""The notices' HTML parsed by libxml2 (lxml) instead of WeasyPrint's pure-Python HTML5 parser.

WeasyPrint parses its input with tinyhtml5, some 50 ms for one score sheet (most of the time a
build spends outside layout and drawing for it); lxml parses the same markup in about 1 ms. The
notices' markup comes from this tool's own templates, written as well-formed HTML (explicit
``<tbody>``, ``<head>`` and ``<body>``, no markup that HTML5 would repair), so both parsers give the
same element tree; ``tests/pdf/test_pdf_parsing.py`` checks that for every notice of the sample year.
The one difference is whitespace-only text around ``<body>``, which lays out to nothing.

The tree is handed to WeasyPrint the way :class:`weasyprint.HTML` holds it after parsing (its
attributes are checked by the same test, so an upgrade that changes them fails there).
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

import xml.etree.ElementTree as ET

import cssselect2
import lxml.etree
import lxml.html
from weasyprint import HTML
from weasyprint.urls import URLFetcher

MEDIA_TYPE = "print"
HTML_ATTRIBUTES = frozenset({"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"})


def parsed_html(markup: str, base_url: str, url_fetcher: URLFetcher) -> HTML:
    """What ``HTML(string=markup, base_url=..., url_fetcher=...)`` makes, parsed by lxml."""
    root = element_tree(lxml.html.document_fromstring(markup))
    page = HTML.__new__(HTML)
    page.base_url = base_url  # the notices have no <base>
    page.url_fetcher = url_fetcher
    page.media_type = MEDIA_TYPE
    page.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    page.etree_element = page.wrapper_element.etree_element
    return page


def element_tree(source: lxml.etree._Element) -> ET.Element:
    """An :mod:`xml.etree` copy of an lxml tree, without its comments (their tails kept)."""
    copy = ET.Element(str(source.tag), dict(source.attrib))
    copy.text = source.text
    last: ET.Element | None = None
    for child in source:
        if not isinstance(child.tag, str):  # a comment or a processing instruction
            if child.tail:
                if last is None:
                    copy.text = (copy.text or "") + child.tail
                else:
                    last.tail = (last.tail or "") + child.tail
            continue
        last = element_tree(child)
        last.tail = child.tail
        copy.append(last)
    return copy
