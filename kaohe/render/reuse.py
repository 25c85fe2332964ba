"""Files rendered by an earlier build, reused when everything that decides their bytes is the same.

A renderer names each output by a digest of its inputs (the markup it would lay out,
the stylesheets, the fonts, the rendering code: :func:`code_stamp`), asks
:meth:`OutputCache.fetch` for it and renders only on a miss, then :meth:`OutputCache.keep`
stores what it wrote. Entries live in ``.cache/render/<kind>/`` beside ``content/``.

An entry is copied into the output only when it carries a seal made with the user's
own key (:mod:`kaohe.sealed`): the digest of public inputs can be
guessed, so without the seal a ``.cache/`` folder that came with a pull request could
slip a forged PDF into a build. The output of a build with the cache is byte for byte
that of a build without it (a test compares them).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kaohe import __version__
from kaohe.sealed import CACHE_DIR, caching_disabled, prune, read_sealed, user_key, write_sealed

RENDER_DIR = "render"
KEEP_ENTRIES = 4096  # per kind; the entries unused the longest go first


@cache
def code_stamp(*folders: Path) -> str:
    """A digest of every file below ``folders`` (code, templates, stylesheets), with the tool's and Python's versions."""
    stamp = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            stamp.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return stamp.hexdigest()


RENDER_CODE = Path(__file__).resolve().parent  # kaohe/render: every renderer and its view models


@cache  # what is installed does not change while the build runs
def versions(*packages: str) -> str:
    """The installed versions of ``packages`` (the libraries that write the bytes), as one text."""
    found = []
    for package in packages:
        try:
            found.append(f"{package}={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{package}=-")
    return " ".join(found)


def file_identity(paths: Iterable[Path]) -> str:
    """Path, size and modification time of each file (fonts: a replaced file is a different input)."""
    rows = []
    for path in paths:
        try:
            stat = path.stat()
            rows.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
        except OSError:
            rows.append(f"{path}\0-")
    return "\n".join(rows)


def digest(parts: Iterable[str | bytes]) -> str:
    """The key of one output: the SHA-256 of its parts, each length-prefixed (no two lists give the same bytes)."""
    found = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        found.update(len(data).to_bytes(8, "big") + data)
    return found.hexdigest()


@dataclass
class OutputCache:
    """Rendered files of one kind by the digest of their inputs; ``folder`` None: nothing is kept or reused."""

    folder: Path | None = None
    key: bytes = b""
    reused: int = 0
    rendered: int = 0

    @classmethod
    def at(cls, project_root: Path, kind: str) -> OutputCache:
        key = None if caching_disabled() else user_key()
        return cls(project_root / CACHE_DIR / RENDER_DIR / kind, key) if key else cls()

    def fetch(self, name: str, target: Path) -> bool:
        """Write the kept output ``name`` to ``target``; False (nothing written) when there is none to trust."""
        if self.folder is None:
            return False
        body = read_sealed(self.folder / name, self.key)
        if body is None:
            return False
        target.write_bytes(body)
        self.reused += 1
        return True

    def keep(self, name: str, source: Path) -> None:
        """Store the output just rendered at ``source`` under ``name`` (a cache that cannot be written is only slower)."""
        self.rendered += 1
        if self.folder is None:
            return
        try:
            body = source.read_bytes()
        except OSError:
            return
        write_sealed(self.folder / name, self.key, body)

    def prune(self) -> None:
        if self.folder is not None:
            prune(self.folder, KEEP_ENTRIES)
