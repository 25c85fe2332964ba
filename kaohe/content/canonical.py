"""The canonical form of content files, made with ruamel.yaml's round trip.

Canonical means:

- keys in the order FORMAT.md writes them (:data:`kaohe.content.schema.SHAPES`);
  keys the format does not know keep their order after the known ones;
- list items, comments and blank lines stay where they are: a full-line comment
  above a key moves with the key when the keys are reordered (just below it when
  it becomes a list item's first key, ``- date: …``; below the file's heading
  when it becomes the file's), one indented deeper than the key belongs to the
  value above it, and one that followed the last key of a mapping still follows
  the mapping; a tab before a comment becomes a space;
- block mappings indented by 2 spaces, list items by 2 spaces then ``- ``
  (``entries:`` / ``  - date: …`` / ``    community: …``), flow mappings such
  as ``review: {by: …, date: …}`` kept as written;
- text unquoted wherever YAML (and libyaml, which ``check`` reads with) reads it
  back as the same text, otherwise in double quotes (``"98.40"``, ``"**加粗**"``,
  ``{note: "8:30"}``); ``|`` blocks kept; no line wrapping;
- dates as written (``2008-03-12``; read as text, so an impossible date is
  ``check``'s to report, not a crash here);
- UTF-8, ``\\n`` line ends (``\\r\\n`` and ``\\r`` become ``\\n``), one final newline,
  no byte order mark.

The form changes how a file is written, never what it says:
:func:`same_data` and :func:`comment_lines` let callers prove it, both with the
parser ``check`` uses, not with the round trip that does the rewriting. Where
ruamel's round trip is known to go wrong (comments above a ``- {…}   # …``
item, the line after such an item), the classes below put it right.
"""

from __future__ import annotations

import copy
import io
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import MappingEndEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString

from kaohe.content.comments import TEXT_KEYS
from kaohe.content.schema import SHAPES, Kind, Shape, Value, file_shape
from kaohe.content.yamlnodes import (
    HAVE_LIBYAML,
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_NULL,
    TAG_TIMESTAMP,
    YMap,
    YNode,
    YScalar,
    YSeq,
    conflict_markers,
    parse_yaml,
)

NO_WRAP = 1_000_000  # never fold long notes onto several lines


class NotYaml(ValueError):
    """The text is not a single well-formed YAML document."""


class CannotFormat(ValueError):
    """The round trip gave text that does not read back as YAML (a fault of the emitter, not of the file)."""


