"""A renderer's own progress: one line on stderr, rewritten as each file is written.

Shown only when a terminal watches (``RenderEnv.progress``: never with ``--quiet``, ``--json`` or
off a terminal); the stage line of :mod:`kaohe.cli.progress` says which stage is running, this says
how far it is.
"""

from __future__ import annotations

import sys


class Progress:
    """``PDF 12/25: 考核结果通知书-紫桥社区.pdf``, rewritten in place; ``PDF: 25 notices written`` at the end."""

    def __init__(self, enabled: bool, total: int, label: str = "PDF", things: str = "notices") -> None:
        self.enabled = enabled
        self.total = total
        self.label = label
        self.things = things

    def step(self, done: int, name: str) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[K{self.label} {done}/{self.total}: {name}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\r\x1b[K{self.label}: {self.total} {self.things} written\n")
            sys.stderr.flush()
