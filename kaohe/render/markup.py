"""Markdown from content (notes, evidence, the notice body) → safe HTML.

Markdown passes raw HTML through, so its output is always sanitised with nh3:
no scripts, no event attributes, no ``javascript:``/``file:`` URLs, and links
only to http(s), mailto or in-page anchors.

Nothing in the text may make a page load anything: a Markdown image
``![照片](https://…/a.jpg)`` becomes a link to it showing its alt text (only its
alt text if the URL is not http(s), or inside a link), and raw ``<img>``,
``<iframe>``, ``<link>`` and the like are removed. The site's
Content-Security-Policy (``templates/site/base.html``) forbids the rest.

A line break inside a paragraph between two Chinese characters (or full-width
punctuation) joins them without a space, as a Chinese reader writes: Markdown's soft
break becomes a space, which in a justified line of the notices is a visible gap.
In an entry's ``note`` and ``evidence`` (:func:`render_note`) every line break is a
line break, as the clerk typed it (a ``|`` block, Alt+Enter in a spreadsheet cell).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from html import unescape
from typing import NewType, cast
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
SAFE_URL_PREFIXES = ("http://", "https://", "mailto:")


def _keep_safe_urls(tag: str, attribute: str, value: str) -> str | None:
    """Drop relative and scheme-less URLs too: opened from disk they would reach local files."""
    if attribute in ("href", "src"):
        url = value.strip()
        if tag == "a" and url.startswith("#"):
            return url
        return url if url.lower().startswith(SAFE_URL_PREFIXES) else None
    return value


IMAGE_TEXT = "图片"  # the link text of an image without alt text


def _image_as_link(image: Element, in_link: bool) -> None:
    """Turn an ``<img>`` element into a link to the image, or into its text alone (a ``<span>``)."""
    src = (image.get("src") or "").strip()
    title = image.get("title")
    text = (image.get("alt") or "").strip() or IMAGE_TEXT
    image.attrib.clear()
    image.text = text
    if in_link or not src.lower().startswith(("http://", "https://")):
        image.tag = "span"  # nh3 keeps only the text
        return
    image.tag = "a"
    image.set("href", src)
    if title:
        image.set("title", title)


class ImagesAsLinks(Treeprocessor):
    """Runs after the inline patterns: every Markdown image becomes a link, so a page loads nothing remote."""

    def run(self, root: Element) -> None:
        self._walk(root, in_link=False)

    def _walk(self, parent: Element, in_link: bool) -> None:
        for child in parent:
            if child.tag == "img":
                _image_as_link(child, in_link)
            else:
                self._walk(child, in_link or child.tag == "a")


WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"  # CJK letters, 。，、「」, full-width forms
SOFT_BREAK_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE}])[ \\t]*\\n[ \\t]*(?=[{WIDE}])")
KEEPS_ITS_BREAKS = {"code", "pre"}


class WideSoftBreaks(Treeprocessor):
    """Runs after the inline patterns: a soft break between two wide characters joins them with nothing."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag not in KEEPS_ITS_BREAKS and element.text:
                element.text = SOFT_BREAK_BETWEEN_WIDE.sub("", element.text)
            if element.tail:
                element.tail = SOFT_BREAK_BETWEEN_WIDE.sub("", element.tail)


class NoImages(Extension):
    """The Markdown extension that registers :class:`ImagesAsLinks`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(ImagesAsLinks(md), "images_as_links", 15)  # after "inline" (20)


class WideLinesJoined(Extension):
    """The Markdown extension that registers :class:`WideSoftBreaks`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(WideSoftBreaks(md), "wide_soft_breaks", 14)  # after the inline patterns too


EXTENSIONS = ["tables", "sane_lists"]
_CONVERTERS = {  # by ``line_breaks``: every line break a line break (nl2br), or soft breaks, joined between wide ones
    False: markdown.Markdown(extensions=[*EXTENSIONS, NoImages(), WideLinesJoined()], output_format="html"),
    True: markdown.Markdown(extensions=[*EXTENSIONS, "nl2br", NoImages()], output_format="html"),
}
TIMES = re.compile(r"(?<=\d)\*(?=\d)")  # 3*4米: a clerk's multiplication sign, not the start of emphasis


# A note of one line in these characters is one paragraph of its own text, whatever Markdown and nh3 do:
# no markup character, nothing to escape, no line break; a test holds it to their output.
PLAIN_PARAGRAPH = re.compile(
    "[0-9A-Za-z\u00b7\u00d7\u2014\u2018\u2019\u201c\u201d\u2026"
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e ,.;:%/+-]+"
)
STARTS_A_BLOCK = re.compile(r"[-+]|\d+[.)]")  # a list item's marker, a rule or a heading's underline


