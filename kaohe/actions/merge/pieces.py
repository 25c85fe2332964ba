"""A ledger's text cut into the pieces a merge works on, found with the parser ``check`` uses.

The text is first put in the canonical form ``fmt`` writes (:func:`kaohe.content.canonical.canonical_text`),
so that the three versions of a ledger differ only where their content or comments differ. Then:

- each top-level key (``line``, ``year``, ``review``, ``entries``, …) is one piece: its lines, and
  the comment and blank lines above it (the first key also takes the comments at the top of the file);
  the ``entries`` piece is only its key line;
- each item of ``entries`` is one piece: its lines, and the comment and blank lines above it;
- the comment and blank lines after everything are the end of the file.

An entry is also known by what it says (:attr:`EntryPiece.said`: its keys and values, as ``check``
reads them) and by the date, community and rule or indicator it cites, so that the same entry can
be found in another version of the ledger whatever its line number there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kaohe.content.canonical import CannotFormat, NotYaml, canonical_text, scalar_lines
from kaohe.content.yamlnodes import YMap, YNode, YScalar, YSeq, parse_yaml

ENTRIES = "entries"
# the line of the ``entries`` key: ``entries:`` or ``entries: []``, perhaps with an end-of-line comment
ENTRIES_LINE = re.compile(r"^entries:(?P<empty>\s*\[\s*\])?(?P<comment>\s+#.*)?$")


class Unmergeable(ValueError):
    """The text cannot be merged entry by entry (it does not parse, or is not laid out as a ledger); says why."""


@dataclass(frozen=True)
class Piece:
    """Lines of a ledger: the comment and blank lines ``above`` it, and its own lines (``body``)."""

    above: tuple[str, ...]
    body: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        return self.above + self.body


@dataclass(frozen=True)
class EntryPiece:
    """One item of ``entries``: its lines, what it says, and what it is about."""

    piece: Piece
    said: object  # the entry's keys and values, hashable, key order and quoting left out
    about: tuple[str, ...]  # date, community, rule or indicator
    subject: tuple[str, ...]  # community and note: the same entry when its date or citation was corrected


@dataclass(frozen=True)
class LedgerPieces:
    """A whole ledger as pieces; joined in order they give its canonical text back."""

    keys: dict[str, Piece]  # top-level keys in the file's order; ``entries`` holds just its key line
    entries: tuple[EntryPiece, ...]
    end: tuple[str, ...]  # comment and blank lines after everything


def cut(relpath: str, text: str) -> LedgerPieces:
    """The canonical form of ``text`` as pieces; :class:`Unmergeable` when that cannot be made.

    ``check``'s parser reads the text first, with its bounds (size, aliases, nesting), so that
    nothing it refuses reaches the round trip that rewrites the file.
    """
    first_error(relpath, text.lstrip("\ufeff"))
    try:
        canonical = canonical_text(relpath, text) if text.strip() else ""
    except (NotYaml, CannotFormat) as exc:
        raise Unmergeable(f"{relpath}: cannot be put in canonical form ({exc})") from None
    root = first_error(relpath, canonical)
    lines = tuple(canonical.split("\n")[:-1]) if canonical else ()
    if root is None:  # empty, or comments only (git gives an empty base when both sides added the file)
        return LedgerPieces({}, (), lines)
    if not isinstance(root, YMap) or not root.items:
        raise Unmergeable(f"{relpath}: the file's top level is not a mapping of keys")
    return LedgerCutter(relpath, canonical, lines).pieces(root)


def first_error(relpath: str, text: str) -> YNode | None:
    """The parsed text; :class:`Unmergeable` with ``check``'s first error when there is one."""
    root, problems = parse_yaml(relpath, text)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise Unmergeable(str(errors[0]))
    return root


