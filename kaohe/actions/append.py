"""Append entries to a line's ledger: checked as ``check`` would check it, written in canonical form.

:func:`append_entries` is the one way new entries get into a ledger from outside a text editor
(``build.py import`` and the local entry form use it). In this order:

1. entries the ledger already holds are left out (the same date, community, rule or indicator,
   value and note: what ``check`` calls a likely duplicate), counted as in a multiset, so that
   appending the same entries twice adds nothing the second time;
2. the rest are appended to the ledger's ``entries`` (a ledger that does not exist yet is made,
   with the rubric's year), and the file is put in the canonical form ``fmt`` writes, every
   comment kept (:mod:`kaohe.content.canonical`);
3. the whole content is checked with the ledger as it would be (:class:`~kaohe.content.overlay.Overlay`
   over the working tree, the same pipeline as ``check``);
4. only when that finds no error, and the old entries and comments read back unchanged, is the
   ledger replaced (atomically), and only if nobody changed it meanwhile (else an error says to
   try again). No other file is touched. Calls in one process take turns (a server may call it
   from several threads).

The result says which of the given entries were added and which were already there, and gives
every diagnostic positioned in the ledger as it would be; :attr:`AppendResult.entry_problems`
ties those inside a new entry to the entry (by its index) and to the key they are about.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kaohe.actions.fmt import write_atomically
from kaohe.content.canonical import (
    CannotFormat,
    DateText,
    NotYaml,
    TextDateRepresenter,
    canonical_text,
    comment_lines,
    data_of,
    load_round_trip,
    yaml_io,
)
from kaohe.content.load import load_ledger, load_rubric
from kaohe.content.model import Entry, identity_of
from kaohe.content.overlay import Overlay
from kaohe.content.schema import DECISION_PATH, SHAPES, ledger_path
from kaohe.content.source import FileTooLarge, NotUtf8Error, WorkingTree
from kaohe.content.yamlnodes import TAG_FLOAT, TAG_INT, YMap, YScalar, YSeq, parse_yaml
from kaohe.errors import Diagnostic, Pos, error, has_errors, warning
from kaohe.numbers import as_written
from kaohe.pipeline import run

ENTRY_KEYS = SHAPES["entry"].names  # date, community, rule, indicator, count, deduct, amount, note, evidence
CHANGED_MEANWHILE = (
    "the ledger was changed by someone else while the new entries were checked; nothing written, try again"
)
_TURNS = threading.Lock()  # one append at a time in this process


@dataclass(frozen=True)
class NewEntry:
    """One entry to append, with the keys of FORMAT.md §4 (``None`` or ``""``: the key is left out)."""

    date: date
    community: str
    rule: str | None = None
    indicator: str | None = None
    count: int | None = None
    deduct: Decimal | None = None
    amount: Decimal | None = None
    note: str = ""
    evidence: str = ""

    def identity(self) -> tuple[object, ...]:
        """What makes two entries the same one (as ``check``'s likely-duplicate warning sees it)."""
        return identity_of(self.date, self.community, self.rule or self.indicator or "", self.count, self)

    def as_mapping(self) -> CommentedMap:
        """The entry as a round-trip mapping, keys in canonical order."""
        values: dict[str, object] = {
            "date": DateText(self.date.isoformat()),
            "community": self.community,
            "rule": self.rule,
            "indicator": self.indicator,
            "count": self.count,
            "deduct": self.deduct,
            "amount": self.amount,
            "note": self.note,
            "evidence": self.evidence,
        }
        mapping = CommentedMap()
        for key in ENTRY_KEYS:
            value = values.get(key)  # keys a new entry never sets (internal) are left out
            if value is not None and value != "":
                mapping[key] = value
        return mapping


@dataclass(frozen=True)
class EntryProblem:
    """A diagnostic that lies in one of the new entries: which one (its index) and which key (``""``: the entry)."""

    index: int
    key: str
    diagnostic: Diagnostic


@dataclass(frozen=True)
class AppendResult:
    """What :func:`append_entries` did, or with ``dry_run`` would do."""

    path: str  # the ledger, relative to the project root
    added: tuple[int, ...] = ()  # indices of the given entries appended (or that would be)
    present: tuple[int, ...] = ()  # indices left out: the ledger already holds them
    diagnostics: tuple[Diagnostic, ...] = ()  # every error of the content as it would be; warnings in new entries
    # and decision.yaml's (the entries change results the 班子会 approved)
    entry_problems: tuple[EntryProblem, ...] = ()  # those of ``diagnostics`` inside a new entry
    written: bool = False
    text: str = field(default="", repr=False)  # the ledger as it would be (empty when it could not be made)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "added": list(self.added),
            "present": list(self.present),
            "written": self.written,
            "diagnostics": [d.as_json() for d in self.diagnostics],
        }


