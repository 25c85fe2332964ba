"""Git, read-only: where the project sits in its repository, revisions, the default branch's merge base.

Nothing here checks out, stashes or writes; content at a revision is read by
:class:`kaohe.content.source.GitRevision`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kaohe.actions.errors import UsageError
from kaohe.content.overlay import Utf8Only
from kaohe.content.source import ContentSource, GitRevision, WorkingTree
from kaohe.git import Git, GitError

DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")
WORKING_TREE_LABEL = "工作区 (working tree)"


@dataclass(frozen=True)
class Repo:
    """The git repository holding the project at ``root``; ``prefix`` is the project's folder inside it."""

    root: Path
    prefix: str

    @classmethod
    def of(cls, root: Path) -> Repo:
        try:
            return cls(root, Git(root).prefix())
        except GitError as exc:
            raise UsageError(f"diff: {root} is not inside a git repository ({exc})") from None

    def commit(self, rev: str) -> str:
        """The full commit id of ``rev``."""
        found = Git(self.root).try_text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        if not found:
            raise UsageError(f"diff: unknown revision '{rev}' (a branch, tag or commit of this repository)")
        return found

    def short(self, commit: str) -> str:
        return Git(self.root).try_text("rev-parse", "--short", commit) or commit[:7]

    def default_branch(self) -> str:
        for name in DEFAULT_BRANCHES:
            if Git(self.root).try_text("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"):
                return name
        raise UsageError(
            "diff: no default branch found (origin/HEAD, main or master); name the revision to compare with: "
            "python build.py diff REV"
        )

    def merge_base(self, branch: str) -> str:
        found = Git(self.root).try_text("merge-base", branch, "HEAD")
        if not found:
            raise UsageError(
                f"diff: '{branch}' and HEAD have no common commit; name the revision: python build.py diff REV"
            )
        return found


@dataclass(frozen=True)
class Side:
    """One side of a comparison: where its content comes from and how to name it."""

    label: str
    source: ContentSource
    commit: str | None  # None for the working tree


def revision_side(repo: Repo, rev: str) -> Side:
    commit = repo.commit(rev)
    short = repo.short(commit)
    label = f"`{short}`" if rev in (commit, short) else f"`{rev}` ({short})"
    return Side(label, Utf8Only(GitRevision(repo.root, commit, repo.prefix)), commit)


def base_side(repo: Repo) -> Side:
    """The merge base of HEAD with the default branch."""
    branch = repo.default_branch()
    commit = repo.merge_base(branch)
    label = f"merge base with `{branch}` ({repo.short(commit)})"
    return Side(label, Utf8Only(GitRevision(repo.root, commit, repo.prefix)), commit)


def working_tree_side(root: Path) -> Side:
    return Side(WORKING_TREE_LABEL, Utf8Only(WorkingTree(root)), None)


def sides(root: Path, rev: str | None, rev2: str | None) -> tuple[Side, Side]:
    """The two sides of ``diff [REV [REV2]]``: REV defaults to the merge base, REV2 to the working tree."""
    repo = Repo.of(root)
    old = revision_side(repo, rev) if rev else base_side(repo)
    new = revision_side(repo, rev2) if rev2 else working_tree_side(root)
    return old, new