def plain_line(text: str) -> bool:
    """Whether Markdown makes the text one paragraph of the text itself (most notes)."""
    return PLAIN_PARAGRAPH.fullmatch(text) is not None and text == text.strip() and not STARTS_A_BLOCK.match(text)


def _safe_html(text: str, line_breaks: bool) -> str:
    """Sanitised HTML of the text; a plain line without Markdown, which takes some 0.1 ms a note."""
    return f"<p>{text}</p>" if plain_line(text) else _converted(text, line_breaks)


@lru_cache(maxsize=4096)
def _converted(text: str, line_breaks: bool) -> str:
    """Convert with one reused converter (building one per call dominates), then sanitise."""
    if "`" not in text:  # in code it is shown as it is anyway
        text = TIMES.sub(r"\*", text)
    html = _CONVERTERS[line_breaks].reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_safe_urls,
    )


def render_markdown(text: str) -> Markup:
    """Sanitised HTML for a piece of Markdown; HTML in the text is sanitised (nh3), never passed through as written."""
    return Markup(_safe_html(text, line_breaks=False))


def render_note(text: str) -> Markup:
    """Like :func:`render_markdown`, every line break of the text a line break (an entry's note, evidence)."""
    return Markup(_safe_html(text, line_breaks=True))


def render_note_inline(text: str) -> Markup:
    """Like :func:`render_note` but without the wrapping paragraph, for table cells."""
    if plain_line(text):
        return Markup(text)
    text = str(render_note(text)).strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        text = text[3:-4]
    return Markup(text)


ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")  # what HTML collapses: an ideographic space (U+3000) is text
TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


def plain_text(html: Markup) -> str:
    """The visible text of sanitised HTML, lists run in as the notices show them, whitespace collapsed (search, spreadsheets).

    Whitespace is collapsed as a browser collapses it: runs of spaces, tabs and line breaks; a
    full-width space (``姓名　王五``) stays, as the site shows it.
    """
    text = str(html)
    if "<" in text or "&" in text:
        if "<li>" in text:
            text = run_in_lists(text)
        text = unescape(TAG_OR_COMMENT.sub("", ASCII_WHITESPACE.sub(" ", text)))
    return ASCII_WHITESPACE.sub(" ", text).strip(" ")


LIST_BLOCK = re.compile(r"<(ul|ol)>((?:(?!<[uo]l>).)*?)</\1>", re.DOTALL)  # an innermost list
LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL)
ENDS_A_CLAUSE = ("；", "。", "，", "！", "？", "：", ";", ".", ",", "!", "?", ":")


def run_in_lists(html: str) -> str:
    """Every list of sanitised HTML as one run of text: ``甲；乙``, ``1.甲；2.乙`` (a table cell, a spreadsheet's)."""
    previous = None
    while previous != html:
        previous = html
        html = LIST_BLOCK.sub(_run_in_list, html)
    return html


def _run_in_list(match: re.Match[str]) -> str:
    items = [item.strip() for item in LIST_ITEM.findall(match.group(2))]
    if match.group(1) == "ol":
        items = [f"{number}.{item}" for number, item in enumerate(items, 1)]
    last = len(items) - 1
    return "".join(item if at == last or item.endswith(ENDS_A_CLAUSE) else f"{item}；" for at, item in enumerate(items))


Escaped = NewType("Escaped", str)  # text already safe in HTML: written as it is, never escaped again
HTML_SPECIAL = re.compile("[&<>\"']")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}  # as Jinja2 (markupsafe) writes them


def escaped(text: str) -> Escaped:
    """``text`` safe in HTML text and in a quoted attribute, the same characters as Jinja2 would write.

    For the values of a template block that does not escape (``{% autoescape false %}``: the entries
    tables, where Jinja2's escaping of each value was most of a city's site). Sanitised HTML
    (:class:`~markupsafe.Markup`, a rendered note) is safe already and kept as it is.
    """
    if isinstance(text, Markup):
        return Escaped(str(text))
    if type(text) is not str:  # a subclass: what Jinja2 would write, str() of it
        text = str(text)
    if HTML_SPECIAL.search(text) is None:  # most values: ids, dates, numbers, names
        return Escaped(text)
    return Escaped(HTML_SPECIAL.sub(lambda special: ENTITIES[special.group()], text))


def all_escaped(texts: Sequence[str]) -> list[Escaped]:
    """Each of ``texts`` as :func:`escaped` gives it; one look at them all when none needs escaping (most rows)."""
    if HTML_SPECIAL.search("".join(texts)) is None:  # the characters are single: none can straddle two texts
        return cast(list[Escaped], list(texts))
    return [escaped(text) for text in texts]
