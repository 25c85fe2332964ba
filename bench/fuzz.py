"""Fuzz the pipeline with mutated copies of the sample content: no traceback, every diagnostic positioned.

    PYTHONPATH=. python bench/fuzz.py --cases 10000 --seed 1 [--jobs 2] [--keep DIR]
    PYTHONPATH=. python bench/fuzz.py --show 17 --seed 1       # the mutations of case 17 of seed 1
    PYTHONPATH=. python bench/fuzz.py --replay tests/data/fuzz/*/  # re-run kept failures

Each case copies ``content/`` and applies 1–3 mutations to it, text- and YAML-aware:
deleted keys, values of the wrong type, typos in ids and keys, random dates and
numbers, duplicated and deleted entries and keys, deleted, copied, renamed and
new files, byte flips (invalid UTF-8, NUL), truncations, CRLF, BOM, tabs, YAML
syntax (anchors, tags, documents) and, in the full profile, bombs (aliases,
deep nesting, long values). Case ``i`` of seed ``s`` is always the same (for the
same sample content). Every mutation is one concrete :class:`Op` (a byte splice
or a file operation), so a case can be replayed, shrunk and stored.

A case fails when :func:`kaohe.pipeline.run` raises, runs out of time or memory,
kills its process, or yields a diagnostic whose position is not in its file: the
path must be a content file (or a file the pipeline asked for that is missing,
at 1:1), the line must exist in the file's text (lines broken the way YAML or an
editor breaks them) and the column must be on that line or just after its end.

Cases run in worker processes (``--jobs``), each capped at ``--memory-mb`` of
address space; a case that crashes its worker is recorded, and the worker
replaced. A failure is shrunk (fewer mutations, smaller changes) and, with
``--keep``, the first of each kind is written as a fixture: the files it changes,
a ``deleted`` list and a one-line ``README`` (see tests/data/fuzz/README.md).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import multiprocessing.connection
import random
import re
import resource
import signal
import statistics
import sys
import threading
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from types import FrameType
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from kaohe.content.source import decode_utf8
from kaohe.errors import Diagnostic
from kaohe.pipeline import run

TOOL_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = TOOL_ROOT / "content"
TIME_LIMIT = 10.0  # seconds of CPU per case (a loaded machine stretches wall time, never CPU time)
MEMORY_MB = 2048  # address space per worker process
BOM = b"\xef\xbb\xbf"

Files = dict[str, bytes]


# --- the content under test --------------------------------------------------------------


def load_base(content: Path = SAMPLE_CONTENT) -> Files:
    """Every file below ``content`` as bytes, keyed ``content/...`` (POSIX, relative to the project root)."""
    root = content.parent
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


class FuzzSource:
    """A content source over bytes, decoded as the working tree decodes files; remembers what was asked for."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = dict(files)
        self.asked: set[str] = set()

    def read_text(self, relpath: str) -> str | None:
        self.asked.add(relpath)
        data = self.files.get(relpath)
        return None if data is None else decode_utf8(relpath, data)

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        return sorted(p for p in self.files if str(PurePosixPath(p).parent) == reldir and p.endswith(suffix))


# --- one concrete change -----------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One change to the files: replace bytes ``start:end`` of ``path`` by ``data``, or delete, copy, rename a file.

    An op applies to whatever files it meets (offsets are clamped; a missing file is
    skipped), so any subset of a case's ops is a case too: that is how cases shrink.
    """

    label: str  # the mutation that made it, e.g. "typo-id"
    action: str  # "splice" | "write" | "delete" | "copy" | "rename"
    path: str
    start: int = 0
    end: int = 0
    data: bytes = b""
    target: str = ""  # the new path of "copy" and "rename"

    def apply(self, files: Files) -> None:
        if self.action == "write":
            files[self.path] = self.data
            return
        old = files.get(self.path)
        if old is None:
            return
        if self.action == "splice":
            start = min(self.start, len(old))
            end = min(max(self.end, start), len(old))
            files[self.path] = old[:start] + self.data + old[end:]
        elif self.action == "delete":
            del files[self.path]
        elif self.action == "copy":
            files[self.target] = old
        elif self.action == "rename":
            del files[self.path]
            files[self.target] = old

    def describe(self) -> str:
        if self.action == "splice":
            shown = self.data if len(self.data) <= 40 else self.data[:30] + b"..." + self.data[-7:]
            return f"{self.label}: {self.path} bytes {self.start}:{self.end} -> {shown!r} ({len(self.data)} bytes)"
        if self.action == "delete":
            return f"{self.label}: delete {self.path}"
        if self.action == "write":
            return f"{self.label}: write {self.path} ({self.data[:40]!r})"
        return f"{self.label}: {self.action} {self.path} -> {self.target}"


def apply_ops(base: Mapping[str, bytes], ops: Sequence[Op]) -> Files:
    files = dict(base)
    for op in ops:
        op.apply(files)
    return files


def tighten(op: Op, files: Mapping[str, bytes]) -> Op:
    """The same splice with the bytes it leaves unchanged at either end trimmed off (smaller, same effect)."""
    old = files.get(op.path)
    if op.action != "splice" or old is None:
        return op
    start, end = min(op.start, len(old)), min(max(op.end, op.start), len(old))
    cut, data = old[start:end], op.data
    head = 0
    while head < min(len(cut), len(data)) and cut[head] == data[head]:
        head += 1
    tail = 0
    while tail < min(len(cut), len(data)) - head and cut[-1 - tail] == data[-1 - tail]:
        tail += 1
    return replace(op, start=start + head, end=end - tail, data=data[head : len(data) - tail])


# --- YAML-aware sites ----------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A value in a YAML file: a mapping's value (``key`` set) or a sequence item, with its span in characters."""

    key: str  # the mapping key of this value; "" for a sequence item
    parent: str  # the key of the collection holding it ("entries", "staff", ...); "" at the top
    kind: str  # "scalar" | "seq" | "map"
    start: int
    end: int
    key_start: int  # where the key starts; == start for sequence items
    key_end: int
    flow: bool  # in a flow collection ({...} or [...])
    item: bool  # a sequence item
    text: str  # a scalar's text


def _kind(node: Any) -> str:
    if isinstance(node, MappingNode):
        return "map"
    if isinstance(node, SequenceNode):
        return "seq"
    return "scalar"


@lru_cache(maxsize=256)
def sites_of(text: str) -> tuple[Site, ...] | None:
    """Every value in ``text`` (each aliased node once), or ``None`` when it is not YAML we can walk."""
    if len(text) > 2_000_000 or text.count("[") + text.count("{") > 2000 or text.count("*") > 2000:
        return None  # the composer itself must not be the one to choke (libyaml overflows its stack when deep)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            root = YAML(typ="safe", pure=False).compose(io.StringIO(text))
    except Exception:
        return None
    if root is None:
        return None
    sites: list[Site] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        flow = bool(node.flow_style) if not isinstance(node, ScalarNode) else False
        if isinstance(node, MappingNode):
            for knode, vnode in node.value:
                name = str(knode.value) if isinstance(knode, ScalarNode) else ""
                sites.append(
                    _site(vnode, name, key, flow, False, int(knode.start_mark.index), int(knode.end_mark.index))
                )
                stack.append((vnode, name))
        elif isinstance(node, SequenceNode):
            for vnode in node.value:
                start = int(vnode.start_mark.index)
                sites.append(_site(vnode, "", key, flow, True, start, start))
                stack.append((vnode, key))
    sites.sort(key=lambda s: (s.start, s.end))
    return tuple(sites)


