"""The 公示 as it was posted: the results scored from the git revision that ``publicity.yaml`` names in ``posted``.

After the 公示 an upheld 复核 changes a ledger, and the rebuilt 公示 notice would show the
corrected figures under the 公示's own date. ``posted: <tag or commit>`` says which commit the
posted copy was built from; the 公示 notice is then rendered from the content at that commit,
whatever the ledgers say now, so every build prints the notice that was on the board.

The revision must be a tag or a commit (not a branch, which moves) of the project's repository
whose ``content/publicity.yaml`` is the same 公示 (the same first day and length) and whose
content checks without an error; anything else is an error at ``posted``, so the build never
prints a 公示 it cannot vouch for.

With the posted content at hand, the ledgers are held against it (:func:`carried_out`): an
objection's entry must be one the 公示 showed and an upheld 复核 must have changed the ledger
(errors: the 复核结果告知书 would say what did not happen); an entry whose objection was not
upheld, and any other entry, must be as it was posted (warnings: a change after the 公示 with
no 复核 behind it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kaohe.content.cache import ParseCache
from kaohe.content.entryref import REMOVED, parse_ref, ref_of, resolve
from kaohe.content.model import Content, Entry, Objection, Publicity, identity_of
from kaohe.content.schema import DECISION_PATH
from kaohe.content.source import GitRevision
from kaohe.errors import Diagnostic, did_you_mean, error, has_errors, warning
from kaohe.git import Git, GitError
from kaohe.pipeline import run
from kaohe.scoring.results import Results

KEY = "posted"
MOVING = ("HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD")


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
    said = [*_earlier_than_posting(read.content, publicity), *carried_out(read.content, results.content, publicity)]
    return Posted(read, tuple(said))


def _read(publicity: Publicity, root: Path) -> Results | str:
    """The results at ``posted``, or what keeps them from being read."""
    rev = publicity.posted
    git = Git(root)
    try:
        if not git.is_work_tree():
            return f"posted: '{rev}' cannot be read: the project is not in a git repository"
        if rev in MOVING or git.try_text("show-ref", "--verify", "--quiet", f"refs/heads/{rev}") is not None:
            return (
                f"posted: '{rev}' is a branch, which moves on: write the tag or the commit id the 公示 was built from"
            )
        commit = git.try_text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        if not commit:
            return f"posted: '{rev}' is not a commit of this repository{_missing_hint(git, rev)}"
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


def _missing_hint(git: Git, rev: str) -> str:
    """Why a tag may be missing here: a mistyped name, or a clone that did not fetch it."""
    tags = (git.try_text("tag", "--list") or "").split()
    close = did_you_mean(rev, tags, list_up_to=0)
    if close:
        return close
    shallow = git.try_text("rev-parse", "--is-shallow-repository") == "true"
    fetch = "git fetch --unshallow --tags" if shallow else "git fetch --tags"
    return f": a tag the office pushed comes with '{fetch}'; else write the tag or commit the 公示 was built from"


def _earlier_than_posting(then: Content, publicity: Publicity) -> list[Diagnostic]:
    """A posted commit that already holds objections or the 班子会's decision is a later one than the 公示's."""
    told = []
    if then.publicity is not None and then.publicity.objections:
        told.append(f"{len(then.publicity.objections)} objection(s)")
    if then.decision is not None:
        told.append(DECISION_PATH)
    if not told:
        return []
    return [
        warning(
            publicity.at(KEY),
            f"posted: '{publicity.posted}' already holds {' and '.join(told)}: "
            "is it the commit the 公示 was built from, before any objection came?",
        )
    ]


def carried_out(then: Content, now: Content, publicity: Publicity) -> list[Diagnostic]:
    """Where the ledgers now do not follow from the posted ones and the 复核 decisions."""
    said = [problem for objection in publicity.objections for problem in _held_against(then, now, objection, publicity)]
    return said + _unexplained_changes(then, now, publicity)


def _posted_words(publicity: Publicity) -> str:
    return f"the posted 公示 ('{publicity.posted}')"


def _held_against(then: Content, now: Content, objection: Objection, publicity: Publicity) -> list[Diagnostic]:
    if not objection.entry:
        return []
    where, said = f"objection '{objection.id}'", _posted_words(publicity)
    posted = resolve(then, objection.entry)
    if posted.entry is None:
        return [error(objection.at("entry"), f"{where}: '{objection.entry}' is not in {said}: {posted.problem}")]
    review = objection.review
    if review is None:
        return []
    if not review.upheld:
        current = resolve(now, objection.entry).entry
        if current is None or says(current) != says(posted.entry):
            message = (
                f"{where} was not upheld, but '{objection.entry}' is no longer as in {said}: "
                "a ledger change needs a 复核 that upholds it"
            )
            return [warning(objection.at("entry"), message)]
        return []
    changed = resolve(now, review.change).entry if review.change and review.change != REMOVED else None
    if changed is not None and says(changed) == says(posted.entry):
        message = (
            f"{where} was upheld, but '{review.change}' is as in {said}: change the ledger as the 复核 decided "
            "(its 复核结果告知书 says the ledger was corrected)"
        )
        return [error(review.at("change"), message)]
    return []


def _unexplained_changes(then: Content, now: Content, publicity: Publicity) -> list[Diagnostic]:
    """An entry added, changed or taken out since the 公示 that no objection's 复核 accounts for."""
    accounted = _accounted_refs(publicity)
    posted = [e for e in then.entries() if ref_of(e) not in accounted]
    left = Counter(says(e) for e in posted)
    added: list[Entry] = []
    for entry in (e for e in now.entries() if ref_of(e) not in accounted):
        if left[says(entry)] > 0:
            left[says(entry)] -= 1
        else:
            added.append(entry)
    problems = [
        warning(
            entry.pos,
            f"entry '{ref_of(entry)}' was added or changed after {_posted_words(publicity)}, "
            "and no objection's 复核 accounts for it",
        )
        for entry in added
    ]
    changed = {ref_of(e) for e in added}
    for entry in posted:
        if left[says(entry)] > 0 and ref_of(entry) not in changed:
            left[says(entry)] -= 1
            problems.append(
                warning(
                    publicity.at(KEY),
                    f"posted: entry '{ref_of(entry)}' of {_posted_words(publicity)} is gone, "
                    "and no objection's 复核 accounts for it",
                )
            )
    return problems


def _accounted_refs(publicity: Publicity) -> set[str]:
    """The entries (references without ``#N``) that a decided objection is about or its 复核 changed."""
    refs: set[str] = set()
    for objection in publicity.objections:
        review = objection.review
        if objection.entry and review is not None:
            refs.add(ref_key(objection.entry))
            if review.upheld and review.change not in ("", REMOVED):
                refs.add(ref_key(review.change))
    return refs


def ref_key(text: str) -> str:
    """A reference without its ``#N``, as :func:`~kaohe.content.entryref.ref_of` writes an entry's."""
    ref = parse_ref(text)
    return ref.key if ref is not None else text


def says(entry: Entry) -> tuple[object, ...]:
    """What an entry records, wherever it stands in its file: its identity (as import and check see a
    duplicate, a missing count being 1), and its line, evidence and internal mark."""
    identity = identity_of(entry.date, entry.community, entry.cites, entry.count, entry)
    return (*identity, entry.line, entry.evidence, entry.internal)
