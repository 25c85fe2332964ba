"""YAML text → a small tree of nodes that remember where they stand.

The tree keeps every scalar's source text, so amounts become ``Decimal`` from
what the clerk typed, never through ``float``. Nothing is guessed here beyond
YAML's own tag resolution (YAML 1.2, as ruamel resolves it); typing happens in
:mod:`kaohe.content.load`.

The tree is built here from the parser's events, without recursion, so that the
bounds of :mod:`kaohe.content.limits` (size, nesting depth, values, aliases, text
length) are checked while the text is read: a file over one stops with one
diagnostic at the place it crossed it. Aliases stand for their anchor's node
itself (shared, never copied); one that stands inside its own anchor is a cycle.
"""

from __future__ import annotations

import gc
import importlib.util
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.resolver import VersionedResolver

from kaohe.content.limits import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_REPEATED, MAX_TEXT_CHARS
from kaohe.errors import Diagnostic, Pos, error

# libyaml's parser (ruamel.yaml.clib) parses several times faster than the pure one
HAVE_LIBYAML = importlib.util.find_spec("_ruamel_yaml") is not None

TAG_NULL = "tag:yaml.org,2002:null"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_INT = "tag:yaml.org,2002:int"
TAG_FLOAT = "tag:yaml.org,2002:float"
TAG_STR = "tag:yaml.org,2002:str"
TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True, slots=True)
class YScalar:
    text: str
    tag: str
    pos: Pos
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return self.tag == TAG_NULL


