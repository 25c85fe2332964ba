"""Loading, checking and scoring leave no reference cycles, so the cycle collector can stay off meanwhile."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from support import SAMPLE_CONTENT

from kaohe.content.source import WorkingTree
from kaohe.pipeline import collector_paused, run


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
