"""A content source with some files replaced or hidden: for "what if" runs of the pipeline."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import PurePosixPath

from kaohe.content.source import ContentSource, NotUtf8Error


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


class NotUtf8(Exception):
    """A content file is not UTF-8 text (a ledger saved as GBK, say): the message names it."""

    def __init__(self, relpath: str) -> None:
        super().__init__(f"{relpath} is not UTF-8 text; open it in an editor and save it as UTF-8")
        self.relpath = relpath


class Utf8Only:
    """``base``, stopping the whole command with :class:`NotUtf8` at the first file that is not UTF-8.

    (The build itself reports such a file as a diagnostic; these commands compare or rewrite
    files and refuse to work on any they cannot read.)
    """

    def __init__(self, base: ContentSource) -> None:
        self.base = base

    def read_text(self, relpath: str) -> str | None:
        try:
            return self.base.read_text(relpath)
        except (NotUtf8Error, UnicodeDecodeError):
            raise NotUtf8(relpath) from None

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        return self.base.list_files(reldir, suffix)
