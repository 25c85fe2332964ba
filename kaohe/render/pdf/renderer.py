"""One long-lived WeasyPrint renderer: stylesheets and fonts are built once and reused."""

from __future__ import annotations

import gc
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from kaohe.render.jinja import environment
from kaohe.render.pdf.fetcher import AssetFetcher
from kaohe.render.pdf.finish import finish_pdf
from kaohe.render.pdf.gapfont import gap_font_face_css
from kaohe.render.pdf.views import Document

ASSETS = "pdf"  # templates/pdf: the templates, the stylesheets, nothing else is fetched
TEMPLATE = "pdf/notice.html"


class PdfRenderer:
    """Renders :class:`Document` view models to PDF files with shared CSS and fonts."""

    def __init__(self, templates_dir: Path) -> None:
        self.assets = (templates_dir / ASSETS).resolve()
        self.template = environment(templates_dir).get_template(TEMPLATE)
        self.fetcher = AssetFetcher(self.assets)
        self.fonts = FontConfiguration()
        self.base = [
            CSS(string=gap_font_face_css(), font_config=self.fonts, url_fetcher=self.fetcher),
            self.stylesheet("notice.css"),
        ]
        self.draft = self.stylesheet("draft.css")
        self.sample = self.stylesheet("sample.css")

    def stylesheet(self, name: str) -> CSS:
        return CSS(filename=str(self.assets / name), font_config=self.fonts, url_fetcher=self.fetcher)

    def stylesheets(self, doc: Document) -> list[CSS]:
        return [*self.base, *([self.draft] if doc.draft else []), *([self.sample] if doc.sample else [])]

    def html(self, doc: Document) -> str:
        return self.template.render(doc=doc)

    def render(self, doc: Document, target: Path) -> None:
        """Write one PDF; memory is collected after each (WeasyPrint keeps large layout trees)."""
        page = HTML(string=self.html(doc), base_url=self.assets.as_uri() + "/", url_fetcher=self.fetcher)
        page.write_pdf(
            target,
            stylesheets=self.stylesheets(doc),
            font_config=self.fonts,
            finisher=finish_pdf,
            pdf_tags=False,
        )
        gc.collect()