def normalise_line_ends(text: str) -> str:
    """``\\r\\n`` and a lone ``\\r`` become ``\\n``; YAML reads all three as one line break, so nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- reading and writing ----------------------------------------------------------------


class CommentKeepingComposer(Composer):
    """ruamel's composer, keeping the comment lines above a flow collection that has an end-of-line comment.

    ruamel (0.18, 0.19) replaces a flow mapping's or list's comments with those found at its end
    (``- {…}   # …``), so full-line comments above such a list item were lost on loading.
    """

    def compose_mapping_node(self, anchor: Any) -> Any:
        above = self.parser.peek_event().comment
        return keep_comments_above(super().compose_mapping_node(anchor), above)

    def compose_sequence_node(self, anchor: Any) -> Any:
        above = self.parser.peek_event().comment
        return keep_comments_above(super().compose_sequence_node(anchor), above)


def keep_comments_above(node: Any, above: Any) -> Any:
    """``node`` with the full-line comments ``above`` it again, if its end-of-line comment replaced them."""
    lines = above[1] if above is not None and len(above) > 1 else None
    if not lines or node.comment is None or node.comment is above:
        return node
    comment = list(node.comment)
    kept = comment[1] or []
    comment[1] = [*lines, *(token for token in kept if token not in lines)]
    node.comment = comment
    return node


class DateText(str):
    """A plain date scalar (``2008-03-12``) kept as its text: never turned into a date, so never invalid here."""

    __slots__ = ()


class TextDateConstructor(RoundTripConstructor):
    """Round-trip construction that leaves timestamps as text (``2008-02-30`` is check's to report)."""

    def construct_date_text(self, node: Any, values: Any = None) -> DateText:
        return DateText(node.value)


TextDateConstructor.add_constructor(TAG_TIMESTAMP, TextDateConstructor.construct_date_text)


class TextDateRepresenter(RoundTripRepresenter):
    pass


def _represent_date_text(representer: Any, data: DateText) -> Any:
    return representer.represent_scalar(TAG_TIMESTAMP, str(data))  # plain again: it resolves as a timestamp


TextDateRepresenter.add_representer(DateText, _represent_date_text)


def not_plain_in_flow(text: str) -> bool:
    """Text that YAML 1.2 (ruamel) may leave plain inside ``{…}`` but libyaml, which ``check`` reads with, may not.

    libyaml ends a plain scalar at any ``?`` or ``:`` in a flow mapping or list (``{note: 0?}`` and
    ``{note: 8:30}`` are malformed to it), so such text is quoted there.
    """
    return "?" in text or ":" in text


class DoubleQuotingEmitter(Emitter):
    """Quote text only where YAML needs it, and then always with double quotes."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        if style == "'":
            return '"'
        if not style and self.flow_level and not_plain_in_flow(str(self.event.value)):
            return '"'
        return style

    def expect_flow_mapping_key(self) -> None:
        # ruamel (0.18, 0.19) leaves ``no_newline`` set after the end-of-line comment of a flow
        # mapping (``- {date: …}   # …``) when a full-line comment opened the list: the next block
        # mapping's second key is then written on its first key's line (``- date: … community: …``).
        # The comment ends with a line break, so no break is pending: clear it, as ruamel does
        # after a flow mapping without a comment.
        closing_with_comment = isinstance(self.event, MappingEndEvent) and bool(
            self.event.comment and self.event.comment[0]
        )
        super().expect_flow_mapping_key()
        if closing_with_comment:
            self.no_newline = False


def yaml_io() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Composer = CommentKeepingComposer
    yaml.Constructor = TextDateConstructor
    yaml.Representer = TextDateRepresenter
    yaml.Emitter = DoubleQuotingEmitter
    yaml.width = NO_WRAP
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def load_round_trip(text: str) -> Any:
    try:
        return yaml_io().load(normalise_line_ends(text.lstrip("\ufeff")))
    except (YAMLError, ValueError, KeyError, TypeError) as exc:  # a value ruamel cannot construct (``!!bool maybe``)
        raise NotYaml(str(exc)) from exc


def dump_round_trip(data: Any) -> str:
    out = io.StringIO()
    yaml_io().dump(data, out)
    return out.getvalue()


def canonical_text(relpath: str, text: str) -> str:
    """``text`` rewritten in canonical form.

    Raises :class:`NotYaml` when it does not parse (or holds merge conflict markers), and
    :class:`CannotFormat` when the rewritten text would not parse back.
    """
    if conflict_markers(relpath, text):
        raise NotYaml("merge conflict markers")
    text = spaces_before_comments(text)
    data = load_round_trip(text)
    if data is None:
        return normalise_line_ends(text.lstrip("\ufeff"))
    shape = file_shape(relpath)
    canonicalize(data, SHAPES[shape] if shape else None, text.split("\n"), FILE)
    dumped = dump_round_trip(data)
    if parse_yaml(relpath, dumped)[1]:
        raise CannotFormat(relpath)
    try:
        formatted = align_comments(dumped).lstrip("\n")
    except YAMLError as exc:  # pragma: no cover - text that parsed above parses here
        raise CannotFormat(relpath) from exc
    return one_final_newline(relpath, formatted)


def spaces_before_comments(text: str) -> str:
    """``text`` with each tab that sets a comment off written as a space (a tab reads as a space, §4).

    libyaml, which ``check`` reads with, takes ``deduct: 0.3<tab># 酌情`` for a value and a comment;
    ruamel's round trip refuses the tab. A tab inside a scalar (quoted text, a ``|`` block) stays.
    """
    if "\t" not in text or "#" not in text:
        return text
    text = normalise_line_ends(text.lstrip("\ufeff"))  # as the file will be written: lines as the parser counts them
    lines = text.split("\n")
    wanted = {number for number, line in enumerate(lines) if "\t" in line and "#" in line}
    if not wanted:
        return text
    covered = _scalar_spans(text, wanted)
    for number in wanted:
        line = lines[number]
        col = comment_start(line, covered.get(number, []))
        if col:
            gap = len(line[:col]) - len(line[:col].rstrip(" \t"))
            lines[number] = line[: col - gap] + line[col - gap : col].replace("\t", " ") + line[col:]
    return "\n".join(lines)


def one_final_newline(relpath: str, text: str) -> str:
    """``text`` without blank lines at its end, unless they are text (a ``|+`` block keeps its final newlines)."""
    trimmed = text.rstrip("\n") + "\n"
    return trimmed if trimmed == text or same_data(relpath, text, trimmed) else text


# --- full-line comments ----------------------------------------------------------------


def align_comments(text: str) -> str:
    """Indent each full-line comment like the line it stands above (the end of the file: column 0).

    Lines inside a multi-line scalar (a ``|`` block) are text, not comments, and stay as they are.
    """
    lines = text.split("\n")
    inside = scalar_lines(text)
    waiting: list[int] = []
    for index, line in enumerate(lines):
        if index in inside:
            continue
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            waiting.append(index)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        for at in waiting:
            lines[at] = indent + lines[at].strip() if lines[at].strip() else ""
        waiting = []
    for at in waiting:
        lines[at] = lines[at].strip()
    return "\n".join(lines)


def scalar_lines(text: str) -> set[int]:
    """The 0-based lines after the first of every scalar that spans several lines."""
    found: set[int] = set()
    if "|" not in text and ">" not in text:  # no block scalar: every scalar is on one line (nothing wraps)
        return found
    stack = [yaml_io().compose(io.StringIO(text))]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            found.update(range(start.line + 1, end.line + (0 if end.column == 0 else 1)))
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return found


# --- key order --------------------------------------------------------------------------


Head = tuple[CommentedMap, Any]  # the mapping and key whose value a mapping is: its comments above its first key
FILE: Head = (CommentedMap(), None)  # the file's own mapping: its comments above the first key head the file


def canonicalize(node: Any, shape: Shape | None, lines: list[str], head: Head | None = None) -> None:
    """Put the keys of mapping ``node`` and of everything below it in canonical order, in place.

    ``lines``: the source's, for what the round trip does not keep (:func:`keep_texts_before_comments`).
    ``head``: where ``node`` is the value of a key, for the comments above its first key (:func:`reorder`).
    """
    if not isinstance(node, CommentedMap):
        return
    keep_texts_before_comments(node, lines)
    for key in node:
        spec = shape.key(str(key)) if shape is not None else None
        if spec is not None:
            canonicalize_value(node, key, spec.value, lines)
    if shape is None:
        return
    order = canonical_order(list(node.keys()), shape.names)
    if order != list(node.keys()):
        reorder(node, order, head)


def keep_texts_before_comments(node: CommentedMap, lines: list[str]) -> None:
    """A note or evidence with a comment after it on its line reads after ``fmt`` as ``check`` read it before.

    ``check`` warns at a ``#`` one space after an unquoted note (:mod:`kaohe.content.comments`: most
    are typed into the text) and takes one set off by two spaces or more, or after a quoted note,
    for the comment it is. The round trip keeps neither the quotes nor the spaces: the comment keeps
    its column while the note moves. So a quoted note stays quoted, and an unquoted one keeps its
    comment as many spaces off as it was (a tab as a space): one space, and its warning, or more.
    """
    for key in TEXT_KEYS:
        value, comments = node.get(key), node.ca.items.get(key)
        after = comments[2] if comments and len(comments) > 2 else None
        if not isinstance(value, str) or after is None or not str(after.value).lstrip(" \t").startswith("#"):
            continue
        line, column = node.lc.value(key)
        written = lines[line][column : after.start_mark.column] if line < len(lines) else ""
        if written[:1] in ("'", '"'):
            node[key] = DoubleQuotedScalarString(value)
            continue
        gap = written[len(written.rstrip(" \t")) :].replace("\t", " ")
        after.start_mark.column = 0  # right after the note, wherever it now ends, as far off as it was
        after.value = gap[1:] + str(after.value).lstrip(" ")  # the emitter writes the first space


def canonicalize_value(node: CommentedMap, key: Any, spec: Value, lines: list[str]) -> None:
    """The mappings inside ``node[key]``, of kind ``spec``: the value itself, its list items or its id-mapped values."""
    below = SHAPES[spec.shape] if spec.shape is not None else None
    if below is None:
        return
    value = node[key]
    if spec.kind is Kind.MAPPING:
        canonicalize(value, below, lines, (node, key))
    elif spec.kind is Kind.LIST and isinstance(value, CommentedSeq):
        for item in value:
            canonicalize(item, below, lines)
    elif spec.kind is Kind.ID_MAP and isinstance(value, CommentedMap):
        for name, item in value.items():
            canonicalize(item, below, lines, (value, name))


def canonical_order(keys: list[Any], known: tuple[str, ...]) -> list[Any]:
    rank = {name: index for index, name in enumerate(known)}
    return sorted(keys, key=lambda k: (rank.get(str(k), len(known)), keys.index(k)))


def reorder(node: CommentedMap, order: list[Any], head: Head | None = None) -> None:
    """Reorder keys; full-line comments above a key move with it, those after the old last key to the new last one.

    A comment above a key is kept as the key's own (ruamel: ``ca.items[key][1]``) wherever it was
    found: after the value above it (``[2]``, less what is indented deeper than the key, which
    belongs to that value) or already with the key. Above the first key of a mapping that is a key's
    value (``head``) it stays there (``ca.items[key][3]`` of the mapping above). Above the first key
    of the file (``FILE``) the comments head the file and stay there; a key moved to the front takes
    its own to just below them. A list item's mapping (no ``head``) has no room above its first key
    (``- date: …``): a key moved to the front takes its comments just below it.
    """
    moved = take_trailing(node)
    keys = list(node.keys())
    above: dict[Any, tuple[str, Any]] = {}
    for at, key in enumerate(keys):
        if at > 0:
            before = take_lines_after(node, keys[at - 1], key_column(node, key))
        else:
            before = take_head(head, node) if head is not None and head is not FILE else None
        parts = [part for part in (before, take_own(node, key)) if part is not None]
        if parts:
            above[key] = ("".join(lines for lines, _ in parts), parts[0][1])
    for key in order:
        node.move_to_end(key)
    for key, (lines, template) in above.items():
        if order.index(key) > 0:
            give_own(node, key, lines, template)
        elif head is not None:
            give_head(head, node, lines, template)
        else:
            give_to(value_slot(node, key), lines, template)
    if moved is not None:
        give_trailing(node, *moved)


def key_column(node: CommentedMap, key: Any) -> int | None:
    """The column ``key`` was read at (None for a key the round trip did not read)."""
    try:
        return int(node.lc.key(key)[1])
    except (KeyError, TypeError, IndexError):
        return None


def take_tokens(slots: list[Any] | None, index: int) -> tuple[str, Any] | None:
    """The comment lines of the token list at ``slots[index]``, taken out, and a token to copy."""
    if slots is None or len(slots) <= index or not slots[index]:
        return None
    tokens, slots[index] = slots[index], None
    return "".join(token.value for token in tokens), tokens[0]


def add_token(tokens: list[Any] | None, lines: str, template: Any) -> list[Any]:
    """``tokens`` (a list of comment tokens, or none) and a copy of ``template`` holding ``lines`` after them."""
    token = copy.copy(template)
    token.value = flush_left(lines)
    return [*(tokens or []), token]


def flush_left(lines: str) -> str:
    """Comment lines without their indentation: the emitter writes them as they are, after a ``|`` block too
    (where an indented one would read as the block's text); :func:`align_comments` indents them after."""
    return "".join(line.lstrip(" \t") for line in lines.splitlines(keepends=True))


def comment_slots(owner: Any, key: Any, index: int) -> list[Any]:
    """ruamel's comment slots of ``owner[key]`` (``ca.items[key]``), made or lengthened to hold ``index``."""
    slots: list[Any] = owner.ca.items.setdefault(key, [None, None, None, None])
    slots.extend([None] * (index + 1 - len(slots)))
    return slots


def take_own(node: CommentedMap, key: Any) -> tuple[str, Any] | None:
    """The comment lines kept with ``key`` itself (above it), taken out."""
    return take_tokens(node.ca.items.get(key), 1)


def give_own(node: CommentedMap, key: Any, lines: str, template: Any) -> None:
    slots = comment_slots(node, key, 1)
    slots[1] = add_token(slots[1], lines, template)


def take_head(head: Head, node: CommentedMap) -> tuple[str, Any] | None:
    """The comment lines above the first key of ``node``, the value of ``head``'s key, taken out."""
    parent, key = head
    taken = take_tokens(parent.ca.items.get(key), 3)
    if taken is not None and node.ca.comment is not None and len(node.ca.comment) > 1:
        node.ca.comment[1] = None  # ruamel keeps them here too
    return taken


def give_head(head: Head, node: CommentedMap, lines: str, template: Any) -> None:
    """``lines`` above the first key of ``node``, the value of ``head``'s key (after those there already)."""
    if head is FILE:
        comment = node.ca.comment if node.ca.comment is not None else [None, None]
        comment[1] = add_token(comment[1], lines, template)
        node.ca.comment = comment
        return
    parent, key = head
    slots = comment_slots(parent, key, 3)
    slots[3] = add_token(slots[3], lines, template)


# --- comments between keys and after the last one ---------------------------------------
# ruamel keeps the comments and blank lines that follow a value with that value's key
# (``ca.items[key][2]`` in a mapping, ``[0]`` in a list): the end-of-line comment first,
# then the full lines below it (after a ``|`` block, only those: the block ends its line).
# When keys move, those full lines belong to the key below them, or to the end of the
# mapping after the last key, not to the key above.

Slot = tuple[Any, Any, int]  # a mapping or list, the key or index of a value, the place of its comments


def is_block_collection(value: Any) -> bool:
    return isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0 and not value.fa.flow_style()


def trailing_slot(node: Any) -> Slot | None:
    """Where the comments after the last value of ``node`` (at any depth) are kept."""
    if isinstance(node, CommentedMap) and node:
        key: Any = next(reversed(node))
        index = 2
    elif isinstance(node, CommentedSeq) and node:
        key, index = len(node) - 1, 0
    else:
        return None
    value = node[key]
    if is_block_collection(value):
        deeper = trailing_slot(value)
        if deeper is not None:
            return deeper
    return node, key, index


def value_slot(node: CommentedMap, key: Any) -> Slot:
    """Where the comments after ``node[key]`` are kept: with the key, or with the last value of a block below it."""
    value = node[key]
    deeper = trailing_slot(value) if is_block_collection(value) else None
    return deeper if deeper is not None else (node, key, 2)


def ends_its_line(slot: Slot) -> bool:
    """Whether the value at ``slot`` is a ``|`` or ``>`` block: the comments after it are full lines only."""
    owner, key, _ = slot
    return isinstance(owner[key], LiteralScalarString | FoldedScalarString)


def split_end_of_line(text: str) -> tuple[str, str]:
    """A comment token's text: its end-of-line part (with the newline) and the full lines after it."""
    cut = text.find("\n")
    return (text, "") if cut < 0 else (text[: cut + 1], text[cut + 1 :])


def split_deeper(lines: str, column: int | None) -> tuple[str, str]:
    """Full comment lines: those indented deeper than ``column`` up to the last such one, and the rest after them."""
    if column is None:
        return "", lines
    rows = lines.splitlines(keepends=True)
    cut = len(rows)
    while cut > 0 and (not rows[cut - 1].strip() or len(rows[cut - 1]) - len(rows[cut - 1].lstrip(" ")) <= column):
        cut -= 1
    return "".join(rows[:cut]), "".join(rows[cut:])


def take_lines_after(node: CommentedMap, key: Any, column: int | None = None) -> tuple[str, Any] | None:
    """The full comment lines (and blank lines) between ``node[key]`` and the next key, taken out.

    With ``column`` (the next key's), lines indented deeper than it stay: they belong to the value above.
    """
    return take_from(value_slot(node, key), column)


def take_trailing(node: Any) -> tuple[str, Any] | None:
    slot = trailing_slot(node)
    return None if slot is None else take_from(slot)


def take_from(slot: Slot, column: int | None = None) -> tuple[str, Any] | None:
    owner, key, index = slot
    slots = owner.ca.items.get(key)
    token = slots[index] if slots is not None and len(slots) > index else None
    if token is None:
        return None
    end_of_line, rest = ("", token.value) if ends_its_line(slot) else split_end_of_line(token.value)
    stays, rest = split_deeper(rest, column)
    if not rest:
        return None
    token.value = end_of_line + stays
    if not token.value:
        slots[index] = None
    return rest, token


def give_trailing(node: Any, rest: str, template: Any) -> None:
    slot = trailing_slot(node)
    if slot is None:  # pragma: no cover - a reordered mapping has keys
        return
    give_to(slot, rest, template)


def give_to(slot: Slot, rest: str, template: Any) -> None:
    owner, key, index = slot
    slots = comment_slots(owner, key, index)
    token = slots[index]
    rest = flush_left(rest)
    if token is None:
        token = copy.copy(template)
        token.value = rest if ends_its_line(slot) else "\n" + rest
        slots[index] = token
    else:
        token.value = token.value + ("" if token.value.endswith("\n") or not token.value else "\n") + rest


# --- proving that nothing was lost ------------------------------------------------------


def comment_lines(text: str) -> Counter[str]:
    """Every comment in ``text`` (stripped, one per line), found in the text itself.

    A comment starts at a ``#`` at the start of a line or after a space or tab, outside every
    scalar (a ``#`` in quoted text or in a ``|`` block is text). The scalars are located by the
    parser ``check`` uses, never by the round trip that rewrites the file, so a comment the round
    trip drops is missed. Raises :class:`NotYaml` when the text does not parse.
    """
    lines = normalise_line_ends(text.lstrip("\ufeff")).split("\n")
    with_hash = {number for number, line in enumerate(lines) if "#" in line}
    found: Counter[str] = Counter()
    if not with_hash:
        return found
    covered = _scalar_spans("\n".join(lines), with_hash)
    for number in sorted(with_hash):
        col = comment_start(lines[number], covered.get(number, []))
        if col is not None:
            found[lines[number][col:].strip()] += 1
    return found


def comment_start(line: str, scalars: list[tuple[int, int]]) -> int | None:
    """The column of the ``#`` that starts a comment on ``line`` (at its start or after a space or tab,
    outside the column ranges of ``scalars``), or None."""
    col = line.find("#")
    while col >= 0:
        if (col == 0 or line[col - 1] in " \t") and not any(start <= col < end for start, end in scalars):
            return col
        col = line.find("#", col + 1)
    return None


def _scalar_spans(text: str, wanted: set[int]) -> dict[int, list[tuple[int, int]]]:
    """For each line in ``wanted`` (0-based), the column ranges covered by scalars."""
    try:
        root = YAML(typ="safe", pure=not HAVE_LIBYAML).compose(io.StringIO(text))
    except YAMLError as exc:
        raise NotYaml(str(exc)) from exc
    spans: dict[int, list[tuple[int, int]]] = {}
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, ScalarNode):
            start, end = (node.start_mark.line, node.start_mark.column), (node.end_mark.line, node.end_mark.column)
            if node.style in ("|", ">"):  # the header line holds only the indicator and perhaps a comment
                start = (start[0] + 1, 0)
            for number in wanted.intersection(range(start[0], end[0] + 1)):
                first = start[1] if number == start[0] else 0
                last = end[1] if number == end[0] else NO_WRAP
                spans.setdefault(number, []).append((first, last))
    return spans


def data_of(path: str, text: str) -> object:
    """What a file says, with key order, quoting and number spelling left out; ``None`` if it does not parse."""
    root, problems = parse_yaml(path, text.lstrip("\ufeff"))
    if problems:
        return None
    return _plain(root) if root is not None else None


def same_data(path: str, before: str, after: str) -> bool:
    """Both texts parse and say the same (an empty file says nothing)."""
    sides = [parse_yaml(path, text.lstrip("\ufeff")) for text in (before, after)]
    if any(problems for _root, problems in sides):
        return False
    said = [_plain(root) if root is not None else None for root, _problems in sides]
    return said[0] == said[1]


def _plain(node: YNode) -> object:
    if isinstance(node, YMap):
        return {key.text: _plain(value) for key, value in node.items}
    if isinstance(node, YSeq):
        return [_plain(item) for item in node.items]
    return _scalar(node)


def _scalar(node: YScalar) -> object:
    if node.tag == TAG_NULL:
        return None
    if node.tag == TAG_BOOL:
        return node.text.lower() == "true"
    if node.tag in (TAG_INT, TAG_FLOAT):
        try:
            return (node.tag, Decimal(node.text.replace("_", "")))
        except InvalidOperation:
            return (node.tag, node.text)
    return (node.tag, node.text)
