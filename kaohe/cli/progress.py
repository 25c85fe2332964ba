"""How a command shows its stages: a line updated in place on a terminal, a line per stage with ``--verbose``.

Quiet (nothing) when stderr is not a terminal, with ``--quiet`` and with ``--json``,
so logs, pipes and CI get only what matters: the diagnostics and the outcome.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from kaohe.actions.stages import StageTiming, Unwatched, Watcher


def duration(ms: int) -> str:
    """``1234`` → ``1.2 s`` (tenths, half-up); under a second in milliseconds: ``87 ms``."""
    if ms < 1000:
        return f"{ms} ms"
    tenths = (ms + 50) // 100
    return f"{tenths // 10}.{tenths % 10} s"


def described(timing: StageTiming) -> str:
    files = f", {timing.files:,} file{'s' if timing.files > 1 else ''}" if timing.files else ""
    return f"{timing.name}: {duration(timing.ms)}{files}"


class TerminalLine:
    """One line on a terminal, rewritten as stages start and cleared when they end."""

    def __init__(self, command: str, stream: TextIO) -> None:
        self.command = command
        self.stream = stream

    def started(self, name: str) -> None:
        self.stream.write(f"\r\x1b[K{self.command}: {name}…")
        self.stream.flush()

    def finished(self, timing: StageTiming) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


class StageLines:
    """``--verbose``: one line per stage as it ends, with its time and the files it wrote."""

    def __init__(self, command: str, stream: TextIO) -> None:
        self.command = command
        self.stream = stream

    def started(self, name: str) -> None:
        return None

    def finished(self, timing: StageTiming) -> None:
        print(f"{self.command}: {described(timing)}", file=self.stream, flush=True)


def watcher_for(command: str, args: argparse.Namespace, stream: TextIO = sys.stderr) -> Watcher:
    """The watcher the options and the terminal ask for."""
    if getattr(args, "json", False) or getattr(args, "quiet", False):
        return Unwatched()
    if getattr(args, "verbose", False):
        return StageLines(command, stream)
    return TerminalLine(command, stream) if stream.isatty() else Unwatched()


def shows_progress(args: argparse.Namespace, stream: TextIO = sys.stderr) -> bool:
    """A renderer's own progress line (one PDF after another): only on a terminal, never quiet or JSON."""
    return stream.isatty() and not getattr(args, "json", False) and not getattr(args, "quiet", False)
