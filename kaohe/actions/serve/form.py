"""The 记一笔 form of one line: what it offers (from the rubric), and a submission appended to the ledger.

The line is looked up among the rubric's lines and the community among the communities; the
rule or indicator is the first word of what was typed (the form offers ``id text``). Only the
date and the numbers are read here (dates as ``YYYY-MM-DD``, numbers as exact decimals); every
other check is ``check``'s own: the entry is appended by :func:`kaohe.actions.append.append_entries`,
which checks the whole content with the ledger as it would be and writes it, in canonical form with
every comment kept, only when that finds no error. With ``commit`` the ledger alone is then committed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from kaohe.actions.append import AppendResult, NewEntry, append_entries
from kaohe.content.load import load_communities, load_rubric
from kaohe.content.model import Line, Rubric
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic
from kaohe.git import Git, GitError
from kaohe.render.vocab import PREVIEW_WORDS, preview_commit_message

FIELDS = ("date", "community", "cites", "count", "deduct", "amount", "note", "evidence")
KEY_FIELD = {"rule": "cites", "indicator": "cites"}  # a ledger key → the form field that gives it
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE = re.compile(r"^\d{1,12}$")
DECIMAL = re.compile(r"^\d{1,12}(\.\d{1,6})?$")


@dataclass(frozen=True)
class Choice:
    """A rule or ratio indicator the line scores, and the value an entry on it gives (``""``: none)."""

    id: str
    text: str
    needs: str  # count, deduct, amount or ""
    indicator: bool = False  # cited as ``indicator:`` (amounts), else as ``rule:``


@dataclass(frozen=True)
class LineForm:
    """What the form of one line offers."""

    line: Line
    communities: tuple[tuple[str, str], ...]  # id, name
    choices: tuple[Choice, ...]
    period: tuple[str, str]


def rubric_of(root: Path) -> Rubric | None:
    return load_rubric(WorkingTree(root), [])


def lines_of(root: Path) -> tuple[Line, ...]:
    rubric = rubric_of(root)
    return rubric.lines if rubric is not None else ()


def line_form(root: Path, line_id: str) -> LineForm | None:
    """The form of the rubric's line ``line_id``; ``None`` when the rubric has no such line (or does not load)."""
    rubric = rubric_of(root)
    line = rubric.line_index().get(line_id) if rubric is not None else None
    if rubric is None or line is None:
        return None
    communities, _sample = load_communities(WorkingTree(root), [])
    period = (rubric.period_from.isoformat(), rubric.period_to.isoformat())
    return LineForm(line, tuple((c.id, c.name) for c in communities), tuple(choices_of(rubric, line.id)), period)


def choices_of(rubric: Rubric, line_id: str) -> Iterator[Choice]:
    """The rules and ratio indicators of the line, in rubric order, each with what an entry on it gives."""
    for leaf in rubric.leaves():
        if leaf.line != line_id:
            continue
        if leaf.method == "ratio":
            yield Choice(leaf.full_id, leaf.label, "amount", indicator=True)
            continue
        for rule in leaf.rules:
            needs = "count" if rule.takes_count else "deduct" if rule.discretionary else ""
            yield Choice(rule.full_id, rule.text, needs)


# --- a submission -----------------------------------------------------------------------


@dataclass(frozen=True)
class FormOutcome:
    """What became of a submission: written (and committed), already there, or the problems to show."""

    values: Mapping[str, str]
    field_errors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    written: bool = False
    present: bool = False
    committed: str = ""
    commit_error: str = ""
    warnings: tuple[
        str, ...
    ] = ()  # written, but worth a look: an entry beside one that says otherwise, an approval undone

    @property
    def ok(self) -> bool:
        return not self.field_errors and not self.errors


