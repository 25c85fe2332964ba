"""Where content files come from: the working tree, or a git revision read through :mod:`kaohe.git`.

Paths are always POSIX paths relative to the project root, e.g. ``content/rubric.yaml``.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Protocol

from kaohe.content.limits import MAX_FILE_BYTES
from kaohe.content.yamlnodes import YAML_BREAK, too_large_message
from kaohe.git import Git


class NotUtf8Error(ValueError):
    """A content file is not UTF-8 text; ``line`` and ``col`` locate the first bad byte (1-based)."""

    def __init__(self, relpath: str, line: int, col: int) -> None:
        super().__init__(f"{relpath}:{line}:{col}: not UTF-8 text")
        self.relpath, self.line, self.col = relpath, line, col


class FileTooLarge(ValueError):
    """A content file is more than :data:`~kaohe.content.limits.MAX_FILE_BYTES` bytes; it is not read."""

    def __init__(self, relpath: str, size: int) -> None:
        super().__init__(too_large_message(size))
        self.relpath, self.size = relpath, size


def check_size(relpath: str, size: int) -> None:
    """:class:`FileTooLarge` when ``size`` (bytes) is over the limit: checked before a byte is read."""
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(relpath, size)


def decode_utf8(relpath: str, data: bytes) -> str:
    """UTF-8 text (a leading BOM is dropped), or :class:`NotUtf8Error` at the first bad byte."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        lines = YAML_BREAK.split(body[: exc.start].decode("utf-8"))  # lines as YAML and the positions count them
        raise NotUtf8Error(relpath, len(lines), len(lines[-1]) + 1) from None


class ContentSource(Protocol):
    def read_text(self, relpath: str) -> str | None:
        """The file's text, or ``None`` when it does not exist.

        :class:`NotUtf8Error` if it is not UTF-8, :class:`FileTooLarge` if it is over the size limit.
        """

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        """Relative paths of the files directly in ``reldir`` ending in ``suffix``, sorted."""


class WorkingTree:
    """Content as it is on disk below ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read_text(self, relpath: str) -> str | None:
        path = self.root / relpath
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            check_size(relpath, os.fstat(handle.fileno()).st_size)
            data = handle.read(MAX_FILE_BYTES + 1)  # a file that grew since: still no more than the limit
        check_size(relpath, len(data))
        return decode_utf8(relpath, data)

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        folder = self.root / reldir
        if not folder.is_dir():
            return []
        return sorted(f"{reldir}/{p.name}" for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix))


class GitRevision:
    """Content as committed at ``rev`` in the git repository at ``repo``; never checks out."""

    def __init__(self, repo: Path, rev: str, prefix: str = "") -> None:
        self.git = Git(repo)
        self.rev = rev
        self.prefix = prefix  # the project root's path inside the repository, '' or 'sub/dir/'

    def read_text(self, relpath: str) -> str | None:
        size = self.git.try_text("cat-file", "-s", f"{self.rev}:{self.prefix}{relpath}")
        if size is None:
            return None
        if size.isdigit():
            check_size(relpath, int(size))
        data = self.git.show(self.rev, f"{self.prefix}{relpath}")
        return None if data is None else decode_utf8(relpath, data)

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        names = self.git.list_tree(self.rev, f"{self.prefix}{reldir}")
        return sorted(f"{reldir}/{name}" for name in names if name.endswith(suffix))
