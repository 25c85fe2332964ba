"""The one way this tool runs git: read-only, with a timeout, bytes in and out, NUL-separated listings.

The one write is the commit of an entry added in the local preview (:meth:`Git.commit_paths`).

Every place that asks git something (a content source at a revision, the
approval check, the site's provenance, ``diff``) goes through :class:`Git`.
File names are read with ``-z`` so non-ASCII names (``紫桥.yaml``) come back as
they are, never quoted. A missing git, a timeout or a failed command is a
:class:`GitError` with a message for the user, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 60
# git must not page, prompt, translate or read a user's textconv while we parse its output
GIT_ENV = {"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


class GitError(Exception):
    """git could not answer: not installed, timed out, or the command failed; the message says which."""


@dataclass(frozen=True)
class Git:
    """git run in ``root`` (``git -C root …``)."""

    root: Path
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS

    def run(self, *args: str) -> bytes:
        """The command's stdout; :class:`GitError` when git is missing, times out or fails."""
        done = self.completed(*args)
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {message[-1] if message else f'exit {done.returncode}'}")
        return done.stdout

    def completed(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """The finished command whatever its exit code; :class:`GitError` when git is missing or times out."""
        command = ["git", "-C", str(self.root), *args]
        try:
            return subprocess.run(
                command, capture_output=True, check=False, timeout=self.timeout_seconds, env={**os.environ, **GIT_ENV}
            )
        except FileNotFoundError:
            raise GitError("git is not installed (or not on PATH); install git to use this command") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} took more than {self.timeout_seconds} s and was stopped") from None
        except OSError as exc:
            raise GitError(f"git could not be started: {exc.strerror or exc}") from None

    def text(self, *args: str) -> str:
        """stdout as text, stripped (UTF-8; undecodable bytes replaced)."""
        return self.run(*args).decode("utf-8", "replace").strip()

    def try_text(self, *args: str) -> str | None:
        """Like :meth:`text`, ``None`` instead of an error: for questions whose "no" is an answer."""
        try:
            return self.text(*args)
        except GitError:
            return None

    def is_work_tree(self) -> bool:
        return self.try_text("rev-parse", "--is-inside-work-tree") == "true"

    def prefix(self) -> str:
        """The folder of ``root`` inside its repository, ``''`` or ``'sub/dir/'``."""
        return self.text("rev-parse", "--show-prefix")

    def show(self, rev: str, path: str) -> bytes | None:
        """A file's bytes at ``rev``, or ``None`` when it is not there."""
        try:
            return self.run("cat-file", "blob", f"{rev}:{path}")
        except GitError:
            return None

    def list_tree(self, rev: str, folder: str) -> list[str]:
        """The names of the files directly in ``folder`` (from the repository's top) at ``rev``; ``[]`` if none."""
        try:
            raw = self.run("ls-tree", "-z", f"{rev}:{folder.rstrip('/')}")
        except GitError:
            return []
        return entries_z(raw, with_mode=True, files_only=True)

    def changed_paths(self, commit: str, pathspec: str) -> list[str]:
        """Paths that differ between ``commit`` and the working tree, below ``pathspec``."""
        return entries_z(self.run("diff", "--name-only", "-z", commit, "--", pathspec))

    def blame_porcelain(self, relpath: str) -> str:
        """Who last changed each line of the file as it is stored (``--no-textconv``: a diff driver's view,
        such as the one-line-per-entry one of ``scripts/yaml-textconv``, has other line numbers)."""
        return self.run("blame", "--porcelain", "--no-textconv", "--", relpath).decode("utf-8", "replace")

    def commit_paths(self, paths: Sequence[str], message: str) -> str:
        """Commit exactly ``paths`` (relative to ``root``), whatever else is staged; the new commit's short id."""
        self.run("add", "--", *paths)
        self.run("commit", "-q", "--only", "-m", message, "--", *paths)
        return self.text("rev-parse", "--short", "HEAD")

    def merge_file(self, ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str]) -> tuple[bytes, int]:
        """``git merge-file -p``: three files merged line by line, and how many conflicts that left (0: none).

        ``labels`` name ours, the base and theirs on the conflict markers. Works outside a repository too.
        """
        ours_label, base_label, theirs_label = labels
        args = ("merge-file", "-p", "-L", ours_label, "-L", base_label, "-L", theirs_label)
        done = self.completed(*args, str(ours), str(base), str(theirs))
        if not 0 <= done.returncode < 128:  # merge-file exits with the number of conflicts, or 255 on an error
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git merge-file failed: {message[-1] if message else f'exit {done.returncode}'}")
        return done.stdout, done.returncode


def entries_z(raw: bytes, with_mode: bool = False, files_only: bool = False) -> list[str]:
    """A ``-z`` listing as paths; with ``with_mode``, ``ls-tree`` records (``mode type sha\\tpath``)."""
    found: list[str] = []
    for record in raw.split(b"\0"):
        if not record:
            continue
        if with_mode:
            meta, _tab, name = record.partition(b"\t")
            if files_only and meta.split(b" ")[1:2] != [b"blob"]:
                continue
            record = name
        found.append(record.decode("utf-8", "surrogateescape"))
    return found