class LedgerCutter:
    """Finds where each piece of a canonical ledger text begins and ends."""

    def __init__(self, relpath: str, text: str, lines: tuple[str, ...]) -> None:
        self.relpath = relpath
        self.lines = lines
        self.inside = scalar_lines(text)  # lines of multi-line texts: never comments, whatever they hold

    def is_filler(self, index: int) -> bool:
        """A blank or comment line outside every text."""
        stripped = self.lines[index].strip()
        return index not in self.inside and (not stripped or stripped.startswith("#"))

    def filler_above(self, index: int, floor: int) -> int:
        """Where the run of blank and comment lines directly above line ``index`` starts (not at or above ``floor``)."""
        start = index
        while start - 1 > floor and self.is_filler(start - 1):
            start -= 1
        return start

    def pieces(self, root: YMap) -> LedgerPieces:
        key_lines = [key.pos.line - 1 for key, _value in root.items]
        if any(key.pos.col != 1 for key, _value in root.items):
            raise Unmergeable(f"{self.relpath}: a top-level key is not at the start of its line")
        end_start = self.filler_above(len(self.lines), key_lines[-1])
        starts = [0] + [self.filler_above(at, before) for before, at in pairwise(key_lines)]
        stops = [*starts[1:], end_start]
        keys: dict[str, Piece] = {}
        entries: tuple[EntryPiece, ...] = ()
        for (key, value), start, at, stop in zip(root.items, starts, key_lines, stops, strict=True):
            above = self.lines[start:at]
            if key.text == ENTRIES:
                keys[key.text] = Piece(above, (self.entries_key_line(at, value),))
                entries = self.entry_pieces(value, at, stop)
            else:
                keys[key.text] = Piece(above, self.lines[at:stop])
        return LedgerPieces(keys, entries, self.lines[end_start:])

    def entries_key_line(self, at: int, value: YNode) -> str:
        """The ``entries`` key line without its ``[]`` (the merge decides whether the list is empty)."""
        match = ENTRIES_LINE.match(self.lines[at])
        empty_flow = isinstance(value, YSeq) and not value.items
        if match is None or (match["empty"] is not None) != empty_flow:
            raise Unmergeable(f"{self.relpath}:{at + 1}: 'entries' is not a list of entries, one below the other")
        return "entries:" + (match["comment"] or "")

    def entry_pieces(self, value: YNode, key_line: int, stop: int) -> tuple[EntryPiece, ...]:
        if isinstance(value, YScalar) and value.is_null:
            return ()
        if not isinstance(value, YSeq):
            raise Unmergeable(f"{self.relpath}:{value.pos.line}: 'entries' is not a list")
        if not value.items:
            return ()
        starts = [item.pos.line - 1 for item in value.items]
        if any(not isinstance(item, YMap) for item in value.items) or not self.one_below_the_other(starts, key_line):
            raise Unmergeable(f"{self.relpath}:{key_line + 1}: 'entries' is not a list of entries, one below the other")
        begins = [self.filler_above(at, before) for before, at in pairwise([key_line, *starts])]
        ends = [*begins[1:], stop]
        return tuple(
            entry_piece(item, Piece(self.lines[begin:at], self.lines[at:end]))
            for item, begin, at, end in zip(value.items, begins, starts, ends, strict=True)
        )

    def one_below_the_other(self, starts: Sequence[int], key_line: int) -> bool:
        """Each entry starts a line of its own with ``- ``, after the key and after the entry before it."""
        rising = all(a < b for a, b in pairwise([key_line, *starts]))
        return rising and all(self.lines[at].lstrip().startswith("- ") for at in starts)


def entry_piece(item: YNode, piece: Piece) -> EntryPiece:
    assert isinstance(item, YMap)  # checked by the caller
    return EntryPiece(piece, said(item), about(item), (text_of(item, "community"), text_of(item, "note")))


def about(item: YMap) -> tuple[str, ...]:
    cites = text_of(item, "rule") or text_of(item, "indicator")
    return (text_of(item, "date"), text_of(item, "community"), cites)


def text_of(item: YMap, key: str) -> str:
    value = item.get(key)
    return value.text if isinstance(value, YScalar) else ""


def said(node: YNode) -> object:
    """What a node says, hashable: mappings without their key order, scalars as tag and text."""
    if isinstance(node, YMap):
        return frozenset((key.text, said(value)) for key, value in node.items)
    if isinstance(node, YSeq):
        return tuple(said(item) for item in node.items)
    return (node.tag, node.text)
