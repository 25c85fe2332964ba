"""Rendering notices in the build's own process leaves no object frozen out of the cycle collector after it."""

from __future__ import annotations

import gc
from pathlib import Path

from support import SAMPLE_CONTENT

from kaohe.cli.build import TEMPLATES_DIR
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.pdf import Progress, documents, render_all


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