def _site(node: Any, key: str, parent: str, flow: bool, item: bool, key_start: int, key_end: int) -> Site:
    text = str(node.value) if isinstance(node, ScalarNode) else ""
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    return Site(key, parent, _kind(node), start, end, key_start, key_end, flow, item, text)


def line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def block_end(text: str, end: int) -> int:
    """Where a block value ending at ``end`` really ends: the start of the line after it."""
    if text[line_start(text, end) : end].strip() == "":
        return line_start(text, end)  # the mark stands in the indentation of a later line
    newline = text.find("\n", end)
    rest = text[end:] if newline < 0 else text[end:newline]
    if rest.strip() == "" or rest.lstrip().startswith("#"):
        return len(text) if newline < 0 else newline + 1
    return end


def pair_span(text: str, site: Site) -> tuple[int, int]:
    """The characters of a whole ``key: value`` (or a sequence item with its dash), for deletion or duplication."""
    if site.flow:
        end = site.end
        after = re.match(r"\s*,\s*", text[end:])
        if after:
            return site.key_start, end + after.end()
        before = re.search(r",\s*$", text[: site.key_start])
        return (before.start() if before else site.key_start), end
    start = site.key_start
    head = text[line_start(text, start) : start]
    if head.strip() == "" or (site.item and head.strip() == "-"):
        start = line_start(text, start)
        return start, block_end(text, site.end)
    end = block_end(text, site.end)
    if end > site.end and text[end - 1 : end] == "\n":
        end -= 1  # "- key: v" losing its first key keeps the dash on its own line
    return start, end


# --- mutations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What a run may generate: the quick CI subset leaves out what cannot be contained in-process."""

    name: str
    bombs: bool = True  # alias bombs, deep nesting, long values: only in worker processes with a memory cap
    max_digits: int = 20_000  # the longest number written


FULL = Profile("full")
QUICK = Profile("quick", bombs=False)

ID_KEYS = {"community", "rule", "indicator", "line", "id", "person"}
ID_PARENTS = {"staff", "categories", "targets"}  # mappings whose keys are ids
DATE_KEYS = {"date", "meeting", "from", "to"}
NUMBER_KEYS = {
    "count", "deduct", "amount", "points", "per", "add", "total", "year", "rank", "score", "reward",
    "from_rank", "to_rank", "step", "max", "zero_below", "default",
}  # fmt: skip
DATE_TEXT = re.compile(r"^\d{4}-\d\d-\d\d")
NUMBER_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
ENTRY_PARENTS = {"entries", "communities", "indicators", "children", "rules", "lines", "awards", "exemptions"}

STRANGE_BYTES = (
    b"\x00", b"\xff", b"\xfe", b"\xc0\x80", b"\x80", b"\xed\xa0\x80", b"\xe4\xb8", b"\xf4\x90\x80\x80",
    "\u2028".encode(), "\u2029".encode(), "\x85".encode(), b"\x0b", b"\x0c", b"\x1b[31m", BOM, b"\t", b"\r",
    "\U0001f600".encode(), "\u202e".encode(), b"\x7f", b":", b"- ", b"#", b"&", b"*", b"!", b"|", b">", b"'", b'"',
    b"{", b"}", b"[", b"]", b",", b"\n", b"%", b"@", b"`", "中".encode(), "\uff1a".encode(),
)  # fmt: skip
TYPO_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._ 中Ａ"


@dataclass
class Gen:
    """The state a mutator sees: the random source, the files as mutated so far, the profile."""

    rng: random.Random
    files: Files
    profile: Profile

    def pick_file(self, yaml_only: bool = False) -> str | None:
        paths = sorted(p for p in self.files if not yaml_only or p.endswith(".yaml"))
        if not paths:
            return None
        weights = [3.0 if p.endswith("rubric.yaml") else 2.0 if p.endswith("communities.yaml") else 1.0 for p in paths]
        return self.rng.choices(paths, weights)[0]

    def text_of(self, path: str) -> tuple[str, int] | None:
        """The file's text and the byte length of its BOM, when it is UTF-8."""
        data = self.files[path]
        bom = len(BOM) if data.startswith(BOM) else 0
        try:
            return data[bom:].decode("utf-8"), bom
        except UnicodeDecodeError:
            return None

    def yaml_file(self) -> tuple[str, str, int, tuple[Site, ...]] | None:
        """A random file that parses, with its text, BOM length and sites."""
        candidates = sorted(p for p in self.files if p.endswith(".yaml"))
        self.rng.shuffle(candidates)
        first = self.pick_file(yaml_only=True)
        if first is not None:
            candidates.insert(0, first)
        for path in candidates[:4]:
            decoded = self.text_of(path)
            if decoded is None:
                continue
            sites = sites_of(decoded[0])
            if sites:
                return path, decoded[0], decoded[1], sites
        return None

    def splice(self, label: str, path: str, text: str, bom: int, start: int, end: int, new: str) -> Op:
        """A byte splice from a change in characters ``start:end`` of ``text``."""
        b0 = bom + len(text[:start].encode("utf-8"))
        b1 = b0 + len(text[start:end].encode("utf-8"))
        return Op(label, "splice", path, b0, b1, new.encode("utf-8"))

    # numbers, dates, ids: the values a mutator writes

    def number(self) -> str:
        rng, most = self.rng, self.profile.max_digits
        digits = rng.choice([20, 40, 100, 300, 1000, 4299, 4300, 4301, 5000, 20_000])
        digits = min(digits, most)
        choice = rng.randrange(10)
        if choice == 0:
            return str(rng.randint(-5, 200))
        if choice == 1:
            return rng.choice(["0", "-0", "-1", "-0.1", "+5", "00", "007", "1_000", "0x1F", "0o17", "0b101"])
        if choice == 2:
            return "9" * digits if rng.random() < 0.7 else "-" + "9" * digits
        if choice == 3:
            return "0." + "".join(rng.choice("0123456789") for _ in range(rng.choice([10, 30, digits])))
        if choice == 4:
            return "1" + "0" * digits + ".5"
        if choice == 5:
            return rng.choice(["1e3", "1E-3", "1e308", "1e309", "-1e309", "1e-400", "1e99999", "2e+5", ".5", "5."])
        if choice == 6:
            return rng.choice([".inf", "-.inf", ".nan", ".NaN", "NaN", "nan", "Infinity", "-inf", "inf"])
        if choice == 7:
            return rng.choice(["１２", "١٢", "½", "1,5", "1/2", "3分", "0.3%", "1.2.3", "--1", "1e", "e1", "0x"])
        if choice == 8:
            return rng.choice(['"0.3"', "'12'", '"-1"', '"1e3"', '" 5"', '""', "true", "null", "~", "[1]", "{}"])
        return f"{rng.uniform(-1000, 1000):.{rng.randint(0, 12)}f}"

    def date(self) -> str:
        rng = self.rng
        choice = rng.randrange(6)
        if choice == 0:
            return f"{rng.randint(1900, 2100):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if choice == 1:
            return f"2008-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if choice == 2:
            return rng.choice(["2008-01-01", "2008-12-31", "2007-12-31", "2009-01-01", "2009-01-09", "2009-12-31"])
        if choice == 3:
            return rng.choice(
                ["2008-02-30", "2007-02-29", "2008-02-29", "2008-13-01", "2008-00-10", "2008-04-31", "2008-01-00",
                 "0000-01-01", "0001-01-01", "9999-12-31", "9999-99-99", "10000-01-01", "1969-12-31"]
            )  # fmt: skip
        if choice == 4:
            return rng.choice(
                ["2008-3-1", "2008/03/01", "20080301", "2008-03-01T10:00:00", "2008-03-01 10:00:00+08:00",
                 "2008-03-01t10:00:00.5Z", "2008-03", "2008", "'2008-03-01'", '"2008-03-01"', "2008-03-01x",
                 "08-03-01", "二〇〇八年三月一日", "２００８-０３-０１", "-2008-03-01", "2008-03-01 #"]
            )  # fmt: skip
        return rng.choice(["", "~", "null", "[]", "{}", "today", "2008-03-01, 2008-03-02", "0", "1e3"])

    def typo(self, word: str) -> str:
        rng = self.rng
        if not word:
            return rng.choice(["x", "-", "中"])
        i = rng.randrange(len(word))
        choice = rng.randrange(8)
        if choice == 0:
            new = word[:i] + word[i + 1 :]
        elif choice == 1:
            new = word[:i] + word[i] + word[i:]
        elif choice == 2 and len(word) > 1:
            j = min(i + 1, len(word) - 1)
            i = j - 1
            new = word[:i] + word[j] + word[i] + word[j + 1 :]
        elif choice == 3:
            new = word[:i] + rng.choice(TYPO_CHARS) + word[i + 1 :]
        elif choice == 4:
            new = word.upper() if rng.random() < 0.5 else word.capitalize()
        elif choice == 5:
            new = word + rng.choice(["-x", "2", " ", ".", "..", "-", "_", "\u00a0"])
        elif choice == 6:
            new = rng.choice([".", "-", ""]) + word
        else:
            new = word[:i] + rng.choice(TYPO_CHARS) + word[i:]
        return new if new != word else word + "x"


