"""YAML text → the node tree of :mod:`kaohe.content.yamlnodes`, from libyaml's events, every bound checked as it grows.

The tree is built from the parser's events without recursion, so that the bounds
of :mod:`kaohe.content.limits` (nesting depth, values, aliases, text length) are
checked while the text is read: a file over one stops with one diagnostic at the
place it crossed it. Aliases stand for their anchor's node itself (shared, never
copied); one that stands inside its own anchor is a cycle. Tags are resolved as
YAML 1.2 does it (as ruamel resolves it), once per distinct plain text.

Only :func:`kaohe.content.yamlnodes.parse_yaml` imports this module, when a file
has to be parsed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
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

from kaohe.collector import collector_paused
from kaohe.content.limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_REPEATED, MAX_TEXT_CHARS, PRECOUNT_BYTES
from kaohe.content.schema import SHAPES
from kaohe.content.yamlnodes import (
    HAVE_LIBYAML,
    TAG_STR,
    YMap,
    YNode,
    YScalar,
    YSeq,
    clamped,
    report_rest,
)
from kaohe.errors import Diagnostic, Pos, error


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

    def feed(self, events: Iterable[Any]) -> YNode | None:
        handlers = HANDLERS
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(self, event)
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


# Unbound, so that a builder holds no reference to itself: it and the nodes it made go as soon
# as the loader is done with them, not at the next run of the cycle collector.
HANDLERS: dict[type, Callable[[_Builder, Any], None]] = {
    ScalarEvent: _Builder.scalar,
    MappingStartEvent: _Builder.start,
    SequenceStartEvent: _Builder.start,
    MappingEndEvent: _Builder.end,
    SequenceEndEvent: _Builder.end,
    AliasEvent: _Builder.alias,
    DocumentStartEvent: _Builder.document_start,
}


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


COUNTED_EVENTS = (ScalarEvent, MappingStartEvent, SequenceStartEvent, AliasEvent)  # one value each


def precount(text: str) -> None:
    """Refuse a file of more than MAX_NODES values before any node is built (aliases count one here).

    Only for files over :data:`~kaohe.content.limits.PRECOUNT_BYTES`: reading the events alone is
    some five times faster than building from them, and keeps nothing. The builder still counts
    every value as it grows (an alias as a copy), so nothing slips through a file counted here.
    """
    with _event_stream(text) as events:
        counted = 0
        for event in events:
            if type(event) in COUNTED_EVENTS:
                counted += 1
                if counted > MAX_NODES:
                    too_many_values(event.start_mark)


@contextmanager
def _event_stream(text: str) -> Iterator[Iterable[Any]]:
    """The parser's events: libyaml's parser read directly (no generator between it and the builder), else ruamel's."""
    if HAVE_LIBYAML:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml's, as ruamel's own loaders use it

        parser = CParser(io.StringIO(text))
        try:
            yield iter(parser.get_event, None)
        finally:
            parser.dispose()
    else:
        with closing(YAML(typ="safe", pure=True).parse(io.StringIO(text))) as events:
            yield events


KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?\{?\s*([a-z_]+):(?=[^\s])")
KEY_FULL_WIDTH_COLON = re.compile(r"(?:^|[\s{,，])([a-z_]+)\s*：")  # date：…
FIELDS_FULL_WIDTH_COMMA = re.compile(r"，\s*([a-z_]+)\s*[:：]")  # …，community: c1 inside { }
CONTENT_KEYS = frozenset(name for shape in SHAPES.values() for name in shape.names)  # only these are taken for keys
COLON_IN_VALUE = re.compile(r"(?:^|[\s{,])([a-z_]+): +[^\s\"'{\[|>][^\"']*?: ")  # note: 整改期限: 7日内
SPECIAL_START = re.compile(r"(?:^|[\s{,])([a-z_]+): +([*&!%@`])")  # note: * 见照片 (an alias, a tag, …)
INDENTATION_TROUBLE = ("mapping values are not allowed", "expected '-' indicator", "expected <block end>")


def syntax_hint(text: str, line: int, problem: str) -> str:
    """What a clerk most likely typed, for a YAML syntax error at ``line`` (the parser often notices a line late).

    A full-width colon or comma from a Chinese keyboard, a tab, a missing space after a colon, or else
    the indentation; "" when none of these fits.
    """
    lines = text.splitlines()
    suspects = [(n, lines[n - 1]) for n in (line - 1, line) if 0 < n <= len(lines)]
    for n, content in suspects:
        colon = next((m for m in KEY_FULL_WIDTH_COLON.finditer(content) if m.group(1) in CONTENT_KEYS), None)
        if colon:
            return f" (line {n} has a full-width colon after '{colon.group(1)}': write ':' followed by a space)"
    for n, content in suspects:
        if any(m.group(1) in CONTENT_KEYS for m in FIELDS_FULL_WIDTH_COMMA.finditer(content)):
            return f" (line {n} has a full-width comma '，' between fields: write ', ')"
    for n, content in suspects:
        if "\t" in content[: len(content) - len(content.lstrip())]:
            return f" (line {n} is indented with a tab: indent with spaces)"
    for n, content in suspects:
        found = KEY_WITHOUT_SPACE.match(content)
        if found and found.group(1) in CONTENT_KEYS:
            return f" (line {n}: write a space after '{found.group(1)}:')"
    for n, content in suspects:
        found = COLON_IN_VALUE.search(content)
        if found and found.group(1) in CONTENT_KEYS and "mapping values are not allowed" in problem:
            return (
                f" (line {n}: the text of '{found.group(1)}' holds ': ', which YAML reads as a new key:"
                " put the text in quotes, or write the full-width '：')"
            )
        found = SPECIAL_START.search(content)
        if found and found.group(1) in CONTENT_KEYS:
            return f" (line {n}: a text starting with '{found.group(2)}' must be in quotes: {found.group(1)}: \"{found.group(2)}…\")"
    if any(trouble in problem for trouble in INDENTATION_TROUBLE):
        return f" (check the indentation of line {line} and the line above: the fields of one entry start in the same column)"
    return ""


def build_tree(path: str, text: str) -> tuple[YNode | None, list[Diagnostic]]:
    """The tree of ``text`` (no conflict markers, within the size bound) and the problems found reading it."""
    builder = _Builder(path)
    try:
        if (
            HAVE_LIBYAML
            and len(text) * 4 > PRECOUNT_BYTES
            and len(text.encode("utf-8", "surrogatepass")) > PRECOUNT_BYTES
        ):
            precount(text)
        with collector_paused(), _event_stream(text) as events:
            root = builder.feed(events)
    except MarkedYAMLError as exc:
        what = " ".join(p for p in (exc.problem, exc.context and f"({exc.context})") if p)
        pos = _mark_pos(path, text, exc.problem_mark or exc.context_mark)
        return None, [error(pos, f"malformed YAML: {what or exc}{syntax_hint(text, pos.line, what)}")]
    except LimitExceeded as exc:
        return None, [error(_mark_pos(path, text, exc.mark), exc.message)]
    except YAMLError as exc:
        return None, [error(Pos(path), f"malformed YAML: {exc}")]
    return root, builder.problems
