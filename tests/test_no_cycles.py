"""Loading, checking, scoring and the site leave (almost) no reference cycles, so the cycle collector can stay off
meanwhile; the DOCX stage frees the cycles of each notice before the next."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support import SAMPLE_CONTENT, copy_project

from kaohe.actions.build import build
from kaohe.cli.build import TEMPLATES_DIR
from kaohe.collector import collector_paused
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv
from kaohe.render.data import render_results_json
from kaohe.render.docx import render_docx
from kaohe.render.site.pages import render_site


@contextmanager
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_the_stages_leave_no_cyclic_garbage_however_many_entries_they_read() -> None:
    with collector_off():
        outcome = run(WorkingTree(SAMPLE_CONTENT.parent))
        assert outcome.ok
        del outcome
        unreachable = gc.collect()
    # The sample's 347 entries are some 20,000 YAML values, each a node and a position: a node tree kept
    # alive by a cycle would leave tens of thousands of objects here. A few closures of the json module
    # (its pure-Python encoder) are all that may remain.
    assert unreachable < 100


def test_the_collector_is_off_only_while_the_stages_run() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()


def test_a_kept_outcome_is_frozen_before_the_collector_runs_again_and_a_build_unfreezes_it(tmp_path: Path) -> None:
    gc.unfreeze()
    outcome = run(WorkingTree(SAMPLE_CONTENT.parent), kept=True)
    assert outcome.ok and gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 50_000  # the model (some 20,000 YAML values, each a node and a position) and all else tracked
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    project = copy_project(tmp_path / "project")
    built = build(project, TEMPLATES_DIR, renderers=(render_results_json,))
    assert built.ok
    assert gc.get_freeze_count() == 0  # a process that goes on (serve) can collect it all again
    ledger = project / "content" / "ledgers" / "armed.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("year: 2008", "year: 2007"), encoding="utf-8")
    refused = build(project, TEMPLATES_DIR, renderers=(render_results_json,))
    assert refused.checked.results is None and not refused.written  # stopped after the check: nothing rendered
    assert gc.get_freeze_count() == 0  # unfrozen on that way out too


def test_writing_the_site_leaves_almost_no_cyclic_garbage(tmp_path: Path) -> None:
    outcome = run(WorkingTree(SAMPLE_CONTENT.parent))
    assert outcome.results is not None
    env = RenderEnv(SAMPLE_CONTENT.parent, TEMPLATES_DIR, 1231718400)
    render_site(outcome.results, tmp_path, env, ())  # compiles the templates: a few thousand objects, once
    with collector_off():
        render_site(outcome.results, tmp_path, env, ())
        unreachable = gc.collect()
    # The build pauses the collector while a renderer runs and collects once after: safe while writing
    # the sample's 86 files (over a million objects made on the way) leaves only the workbook's few
    # hundred (XlsxWriter's workbook, sheets and their files refer to each other; some 260), nothing for
    # each page or entry. A closure calling itself would keep every row it built: 3,331 objects here.
    assert (tmp_path / "site" / "index.html").is_file()
    assert unreachable < 1_000


def test_writing_the_docx_frees_each_notices_cycles_before_the_next(tmp_path: Path) -> None:
    """python-docx keeps each document in reference cycles (some 8 MiB of lxml trees a score sheet): with the
    collector paused for the whole stage, a city's 1,000 notices would hold 8 GiB; each is collected after it."""
    outcome = run(WorkingTree(SAMPLE_CONTENT.parent))
    assert outcome.results is not None
    env = RenderEnv(tmp_path, TEMPLATES_DIR, 1231718400)
    with collector_off():
        written = render_docx(outcome.results, tmp_path / "out", env, ())
        unreachable = gc.collect()
    # 25 notices; one of them alone leaves several thousand objects in cycles (a score sheet: about 8,000)
    assert len(written) == 25
    assert unreachable < 1_000