Mutator = Callable[[Gen], Op | None]


def _quoted(text: str, start: int, new: str) -> str:
    """``new`` in the quotes the replaced scalar had, if any."""
    quote = text[start : start + 1]
    return f"{quote}{new}{quote}" if quote in ("'", '"') else new


def _value_span(text: str, site: Site) -> tuple[int, int, str]:
    """The span to replace for a value, and what must follow the replacement (a newline for block collections)."""
    if site.kind == "scalar" or site.flow:
        return site.start, site.end, ""
    end = block_end(text, site.end)
    return site.start, end, "\n" if end > site.end or text[end - 1 : end] == "\n" else ""


def mutate_delete_key(g: Gen) -> Op | None:
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    pairs = [s for s in sites if not s.item]
    if not pairs:
        return None
    site = g.rng.choice(pairs)
    start, end = pair_span(text, site)
    return g.splice("delete-key", path, text, bom, start, end, "")


def mutate_wrong_type(g: Gen) -> Op | None:
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    site = g.rng.choice(sites)
    if site.kind == "scalar":
        choices = ["[]", "{}", "[a, b]", "{a: 1}", "[[1]]", "~", "''", "true", "no", f"[{site.text}]"]
        choices.append("{" + (site.key or "x") + ": " + (site.text or "1") + "}")
    elif site.kind == "seq":
        choices = ["x", "1", "~", "''", "true", "2008-01-01", "{}", "{a: 1}", "{a: [1]}"]
    else:
        choices = ["x", "1", "~", "''", "false", "0.5", "[]", "[a, b]", "[{a: 1}]"]
    start, end, tail = _value_span(text, site)
    return g.splice("wrong-type", path, text, bom, start, end, g.rng.choice(choices) + tail)


def mutate_typo_id(g: Gen) -> Op | None:
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    values = [s for s in sites if s.kind == "scalar" and (s.key in ID_KEYS or (s.item and s.parent in ID_KEYS))]
    keys = [s for s in sites if s.parent in ID_PARENTS and not s.item]
    if not values and not keys:
        return None
    if keys and (not values or g.rng.random() < 0.2):
        site = g.rng.choice(keys)
        word = text[site.key_start : site.key_end]
        return g.splice("typo-id", path, text, bom, site.key_start, site.key_end, g.typo(word))
    site = g.rng.choice(values)
    pool = sorted({s.text for s in values if s.key == site.key and s.text != site.text})
    roll = g.rng.random()
    if roll < 0.6 or not pool:
        new = g.typo(site.text)
    elif roll < 0.85:
        new = g.rng.choice(pool)  # another id that exists: the right kind of value in the wrong place
    else:
        new = g.rng.choice(["", "中文", "x" * 300, "UPPER", "a b", "a.", ".a", "a..b", "-a", "a/b", "ziqiao.x"])
    return g.splice("typo-id", path, text, bom, site.start, site.end, _quoted(text, site.start, new))


def mutate_typo_key(g: Gen) -> Op | None:
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    pairs = [s for s in sites if not s.item and s.key_end > s.key_start]
    if not pairs:
        return None
    site = g.rng.choice(pairs)
    word = text[site.key_start : site.key_end]
    new = g.typo(word) if g.rng.random() < 0.8 else g.rng.choice(sorted({s.key for s in pairs if s.key} | {"x"}))
    return g.splice("typo-key", path, text, bom, site.key_start, site.key_end, new)


def mutate_date(g: Gen) -> Op | None:
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    dates = [s for s in sites if s.kind == "scalar" and (s.key in DATE_KEYS or DATE_TEXT.match(s.text))]
    if not dates:
        return None
    site = g.rng.choice(dates)
    return g.splice("date", path, text, bom, site.start, site.end, g.date())


def mutate_number(g: Gen) -> Op | None:
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    numbers = [
        s
        for s in sites
        if s.kind == "scalar" and (s.key in NUMBER_KEYS or s.parent == "targets" or NUMBER_TEXT.match(s.text))
    ]
    if not numbers:
        return None
    site = g.rng.choice(numbers)
    return g.splice("number", path, text, bom, site.start, site.end, g.number())


