"""A thread watching ``content/`` with watchfiles, calling back after each batch of changes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

DEBOUNCE_MS = 200  # changes this close together (an editor's save in several writes) are one batch
STOP_CHECK_MS = 100
LONGEST_BUILD_S = 300  # stopping waits for a build under way to finish (its staging folder removed)


class ContentWatcher:
    """Calls ``on_change`` after files below ``folder`` change, until :meth:`stop`."""

    def __init__(self, folder: Path, on_change: Callable[[], object]) -> None:
        self.folder = folder
        self.on_change = on_change
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="kaohe-watch", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def run(self) -> None:
        from watchfiles import watch  # only the preview needs it

        for _changes in watch(
            self.folder, stop_event=self.stopping, debounce=DEBOUNCE_MS, step=STOP_CHECK_MS, raise_interrupt=False
        ):
            self.on_change()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=LONGEST_BUILD_S)
