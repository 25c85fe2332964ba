"""The preview's state: the last build of ``output/`` and a generation number that grows with every build.

A build here is :func:`kaohe.actions.build.build` with results.json and the site (and the PDFs only
when asked: they take most of a build's time). A build starts only when a content file changed since
the last one (its name, size or modification time), so the watcher and the form asking for the same
change build once. Pages poll the generation and reload when it grows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kaohe.actions.build import RENDERERS, BuildResult, build
from kaohe.errors import Diagnostic
from kaohe.render import Renderer
from kaohe.render.data import render_results_json
from kaohe.render.site import render_site

PREVIEW_RENDERERS: tuple[Renderer, ...] = (render_results_json, render_site)
BUILD_WAIT_MS = 60_000  # another build of the same folder (python build.py) finishes first
CONTENT_DIR = "content"

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Snapshot:
    """One build as the server shows it: the files it wrote (relative to ``output/``) or why there are none."""

    generation: int
    built: BuildResult | None
    files: frozenset[str]

    @property
    def ok(self) -> bool:
        return self.built is not None and self.built.ok

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [] if self.built is None else self.built.checked.diagnostics

    @property
    def error(self) -> str:
        return "" if self.built is None else self.built.error


def content_signature(root: Path) -> Signature:
    """Every file below ``content/`` with its size and modification time: what a change changes."""
    found = []
    for path in sorted((root / CONTENT_DIR).rglob("*")):
        try:
            stat = path.stat()
        except OSError:  # removed while listing
            continue
        if path.is_file():
            found.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


class Preview:
    """Builds ``output/`` for the server, one build at a time, and tells it which generation is current."""

    def __init__(
        self,
        root: Path,
        templates_dir: Path,
        with_pdfs: bool = False,
        notify: Callable[[str], None] = print,
        quiet: bool = False,
    ) -> None:
        self.root = root
        self.templates_dir = templates_dir
        self.renderers = RENDERERS if with_pdfs else PREVIEW_RENDERERS
        self.notify = notify
        self.quiet = quiet  # say only what went wrong
        self.building = threading.Lock()
        self.signature: Signature | None = None
        self.snapshot = Snapshot(0, None, frozenset())

    def rebuild(self) -> Snapshot:
        """Build again if the content changed since the last build; the current snapshot either way."""
        with self.building:
            signature = content_signature(self.root)
            if signature == self.signature:
                return self.snapshot
            built = build(
                self.root, self.templates_dir, wait_ms=BUILD_WAIT_MS, notify=self.notify, renderers=self.renderers
            )
            files = frozenset(built.written) if built.ok else self.snapshot.files  # output/ was left as it was
            self.signature = signature
            self.snapshot = Snapshot(self.snapshot.generation + 1, built, files)
            if not (self.quiet and built.ok):
                self.notify(summary(built))
            return self.snapshot


def summary(built: BuildResult) -> str:
    """One line for the terminal after each build."""
    errors = sum(1 for d in built.checked.diagnostics if d.is_error)
    if errors:
        return f"serve: {errors} content errors; the browser shows them"
    if built.error:
        return f"serve: the build failed: {built.error}"
    return f"serve: rebuilt {built.output} ({len(built.written)} files)"