def mutate_entries(g: Gen) -> Op | None:
    """Duplicate or delete an entry (a sequence item), or a ``key: value``; or copy an entry to another file."""
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    items = [s for s in sites if s.item]
    favoured = [s for s in items if s.parent in ENTRY_PARENTS]
    roll = g.rng.random()
    if items and roll < 0.75:
        site = g.rng.choice(favoured if favoured and g.rng.random() < 0.8 else items)
        start, end = pair_span(text, site)
        chunk = text[start:end]
        if g.rng.random() < 0.5:
            return g.splice("delete-entry", path, text, bom, start, end, "")
        if site.flow:
            return g.splice(
                "dup-entry", path, text, bom, start, start, chunk if chunk.rstrip().endswith(",") else chunk + ", "
            )
        if g.rng.random() < 0.25:  # the entry filed in another file, at the end of its last list
            others = [p for p in sorted(g.files) if p != path and p.endswith(".yaml")]
            if others:
                other = g.rng.choice(others)
                decoded = g.text_of(other)
                if decoded is not None:
                    there = decoded[0]
                    gap = "" if there.endswith("\n") or not there else "\n"
                    return g.splice("move-entry", other, there, decoded[1], len(there), len(there), gap + chunk)
        return g.splice(
            "dup-entry", path, text, bom, end, end, chunk if chunk.endswith("\n") or site.flow else "\n" + chunk
        )
    pairs = [s for s in sites if not s.item]
    if not pairs:
        return None
    site = g.rng.choice(pairs)
    start, end = pair_span(text, site)
    chunk = text[start:end]
    if site.flow:
        return g.splice("dup-key", path, text, bom, site.end, site.end, ", " + text[site.key_start : site.end])
    return g.splice("dup-key", path, text, bom, end, end, chunk if chunk.endswith("\n") else "\n" + chunk)


def mutate_yaml_syntax(g: Gen) -> Op | None:
    """Anchors and aliases, merge keys, tags, documents, directives, complex keys, nulls, quotes."""
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    rng = g.rng
    scalars = [s for s in sites if s.kind == "scalar"]
    choice = rng.randrange(8)
    if choice == 0 and len(scalars) >= 2:  # the first value anchored, a later one an alias of it
        a, b = sorted(rng.sample(scalars, 2), key=lambda s: s.start)
        if a.end <= b.start:
            middle = text[a.start : b.start]
            return g.splice("yaml-syntax", path, text, bom, a.start, b.end, "&fz " + middle + "*fz")
    if choice == 1 and scalars:
        site = rng.choice(scalars)
        tag = rng.choice(["!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!binary ", "!!timestamp ",
                          "!!python/object:os.system ", "!custom ", "!!set ", "!!omap ", "!<tag:x,2000:y> "])  # fmt: skip
        return g.splice("yaml-syntax", path, text, bom, site.start, site.start, tag)
    if choice == 2:
        at = line_start(text, rng.randrange(len(text) + 1))
        marker = rng.choice(["---\n", "...\n", "--- |\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n"])
        return g.splice("yaml-syntax", path, text, bom, at, at, marker)
    if choice == 3:
        tail = rng.choice(["---\nx: 1\n", "...\n", "? [a, b]\n: c\n", "? {a: 1}\n: b\n", "<<: {x: 1}\n",
                           "<<: *nope\n", "[a]: 1\n", "x: *undefined\n", "&a x: 1\n", "x: !!binary '=='\n"])  # fmt: skip
        gap = "" if text.endswith("\n") or not text else "\n"
        return g.splice("yaml-syntax", path, text, bom, len(text), len(text), gap + tail)
    if choice == 4 and scalars:
        site = rng.choice(scalars)
        new = rng.choice(["", "~", "null", "Null", "NULL", "''", '""', "'", '"', "'a''b'", '"\\x00"', '"\\ud800"',
                          '"\\u0000"', "|\n  x", ">-\n  y", "- a", "a: b", "a #b", "@x", "`x", "%x", "!x"])  # fmt: skip
        return g.splice("yaml-syntax", path, text, bom, site.start, site.end, new)
    if choice == 5 and scalars:
        site = rng.choice(scalars)
        return g.splice("yaml-syntax", path, text, bom, site.start, site.start, rng.choice(["&x ", "&中 ", "*x "]))
    if choice == 6:  # a merge key in a block mapping
        pairs = [s for s in sites if not s.item and not s.flow and s.key]
        if pairs:
            site = rng.choice(pairs)
            indent = text[line_start(text, site.key_start) : site.key_start]
            if indent.strip() == "":
                at = line_start(text, site.key_start)
                return g.splice(
                    "yaml-syntax", path, text, bom, at, at, indent + rng.choice(["<<: {a: 1}\n", "<<: []\n"])
                )
    # a value becomes a block scalar, or a plain multi-line one
    if scalars:
        site = rng.choice(scalars)
        return g.splice("yaml-syntax", path, text, bom, site.start, site.end, rng.choice(["|", ">", "|+", "|-9"]))
    return None


def mutate_file(g: Gen) -> Op | None:
    """Delete, copy, rename a file, or add a new one."""
    rng = g.rng
    path = g.pick_file()
    choice = rng.randrange(4)
    if path is None or choice == 3:
        folder = rng.choice(["content/ledgers", "content/history", "content"])
        name = rng.choice(
            ["new.yaml", "2005.yaml", "2008.yaml", "x.yaml", ".yaml", "中文.yaml", "a b.yaml", "party.yml"]
        )
        data = rng.choice([b"", b"\n", b"[]\n", b"null\n", b"x: 1\n", b"---\n...\n", b"\x00", BOM, b"line: party\n"])
        return Op("new-file", "write", f"{folder}/{name}", data=data)
    if choice == 0:
        return Op("delete-file", "delete", path)
    stem = PurePosixPath(path).stem
    folder = str(PurePosixPath(path).parent)
    others = [p for p in sorted(g.files) if p != path]
    names = [
        f"{folder}/{stem}-copy.yaml",
        f"{folder}/{stem}.yml",
        f"{folder}/{stem}.yaml.bak",
        f"{folder}/{stem.capitalize()}.yaml",
        f"{folder}/{stem} .yaml",
        f"{folder}/中文.yaml",
        "content/ledgers/2008.yaml",
        "content/history/2005.yaml",
        "content/history/2008.yaml",
        f"content/ledgers/{stem}.yaml",
        f"content/history/{stem}.yaml",
    ]
    if others:
        names.append(rng.choice(others))  # over another file
    target = rng.choice([n for n in names if n != path] or ["content/x.yaml"])
    return Op("copy-file" if choice == 1 else "rename-file", "copy" if choice == 1 else "rename", path, target=target)


def mutate_bytes(g: Gen) -> Op | None:
    """Flip bits, or write strange bytes (invalid UTF-8, NUL, control characters, line separators) at random places."""
    path = g.pick_file()
    if path is None:
        return None
    data = g.files[path]
    rng = g.rng
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.4 and data:
        at = min(at, len(data) - 1)
        width = rng.randint(1, 8)
        chunk = bytearray(data[at : at + width])
        for i in range(len(chunk)):
            if i == 0 or rng.random() < 0.5:
                chunk[i] ^= 1 << rng.randrange(8)
        return Op("byte-flip", "splice", path, at, at + len(chunk), bytes(chunk))
    strange = rng.choice(STRANGE_BYTES)
    if rng.random() < 0.3 and data:  # cut a character in half
        lead = [i for i in range(max(0, at - 60), min(len(data), at + 60)) if data[i] >= 0xC0]
        if lead:
            i = rng.choice(lead)
            return Op("byte-flip", "splice", path, i + 1, i + 2, b"")
    end = at + (rng.randint(1, 3) if rng.random() < 0.5 else 0)
    return Op("byte-flip", "splice", path, at, end, strange)


