"""Where content files come from: the working tree, or a git revision read with ``git show``.

Paths are always POSIX paths relative to the project root, e.g. ``content/rubric.yaml``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Protocol


class ContentSource(Protocol):
    def read_text(self, relpath: str) -> str | None:
        """The file's text, or ``None`` when it does not exist."""

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
        return path.read_text(encoding="utf-8")

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        folder = self.root / reldir
        if not folder.is_dir():
            return []
        return sorted(f"{reldir}/{p.name}" for p in folder.iterdir() if p.is_file() and p.name.endswith(suffix))


class GitRevision:
    """Content as committed at ``rev`` in the git repository at ``repo``; never checks out."""

    def __init__(self, repo: Path, rev: str, prefix: str = "") -> None:
        self.repo = repo
        self.rev = rev
        self.prefix = prefix  # the project root's path inside the repository, '' or 'sub/dir/'

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True, check=False)

    def read_text(self, relpath: str) -> str | None:
        done = self._git("show", f"{self.rev}:{self.prefix}{relpath}")
        if done.returncode != 0:
            return None
        return done.stdout.decode("utf-8")

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        done = self._git("ls-tree", "--name-only", f"{self.rev}:{self.prefix}{reldir}")
        if done.returncode != 0:
            return []
        names = done.stdout.decode("utf-8").splitlines()
        return sorted(f"{reldir}/{n}" for n in names if n.endswith(suffix))
