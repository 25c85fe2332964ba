"""Where content files come from: the working tree, or a git revision read through :mod:`kaohe.git`.

Paths are always POSIX paths relative to the project root, e.g. ``content/rubric.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kaohe.git import Git


class NotUtf8Error(ValueError):
    """A content file is not UTF-8 text; ``line`` and ``col`` locate the first bad byte (1-based)."""

    def __init__(self, relpath: str, line: int, col: int) -> None:
        super().__init__(f"{relpath}:{line}:{col}: not UTF-8 text")
        self.relpath, self.line, self.col = relpath, line, col


def decode_utf8(relpath: str, data: bytes) -> str:
    """UTF-8 text (a leading BOM is dropped), or :class:`NotUtf8Error` at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise NotUtf8Error(relpath, line, col) from None


class ContentSource(Protocol):
    def read_text(self, relpath: str) -> str | None:
        """The file's text, or ``None`` when it does not exist; :class:`NotUtf8Error` if not UTF-8."""

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
        return decode_utf8(relpath, path.read_bytes())

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
        data = self.git.show(self.rev, f"{self.prefix}{relpath}")
        return None if data is None else decode_utf8(relpath, data)

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        names = self.git.list_tree(self.rev, f"{self.prefix}{reldir}")
        return sorted(f"{reldir}/{name}" for name in names if name.endswith(suffix))
