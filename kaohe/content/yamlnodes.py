"""YAML text → a small tree of nodes that remember where they stand.

The tree keeps every scalar's source text, so amounts become ``Decimal`` from
what the clerk typed, never through ``float``. Nothing is guessed here beyond
YAML's own tag resolution; typing happens in :mod:`kaohe.content.load`.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kaohe.errors import Diagnostic, Pos, error

# libyaml's parser (ruamel.yaml.clib) composes several times faster than the pure one
HAVE_LIBYAML = importlib.util.find_spec("_ruamel_yaml") is not None

TAG_NULL = "tag:yaml.org,2002:null"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_INT = "tag:yaml.org,2002:int"
TAG_FLOAT = "tag:yaml.org,2002:float"
TAG_STR = "tag:yaml.org,2002:str"
TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class YScalar:
    text: str
    tag: str
    pos: Pos
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return self.tag == TAG_NULL


@dataclass(frozen=True)
class YSeq:
    items: tuple[YNode, ...]
    pos: Pos


@dataclass(frozen=True)
class YMap:
    items: tuple[tuple[YScalar, YNode], ...]
    pos: Pos
    keys: dict[str, YScalar] = field(default_factory=dict, compare=False)
    values: dict[str, YNode] = field(default_factory=dict, compare=False)

    def get(self, key: str) -> YNode | None:
        return self.values.get(key)


YNode = YScalar | YSeq | YMap


def _pos(path: str, node: Node) -> Pos:
    mark = node.start_mark
    return Pos(path, mark.line + 1, mark.column + 1)


def _convert(path: str, node: Node, problems: list[Diagnostic]) -> YNode:
    if isinstance(node, ScalarNode):
        tag = node.tag if isinstance(node.tag, str) else str(getattr(node.tag, "value", node.tag))
        return YScalar(str(node.value), tag, _pos(path, node), quoted=node.style in ("'", '"'))
    if isinstance(node, SequenceNode):
        return YSeq(tuple(_convert(path, child, problems) for child in node.value), _pos(path, node))
    if isinstance(node, MappingNode):
        return _convert_map(path, node, problems)
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - ruamel has no other kinds


def _convert_map(path: str, node: MappingNode, problems: list[Diagnostic]) -> YMap:
    items: list[tuple[YScalar, YNode]] = []
    keys: dict[str, YScalar] = {}
    values: dict[str, YNode] = {}
    for key_node, value_node in node.value:
        key = _convert(path, key_node, problems)
        value = _convert(path, value_node, problems)
        if not isinstance(key, YScalar):
            problems.append(error(key.pos, "a key must be plain text"))
            continue
        if key.text in keys:
            first = keys[key.text].pos
            problems.append(error(key.pos, f"duplicate key '{key.text}' (first at line {first.line})"))
            continue
        items.append((key, value))
        keys[key.text] = key
        values[key.text] = value
    return YMap(tuple(items), _pos(path, node), keys, values)


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


def parse_yaml(path: str, text: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one YAML document; syntax errors become diagnostics at their mark.

    A file with merge conflict markers is not parsed: each marker is reported at its own line.
    """
    problems = conflict_markers(path, text)
    if problems:
        return None, problems
    yaml = YAML(typ="safe", pure=not HAVE_LIBYAML)
    try:
        root = yaml.compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(p for p in (exc.problem, exc.context and f"({exc.context})") if p)
        problems.append(error(Pos(path, line, col), f"malformed YAML: {what or exc}"))
        return None, problems
    except YAMLError as exc:
        problems.append(error(Pos(path), f"malformed YAML: {exc}"))
        return None, problems
    if root is None:
        return None, problems
    return _convert(path, root, problems), problems
