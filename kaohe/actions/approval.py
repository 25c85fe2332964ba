"""When results no longer match what the 班子会 approved: find the approved results and say what changed.

The approved results are looked for in the last build's ``output/results.json``
and, failing that, in the git commit that recorded ``results_sha256`` in
``content/decision.yaml``. Neither is required; without them the message says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kaohe.content.cache import ParseCache
from kaohe.content.schema import DECISION_PATH
from kaohe.content.source import GitRevision
from kaohe.git import Git, GitError
from kaohe.pipeline import run
from kaohe.scoring.delta import community_moves
from kaohe.scoring.results import Results, results_dict, sha256_of


def approved_from_output(output: Path, digest: str) -> dict[str, Any] | None:
    """The last build's results.json, when it holds exactly the approved results."""
    try:
        data = json.loads((output / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and sha256_of(data) == digest else None


def approved_from_git(git: Git, prefix: str, digest: str) -> tuple[str, dict[str, Any]] | None:
    """The results computed from the newest commit whose decision.yaml introduced ``digest``."""
    commit = git.text("log", "-n", "1", "--format=%H", f"-S{digest}", "--", DECISION_PATH)
    if not commit:
        return None
    outcome = run(GitRevision(git.root, commit, prefix), ParseCache.at(git.root / prefix))
    if outcome.results is None or outcome.results.sha256 != digest:
        return None
    return commit, results_dict(outcome.results)


def changed_files(git: Git, prefix: str, commit: str) -> list[str]:
    paths = git.changed_paths(commit, "content/")
    return [p.removeprefix(prefix) for p in paths if p.removeprefix(prefix) != DECISION_PATH]


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per community whose total, rank, award or veto differs."""
    lines: list[str] = []
    for move in community_moves(old, new, {}):
        parts = [
            f"{label} {before} → {after}"
            for label, (before, after) in (
                ("total", move.total),
                ("rank", move.rank),
                ("award", move.award),
                ("vetoed", move.vetoed),
            )
            if before != after
        ]
        if parts:
            lines.append(f"{move.name}: " + ", ".join(parts))
    if old.get("content_sha256") != new.get("content_sha256"):
        lines.append("the content changed (an entry, a note, evidence, a date, a name or the rubric; content_sha256)")
    return lines


def explain_mismatch(results: Results, root: Path, output: Path) -> list[str]:
    """Lines for the loud message: what differs from the approved results, where known."""
    digest = results.finality.approved_sha256 or ""
    now = results_dict(results)
    approved = approved_from_output(output, digest)
    origin = "the last build's output/results.json"
    files: list[str] = []
    if approved is None:
        git = Git(root)
        try:
            prefix = git.prefix() if git.is_work_tree() else None
            found = approved_from_git(git, prefix, digest) if prefix is not None else None
            if found is not None and prefix is not None:
                commit, approved = found
                origin = f"commit {commit[:10]}"
                files = changed_files(git, prefix, commit)
        except GitError as exc:
            return [f"the approved results could not be looked up in git: {exc}"]
    if approved is None:
        return ["the approved results could not be found (no matching output/results.json or git commit) to compare"]
    lines = [f"compared with the approved results from {origin}:"]
    lines += [f"  changed file: {f}" for f in files]
    lines += [f"  {line}" for line in describe_changes(approved, now)] or ["  no total, rank or award changed"]
    return lines
