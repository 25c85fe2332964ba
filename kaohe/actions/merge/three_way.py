"""Three versions of a ledger, as pieces (:mod:`.pieces`), merged into one.

Each top-level key, the end of the file and each entry is merged on its own, as a three-way merge
merges a line: a piece one side changed and the other did not takes the change; a piece both
sides changed the same way takes it once; a piece both changed differently (or one changed and
the other deleted) is a conflict, written between git's markers, ours first::

    <<<<<<< ours
      - date: 2008-03-12
        count: 2
    =======
      - date: 2008-03-12
        count: 3
    >>>>>>> theirs

A comment change above a piece and a change to the piece itself merge separately.

The entries of each side are matched to the base's by what they say (the longest common
subsequence, :class:`difflib.SequenceMatcher`), so an entry keeps its identity whatever its line
number; where a run of base entries was replaced, the replacements are paired with the base
entries by date, community and citation, else by community and note, else one for one. Entries
both sides added at the same place are all kept, in order of date (then community, citation and text),
whichever side is ours (an entry both added is kept once).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TypeVar

from kaohe.actions.merge.pieces import ENTRIES, ENTRIES_LINE, EntryPiece, LedgerPieces, Piece
from kaohe.content.canonical import canonical_order
from kaohe.content.schema import SHAPES

OURS_MARKER, SPLIT_MARKER, THEIRS_MARKER = "<<<<<<< ours", "=======", ">>>>>>> theirs"
LEDGER_KEYS = SHAPES["ledger"].names

T = TypeVar("T")
Span = tuple[int, int]  # a run of list indices: from, to (not included)


class Clash:
    """Both sides changed the same thing differently."""


CLASH = Clash()


def pick(base: T | None, ours: T | None, theirs: T | None) -> T | Clash | None:
    """The three-way choice for one thing (``None``: absent); :data:`CLASH` when both sides changed it differently."""
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    return CLASH


@dataclass(frozen=True)
class Conflict:
    """Ours and theirs of a piece both sides changed differently; ``what`` names it for the user."""

    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    what: str

    def lines(self) -> tuple[str, ...]:
        return (OURS_MARKER, *self.ours, SPLIT_MARKER, *self.theirs, THEIRS_MARKER)


Part = tuple[str, ...] | Conflict


@dataclass(frozen=True)
class ConflictAt:
    """Where a conflict stands in the merged text: the line of its ``<<<<<<<`` marker (1-based)."""

    line: int
    what: str


@dataclass(frozen=True)
class Merged:
    """The merged ledger: its text (with conflict markers where there are conflicts) and the conflicts."""

    text: str
    conflicts: tuple[ConflictAt, ...] = ()


def merge_piece(base: Piece | None, ours: Piece | None, theirs: Piece | None, what: str) -> list[Part]:
    """One piece merged: its lines, nothing (deleted), or a conflict (after the comments above, if those merged)."""
    chosen = pick(base, ours, theirs)
    if not isinstance(chosen, Clash):
        return [chosen.lines] if chosen is not None else []
    if base is not None and ours is not None and theirs is not None:
        above, body = pick(base.above, ours.above, theirs.above), pick(base.body, ours.body, theirs.body)
        if not isinstance(above, Clash) and above is not None:
            if not isinstance(body, Clash) and body is not None:
                return [above + body]
            return [above, Conflict(ours.body, theirs.body, what)]
    return [Conflict(ours.lines if ours else (), theirs.lines if theirs else (), what)]


# --- entries ----------------------------------------------------------------------------


@dataclass
class Edits:
    """What one side did to the base's entries: each one's fate (``None``: deleted) and what it added where."""

    fate: list[EntryPiece | None]
    added: list[list[EntryPiece]] = field(default_factory=list)  # added[i]: new entries before base entry i


def edits(base: Sequence[EntryPiece], side: Sequence[EntryPiece]) -> Edits:
    done = Edits([None] * len(base), [[] for _ in range(len(base) + 1)])
    matcher = SequenceMatcher(None, [e.said for e in base], [e.said for e in side], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            done.fate[i1:i2] = side[j1:j2]
        elif tag == "insert":
            done.added[i1].extend(side[j1:j2])
        elif tag == "replace":
            replaced(done, base, side, (i1, i2), (j1, j2))
    return done


def replaced(done: Edits, base: Sequence[EntryPiece], side: Sequence[EntryPiece], old: Span, new: Span) -> None:
    """A run of base entries ``old`` that became the run ``new`` on a side: changed, deleted and added entries."""
    pairs = pair_up(base, side, old, new)  # side index → base index
    for j in range(*new):
        if j in pairs:
            done.fate[pairs[j]] = side[j]
        else:  # added: before the base entry of the next paired one, else after the run
            later = [pairs[k] for k in range(j + 1, new[1]) if k in pairs]
            done.added[later[0] if later else old[1]].append(side[j])


def pair_up(base: Sequence[EntryPiece], side: Sequence[EntryPiece], old: Span, new: Span) -> dict[int, int]:
    """Side entries of the run paired with the base entries they are changed versions of."""
    if old[1] - old[0] == new[1] - new[0]:
        return {j: old[0] + k for k, j in enumerate(range(*new))}
    pairs: dict[int, int] = {}
    keys: tuple[Callable[[EntryPiece], Hashable], ...] = (lambda e: e.about, lambda e: e.subject)
    for key in keys:
        for i in range(*old):
            if i in pairs.values():
                continue
            match = next((j for j in range(*new) if j not in pairs and key(side[j]) == key(base[i])), None)
            if match is not None:
                pairs[match] = i
    return pairs


def merge_entries(base: Sequence[EntryPiece], ours: Sequence[EntryPiece], theirs: Sequence[EntryPiece]) -> list[Part]:
    mine, yours = edits(base, ours), edits(base, theirs)
    parts: list[Part] = []
    for i in range(len(base) + 1):
        said = {entry.said for entry in mine.added[i]}
        for entry in by_date(mine.added[i], [e for e in yours.added[i] if e.said not in said]):
            parts.append(entry.piece.lines)
        if i < len(base):
            b, o, t = base[i], mine.fate[i], yours.fate[i]
            parts += merge_piece(b.piece, o.piece if o else None, t.piece if t else None, describe(b))
    return parts


def by_date(ours: Sequence[EntryPiece], theirs: Sequence[EntryPiece]) -> list[EntryPiece]:
    """The entries both sides added at one place, in order of date, community, citation and text.

    So the merged ledger does not depend on which branch was merged into which, not even for two
    entries of one day, community and rule (whose ``#1`` and ``#2`` follow file order). One side's
    additions alone keep the order that side gave them.
    """
    if not ours or not theirs:
        return [*ours, *theirs]
    return sorted([*ours, *theirs], key=lambda entry: (entry.about, entry.piece.body))


def describe(entry: EntryPiece) -> str:
    return "the entry " + " ".join(part for part in entry.about if part)


# --- the whole ledger -------------------------------------------------------------------


def merge(base: LedgerPieces, ours: LedgerPieces, theirs: LedgerPieces) -> Merged:
    """The three versions merged; conflicts marked around the pieces both sides changed differently."""
    entries = merge_entries(base.entries, ours.entries, theirs.entries)
    parts: list[Part] = []
    names = list(dict.fromkeys([*ours.keys, *theirs.keys, *base.keys]))
    for name in canonical_order(names, LEDGER_KEYS):
        sides = (base.keys.get(name), ours.keys.get(name), theirs.keys.get(name))
        merged = merge_piece(*sides, what=f"the key '{name}'")
        if name == ENTRIES:
            parts += with_entries_key(merged, bool(entries)) + entries
        else:
            parts += merged
    if ENTRIES not in names and entries:
        parts += [("entries:",), *entries]
    parts += merge_piece(Piece((), base.end), Piece((), ours.end), Piece((), theirs.end), "the end of the file")
    return assemble(parts)


def with_entries_key(parts: list[Part], has_entries: bool) -> list[Part]:
    """The ``entries`` key line as ``entries:`` above entries, ``entries: []`` when there are none."""
    if not parts and has_entries:
        return [("entries:",)]
    if has_entries:
        return parts

    def emptied(lines: tuple[str, ...]) -> tuple[str, ...]:
        found = [ENTRIES_LINE.match(line) for line in lines]
        return tuple(
            f"entries: []{match['comment'] or ''}" if match else line for line, match in zip(lines, found, strict=True)
        )

    return [
        Conflict(emptied(part.ours), emptied(part.theirs), part.what) if isinstance(part, Conflict) else emptied(part)
        for part in parts
    ]


def assemble(parts: Sequence[Part]) -> Merged:
    lines: list[str] = []
    conflicts: list[ConflictAt] = []
    for part in parts:
        if isinstance(part, Conflict):
            conflicts.append(ConflictAt(len(lines) + 1, part.what))
            lines += part.lines()
        else:
            lines += part
    return Merged("".join(line + "\n" for line in lines), tuple(conflicts))
