"""YAML text → a small tree of nodes that remember where they stand.

The tree keeps every scalar's source text, so amounts become ``Decimal`` from
what the clerk typed, never through ``float``. Nothing is guessed here beyond
YAML's own tag resolution (YAML 1.2, as ruamel resolves it); typing happens in
:mod:`kaohe.content.load`.

This module holds the nodes and what is checked before a file is parsed (merge
conflict markers, the size bound); :mod:`kaohe.content.yamlbuild` parses, and
checks the other bounds of :mod:`kaohe.content.limits` while the tree grows.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kaohe.content.limits import MAX_FILE_BYTES, MAX_REPEATED
from kaohe.errors import Diagnostic, Pos, error

# libyaml's parser (ruamel.yaml.clib) parses several times faster than the pure one
HAVE_LIBYAML = importlib.util.find_spec("_ruamel_yaml") is not None

TAG_NULL = "tag:yaml.org,2002:null"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_INT = "tag:yaml.org,2002:int"
TAG_FLOAT = "tag:yaml.org,2002:float"
TAG_STR = "tag:yaml.org,2002:str"
TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class YScalar(NamedTuple):
    """A scalar: its source text, its resolved tag, where it stands (a named tuple: most values are scalars)."""

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


def parse_yaml(path: str, text: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one YAML document; syntax errors and crossed bounds become diagnostics at their mark.

    A file with merge conflict markers is not parsed: each marker is reported at its own line.
    A file over a bound of :mod:`kaohe.content.limits` gives one error, where it crossed it
    (a text too long is reported and the file read on). Every position lies inside ``text``.
    The parser itself (:mod:`kaohe.content.yamlbuild`, and ruamel.yaml with it) is imported
    only when a file is parsed: a ``check`` whose files all come from the parse cache never loads it.
    """
    problems = conflict_markers(path, text)
    if problems:
        return None, problems
    oversize = size_problem(path, text)
    if oversize is not None:
        return None, [oversize]
    from kaohe.content.yamlbuild import build_tree

    return build_tree(path, text)
