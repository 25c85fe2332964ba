"""One long-lived WeasyPrint renderer: stylesheets and fonts are built once and reused."""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

import shutil
from functools import partial
from pathlib import Path

from weasyprint import CSS
from weasyprint.document import Document as LaidOut
from weasyprint.text.fonts import FontConfiguration

from kaohe.collector import collected_once
from kaohe.render import vocab
from kaohe.render.jinja import environment
from kaohe.render.pdf.archival import archival_options
from kaohe.render.pdf.closing import fit_closing
from kaohe.render.pdf.colophon import MOVES, place_colophon
from kaohe.render.pdf.compact import compact_pdf
from kaohe.render.pdf.fetcher import AssetFetcher
from kaohe.render.pdf.finish import finish_pdf
from kaohe.render.pdf.fonts import FontPlan, font_plan
from kaohe.render.pdf.gapfont import gap_font_face_css
from kaohe.render.pdf.parsing import parsed_html
from kaohe.render.pdf.subsetting import FontFiles, Numberings, compact_subsets
from kaohe.render.pdf.views import TEMPLATE, Document

WRITE_ONLY = {"finisher", "zoom"}  # what HTML.write_pdf hands only to Document.write_pdf…
LAYOUT_ONLY = {"color_profiles", "counter_style", "font_config"}  # …and only to HTML.render
ASSETS = "pdf"  # templates/pdf: the templates, the stylesheets, nothing else is fetched


class PdfRenderer:
    """Renders :class:`Document` view models to PDF files with shared CSS and fonts."""

    def __init__(self, templates_dir: Path, fonts: FontPlan | None = None, compact: bool = True) -> None:
        """``fonts``: the faces for the roles (by default the installed fonts only, no ``content/fonts/``).

        ``compact=False`` leaves the fonts as WeasyPrint subsets them (:mod:`.compact`), for comparison.
        """
        fonts = fonts if fonts is not None else font_plan(None)
        self.compact = compact
        self.assets = (templates_dir / ASSETS).resolve()
        self.template = environment(templates_dir).get_template(TEMPLATE)
        self.fetcher = AssetFetcher(self.assets, fonts.font_files)
        self.fonts = FontConfiguration()
        self.font_files = FontFiles()  # the files of self.fonts, viewed once (:mod:`.subsetting`)
        self.base = [
            CSS(string=gap_font_face_css() + fonts.css, font_config=self.fonts, url_fetcher=self.fetcher),
            self.stylesheet("notice.css"),
        ]
        self.draft = self.stylesheet("draft.css")
        self.page_note = self.stylesheet("page-note.css")
        self.note_words: dict[str, CSS] = {}
        self.moves = {name: self.css(rule) for name, rule in MOVES.items()}

    def close(self) -> None:
        """Remove the folder WeasyPrint wrote the notices' font files into (its ``FontConfiguration`` does
        so only when freed: never, in a build that ends by ``os._exit`` or a worker whose renderer is kept
        to the end, so each such process left a ``weasyprint-*`` folder in the temporary folder)."""
        folder = self.fonts._folder  # WeasyPrint's: made by the first @font-face it loads
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            self.fonts._folder = None

    def css(self, rules: str) -> CSS:
        return CSS(string=rules, font_config=self.fonts, url_fetcher=self.fetcher)

    def stylesheet(self, name: str) -> CSS:
        return CSS(filename=str(self.assets / name), font_config=self.fonts, url_fetcher=self.fetcher)

    def stylesheets(self, doc: Document) -> list[CSS]:
        note = vocab.page_note(doc.sample, doc.public)
        return [
            *self.base,
            *([self.draft] if doc.draft else []),
            *([self.page_note, self.note_css(note)] if note else []),
        ]

    def note_css(self, note: str) -> CSS:
        """The page note's words (:func:`kaohe.render.vocab.page_note`); its look is page-note.css."""
        if note not in self.note_words:
            self.note_words[note] = self.css(f"@page {{ @top-left {{ content: {css_string(note)}; }} }}")
        return self.note_words[note]

    def html(self, doc: Document) -> str:
        return self.template.render(doc=doc)

    def render(self, doc: Document, target: Path) -> None:
        """Write one PDF with the cycle collector paused, then collect its layout trees (:mod:`kaohe.collector`)."""
        with collected_once():
            self.write(doc, target)

    def write(self, doc: Document, target: Path) -> None:
        page = parsed_html(self.html(doc), self.assets.as_uri() + "/", self.fetcher)
        numberings: Numberings = {}  # filled while WeasyPrint writes, read by the finisher after (:mod:`.finish`)
        finisher = partial(finish_pdf, numberings=numberings) if self.compact else finish_pdf
        options = {**archival_options(doc, finisher), "uncompressed_pdf": True}  # compact_pdf compresses once
        layout_options = {key: value for key, value in options.items() if key not in WRITE_ONLY}
        write_options = {key: value for key, value in options.items() if key not in LAYOUT_ONLY}

        def layout(extra: list[CSS]) -> LaidOut:
            """What ``HTML.write_pdf`` does first, with extra rules (:mod:`.closing`, :mod:`.colophon`)."""
            sheets = [*self.stylesheets(doc), *extra]
            return page.render(font_config=self.fonts, stylesheets=sheets, **layout_options)

        document, tightened = fit_closing(layout, self.css)
        document = place_colophon(document, lambda more: layout([*tightened, *more]), doc.letter, self.moves)
        if not self.compact:
            document.write_pdf(target, **write_options)
            return
        with compact_subsets(self.font_files, numberings):  # each font subset once, renumbered (:mod:`.subsetting`)…
            document.write_pdf(target, **write_options)  # …its text renumbered by the finisher…
        compact_pdf(target, numberings, text_renumbered=True)  # …and its widths and maps


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'
