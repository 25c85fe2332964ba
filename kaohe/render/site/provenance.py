"""Who last changed each ledger entry: ``git blame --porcelain``, one run per ledger file.

Provenance is a courtesy: when the project is not in a git work tree, when git
is missing, or when a ledger is not tracked, entries simply have none. In a
shallow clone, ``git blame`` credits every older line to the oldest commit it
has; those lines are marked unknown rather than credited to the wrong person.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from kaohe.content.model import Entry, Ledger
from kaohe.git import Git, GitError

UNCOMMITTED = "0" * 40


@dataclass(frozen=True)
class Commit:
    """The commit that last touched a line, as ``git blame`` reports it."""

    sha: str
    author: str
    date: str  # the author date, YYYY-MM-DD in the author's time zone; empty when uncommitted
    summary: str
    order: int  # committer time: later commits are larger
    known: bool = True  # False at the cut-off of a shallow clone: the lines may be older than this commit

    @property
    def committed(self) -> bool:
        return self.sha != UNCOMMITTED

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass(frozen=True)
class BlameLine:
    commit: Commit
    text: str


def _author_date(epoch: str, tz: str) -> str:
    """``author-time`` and ``author-tz`` (``+0800``) → the author's calendar date."""
    try:
        sign = -1 if tz.startswith("-") else 1
        offset = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
        moment = datetime.fromtimestamp(int(epoch), tz=UTC).astimezone(timezone(offset))
    except (ValueError, IndexError, OverflowError):
        return ""
    return moment.date().isoformat()


def _commit_from(sha: str, headers: dict[str, str], shallow: bool) -> Commit:
    if sha == UNCOMMITTED:
        return Commit(sha, "", "", "", order=2**63)
    return Commit(
        sha=sha,
        author=headers.get("author", ""),
        date=_author_date(headers.get("author-time", ""), headers.get("author-tz", "+0000")),
        summary=headers.get("summary", ""),
        order=int(headers.get("committer-time", "0") or 0),
        known=not (shallow and "boundary" in headers),
    )


def _is_sha(token: str) -> bool:
    return len(token) == 40 and all(c in "0123456789abcdef" for c in token)


def parse_porcelain(text: str, shallow: bool = False) -> dict[int, BlameLine]:
    """``git blame --porcelain`` output → final line number (1-based) → blame line.

    In a ``shallow`` clone, a boundary commit (one whose parents the clone lacks) is not known to be the author.
    """
    headers: dict[str, dict[str, str]] = {}
    lines: dict[int, BlameLine] = {}
    sha, final_line = "", 0
    for raw in text.split("\n"):
        if raw.startswith("\t"):
            lines[final_line] = BlameLine(_commit_from(sha, headers.get(sha, {}), shallow), raw[1:])
            continue
        key, _, value = raw.partition(" ")
        if _is_sha(key):
            sha, final_line = key, int(value.split()[1])
            headers.setdefault(sha, {})
        elif sha and key:
            headers[sha][key] = value  # "boundary" comes with no value
    return lines


def blame_file(root: Path, relpath: str, shallow: bool = False) -> dict[int, BlameLine]:
    """Blame of the working-tree file (uncommitted edits show as such); empty when git cannot say."""
    if not (root / relpath).is_file():
        return {}
    try:
        return parse_porcelain(Git(root).blame_porcelain(relpath), shallow)
    except GitError:
        return {}


def _is_filler(line: BlameLine | None) -> bool:
    """Blank and comment-only lines between entries belong to no entry."""
    if line is None:
        return True
    stripped = line.text.strip()
    return not stripped or stripped.startswith("#")


def entry_spans(entries: Sequence[Entry], last_line: int) -> Iterator[tuple[Entry, range]]:
    """Each entry's source lines: from its own first line to just before the next entry's."""
    starts = sorted(entries, key=lambda e: e.pos.line)
    for index, entry in enumerate(starts):
        end = starts[index + 1].pos.line - 1 if index + 1 < len(starts) else last_line
        yield entry, range(entry.pos.line, end + 1)


def latest_commit(blame: dict[int, BlameLine], span: Iterable[int]) -> Commit | None:
    """The most recent commit among the span's lines, ignoring trailing blank and comment lines."""
    lines = [blame.get(n) for n in span]
    while lines and _is_filler(lines[-1]):
        lines.pop()
    commits = [line.commit for line in lines if line is not None]
    return max(commits, key=lambda c: c.order) if commits else None


def ledger_provenance(root: Path, ledger: Ledger, shallow: bool = False) -> dict[Entry, Commit]:
    blame = blame_file(root, ledger.path, shallow)
    if not blame:
        return {}
    found: dict[Entry, Commit] = {}
    for entry, span in entry_spans(ledger.entries, max(blame)):
        commit = latest_commit(blame, span)
        if commit is not None:
            found[entry] = commit
    return found


def provenance(root: Path, ledgers: Iterable[Ledger]) -> dict[Entry, Commit]:
    """Every entry's last commit, for the ledgers git knows; empty outside a git work tree."""
    git = Git(root)
    if not git.is_work_tree():
        return {}
    shallow = git.try_text("rev-parse", "--is-shallow-repository") == "true"
    found: dict[Entry, Commit] = {}
    for ledger in ledgers:
        found.update(ledger_provenance(root, ledger, shallow))
    return found