def append_entries(root: Path, line_id: str, entries: Sequence[NewEntry], *, dry_run: bool = False) -> AppendResult:
    """Append ``entries`` to the ledger of line ``line_id`` in the project at ``root``; see the module's docstring.

    Nothing is written with ``dry_run``, when any error is found, or when every entry is already
    there. Never raises for bad content: every problem is a diagnostic in the result.
    """
    with _TURNS:
        return _append(root, line_id, entries, dry_run)


def _append(root: Path, line_id: str, entries: Sequence[NewEntry], dry_run: bool) -> AppendResult:
    relpath = ledger_path(line_id)
    tree = WorkingTree(root)
    try:
        before = tree.read_text(relpath)
    except (NotUtf8Error, FileTooLarge) as exc:
        return AppendResult(relpath, diagnostics=(error(Pos(relpath), str(exc).removeprefix(f"{relpath}: ")),))
    ledger = load_ledger(tree, relpath, []) if before is not None else None
    held = ledger.entries if ledger is not None else ()
    present = already_present(held, entries)
    added = tuple(i for i in range(len(entries)) if i not in present)
    if not added:
        return AppendResult(relpath, present=tuple(sorted(present)), text=before or "")
    new = [entries[i] for i in added]
    made = ledger_text(tree, relpath, line_id, before, new)
    if isinstance(made, Diagnostic):
        return AppendResult(relpath, added, tuple(sorted(present)), (made,))
    outcome = run(Overlay(tree, {relpath: made}))
    problems = (
        *located_in_new_entries(relpath, made, outcome.diagnostics, added),
        *twins(relpath, held, entries, added),
    )
    inside = {p.diagnostic for p in problems}
    kept = tuple(d for d in outcome.diagnostics if d.is_error or d in inside or d.pos.path == DECISION_PATH)
    result = AppendResult(relpath, added, tuple(sorted(present)), kept, problems, text=made)
    if not result.ok or dry_run:
        return result
    if not unchanged_since(tree, relpath, before):
        return AppendResult(relpath, added, result.present, (*kept, error(Pos(relpath), CHANGED_MEANWHILE)), problems)
    write_atomically(root / relpath, made)
    return AppendResult(relpath, added, result.present, kept, problems, written=True, text=made)


def unchanged_since(tree: WorkingTree, relpath: str, before: str | None) -> bool:
    """Whether the ledger still reads as ``before`` (``None``: it still does not exist)."""
    try:
        return tree.read_text(relpath) == before
    except (NotUtf8Error, FileTooLarge):
        return False


def already_present(ledger_entries: Sequence[Entry], entries: Sequence[NewEntry]) -> set[int]:
    """Indices of ``entries`` the ledger holds already, each entry there matching at most one given."""
    held: Counter[tuple[object, ...]] = Counter(
        identity_of(e.date, e.community, e.cites, e.count, e) for e in ledger_entries
    )
    found: set[int] = set()
    for index, entry in enumerate(entries):
        key = entry.identity()
        if held[key] > 0:
            held[key] -= 1
            found.add(index)
    return found


def twins(
    relpath: str, ledger_entries: Sequence[Entry], entries: Sequence[NewEntry], added: Sequence[int]
) -> tuple[EntryProblem, ...]:
    """A warning for each new entry beside one of the same date, community and rule that says otherwise.

    A row corrected in a spreadsheet and imported again is such an entry: it is added, and the one it
    was meant to correct stays, so both count.
    """
    by_key: dict[tuple[object, ...], list[Entry]] = {}
    for held in ledger_entries:
        by_key.setdefault((held.date, held.community, held.cites), []).append(held)
    found = []
    for index in added:
        entry = entries[index]
        same = by_key.get((entry.date, entry.community, entry.rule or entry.indicator or ""))
        if same:
            message = (
                f"the ledger already holds an entry of {entry.date} for '{entry.community}' on "
                f"'{entry.rule or entry.indicator}' (line {same[0].pos.line}: {entry_summary(same[0])}); this one "
                f"({entry_summary(entry)}) is added beside it, and both count: if it corrects that entry, "
                f"keep only one of the two in {relpath}"
            )
            found.append(EntryProblem(index, "", warning(Pos(relpath, same[0].pos.line), message)))
    return tuple(found)


def entry_summary(entry: Entry | NewEntry) -> str:
    """``count 2, deduct 0.5, note 年底检查…``: what an entry says besides its date, community and rule."""
    parts = [
        f"{key} {value}"
        for key, value in (("count", entry.count), ("deduct", entry.deduct), ("amount", entry.amount))
        if value is not None
    ]
    note = " ".join(entry.note.split())
    if note:
        parts.append(f"note {note[:20]}{'…' if len(note) > 20 else ''}")
    return ", ".join(parts) or "nothing else"


# --- the ledger as it would be -----------------------------------------------------------


class AppendRepresenter(TextDateRepresenter):
    """The canonical representer, writing a decimal as the plain number it is (``0.5``, ``150``), never a float."""


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    text = as_written(value)
    return representer.represent_scalar(TAG_INT if "." not in text else TAG_FLOAT, text)


