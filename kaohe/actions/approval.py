"""When results no longer match what the 班子会 approved: find the approved results and say what changed.

The approved results are looked for in the last build's ``output/results.json``
and, failing that, in the git commit that recorded ``results_sha256`` in
``content/decision.yaml``. Neither is required; without them the message says so.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from kaohe.content.load import DECISION_PATH
from kaohe.content.source import GitRevision
from kaohe.scoring.delta import community_moves
from kaohe.scoring.results import Results, results_dict


def _hash_of(data: dict[str, Any]) -> str:
    draft = dict(data, final=False)
    text = json.dumps(draft, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def approved_from_output(output: Path, digest: str) -> dict[str, Any] | None:
    path = output / "results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and _hash_of(data) == digest else None


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8").strip() if done.returncode == 0 else None


def approving_commit(root: Path, digest: str) -> str | None:
    """The newest commit whose content/decision.yaml introduced ``digest``."""
    return _git(root, "log", "-n", "1", "--format=%H", f"-S{digest}", "--", DECISION_PATH) or None


def approved_from_git(root: Path, digest: str) -> tuple[str, dict[str, Any]] | None:
    from kaohe.pipeline import run  # the pipeline imports this module's callers, not this module

    commit = approving_commit(root, digest)
    if commit is None:
        return None
    prefix = _git(root, "rev-parse", "--show-prefix") or ""
    outcome = run(GitRevision(root, commit, prefix))
    if outcome.results is None or outcome.results.sha256 != digest:
        return None
    return commit, results_dict(outcome.results, final=False)


def changed_files(root: Path, commit: str) -> list[str]:
    listing = _git(root, "diff", "--name-only", commit, "--", "content/")
    return [line for line in (listing or "").splitlines() if line and line != DECISION_PATH]


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
    return lines


def explain_mismatch(results: Results, root: Path, output: Path) -> list[str]:
    """Lines for the loud message: what differs from the approved results, where known."""
    digest = results.finality.approved_sha256 or ""
    now = results_dict(results, final=False)
    approved = approved_from_output(output, digest)
    origin = "the last build's output/results.json"
    files: list[str] = []
    if approved is None:
        found = approved_from_git(root, digest)
        if found is not None:
            commit, approved = found
            origin = f"commit {commit[:10]}"
            files = changed_files(root, commit)
    if approved is None:
        return ["the approved results could not be found (no matching output/results.json or git commit) to compare"]
    lines = [f"compared with the approved results from {origin}:"]
    lines += [f"  changed file: {f}" for f in files]
    lines += [f"  {line}" for line in describe_changes(approved, now)] or ["  no total, rank or award changed"]
    return lines
