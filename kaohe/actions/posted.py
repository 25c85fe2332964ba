"""The 公示 as it was posted: the results scored from the git revision that ``publicity.yaml`` names in ``posted``.

After the 公示 an upheld 复核 changes a ledger, and the rebuilt 公示 notice would show the
corrected figures under the 公示's own date. ``posted: <tag or commit>`` says which commit the
posted copy was built from; the 公示 notice is then rendered from the content at that commit,
whatever the ledgers say now, so every build prints the notice that was on the board.

The revision must be a commit of the project's repository whose ``content/publicity.yaml`` is the
same 公示 (the same first day and length) and whose content checks without an error; anything
else is an error at ``posted``, so the build never prints a 公示 it cannot vouch for.

With the posted content at hand, the objections are held against it (:func:`carried_out`): an
objection's entry was in the 公示, an upheld 复核 changed the ledger, and an entry whose
objection was not upheld is as it was posted. Each miss is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kaohe.content.cache import ParseCache
from kaohe.content.entryref import REMOVED, resolve
from kaohe.content.model import Content, Entry, Objection, Publicity, times
from kaohe.content.source import GitRevision
from kaohe.errors import Diagnostic, error, has_errors, warning
from kaohe.git import Git, GitError
from kaohe.pipeline import run
from kaohe.scoring.results import Results

KEY = "posted"


@dataclass(frozen=True)
class Posted:
    """The results of the posted revision, or the errors that keep it from being read."""

    results: Results | None
    diagnostics: tuple[Diagnostic, ...]


def posted_results(results: Results, root: Path) -> Posted:
    """The results the 公示 showed; ``Posted(None, ())`` when publicity.yaml names no revision."""
    publicity = results.content.publicity
    if publicity is None or not publicity.posted:
        return Posted(None, ())
    read = _read(publicity, root)
    if isinstance(read, str):
        return Posted(None, (error(publicity.at(KEY), read),))
    return Posted(read, tuple(carried_out(read.content, results.content, publicity)))


def _read(publicity: Publicity, root: Path) -> Results | str:
    """The results at ``posted``, or what keeps them from being read."""
    rev = publicity.posted
    git = Git(root)
    try:
        if not git.is_work_tree():
            return f"posted: '{rev}' cannot be read: the project is not in a git repository"
        commit = git.try_text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        if not commit:
            return (
                f"posted: '{rev}' is not a commit of this repository (write the tag or commit the 公示 was built from)"
            )
        prefix = git.prefix()
    except GitError as exc:
        return f"posted: '{rev}' cannot be read: {exc}"
    short = commit[:10]
    outcome = run(GitRevision(git.root, commit, prefix), ParseCache.at(root))
    if has_errors(outcome.diagnostics) or outcome.results is None:
        first = next((d for d in outcome.diagnostics if d.is_error), None)
        told = f" (the first: {first})" if first is not None else ""
        return f"posted: the content at '{rev}' ({short}) does not check without errors{told}"
    then = outcome.results.content.publicity
    if then is None:
        return f"posted: '{rev}' ({short}) has no content/publicity.yaml: write the commit the 公示 was built from"
    if (then.start, then.working_days) != (publicity.start, publicity.working_days):
        return (
            f"posted: the 公示 at '{rev}' ({short}) is another one: from {then.start.isoformat()}, "
            f"{then.working_days} working days (here from {publicity.start.isoformat()}, {publicity.working_days})"
        )
    return outcome.results


def carried_out(then: Content, now: Content, publicity: Publicity) -> list[Diagnostic]:
    """Warnings where the ledgers now do not follow from the posted ones and the 复核 decisions."""
    return [problem for objection in publicity.objections for problem in _held_against(then, now, objection, publicity)]


def _held_against(then: Content, now: Content, objection: Objection, publicity: Publicity) -> list[Diagnostic]:
    if not objection.entry:
        return []
    where, said = f"objection '{objection.id}'", f"the posted 公示 ('{publicity.posted}')"
    posted = resolve(then, objection.entry)
    if posted.entry is None:
        return [warning(objection.at("entry"), f"{where}: '{objection.entry}' is not in {said}: {posted.problem}")]
    review = objection.review
    if review is None:
        return []
    if not review.upheld:
        current = resolve(now, objection.entry).entry
        if current is None or says(current) != says(posted.entry):
            return [
                warning(
                    objection.at("entry"),
                    f"{where} was not upheld, but '{objection.entry}' is no longer as in {said}: "
                    "a ledger change needs a 复核 that upholds it",
                )
            ]
        return []
    changed = resolve(now, review.change).entry if review.change and review.change != REMOVED else None
    if changed is not None and says(changed) == says(posted.entry):
        return [
            warning(
                review.at("change"),
                f"{where} was upheld, but '{review.change}' is as in {said}: change the ledger as the 复核 decided",
            )
        ]
    return []


def says(entry: Entry) -> tuple[object, ...]:
    """What an entry records, wherever it stands in its file."""
    return (
        entry.line, entry.date, entry.community, entry.rule, entry.indicator, times(entry.count),
        entry.deduct, entry.amount, entry.note, entry.evidence, entry.internal,
    )  # fmt: skip
