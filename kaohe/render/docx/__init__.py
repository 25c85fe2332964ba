"""The notices as DOCX documents beside their PDFs, for offices that finish and file them in WPS or Word.

:func:`render_docx` writes ``output/pdf/<stem>.docx`` for every PDF notice, from the same view models
(:func:`kaohe.render.pdf.documents`), so both say exactly the same. The page set-up, the document grid
and the styles are in :mod:`.styles`, the document itself in :mod:`.writer`, the text of the view models
(justification gaps taken out) in :mod:`.text`, deterministic bytes in :mod:`.package`. Eight or more
notices to write go to a fork pool of 2 (:func:`kaohe.render.pool.forked`); the bytes are the same.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from pathlib import Path, PurePosixPath

from kaohe.collector import YOUNGEST, collected_once
from kaohe.render import RenderEnv, RenderError
from kaohe.render.docx.package import docx_bytes, set_core_properties
from kaohe.render.docx.writer import write_document
from kaohe.render.filenames import inside
from kaohe.render.pdf import PDF_DIR, documents
from kaohe.render.pdf.views import Document
from kaohe.render.pool import WORKER_DIED, fork_workers, forked
from kaohe.render.progress import Progress
from kaohe.render.reuse import RENDER_CODE, OutputCache, code_stamp, digest, versions
from kaohe.scoring.results import Results

DOCX_SUFFIX = ".docx"
POOL_FROM_NOTICES = 8  # fewer are written in this process: a pool would cost more than it saves
Shared = tuple[tuple[Document, ...], Path, int | None]  # the notices, the folder, SOURCE_DATE_EPOCH


def docx_name(doc: Document) -> str:
    """The PDF's file name with ``.docx``: the same stem, made safe once by :mod:`kaohe.render.filenames`."""
    return str(PurePosixPath(doc.file_name).with_suffix(DOCX_SUFFIX))


def notice_docx(doc: Document, source_date_epoch: int | None) -> bytes:
    """One notice as DOCX bytes (the same bytes for the same view model and date)."""
    document = write_document(doc)
    set_core_properties(document, doc, source_date_epoch)
    return docx_bytes(document, source_date_epoch)


def render_docx(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    """Renderer: write a DOCX beside every PDF notice in ``out_dir/pdf/``; none in the public edition.

    A DOCX is for the office to finish a notice in WPS or Word; the public edition is what is
    posted, so it offers the PDFs alone.
    """
    if env.public:
        return ()
    target = out_dir / PDF_DIR
    target.mkdir(parents=True, exist_ok=True)
    cache = OutputCache.at(env.project_root, "docx")
    code = code_stamp(RENDER_CODE, env.templates_dir.resolve())
    docs = documents(results, env.source_date_epoch, env.public)
    names = [docx_name(doc) for doc in docs]
    keys = [digest([repr(doc), code, versions("python-docx", "lxml"), str(env.source_date_epoch)]) for doc in docs]
    progress = Progress(env.progress, len(docs), "DOCX")
    shared = (docs, target, env.source_date_epoch)
    try:
        done, fresh = 0, []
        for n, (name, key) in enumerate(zip(names, keys, strict=True)):
            if cache.fetch(key, inside(target, name)):
                done += 1
                progress.step(done, name)
            else:
                fresh.append(n)
        workers = fork_workers(len(fresh), POOL_FROM_NOTICES)
        made = (write_one(shared, n) for n in fresh) if workers <= 1 else forked(shared, write_one, fresh, workers)
        with closing(made):  # an error here stops the workers at once
            for n in made:  # each kept as soon as it is written: a build stopped half-way keeps what it made
                cache.keep(keys[n], inside(target, names[n]))
                done += 1
                progress.step(done, names[n])
    except OSError as exc:
        raise RenderError(f"could not write the DOCX notices: {exc}") from exc
    except BrokenProcessPool as exc:
        raise RenderError(f"could not write the DOCX notices: {WORKER_DIED}") from exc
    progress.close()
    cache.prune()
    return tuple(f"{PDF_DIR}/{name}" for name in names)


def write_one(shared: Shared, index: int) -> int:
    """Write the ``index``-th notice as DOCX; ``index`` again, once it is written. In this process or a forked worker."""
    docs, target, epoch = shared
    doc = docs[index]
    name = docx_name(doc)
    # python-docx leaves each document in cycles (some 8 MiB a score sheet), made here: collected
    # among the objects made since the last collection, not walking the year's notices again
    with collected_once(YOUNGEST):
        inside(target, name).write_bytes(notice_docx(doc, epoch))
    return index
