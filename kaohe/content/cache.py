"""A parse cache: a content file that has not changed since the last ``check`` is not read again.

Each loaded file (its model objects and the diagnostics loading it gave) is kept in
``.cache/parse/`` beside ``content/``, under the SHA-256 of what decides it: the file's
path and text, and the code that reads it (every module of :mod:`kaohe.content`, so a
new version of the tool never reads what an older one wrote). Unchanged files are then
free; a changed file is read as usual and its entry written.

The entries are pickles, and a pickle runs code when it is read, so an entry is read
only when it carries a valid seal made with the user's own key (:mod:`kaohe.sealed`):
a ``.cache/`` folder that came with a commit, a pull request or a copied project is
ignored entry by entry, never trusted.

Nothing here is needed for correctness: without a key (no home folder, a read-only
disk) or with ``KAOHE_NO_CACHE=1`` every file is read, and a damaged entry is read
again from its file and replaced.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar, cast

from kaohe import __version__
from kaohe.content.source import ContentSource
from kaohe.errors import Diagnostic
from kaohe.sealed import CACHE_DIR, DISABLE_VARIABLE, caching_disabled, prune, read_sealed, user_key, write_sealed

__all__ = ["CACHE_DIR", "DISABLE_VARIABLE", "PARSE_DIR", "ParseCache"]

PARSE_DIR = "parse"
KEEP_ENTRIES = 2048  # the oldest entries beyond this many are removed

T = TypeVar("T")
Loader = Callable[[ContentSource, list[Diagnostic]], T]


@cache
def code_stamp() -> bytes:
    """What the loaded form depends on besides the file: the reading code, the tool and Python versions."""
    here = Path(__file__).resolve().parent
    stamp = hashlib.sha256(f"{__version__}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
    modules = [*sorted(here.glob("*.py")), here.parent / "errors.py", here.parent / "numbers.py"]
    for module in modules:
        stamp.update(module.name.encode() + b"\0" + module.read_bytes())
    return stamp.digest()


class OneFile:
    """A content source that serves one file's text already read, and nothing else."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    def read_text(self, relpath: str) -> str | None:
        return self.text if relpath == self.path else None

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        return []


@dataclass
class ParseCache:
    """Loaded files by the digest of their path, text and reading code; ``folder`` None: nothing is kept."""

    folder: Path | None = None
    key: bytes = b""
    hits: int = 0
    misses: int = 0

    @classmethod
    def at(cls, root: Path) -> ParseCache:
        """The cache of the project at ``root``; an inactive one when disabled or no key can be kept."""
        key = None if caching_disabled() else user_key()
        return cls(root / CACHE_DIR / PARSE_DIR, key) if key else cls()

    def load(self, source: ContentSource, path: str, problems: list[Diagnostic], loader: Loader[T]) -> T:
        """``loader(source, problems)`` for the file at ``path``, from the cache when that file is unchanged."""
        if self.folder is None:
            return loader(source, problems)
        try:
            text = source.read_text(path)
        except ValueError:  # not UTF-8, too large: the loader reports it
            text = None
        if text is None:
            return loader(source, problems)
        digest = hashlib.sha256(code_stamp() + path.encode() + b"\0" + text.encode("utf-8", "surrogatepass"))
        entry = self.folder / f"{digest.hexdigest()}.pickle"
        kept = self._read(entry)
        if kept is not None:
            self.hits += 1
            value, found = kept
            problems.extend(found)
            return cast(T, value)  # written by this very function, for this path and code
        self.misses += 1
        found = []
        value = loader(OneFile(path, text), found)
        problems.extend(found)
        self._write(entry, (value, found))
        return value

    def _read(self, entry: Path) -> tuple[object, list[Diagnostic]] | None:
        payload = read_sealed(entry, self.key)
        if payload is None:
            return None  # absent, or not made by this user's tool: never unpickled
        try:
            value, found = pickle.loads(payload)
        except Exception:
            return None
        return value, found

    def _write(self, entry: Path, kept: tuple[object, list[Diagnostic]]) -> None:
        try:
            payload = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError):
            return  # a cache that cannot be written is only slower
        write_sealed(entry, self.key, payload)

    def prune(self) -> None:
        """Remove the oldest entries beyond :data:`KEEP_ENTRIES` (by the time they were last written or used)."""
        if self.folder is not None and self.misses:
            prune(self.folder, KEEP_ENTRIES, "*.pickle")
