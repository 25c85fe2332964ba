"""A content source with some files replaced or hidden: for "what if" runs of the pipeline."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import PurePosixPath

from ..source import ContentSource


class Overlay:
    """``base`` with the files in ``replaced`` (relative path → text) read from there, and ``hidden`` absent."""

    def __init__(self, base: ContentSource, replaced: Mapping[str, str], hidden: Collection[str] = ()) -> None:
        self.base = base
        self.replaced = dict(replaced)
        self.hidden = frozenset(hidden)

    def read_text(self, relpath: str) -> str | None:
        if relpath in self.hidden:
            return None
        if relpath in self.replaced:
            return self.replaced[relpath]
        return self.base.read_text(relpath)

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        extra = [p for p in self.replaced if str(PurePosixPath(p).parent) == reldir and p.endswith(suffix)]
        return sorted((set(self.base.list_files(reldir, suffix)) | set(extra)) - self.hidden)