@dataclass(frozen=True, slots=True)
class YSeq:
    items: tuple[YNode, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class YMap:
    items: tuple[tuple[YScalar, YNode], ...]
    pos: Pos
    keys: dict[str, YScalar] = field(default_factory=dict, compare=False)
    values: dict[str, YNode] = field(default_factory=dict, compare=False)

    def get(self, key: str) -> YNode | None:
        return self.values.get(key)


YNode = YScalar | YSeq | YMap


# --- positions --------------------------------------------------------------------------

# the line breaks YAML (and libyaml's marks) count
YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML counts them; a final line break starts no further line."""
    lines = YAML_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def clamped(path: str, text: str, line: int, col: int) -> Pos:
    """``line``:``col`` (1-based) moved inside ``text``: at most its last line, at most one past that line's end.

    A parser reports the end of a truncated file one line past its last; the diagnostic belongs on the last.
    """
    lines = text_lines(text)
    if line > len(lines):  # past the end: at the end
        line, col = len(lines), len(lines[-1]) + 1
    line = max(line, 1)
    return Pos(path, line, min(max(col, 1), len(lines[line - 1]) + 1))


def _mark_pos(path: str, text: str, mark: Any) -> Pos:
    if mark is None:
        return clamped(path, text, 1, 1)
    return clamped(path, text, mark.line + 1, mark.column + 1)


# --- tag resolution ---------------------------------------------------------------------


def _implicit_table() -> tuple[dict[str, list[tuple[str, re.Pattern[str]]]], list[tuple[str, re.Pattern[str]]]]:
    """ruamel's YAML 1.2 implicit resolvers by a plain scalar's first character, and those for any character."""
    table: dict[Any, list[tuple[str, Any]]] = VersionedResolver().versioned_resolver
    compiled = {first: [(tag, re.compile(p.pattern, p.flags)) for tag, p in rules] for first, rules in table.items()}
    anywhere = compiled.get(None, [])
    return {str(first): rules + anywhere for first, rules in compiled.items() if first is not None}, anywhere


IMPLICIT, IMPLICIT_ANYWHERE = _implicit_table()


def resolve_tag(value: str, tag: Any, implicit: tuple[bool, bool]) -> str:
    """A scalar's tag: the explicit one, else what a plain scalar's text reads as, else ``str``."""
    if tag is not None and str(tag) != "!":
        return str(tag)
    if implicit[0]:
        for resolved, pattern in IMPLICIT.get(value[:1], IMPLICIT_ANYWHERE):
            if pattern.match(value):
                return resolved
    return TAG_STR


# --- building the tree ------------------------------------------------------------------


QUOTED = ("'", '"')


class LimitExceeded(Exception):
    """A bound of :mod:`kaohe.content.limits` crossed at ``mark``: the file is not read further."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def too_many_values(mark: Any) -> NoReturn:
    message = f"more than {MAX_NODES:,} values in one file (an alias counts as a copy of what it stands for)"
    raise LimitExceeded(mark, message)


@dataclass
class _Open:
    """A list or mapping whose items are still being read."""

    mapping: bool
    pos: Pos
    anchor: str | None
    children: list[YNode] = field(default_factory=list)
    weight: int = 1  # values inside, itself included, aliases counted as copies
    height: int = 1  # lists and mappings nested inside, itself included


@dataclass(frozen=True)
class _Anchored:
    node: YNode
    weight: int
    height: int


class _Builder:
    """Events → nodes, one event at a time, with every bound checked as the tree grows."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Anchored | _Open] = {}
        self.plain: dict[str, tuple[str, str]] = {}  # a plain scalar's text → (one shared copy, its tag)
        self.root: YNode | None = None
        self.document: Any = None  # the first document's start event
        self.nodes = 0
        self.aliases = 0
        self.handlers: dict[type, Callable[[Any], None]] = {
            ScalarEvent: self.scalar,
            MappingStartEvent: self.start,
            SequenceStartEvent: self.start,
            MappingEndEvent: self.end,
            SequenceEndEvent: self.end,
            AliasEvent: self.alias,
            DocumentStartEvent: self.document_start,
        }

    def feed(self, events: Iterable[Any]) -> YNode | None:
        handlers = self.handlers
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        return self.root

    def pos(self, mark: Any) -> Pos:
        return Pos(self.path, mark.line + 1, mark.column + 1)

    def document_start(self, event: Any) -> None:
        if self.document is not None:
            raise ComposerError(
                "expected a single document in the stream",
                self.document.start_mark,
                "but found another document",
                event.start_mark,
            )
        self.document = event

    def count(self, mark: Any, weight: int) -> None:
        self.nodes += weight
        if self.nodes > MAX_NODES:  # one comparison per value: the tree never outgrows the bound
            too_many_values(mark)

    def scalar(self, event: Any) -> None:
        """The hot path (most values are scalars): a plain text's tag is resolved once per distinct text."""
        self.nodes += 1
        mark = event.start_mark
        if self.nodes > MAX_NODES:
            too_many_values(mark)
        value: str = event.value
        if event.tag is None and not event.style:  # plain, untagged: the text alone decides the tag
            known = self.plain.get(value)
            if known is None:
                known = self.plain[value] = (value, resolve_tag(value, None, event.implicit))
            text, tag = known
        else:
            text, tag = value, resolve_tag(value, event.tag, event.implicit)
        node = YScalar(text, tag, Pos(self.path, mark.line + 1, mark.column + 1), event.style in QUOTED)
        if len(text) > MAX_TEXT_CHARS:
            message = f"a text of {len(text):,} characters: at most {MAX_TEXT_CHARS:,} are allowed"
            self.problems.append(error(node.pos, message))
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchored(node, 1, 0)
        if self.stack:
            parent = self.stack[-1]
            parent.children.append(node)
            parent.weight += 1
        else:
            self.root = node

    def start(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise LimitExceeded(event.start_mark, f"lists and mappings nested more than {MAX_DEPTH} deep")
        self.count(event.start_mark, 1)
        opened = _Open(isinstance(event, MappingStartEvent), self.pos(event.start_mark), event.anchor)
        if event.anchor is not None:
            self.anchors[event.anchor] = opened
        self.stack.append(opened)

    def end(self, _event: Any) -> None:
        done = self.stack.pop()
        node = _mapping(done, self.problems) if done.mapping else YSeq(tuple(done.children), done.pos)
        if done.anchor is not None and self.anchors.get(done.anchor) is done:
            self.anchors[done.anchor] = _Anchored(node, done.weight, done.height)
        self.attach(node, done.weight, done.height)

    def alias(self, event: Any) -> None:
        name: str = event.anchor
        target = self.anchors.get(name)
        if target is None:
            raise ComposerError(None, None, f"found undefined alias '{name}'", event.start_mark)
        if isinstance(target, _Open):
            raise LimitExceeded(event.start_mark, f"alias *{name} stands inside its own anchor &{name} (a cycle)")
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise LimitExceeded(event.start_mark, f"more than {MAX_ALIASES} aliases (*{name}) in one file")
        if len(self.stack) + target.height > MAX_DEPTH:
            raise LimitExceeded(event.start_mark, f"alias *{name} nests lists and mappings more than {MAX_DEPTH} deep")
        self.count(event.start_mark, target.weight)
        self.attach(target.node, target.weight, target.height)

    def attach(self, node: YNode, weight: int, height: int) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        parent.children.append(node)
        parent.weight += weight
        if height >= parent.height:
            parent.height = height + 1


def _mapping(done: _Open, problems: list[Diagnostic]) -> YMap:
    items: list[tuple[YScalar, YNode]] = []
    keys: dict[str, YScalar] = {}
    values: dict[str, YNode] = {}
    children = done.children
    not_text: list[YNode] = []
    repeated: list[YScalar] = []
    for index in range(0, len(children) - 1, 2):
        key, value = children[index], children[index + 1]
        if not isinstance(key, YScalar):
            not_text.append(key)
        elif key.text in keys:
            repeated.append(key)
        else:
            items.append((key, value))
            keys[key.text] = key
            values[key.text] = value
    problems.extend(error(key.pos, "a key must be plain text") for key in not_text[:MAX_REPEATED])
    report_rest(problems, not_text, "keys that are not plain text")
    for key in repeated[:MAX_REPEATED]:
        problems.append(error(key.pos, f"duplicate key '{key.text}' (first at line {keys[key.text].pos.line})"))
    report_rest(problems, repeated, "duplicate keys")
    return YMap(tuple(items), done.pos, keys, values)


def report_rest(problems: list[Diagnostic], found: Sequence[YNode], what: str) -> None:
    """After the first :data:`~kaohe.content.limits.MAX_REPEATED` of ``found`` (reported), one error counting the rest."""
    if len(found) > MAX_REPEATED:
        rest = len(found) - MAX_REPEATED
        problems.append(
            error(found[MAX_REPEATED].pos, f"{rest:,} more {what} here and after (the first {MAX_REPEATED} are listed)")
        )


# --- whole files ------------------------------------------------------------------------

# what git leaves in a file when a merge conflicts: 7 marker characters at column 1, then the end or a space
CONFLICT_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?: |$)")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
CONFLICT_MESSAGE = (
    "merge conflict marker: resolve the merge (keep one side) and delete the <<<<<<<, ======= and >>>>>>> lines"
)


def conflict_markers(path: str, text: str) -> list[Diagnostic]:
    """An error at every merge conflict marker line (``<<<<<<< HEAD``, ``|||||||``, ``=======``, ``>>>>>>> b``)."""
    if not any(marker * 7 in text for marker in "<|=>"):
        return []
    return [
        error(Pos(path, number, 1), CONFLICT_MESSAGE)
        for number, line in enumerate(LINE_BREAK.split(text.lstrip("\ufeff")), start=1)
        if CONFLICT_MARKER.match(line)
    ]


def too_large_message(size: int, exact: bool = True) -> str:
    """The one wording of a file over :data:`~kaohe.content.limits.MAX_FILE_BYTES`."""
    amount = f"{size:,} bytes" if exact else f"more than {MAX_FILE_BYTES:,} bytes"
    return (
        f"the file is {amount}; a content file may have at most {MAX_FILE_BYTES:,} bytes "
        f"({MAX_FILE_BYTES // (1024 * 1024)} MiB): split it or remove what does not belong"
    )


def size_problem(path: str, text: str) -> Diagnostic | None:
    """An error at 1:1 when ``text`` is more than :data:`~kaohe.content.limits.MAX_FILE_BYTES` bytes of UTF-8."""
    if len(text) * 4 <= MAX_FILE_BYTES:  # no character takes more than 4 bytes
        return None
    if text.isascii():
        size: int | None = len(text)
    else:
        size = len(text.encode("utf-8", "surrogatepass")) if len(text) <= MAX_FILE_BYTES else None
    if size is not None and size <= MAX_FILE_BYTES:
        return None
    return error(Pos(path), too_large_message(size or 0, exact=size is not None))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The tree holds no reference cycles: collecting while it grows only costs time (a quarter of it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _events(text: str) -> Any:
    return YAML(typ="safe", pure=not HAVE_LIBYAML).parse(io.StringIO(text))


def parse_yaml(path: str, text: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one YAML document; syntax errors and crossed bounds become diagnostics at their mark.

    A file with merge conflict markers is not parsed: each marker is reported at its own line.
    A file over a bound of :mod:`kaohe.content.limits` gives one error, where it crossed it
    (a text too long is reported and the file read on). Every position lies inside ``text``.
    """
    problems = conflict_markers(path, text)
    if problems:
        return None, problems
    oversize = size_problem(path, text)
    if oversize is not None:
        return None, [oversize]
    builder = _Builder(path)
    try:
        with _no_cycle_collection(), closing(_events(text)) as events:
            root = builder.feed(events)
    except MarkedYAMLError as exc:
        what = " ".join(p for p in (exc.problem, exc.context and f"({exc.context})") if p)
        pos = _mark_pos(path, text, exc.problem_mark or exc.context_mark)
        return None, [error(pos, f"malformed YAML: {what or exc}")]
    except LimitExceeded as exc:
        return None, [error(_mark_pos(path, text, exc.mark), exc.message)]
    except YAMLError as exc:
        return None, [error(Pos(path), f"malformed YAML: {exc}")]
    return root, builder.problems
