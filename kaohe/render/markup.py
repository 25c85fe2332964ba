"""Markdown from content (notes, evidence, the notice body) → safe HTML.

Markdown passes raw HTML through, so its output is always sanitised with nh3:
no scripts, no event attributes, no ``javascript:``/``file:`` URLs, and links
and images only to http(s), mailto or in-page anchors.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
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


_CONVERTER = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


@lru_cache(maxsize=4096)
def _safe_html(text: str) -> str:
    """Convert with one reused converter (building one per call dominates), then sanitise."""
    html = _CONVERTER.reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_safe_urls,
    )


def render_markdown(text: str) -> Markup:
    """Sanitised HTML for a piece of Markdown; raw HTML in the text is never passed through."""
    return Markup(_safe_html(text))


def render_markdown_inline(text: str) -> Markup:
    """Like :func:`render_markdown` but without the wrapping paragraph, for table cells."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def plain_text(html: Markup) -> str:
    """The visible text of sanitised HTML, whitespace collapsed (for search and spreadsheets)."""
    return " ".join(html.striptags().split())