def mutate_truncate(g: Gen) -> Op | None:
    path = g.pick_file()
    if path is None:
        return None
    data = g.files[path]
    at = g.rng.randrange(len(data) + 1)
    if g.rng.random() < 0.15 and data:
        at = len(data) - 1  # just the last newline
    return Op("truncate", "splice", path, at, len(data), b"")


def mutate_layout(g: Gen) -> Op | None:
    """CRLF or CR line ends, a BOM (or two, or one inside), tabs for indentation or after a colon."""
    path = g.pick_file()
    if path is None:
        return None
    data, rng = g.files[path], g.rng
    choice = rng.randrange(6)
    if choice == 0:
        return Op("crlf", "splice", path, 0, len(data), data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    if choice == 1:
        lines = data.split(b"\n")
        new = b"".join(line + (b"\r\n" if rng.random() < 0.3 else b"\n") for line in lines[:-1]) + lines[-1]
        return Op("crlf", "splice", path, 0, len(data), new)
    if choice == 2:
        return Op("crlf", "splice", path, 0, len(data), data.replace(b"\n", b"\r"))
    if choice == 3:
        if rng.random() < 0.6:
            return Op("bom", "splice", path, 0, 0, BOM * rng.choice([1, 1, 2]))
        at = data.find(b"\n", rng.randrange(len(data) + 1)) + 1
        return Op("bom", "splice", path, at, at, BOM)
    lines = data.split(b"\n")
    if choice == 4:
        new_lines = [
            re.sub(rb"^( {2})+", lambda m: b"\t" * (len(m.group(0)) // 2), line) if rng.random() < 0.2 else line
            for line in lines
        ]
        return Op("tabs", "splice", path, 0, len(data), b"\n".join(new_lines))
    i = rng.randrange(len(lines))
    lines[i] = lines[i].replace(b": ", b":\t", 1) if b": " in lines[i] else b"\t" + lines[i]
    return Op("tabs", "splice", path, 0, len(data), b"\n".join(lines))


def mutate_bomb(g: Gen) -> Op | None:
    """Alias fan-out, deep nesting (flow and block), a very long value, many entries."""
    found = g.yaml_file()
    if found is None:
        return None
    path, text, bom, sites = found
    rng = g.rng
    choice = rng.randrange(5)
    scalars = [s for s in sites if s.kind == "scalar"] or list(sites)
    site = rng.choice(scalars)
    start, end, tail = _value_span(text, site)
    if choice == 0:
        width, levels = rng.randint(3, 10), rng.randint(3, 9)
        parts = ["&b0 [" + ", ".join(["lol"] * width) + "]"]
        parts += [f"&b{i} [" + ", ".join([f"*b{i - 1}"] * width) + "]" for i in range(1, levels)]
        return g.splice("alias-bomb", path, text, bom, start, end, "[" + ", ".join(parts) + "]" + tail)
    if choice == 1:
        depth = rng.choice([50, 200, 1000, 3000, 10_000, 100_000])
        opener, closer = rng.choice([("[", "]"), ("{a: ", "}"), ("[{a: ", "}]")])
        return g.splice("deep-nesting", path, text, bom, start, end, opener * depth + "1" + closer * depth + tail)
    if choice == 2:
        depth = rng.choice([50, 200, 1000])
        block = "".join("\n" + "  " * (i + 1) + "a:" for i in range(depth)) + " 1"
        return g.splice("deep-nesting", path, text, bom, start, end, block + tail)
    if choice == 3:
        size = rng.choice([10_000, 100_000, 600_000])  # far past any text bound; far below legitimately slow sizes
        return g.splice("long-value", path, text, bom, start, end, rng.choice(["x", "中", "9", "a b "]) * size + tail)
    items = [s for s in sites if s.item and not s.flow and s.parent == "entries"]
    if not items:
        return None
    item = rng.choice(items)
    s, e = pair_span(text, item)
    chunk = text[s:e] if text[s:e].endswith("\n") else text[s:e] + "\n"
    return g.splice("many-entries", path, text, bom, e, e, chunk * rng.choice([100, 1000, 5000]))


MUTATORS: dict[str, tuple[float, Mutator]] = {
    "delete-key": (8, mutate_delete_key),
    "wrong-type": (8, mutate_wrong_type),
    "typo-id": (8, mutate_typo_id),
    "typo-key": (3, mutate_typo_key),
    "date": (7, mutate_date),
    "number": (8, mutate_number),
    "entries": (7, mutate_entries),
    "yaml-syntax": (5, mutate_yaml_syntax),
    "file": (5, mutate_file),
    "bytes": (7, mutate_bytes),
    "truncate": (5, mutate_truncate),
    "layout": (5, mutate_layout),
    "bomb": (3, mutate_bomb),
}


def mutators_for(profile: Profile) -> tuple[list[str], list[float]]:
    names = [name for name in MUTATORS if profile.bombs or name != "bomb"]
    return names, [MUTATORS[name][0] for name in names]


@dataclass(frozen=True)
class Case:
    seed: int
    index: int
    ops: tuple[Op, ...]
    profile: str = "full"

    @property
    def name(self) -> str:
        return f"s{self.seed}-c{self.index}"


def make_case(seed: int, index: int, base: Mapping[str, bytes], profile: Profile = FULL) -> Case:
    """Case ``index`` of ``seed``: 1–3 mutations, each chosen and placed by a random source of its own."""
    rng = random.Random(f"kaohe-fuzz:{profile.name}:{seed}:{index}")
    g = Gen(rng, dict(base), profile)
    names, weights = mutators_for(profile)
    ops: list[Op] = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        op = None
        for _attempt in range(8):
            op = MUTATORS[rng.choices(names, weights)[0]][1](g)
            if op is not None:
                break
        if op is None:
            op = mutate_bytes(g) or Op("new-file", "write", "content/ledgers/new.yaml", data=b"x: 1\n")
        op = tighten(op, g.files)
        op.apply(g.files)
        ops.append(op)
    return Case(seed, index, tuple(ops), profile.name)


# --- running one case --------------------------------------------------------------------


class CaseTimeout(BaseException):
    """Raised in the pipeline by the alarm; a BaseException, so that no ``except Exception`` swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of this process's CPU time (only in the main thread, where Python
    runs signal handlers): the profiling timer counts user and system time, so other load on the machine does
    not turn a case into a timeout."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass(frozen=True)
class Verdict:
    kind: str  # "ok" | "exception" | "timeout" | "position" | "crash" | "hang"
    signature: str = ""  # what groups failures of one cause: "ValueError in kaohe/content/fields.py:integer"
    detail: str = ""  # the traceback, or the badly positioned diagnostic
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    diagnostics: int = 0

    @property
    def failed(self) -> bool:
        return self.kind != "ok"


KAOHE_DIR = str(TOOL_ROOT / "kaohe")


def exception_signature(exc: BaseException) -> str:
    """The exception's type and the innermost kaohe function it passed through."""
    where = "outside kaohe"
    for frame, _line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(KAOHE_DIR):
            where = f"{Path(filename).relative_to(TOOL_ROOT).as_posix()}:{frame.f_code.co_name}"
    return f"{type(exc).__name__} in {where}"


YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
EDITOR_BREAKS = re.compile("\r\n|[\r\n]")


def file_lines(text: str, breaks: re.Pattern[str]) -> list[str]:
    """The lines of ``text``: a break ends a line, so a final break opens no new one."""
    lines = breaks.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def positions_text(data: bytes) -> str:
    """The text that positions count in: as the source decodes it (BOM dropped), bad bytes as U+FFFD."""
    return data[len(BOM) :].decode("utf-8", "replace") if data.startswith(BOM) else data.decode("utf-8", "replace")


Lines = dict[str, tuple[list[str], list[str]]]  # path -> its lines as YAML breaks them, and as an editor does


def position_problem(
    diagnostic: Diagnostic, files: Mapping[str, bytes], asked: set[str], lines_of: Lines | None = None
) -> str | None:
    """Why ``diagnostic`` is not positioned inside its file, or ``None`` when it is.

    ``lines_of`` keeps each file's lines between calls (a file may have thousands of diagnostics).
    """
    path, line, col = diagnostic.pos.path, diagnostic.pos.line, diagnostic.pos.col
    if not diagnostic.message.strip():
        return "an empty message"
    if path not in files:
        if path in asked and (line, col) == (1, 1):
            return None  # a file the pipeline read and found missing ("file not found")
        return "a path that is not a content file"
    lines_of = {} if lines_of is None else lines_of
    if path not in lines_of:
        text = positions_text(files[path])
        lines_of[path] = file_lines(text, YAML_BREAKS), file_lines(text, EDITOR_BREAKS)
    for lines in lines_of[path]:
        if 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1:
            return None
    lines = lines_of[path][0]
    if line < 1 or col < 1:
        return "a line or column below 1"
    if line > len(lines):
        return f"line {line} past the end of the file ({len(lines)} lines)"
    return f"column {col} past the end of line {line} ({len(lines[line - 1])} characters)"


def message_shape(message: str) -> str:
    """A message with its particulars (quoted values, numbers) blanked: what groups one cause."""
    shape = re.sub(r"'[^']*'", "'…'", message)
    shape = re.sub(r"(?<![\w-])\d+", "0", shape)
    return shape[:70]


def check(files: Mapping[str, bytes], limit: float = TIME_LIMIT) -> Verdict:
    """Run the pipeline on ``files`` in this process, within ``limit`` seconds, and judge the outcome."""
    source = FuzzSource(files)
    start = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught, time_limit(limit):
            warnings.simplefilter("always")
            outcome = run(source)
    except CaseTimeout:
        return Verdict("timeout", "timeout", f"no outcome after {limit:g} s of CPU", time.perf_counter() - start)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # anything at all, even SystemExit, is a traceback the user would see
        seconds = time.perf_counter() - start
        text = "".join(traceback.format_exception(exc, limit=-12))
        return Verdict("exception", exception_signature(exc), text[-4000:], seconds)
    seconds = time.perf_counter() - start
    said = tuple(sorted({f"{w.category.__name__}: {str(w.message)[:120]}" for w in caught}))
    lines_of: Lines = {}
    bad = [(d, why) for d in outcome.diagnostics if (why := position_problem(d, files, source.asked, lines_of))]
    if bad:
        first, why = bad[0]
        reason = re.sub(r"\d+", "N", why)
        detail = f"{first}\n  -> {why}" + (f"\n  (and {len(bad) - 1} more)" if len(bad) > 1 else "")
        return Verdict("position", f"position: {reason}: {message_shape(first.message)}", detail, seconds, said)
    return Verdict("ok", seconds=seconds, warnings=said, diagnostics=len(outcome.diagnostics))


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space, so that a bomb fails with MemoryError instead of taking the machine."""
    if megabytes > 0:
        size = megabytes * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            size = min(size, hard)
        resource.setrlimit(resource.RLIMIT_AS, (size, hard))


def _isolated_child(conn: multiprocessing.connection.Connection, files: Files, limit: float, megabytes: int) -> None:
    limit_memory(megabytes)
    conn.send(check(files, limit))
    conn.close()


def hang_wall_seconds(limit: float) -> float:
    """Wall time after which a case that has not come back is a hang: its CPU limit, stretched for a busy machine."""
    return limit * 6 + 30


def check_isolated(files: Files, limit: float = TIME_LIMIT, megabytes: int = MEMORY_MB) -> Verdict:
    """:func:`check` in a forked process with a memory cap: a crash or a hang there is a verdict, not ours."""
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    start = time.perf_counter()
    child = ctx.Process(target=_isolated_child, args=(writer, files, limit, megabytes), daemon=True)
    child.start()
    writer.close()
    verdict: Verdict | None = None
    if reader.poll(hang_wall_seconds(limit)):
        try:
            verdict = reader.recv()
        except EOFError:
            verdict = None
    seconds = time.perf_counter() - start
    if verdict is None and child.is_alive():
        child.kill()
        child.join()
        return Verdict(
            "hang", "hang", f"the process gave no outcome in {hang_wall_seconds(limit):g} s; killed", seconds
        )
    child.join()
    if verdict is None:
        return Verdict(
            "crash", crash_signature(child.exitcode), f"the process died: exit code {child.exitcode}", seconds
        )
    return verdict


def crash_signature(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"crash: {signal.Signals(-exitcode).name}"
        except ValueError:
            pass
    return f"crash: exit code {exitcode}"


# --- shrinking ---------------------------------------------------------------------------


def smaller(op: Op) -> list[Op]:
    """Smaller versions of a splice: less data written, fewer bytes replaced."""
    if op.action != "splice":
        return []
    found = []
    if len(op.data) > 1:
        found.append(replace(op, data=op.data[: len(op.data) // 2]))
    if op.end - op.start > 1:
        found.append(replace(op, end=op.start + (op.end - op.start) // 2))
    return found


def shrink(
    ops: Sequence[Op],
    base: Mapping[str, bytes],
    signature: str,
    attempt: Callable[[Files], Verdict],
    seconds: float = 60.0,
    tries: int = 60,
) -> tuple[tuple[Op, ...], Verdict | None]:
    """Fewer mutations, then smaller ones, as long as the case still fails the same way (within a budget).

    Returns the smallest ops found and their verdict (``None`` when nothing smaller still failed).
    """
    deadline = time.monotonic() + seconds
    budget = [tries]
    best, verdict = list(ops), None

    def still_fails(candidate: list[Op]) -> Verdict | None:
        if budget[0] <= 0 or time.monotonic() > deadline:
            return None
        budget[0] -= 1
        found = attempt(apply_ops(base, candidate))
        return found if found.signature == signature else None

    progress = True
    while progress and len(best) > 1:
        progress = False
        for i in range(len(best)):
            candidate = best[:i] + best[i + 1 :]
            if (found := still_fails(candidate)) is not None:
                best, verdict, progress = candidate, found, True
                break
    for i in range(len(best)):
        progress = True
        while progress:
            progress = False
            for op in smaller(best[i]):
                candidate = [*best[:i], op, *best[i + 1 :]]
                if (found := still_fails(candidate)) is not None:
                    best, verdict, progress = candidate, found, True
                    break
    return tuple(best), verdict


# --- results and fixtures ----------------------------------------------------------------


@dataclass
class Result:
    """One case's verdict, its mutations and, for a failure, the shrunk mutations and their verdict."""

    index: int
    verdict: Verdict
    ops: tuple[Op, ...]
    shrunk: tuple[Op, ...] = ()
    shrunk_verdict: Verdict | None = None

    @property
    def smallest(self) -> tuple[tuple[Op, ...], Verdict]:
        if self.shrunk_verdict is not None:
            return self.shrunk, self.shrunk_verdict
        return self.ops, self.verdict


def run_case(
    seed: int, index: int, base: Mapping[str, bytes], profile: Profile, limit: float, shrink_it: bool
) -> Result:
    case = make_case(seed, index, base, profile)
    verdict = check(apply_ops(base, case.ops), limit)
    result = Result(index, verdict, case.ops)
    if verdict.failed and shrink_it:
        result.shrunk, result.shrunk_verdict = shrink(case.ops, base, verdict.signature, lambda f: check(f, limit))
    return result


def slug(text: str, most: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:most].strip("-")


def fixture_name(case: Case, ops: Sequence[Op], verdict: Verdict) -> str:
    """``exception-valueerror-integer-s1-c42``, ``position-past-eof-malformed-yaml-s1-c7``, ``timeout-alias-bomb-s1-c9``."""
    if verdict.kind == "exception":
        kind, _, where = verdict.signature.partition(" in ")
        short = f"{kind} {where.rpartition(':')[2]}"
    elif verdict.kind == "position":
        why = verdict.signature.split(": ")[1]
        place = "past-eof" if "end of the file" in why else "past-eol" if "column" in why else why
        short = f"{place} {' '.join(verdict.signature.split(': ', 2)[2].split()[:4])}"
    else:
        short = " ".join(dict.fromkeys(op.label for op in ops))
    return f"{verdict.kind}-{slug(short, 40)}-{case.name}"


def write_fixture(folder: Path, base: Mapping[str, bytes], case: Case, ops: Sequence[Op], verdict: Verdict) -> Path:
    """``folder/<name>/``: the files the ops change (bytes as they are), ``deleted``, and a one-line ``README``."""
    name = fixture_name(case, ops, verdict)
    target = folder / name
    files = apply_ops(base, ops)
    target.mkdir(parents=True, exist_ok=True)
    for relpath, data in sorted(files.items()):
        if base.get(relpath) != data:
            (target / relpath).parent.mkdir(parents=True, exist_ok=True)
            (target / relpath).write_bytes(data)
    deleted = sorted(set(base) - set(files))
    if deleted:
        (target / "deleted").write_text("".join(f"{p}\n" for p in deleted), encoding="utf-8")
    labels = ", ".join(op.label for op in ops)
    first_line = (
        verdict.detail.strip().splitlines()[-1] if verdict.kind == "exception" else verdict.detail.splitlines()[0]
    )
    where = f"seed {case.seed} case {case.index}, profile {case.profile}"
    readme = f"{verdict.signature} [{labels}; {where}]: {first_line[:300]}\n"
    (target / "README").write_text(readme, encoding="utf-8")
    (target / "ops.txt").write_text("".join(op.describe() + "\n" for op in ops), encoding="utf-8")
    return target


def load_fixture(folder: Path, base: Mapping[str, bytes] | None = None) -> Files:
    """The sample content with a fixture's files over it and its ``deleted`` files removed."""
    files = dict(load_base() if base is None else base)
    deleted = folder / "deleted"
    if deleted.is_file():
        for relpath in deleted.read_text(encoding="utf-8").split("\n"):
            files.pop(relpath, None)
    content = folder / "content"
    if content.is_dir():
        for path in sorted(content.rglob("*")):
            if path.is_file():
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


# --- the long run: worker processes ------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    seed: int
    profile: Profile
    limit: float
    megabytes: int
    shrink: bool


def _worker(conn: multiprocessing.connection.Connection, settings: Settings) -> None:
    """Run the cases the parent sends, one at a time; shrink the first failure of each kind this worker sees."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle
    limit_memory(settings.megabytes)
    base = load_base()
    shrunk: set[str] = set()
    while True:
        index = conn.recv()
        if index is None:
            return
        case = make_case(settings.seed, index, base, settings.profile)
        verdict = check(apply_ops(base, case.ops), settings.limit)
        result = Result(index, verdict, case.ops)
        if verdict.failed and settings.shrink and verdict.signature not in shrunk:
            shrunk.add(verdict.signature)
            conn.send(("shrinking", index))
            result.shrunk, result.shrunk_verdict = shrink(
                case.ops, base, verdict.signature, lambda f: check(f, settings.limit)
            )
        conn.send(("done", result))


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    index: int | None = None
    since: float = 0.0
    shrinking: bool = False


def run_many(cases: Sequence[int], settings: Settings, jobs: int, on_result: Callable[[Result], None]) -> None:
    """Run ``cases`` in ``jobs`` worker processes; a case that kills or wedges its worker is a result too."""
    ctx = multiprocessing.get_context("fork")
    todo = list(reversed(cases))
    base = load_base()
    hang_after = hang_wall_seconds(settings.limit)

    def start() -> _Slot:
        mine, theirs = ctx.Pipe()
        process = ctx.Process(target=_worker, args=(theirs, settings), daemon=True)
        process.start()
        theirs.close()
        return _Slot(process, mine)

    def feed(slot: _Slot) -> None:
        slot.index = todo.pop() if todo else None
        slot.since, slot.shrinking = time.monotonic(), False
        slot.conn.send(slot.index)

    def lost(slot: _Slot, kind: str) -> None:
        assert slot.index is not None
        ops = make_case(settings.seed, slot.index, base, settings.profile).ops
        if kind == "hang":
            verdict = Verdict("hang", "hang", f"the worker gave no outcome in {hang_after:g} s; killed", hang_after)
        else:
            code = slot.process.exitcode
            verdict = Verdict("crash", crash_signature(code), f"the worker died: exit code {code}")
        result = Result(slot.index, verdict, ops)
        if settings.shrink:
            result.shrunk, result.shrunk_verdict = shrink(
                ops, base, verdict.signature, lambda f: check_isolated(f, settings.limit, settings.megabytes), tries=20
            )
        on_result(result)

    slots = [start() for _ in range(max(1, min(jobs, len(cases))))]
    for slot in slots:
        feed(slot)
    try:
        while any(slot.index is not None for slot in slots):
            waiting = [s.conn for s in slots if s.index is not None] + [
                s.process.sentinel for s in slots if s.index is not None
            ]
            multiprocessing.connection.wait(waiting, timeout=1.0)
            for n, slot in enumerate(slots):
                if slot.index is None:
                    continue
                message = None
                try:
                    if slot.conn.poll():
                        message = slot.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message is not None:
                    if message[0] == "shrinking":
                        slot.since, slot.shrinking = time.monotonic(), True
                        continue
                    on_result(message[1])
                    feed(slot)
                    continue
                dead = not slot.process.is_alive()
                stuck = not slot.shrinking and time.monotonic() - slot.since > hang_after
                if dead or stuck:
                    if stuck:
                        slot.process.kill()
                    slot.process.join()
                    lost(slot, "hang" if stuck else "crash")
                    slot.conn.close()
                    slots[n] = start()
                    feed(slots[n])
    finally:
        for slot in slots:
            if slot.process.is_alive():
                try:
                    if slot.index is None:
                        slot.process.join(timeout=2)
                finally:
                    if slot.process.is_alive():
                        slot.process.kill()
                        slot.process.join()


# --- the report --------------------------------------------------------------------------


@dataclass
class Report:
    seed: int
    profile: Profile
    keep: Path | None
    base: Files
    started: float = field(default_factory=time.monotonic)
    ran: int = 0
    seconds: list[float] = field(default_factory=list)
    failures: list[Result] = field(default_factory=list)
    by_signature: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    kinds: dict[str, str] = field(default_factory=dict)  # signature -> kind
    mutations: Counter[str] = field(default_factory=Counter)
    failing_mutations: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    kept: list[Path] = field(default_factory=list)
    quiet: bool = False

    def add(self, result: Result) -> None:
        self.ran += 1
        verdict = result.verdict
        self.seconds.append(verdict.seconds)
        labels = {op.label for op in result.ops}
        self.mutations.update(labels)
        self.warnings.update(verdict.warnings)
        if verdict.failed:
            self.failures.append(result)
            self.by_kind[verdict.kind] += 1
            self.failing_mutations.update(labels)
            first = verdict.signature not in self.by_signature
            self.by_signature[verdict.signature] += 1
            self.kinds[verdict.signature] = verdict.kind
            if first:
                ops, smallest = result.smallest
                if not self.quiet:
                    print(
                        f"  case {result.index}: {verdict.signature} ({len(result.ops)} -> {len(ops)} ops)", flush=True
                    )
                if self.keep is not None:
                    case = Case(self.seed, result.index, tuple(ops), self.profile.name)
                    self.kept.append(write_fixture(self.keep, self.base, case, ops, smallest))
        if not self.quiet and self.ran % 500 == 0:
            elapsed = time.monotonic() - self.started
            print(f"  {self.ran} cases, {len(self.failures)} failing, {elapsed:.0f} s", flush=True)

    def text(self, jobs: int) -> str:
        elapsed = time.monotonic() - self.started
        out = [f"fuzz: seed {self.seed}, profile {self.profile.name}, {jobs} job(s)"]
        if self.seconds:
            ordered = sorted(self.seconds)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            out.append(
                f"cases run: {self.ran} in {elapsed:.0f} s wall ({elapsed / self.ran:.3f} s/case); pipeline per case: "
                f"mean {statistics.fmean(ordered):.3f} s, median {statistics.median(ordered):.3f} s, "
                f"p99 {p99:.3f} s, max {ordered[-1]:.3f} s"
            )
        out.append(f"failing cases: {len(self.failures)}")
        for kind in ("exception", "timeout", "position", "crash", "hang"):
            if self.by_kind[kind]:
                out.append(f"  {kind}: {self.by_kind[kind]}")
                for signature, count in self.by_signature.most_common():
                    if self.kinds[signature] == kind:
                        out.append(f"    {count:>5}  {signature}")
        out.append("mutations (cases with one / of them failing):")
        for label, count in sorted(self.mutations.items()):
            out.append(f"  {label:<14} {count:>6} / {self.failing_mutations[label]}")
        if self.warnings:
            out.append("Python warnings (not failures):")
            out.extend(f"  {count:>5}  {text}" for text, count in self.warnings.most_common(10))
        if self.keep is not None:
            out.append(f"kept {len(self.kept)} fixture(s) in {self.keep}")
            out.extend(f"  {path.name}" for path in self.kept)
        return "\n".join(out)


# --- command line ------------------------------------------------------------------------


def replay(folders: Sequence[Path], limit: float, megabytes: int, as_json: bool) -> int:
    """Re-run kept fixtures, each in a process of its own; 1 if any still fails."""
    base = load_base()
    verdicts = {}
    for folder in folders:
        verdict = check_isolated(load_fixture(folder, base), limit, megabytes)
        verdicts[folder.name] = verdict
        if not as_json:
            status = "ok" if not verdict.failed else f"FAIL {verdict.signature}"
            print(f"{folder.name}: {status} ({verdict.seconds:.2f} s)")
            if verdict.failed:
                print("    " + verdict.detail.strip().replace("\n", "\n    "))
    if as_json:
        print(json.dumps({name: asdict(v) for name, v in verdicts.items()}, ensure_ascii=False, indent=1))
    return 1 if any(v.failed for v in verdicts.values()) else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="the first case's index (default 0)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--keep", type=Path, help="write the first failure of each kind here, shrunk, as a fixture")
    parser.add_argument("--quick", action="store_true", help="the CI profile: no bombs")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="CPU seconds per case (default 10)")
    parser.add_argument("--memory-mb", type=int, default=MEMORY_MB, help="address space per worker (default 2048)")
    parser.add_argument("--no-shrink", action="store_true")
    parser.add_argument("--show", type=int, metavar="CASE", help="print the mutations of one case and exit")
    parser.add_argument("--replay", type=Path, nargs="+", metavar="FIXTURE", help="re-run kept fixtures")
    parser.add_argument("--json", action="store_true", help="with --replay: the verdicts as JSON")
    args = parser.parse_args(argv)
    profile = QUICK if args.quick else FULL
    if args.replay:
        return replay(args.replay, args.time_limit, args.memory_mb, args.json)
    base = load_base()
    if args.show is not None:
        for op in make_case(args.seed, args.show, base, profile).ops:
            print(op.describe())
        return 0
    report = Report(args.seed, profile, args.keep, base)
    print(f"fuzz: {args.cases} cases from {args.start}, seed {args.seed}, {args.jobs} job(s), "
          f"{args.time_limit:g} s and {args.memory_mb} MiB per case, profile {profile.name}", flush=True)  # fmt: skip
    settings = Settings(args.seed, profile, args.time_limit, args.memory_mb, not args.no_shrink)
    try:
        run_many(range(args.start, args.start + args.cases), settings, args.jobs, report.add)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    print(report.text(args.jobs))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