AppendRepresenter.add_representer(Decimal, _represent_decimal)


def ledger_text(
    tree: WorkingTree, relpath: str, line_id: str, before: str | None, new: Sequence[NewEntry]
) -> str | Diagnostic:
    """The ledger's canonical text with ``new`` appended, or why it cannot be made."""
    data = new_ledger(tree, line_id) if before is None else loaded_ledger(relpath, before)
    if isinstance(data, Diagnostic):
        return data
    listed = data["entries"]
    if not listed:
        listed.fa.set_block_style()
    listed.extend(entry.as_mapping() for entry in new)
    yaml = yaml_io()
    yaml.Representer = AppendRepresenter
    try:
        made = canonical_text(relpath, dumped(yaml, data))
    except (NotYaml, CannotFormat):
        return error(Pos(relpath), "the ledger with the new entries could not be written in canonical form")
    if before is not None and not keeps_what_was_there(relpath, before, made, len(new)):
        return error(Pos(relpath), "appending would change the entries or comments already in the ledger")
    return made


def dumped(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def new_ledger(tree: WorkingTree, line_id: str) -> CommentedMap | Diagnostic:
    """A ledger that does not exist yet: ``line``, the rubric's ``year`` and the entries."""
    rubric = load_rubric(tree, [])
    if rubric is None:
        return error(Pos("content/rubric.yaml"), "the rubric does not load; run 'python build.py check'")
    data = CommentedMap()
    data["line"] = line_id
    data["year"] = rubric.year
    data["entries"] = CommentedSeq()
    return data


def loaded_ledger(relpath: str, text: str) -> CommentedMap | Diagnostic:
    """The ledger's round-trip data, when it is a mapping with a block or empty ``entries`` list."""
    _root, problems = parse_yaml(relpath, text)
    if any(p.is_error for p in problems):
        return next(p for p in problems if p.is_error)
    try:
        data = load_round_trip(text)
    except NotYaml as exc:
        return error(Pos(relpath), f"malformed YAML: {exc}")
    if not isinstance(data, CommentedMap):
        return error(Pos(relpath), "a ledger is a mapping with 'line', 'year' and 'entries'")
    if "entries" not in data or data["entries"] is None:
        data["entries"] = CommentedSeq()
    if not isinstance(data["entries"], CommentedSeq):
        return error(Pos(relpath), "the ledger's 'entries' is not a list")
    if data["entries"] and data["entries"].fa.flow_style():
        return error(Pos(relpath), "the ledger's 'entries' is written as [...]; run 'python build.py fmt' first")
    return data


def keeps_what_was_there(relpath: str, before: str, after: str, appended: int) -> bool:
    """``after`` holds every key, entry and comment of ``before``, and ``appended`` more entries at the end."""
    old, new = data_of(relpath, before), data_of(relpath, after)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    old_entries = old.get("entries") or []
    new_entries = new.get("entries") or []
    if not isinstance(new_entries, list) or len(new_entries) != len(old_entries) + appended:
        return False
    rest_same = {k: v for k, v in old.items() if k != "entries"} == {k: v for k, v in new.items() if k != "entries"}
    return (
        rest_same and new_entries[: len(old_entries)] == old_entries and comment_lines(before) == comment_lines(after)
    )


# --- diagnostics inside the new entries --------------------------------------------------


def located_in_new_entries(
    relpath: str, text: str, diagnostics: Sequence[Diagnostic], added: Sequence[int]
) -> tuple[EntryProblem, ...]:
    """The diagnostics in ``relpath`` that lie in one of the last ``len(added)`` entries, with their key."""
    root, _problems = parse_yaml(relpath, text)
    listed = root.get("entries") if isinstance(root, YMap) else None
    if not isinstance(listed, YSeq) or len(listed.items) < len(added):
        return ()
    new_items = listed.items[len(listed.items) - len(added) :]
    starts = [item.pos.line for item in new_items] + [10**9]
    found: list[EntryProblem] = []
    for diagnostic in diagnostics:
        if diagnostic.pos.path != relpath or diagnostic.pos.line < starts[0]:
            continue
        at = next(i for i in range(len(new_items)) if diagnostic.pos.line < starts[i + 1])
        found.append(EntryProblem(added[at], key_at(new_items[at], diagnostic.pos), diagnostic))
    return tuple(found)


def key_at(item: object, pos: Pos) -> str:
    """The key of mapping ``item`` whose key or value is at ``pos``; ``""`` when it is the entry itself."""
    if not isinstance(item, YMap) or pos == item.pos:  # the entry's own position: its first key's
        return ""
    for key, value in item.items:
        value_pos = value.pos if isinstance(value, YScalar | YMap | YSeq) else None
        if pos in (key.pos, value_pos):
            return key.text
    return ""