def read_entry(form: LineForm, values: Mapping[str, str]) -> NewEntry | dict[str, str]:
    """The entry the values give, or a message for each field that could not be read."""
    problems: dict[str, str] = {}
    text = {name: values.get(name, "").strip() for name in FIELDS}
    day = read_date(text["date"], problems)
    if text["community"] not in {ident for ident, _name in form.communities}:
        problems["community"] = PREVIEW_WORDS["bad_community"]
    cited = text["cites"].split()[0] if text["cites"] else ""
    if not cited:
        problems["cites"] = PREVIEW_WORDS["no_cites"]
    count = read_number(text["count"], WHOLE, "bad_count", "count", problems)
    deduct = read_number(text["deduct"], DECIMAL, "bad_number", "deduct", problems)
    amount = read_number(text["amount"], DECIMAL, "bad_number", "amount", problems)
    if problems or day is None:
        return problems
    as_indicator = any(choice.id == cited and choice.indicator for choice in form.choices)
    return NewEntry(
        date=day,
        community=text["community"],
        rule=None if as_indicator else cited,
        indicator=cited if as_indicator else None,
        count=int(count) if count is not None else None,
        deduct=deduct,
        amount=amount,
        note=text["note"],
        evidence=text["evidence"],
    )


def read_date(text: str, problems: dict[str, str]) -> date | None:
    try:
        day = date.fromisoformat(text) if ISO_DATE.match(text) else None
    except ValueError:  # 2008-02-30
        day = None
    if day is None:
        problems["date"] = PREVIEW_WORDS["bad_date"]
    return day


def read_number(text: str, pattern: re.Pattern[str], word: str, name: str, problems: dict[str, str]) -> Decimal | None:
    """``text`` as an exact decimal (``None`` when empty); a message for ``name`` when it is not a number."""
    if not text:
        return None
    if not pattern.match(text):
        problems[name] = PREVIEW_WORDS[word]
        return None
    return Decimal(text)


def submit(root: Path, form: LineForm, values: Mapping[str, str], commit: bool) -> FormOutcome:
    """Read, check and append one entry to the line's ledger; commit the ledger when asked and written."""
    kept = {name: values.get(name, "") for name in FIELDS}
    entry = read_entry(form, values)
    if not isinstance(entry, NewEntry):
        return FormOutcome(kept, {name: (message,) for name, message in entry.items()})
    appended = append_entries(root, form.line.id, [entry])
    if not appended.ok:
        return problems_of(kept, appended)
    if not appended.written:
        return FormOutcome(kept, present=True)
    warnings = warnings_of(appended)
    if not commit:
        return FormOutcome(kept, written=True, warnings=warnings)
    community = dict(form.communities).get(entry.community, entry.community)
    message = preview_commit_message(form.line.name, entry.date, community, entry.note)
    try:
        committed = Git(root).commit_paths([appended.path], message)
        return FormOutcome(kept, written=True, committed=committed, warnings=warnings)
    except GitError as exc:
        return FormOutcome(kept, written=True, commit_error=str(exc), warnings=warnings)


def warnings_of(appended: AppendResult) -> tuple[str, ...]:
    """The warnings of an entry just written: in the entry itself, and decision.yaml's (an approval undone)."""
    inside = tuple(p.diagnostic.message for p in appended.entry_problems if not p.diagnostic.is_error)
    return inside + tuple(str(d) for d in appended.diagnostics if not d.is_error and d.message not in inside)


def problems_of(values: Mapping[str, str], appended: AppendResult) -> FormOutcome:
    """``check``'s diagnostics, each beside the field of the new entry it is about, the others above the form."""
    by_field: dict[str, list[str]] = {}
    inside: set[Diagnostic] = set()
    for problem in appended.entry_problems:
        name = KEY_FIELD.get(problem.key, problem.key)
        if name in FIELDS:
            by_field.setdefault(name, []).append(problem.diagnostic.message)
            inside.add(problem.diagnostic)
    others = tuple(str(d) for d in appended.diagnostics if d.is_error and d not in inside)
    return FormOutcome(values, {name: tuple(messages) for name, messages in by_field.items()}, others)
