"""What a long command tells while it runs: each stage's start and end, for a progress line or ``--verbose``.

The action calls :meth:`Stages.run` around each stage; the command line decides
what to show (:mod:`kaohe.cli.progress`): a line updated in place on a terminal,
one line per stage with ``--verbose``, nothing with ``--quiet`` or ``--json``. The
timings also come back in the result, whoever watches.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class StageTiming:
    """One stage that ran: its name, how long it took (whole milliseconds), how many files it wrote."""

    name: str
    ms: int
    files: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "ms": self.ms, "files": self.files}


class Watcher(Protocol):
    """Someone who is told when a stage starts and when it ends."""

    def started(self, name: str) -> None: ...

    def finished(self, timing: StageTiming) -> None: ...


class Unwatched:
    def started(self, name: str) -> None:
        return None

    def finished(self, timing: StageTiming) -> None:
        return None


@dataclass
class Stages:
    """The stages of one run, in order, told to ``watcher`` as they start and end."""

    watcher: Watcher = field(default_factory=Unwatched)
    clock: Callable[[], int] = time.monotonic_ns
    timings: list[StageTiming] = field(default_factory=list)

    @contextmanager
    def run(self, name: str) -> Iterator[Callable[[int], None]]:
        """Time the stage ``name``; the caller says how many files it wrote through the function yielded."""
        files = [0]
        self.watcher.started(name)
        start = self.clock()
        yield lambda count: files.__setitem__(0, count)
        timing = StageTiming(name, (self.clock() - start) // 1_000_000, files[0])
        self.timings.append(timing)
        self.watcher.finished(timing)
