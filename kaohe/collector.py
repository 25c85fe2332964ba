"""The cycle collector, paused where a stage makes many objects and collects them at once.

Python's cycle collector walks every tracked object each time enough new ones were made.
The loading, checking and scoring stages make millions of objects and no reference cycles
(``tests/test_no_cycles.py``), so there it only costs time: reference counting frees all
they drop. The renderers leave few cycles (the sample year's site: the workbook's few
hundred objects, none for each page; ``tests/test_no_cycles.py``), so a build pauses it
for each renderer and collects once after. WeasyPrint's layout trees are
full of cycles, but a notice's trees are garbage only once the notice is written, so one
collection after each notice frees them at the cost of walking them once, instead of many
times while they grow.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside, on again after (if it was on); nests."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def paused_then_kept() -> Iterator[None]:
    """:func:`collector_paused`, and everything tracked frozen (:func:`gc.freeze`) before it runs again.

    For a model that lasts as long as the command and holds no cycles (the content and results
    of a ``check`` or a build, ``tests/test_no_cycles.py``): otherwise the first collection after
    the pause walks all of it once, some 40 ms for the sample year, and frees nothing. The build
    unfreezes everything once it is done, whichever way it ends (``kaohe.actions.build.build``).
    """
    with collector_paused():
        yield
        gc.freeze()


OLDEST = 2  # a full collection: every object the collector tracks and has not been frozen
YOUNGEST = 0  # only the objects made since the last collection


@contextmanager
def collected_once(generation: int = OLDEST) -> Iterator[None]:
    """:func:`collector_paused`, then one collection before the collector runs again on its own.

    Collecting inside the pause also resets the collector's counts: re-enabled, it does not start
    at once on the objects made meanwhile. With ``YOUNGEST`` the collection walks only what was made
    inside (the collector being off, nothing has left the youngest generation since the last one):
    a cycle made there is freed without walking again everything older that is still alive.
    """
    with collector_paused():
        yield
        gc.collect(generation)
