"""The cycle collector around notices: nothing left frozen after rendering in process, layout trees collected after
each (but the last, when the process ends after it)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from support import SAMPLE_CONTENT

from kaohe.cli.build import TEMPLATES_DIR
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.pdf import documents, render_all
from kaohe.render.pdf.renderer import PdfRenderer
from kaohe.render.pdf.views import Document
from kaohe.render.progress import Progress


def test_rendering_in_process_unfreezes_what_it_froze_and_leaves_a_callers_freeze_alone(tmp_path: Path) -> None:
    outcome = run(WorkingTree(SAMPLE_CONTENT.parent))
    assert outcome.results is not None
    smallest = min(documents(outcome.results, 1231718400), key=lambda doc: len(repr(doc)))
    assert gc.get_freeze_count() == 0
    render_all([smallest], tmp_path, TEMPLATES_DIR, Progress(False, 1))  # one notice: no pool
    assert gc.get_freeze_count() == 0  # a long-running process (serve) can collect all of it again
    gc.freeze()  # as a build does while its renderers run
    try:
        render_all([smallest], tmp_path, TEMPLATES_DIR, Progress(False, 1))
        assert gc.get_freeze_count() > 0  # the build's freeze still holds: the site stage profits from it
    finally:
        gc.unfreeze()
    assert (tmp_path / smallest.file_name).stat().st_size > 10_000


def test_a_notice_is_laid_out_with_the_collector_off_and_its_layout_trees_are_collected_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(WorkingTree(SAMPLE_CONTENT.parent))
    assert outcome.results is not None
    smallest = min(documents(outcome.results, 1231718400), key=lambda doc: len(repr(doc)))
    seen: list[bool] = []
    write = PdfRenderer.write

    def watched(self: PdfRenderer, doc: Document, target: Path) -> None:
        seen.append(gc.isenabled())
        write(self, doc, target)

    monkeypatch.setattr(PdfRenderer, "write", watched)
    renderer = PdfRenderer(TEMPLATES_DIR)
    gc.collect()
    renderer.render(smallest, tmp_path / smallest.file_name)
    assert seen == [False]  # laid out and written with the collector off…
    assert gc.isenabled()  # …which is on again after
    assert gc.collect() < 1_000  # and the notice's layout trees (cycles, all of them) are gone


def test_the_last_notice_of_a_process_that_ends_leaves_its_layout_trees_to_the_exit(tmp_path: Path) -> None:
    outcome = run(WorkingTree(SAMPLE_CONTENT.parent))
    assert outcome.results is not None
    smallest = min(documents(outcome.results, 1231718400), key=lambda doc: len(repr(doc)))
    gc.collect()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    render_all([smallest], tmp_path / "a", TEMPLATES_DIR, Progress(False, 1))
    assert gc.collect() < 1_000  # by default collected after the notice, as in a process that goes on…
    gc.freeze()  # …and as a build does while its renderers run (build.py build: the process ends after)
    try:
        before = gc.get_freeze_count()
        render_all([smallest], tmp_path / "b", TEMPLATES_DIR, Progress(False, 1), process_ends=True)
        left = gc.get_freeze_count() - before
    finally:
        gc.unfreeze()
    # The smallest notice's layout trees (one page) are some 5,000 objects in cycles: frozen, not walked or
    # freed (the exit drops them); a notice collected as usual leaves fewer than 1,000, as above.
    assert left > 3_000
    assert gc.collect() > 3_000  # they were garbage, kept for the exit and freed by the first collection after
    assert (tmp_path / "a" / smallest.file_name).read_bytes() == (tmp_path / "b" / smallest.file_name).read_bytes()
