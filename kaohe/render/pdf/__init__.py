"""The printable notices in the official red-header format (GB/T 9704), rendered with WeasyPrint.

Three kinds of document go to ``output/pdf/``:

- the rubric notice (通知) publishing the 细则, with the rubric table attached;
- the results 通报, with every community's scores and rank attached;
- one score sheet (考核结果通知书) per community;
- once the results are final, one 处理告知书 per person given a last-place measure
  (:mod:`.measure_notice`), an internal document (``Document.internal``);
- with a 公示 (``content/publicity.yaml``), the 公示 notice and one 复核结果告知书 per decided
  objection (:mod:`.publicity`), the letters internal (they name the objector).

Modules: :mod:`.typeset` (justification gaps, headings, titles, dates),
:mod:`.views` and :mod:`.notice`/:mod:`.report`/:mod:`.sheet` (view models),
:mod:`.gapfont` and :mod:`.finish` (flush-right justification without stray
spaces), :mod:`.fetcher` (only the project's own assets and the office's font
files), :mod:`.fonts` (the face serving each font role, reported by the build),
:mod:`.closing` (fitting the closing onto the last body page) and
:mod:`.colophon` (the 版记 at the foot of the last even page), and
:mod:`.renderer` (one WeasyPrint process, CSS and fonts built once).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import TemplateError

from kaohe.collector import paused_then_kept
from kaohe.render import RenderEnv, RenderError
from kaohe.render.filenames import inside
from kaohe.render.jinja import environment
from kaohe.render.pdf.fonts import FontPlan, check_fonts, font_plan, require_cjk_font
from kaohe.render.pdf.measure_notice import measure_notices
from kaohe.render.pdf.notice import rubric_notice
from kaohe.render.pdf.publicity import publicity_documents
from kaohe.render.pdf.report import results_notice
from kaohe.render.pdf.sheet import score_sheet
from kaohe.render.pdf.views import TEMPLATE, Document
from kaohe.render.per_results import per_results
from kaohe.render.pool import WORKERS, as_finished, start_worker, usable_cores, worker_pool
from kaohe.render.progress import Progress
from kaohe.render.reuse import RENDER_CODE, OutputCache, code_stamp, digest, file_identity, versions
from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from kaohe.render.pdf.renderer import PdfRenderer

PDF_DIR = "pdf"


@per_results  # the PDF and the DOCX renderers ask for the same documents
def documents(results: Results, source_date_epoch: int | None, public: bool = False) -> tuple[Document, ...]:
    """Every PDF of the year: the rubric notice (if rubric.yaml has one), the 通报, one sheet each.

    None for results as of a date (``build --as-of``): an early warning is never a notice.
    The public edition (``public``) leaves out the internal documents and the 通报's measures.
    """
    if results.as_of is not None:
        return ()
    notice = rubric_notice(results, source_date_epoch)
    docs = [notice] if notice is not None else []
    docs.append(results_notice(results, source_date_epoch, public))
    docs.extend(score_sheet(c, results, source_date_epoch) for c in results.communities)
    docs.extend(measure_notices(results, source_date_epoch))  # internal documents (Document.internal)
    docs.extend(publicity_documents(results, source_date_epoch))  # the 公示; each 复核结果告知书 is internal
    if public:
        return tuple(replace(doc, public=True) for doc in docs if not doc.internal)
    return tuple(docs)


def new_renderer(templates_dir: Path, fonts: FontPlan) -> PdfRenderer:
    """A renderer (:mod:`.renderer`), WeasyPrint imported with it the first time.

    Only here: a build whose notices all come from the cache, an ``--as-of`` build and the DOCX
    renderer never import WeasyPrint (about a third of a second of CPU).
    """
    from kaohe.render.pdf.renderer import PdfRenderer

    return PdfRenderer(templates_dir, fonts)


_worker_renderer: PdfRenderer | None = None


def _start_worker(templates_dir: Path, fonts: FontPlan, build_pid: int) -> None:
    global _worker_renderer
    start_worker(build_pid)
    _worker_renderer = new_renderer(templates_dir, fonts)
    atexit.register(_drop_worker_renderer)
    gc.freeze()  # the renderer's fonts and CSS, and every module: no collection walks them again


def _drop_worker_renderer() -> None:
    """At the worker's exit, before its modules are torn down: the fonts' folder removed, the renderer let go.

    WeasyPrint, imported after this module, is torn down before it: the renderer left to go with this
    module's globals would find WeasyPrint's functions gone (``'NoneType' object is not callable``).
    """
    global _worker_renderer
    if _worker_renderer is not None:
        _worker_renderer.close()
    _worker_renderer = None


def _render_in_worker(doc: Document, path: Path) -> str:
    assert _worker_renderer is not None, "worker not started"
    _worker_renderer.render(doc, path)
    return doc.file_name


def render_all(
    docs: Sequence[Document],
    target: Path,
    templates_dir: Path,
    progress: Progress,
    fonts: FontPlan | None = None,
    most_workers: int = WORKERS,
    process_ends: bool = False,
) -> None:
    """Render in this process, or in a small pool (at most ``most_workers``) whose workers each build CSS and fonts once.

    ``process_ends``: this process exits soon after (:attr:`RenderEnv.process_ends`), so the layout trees
    of the last notice it renders are not collected (walking and freeing them: some 0.1 s a score sheet)
    but kept out of the collector's sight (:func:`~kaohe.collector.paused_then_kept`) until the exit drops
    them, through the stages after this one: one notice's trees (each edition's, with ``--public``).
    """
    fonts = fonts if fonts is not None else font_plan(None)
    workers = min(most_workers, usable_cores(), len(docs))
    if not docs:
        return
    if workers <= 1:
        renderer = new_renderer(templates_dir, fonts)
        owned = gc.get_freeze_count() == 0  # a build froze its model already, and unfreezes it all after
        gc.freeze()  # as in a worker; unfrozen after, for a process that goes on (``serve``)
        try:
            for done, doc in enumerate(docs, 1):
                path = inside(target, doc.file_name)
                if process_ends and done == len(docs):
                    with paused_then_kept():
                        renderer.write(doc, path)
                else:
                    renderer.render(doc, path)
                progress.step(done, doc.file_name)
        finally:
            renderer.close()
            if owned:
                gc.unfreeze()
        return
    with worker_pool(workers, "spawn", _start_worker, (templates_dir, fonts, os.getpid())) as pool:
        futures = [pool.submit(_render_in_worker, doc, inside(target, doc.file_name)) for doc in docs]
        for done, name in enumerate(as_finished(futures), 1):
            progress.step(done, name)


def strict_fonts(results: Results) -> bool:
    notice = results.rubric.notice
    return notice is not None and notice.strict_fonts


def render_pdfs(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    """Renderer: write every notice under ``out_dir/pdf/``."""
    require_cjk_font()
    fonts = font_plan(env.project_root)
    if not env.quiet:
        print(fonts.report(), file=sys.stderr)  # which face serves each role (stdout may carry --json)
    for warning in check_fonts(fonts, strict_fonts(results)):
        print(f"warning: {warning}", file=sys.stderr)
    target = out_dir / PDF_DIR
    target.mkdir(parents=True, exist_ok=True)
    docs = documents(results, env.source_date_epoch, env.public)
    cache = OutputCache.at(env.project_root, PDF_DIR)
    keys = {doc.file_name: pdf_key(doc, fonts, env) for doc in docs}
    fresh = [doc for doc in docs if not cache.fetch(keys[doc.file_name], inside(target, doc.file_name))]
    progress = Progress(env.progress, len(fresh))
    try:
        if fresh:  # a broken template stops here, not in a worker (a kept notice was made by these templates)
            environment(env.templates_dir).get_template(TEMPLATE)
        render_all(fresh, target, env.templates_dir, progress, fonts, process_ends=env.process_ends)
    except TemplateError as exc:
        raise RenderError(f"the PDF templates in {env.templates_dir / 'pdf'} are broken: {exc}") from exc
    except (BrokenProcessPool, OSError) as exc:
        raise RenderError(f"could not write the PDF notices: {exc}") from exc
    progress.close()
    for doc in fresh:
        cache.keep(keys[doc.file_name], inside(target, doc.file_name))
    cache.prune()
    return tuple(f"{PDF_DIR}/{doc.file_name}" for doc in docs)


PDF_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "pikepdf", "uharfbuzz")


def pdf_key(doc: Document, fonts: FontPlan, env: RenderEnv) -> str:
    """Everything that decides a notice's bytes: the view model, the code and templates, the fonts, the libraries."""
    return digest(
        [
            repr(doc),
            code_stamp(RENDER_CODE, env.templates_dir.resolve()),
            repr(fonts.served),
            fonts.css,
            file_identity(fonts.font_files),
            versions(*PDF_LIBRARIES),
            str(env.source_date_epoch),
        ]
    )
