"""One build of an ``output/`` at a time: ``.output.lock`` beside it, held with ``flock``.

The kernel releases the lock when a build dies, even by SIGKILL. A second build
waits for the first up to a number of milliseconds, then refuses. Durations are
whole milliseconds; this module imports nothing heavy, so ``--help`` can show the
default without loading the renderers.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from kaohe.numbers import as_written

LOCK_WAIT_MS = 600_000  # how long a build waits for another build of the same output/ before it refuses
LOCK_POLL_MS = 100
NS_PER_MS = 1_000_000

Notify = Callable[[str], None]


class OutputBusy(Exception):
    """Another build of the same ``output/`` still held the lock when this one stopped waiting."""


def seconds_text(ms: int) -> str:
    """``600``, ``0.3``: milliseconds as seconds, for messages."""
    return as_written(Decimal(ms) / 1000)


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


@contextmanager
def output_lock(output: Path, wait_ms: int, notify: Notify) -> Iterator[None]:
    """Hold the lock on ``output``, waiting up to ``wait_ms`` milliseconds for another build; the lock file names its holder."""
    fd = os.open(lock_path(output), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        acquire(fd, output, wait_ms, notify)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


def acquire(fd: int, output: Path, wait_ms: int, notify: Notify) -> None:
    if locked(fd):
        return
    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
    if wait_ms > 0:
        notify(f"build: waiting up to {seconds_text(wait_ms)} s for another build of {output} to finish (pid {holder})")
    deadline = time.monotonic_ns() + wait_ms * NS_PER_MS
    while not locked(fd):
        if time.monotonic_ns() >= deadline:
            within = f" and did not finish within {seconds_text(wait_ms)} s" if wait_ms > 0 else ""
            raise OutputBusy(f"another build of {output} is running (pid {holder}){within}")
        time.sleep(LOCK_POLL_MS / 1000)


def locked(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
