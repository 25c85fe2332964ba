"""The shape of every content file, as data: one fact in one place.

For each kind of mapping in the content files (a file's top level, an entry,
an indicator, a rule, …) :data:`SHAPES` lists its keys in canonical order (the
order docs/FORMAT.md writes them and ``fmt`` puts them in), each required or
optional, with the kind of its value. :data:`FILES` says where each kind of
file lives. The loader (:mod:`kaohe.content.load`) takes the keys it accepts
from here, ``fmt`` (:mod:`kaohe.content.canonical`) its key order, and the git
textconv view (:mod:`kaohe.content.textconv`) the keys it knows.

Rules that tie several keys together (an indicator has ``name`` or ``goal``;
a leaf has ``rules`` or ``method: ratio``; a rule has one kind) are the
loader's; the schema only marks the keys that belong to such a group.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePosixPath


class Kind(Enum):
    """The kind of a value; the string is how FORMAT.md and messages call it."""

    TEXT = "text"
    ID = "id"  # lowercase ASCII letters, digits and '-', defined here
    REF = "reference"  # an id defined in another place (a community, a rule's full id), checked across files
    DECIMAL = "decimal"
    WHOLE = "whole number"
    BOOL = "true/false"
    DATE = "date"
    MAPPING = "mapping"  # of one shape
    LIST = "list"  # of one shape, or of scalars of one kind
    ID_MAP = "mapping of ids"  # id → one shape, or id → a scalar of one kind

    @property
    def is_scalar(self) -> bool:
        return self not in (Kind.MAPPING, Kind.LIST, Kind.ID_MAP)


@dataclass(frozen=True)
class Value:
    """What a key holds: a scalar ``kind``, or a collection of mappings of ``shape`` or of scalars of ``item``."""

    kind: Kind
    shape: str | None = None  # MAPPING: its shape; LIST / ID_MAP: the shape of each item / value
    item: Kind | None = None  # LIST / ID_MAP of scalars: the kind of each item / value

    def describe(self) -> str:
        """``date``, ``a mapping (review)``, ``a list of entry``, ``a mapping of ids to decimal``."""
        inner = self.shape or (str(self.item.value) if self.item else "values")
        if self.kind is Kind.MAPPING:
            return f"a mapping ({inner})"
        if self.kind is Kind.LIST:
            return f"a list of {inner}"
        if self.kind is Kind.ID_MAP:
            return f"a mapping of ids to {inner}"
        return str(self.kind.value)


TEXT = Value(Kind.TEXT)
ID = Value(Kind.ID)
REF = Value(Kind.REF)
DECIMAL = Value(Kind.DECIMAL)
WHOLE = Value(Kind.WHOLE)
BOOL = Value(Kind.BOOL)
DATE = Value(Kind.DATE)


def mapping(shape: str) -> Value:
    return Value(Kind.MAPPING, shape=shape)


def list_of(shape: str) -> Value:
    return Value(Kind.LIST, shape=shape)


def list_of_scalars(item: Kind) -> Value:
    return Value(Kind.LIST, item=item)


def ids_to(shape: str) -> Value:
    return Value(Kind.ID_MAP, shape=shape)


def ids_to_scalars(item: Kind) -> Value:
    return Value(Kind.ID_MAP, item=item)


@dataclass(frozen=True)
class Key:
    name: str
    value: Value
    required: bool
    group: str = ""  # keys the loader checks together: 'label', 'kind', 'ratio', 'form'


def req(name: str, value: Value, group: str = "") -> Key:
    return Key(name, value, True, group)


def opt(name: str, value: Value, group: str = "") -> Key:
    return Key(name, value, False, group)


@dataclass(frozen=True)
class Shape:
    """One kind of mapping: its keys in canonical order; ``what`` names it in diagnostics (``in an entry``)."""

    name: str
    what: str
    keys: tuple[Key, ...]
    # derived once from ``keys``: the loader asks for them for every mapping it reads
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    required: tuple[str, ...] = field(init=False, repr=False, compare=False)
    optional: tuple[str, ...] = field(init=False, repr=False, compare=False)
    by_name: Mapping[str, Key] = field(init=False, repr=False, compare=False)
    allowed: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        derived = {
            "names": tuple(key.name for key in self.keys),
            "required": tuple(key.name for key in self.keys if key.required),
            "optional": tuple(key.name for key in self.keys if not key.required),
            "by_name": {key.name: key for key in self.keys},
            "allowed": frozenset(key.name for key in self.keys),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def key(self, name: str) -> Key | None:
        return self.by_name.get(name)

    def group(self, group: str) -> tuple[str, ...]:
        """The keys of one group, in canonical order."""
        return tuple(key.name for key in self.keys if key.group == group)

    def pick(self, *names: str) -> tuple[str, ...]:
        """``names``, each of which must be a key of this shape (a typo fails at import, not silently)."""
        unknown = [name for name in names if self.key(name) is None]
        if unknown:
            raise KeyError(f"not keys of {self.name}: {', '.join(unknown)}")
        return names

    def child(self, name: str) -> Shape | None:
        """The shape of the mappings found under key ``name``: its value, its list items or its id-mapped values."""
        key = self.key(name)
        return SHAPES[key.value.shape] if key is not None and key.value.shape is not None else None


def _shapes(*shapes: Shape) -> dict[str, Shape]:
    return {shape.name: shape for shape in shapes}


SHAPES: Mapping[str, Shape] = _shapes(
    # content/rubric.yaml (FORMAT.md §2)
    Shape(
        "rubric",
        "the rubric",
        (
            req("year", WHOLE),
            req("title", TEXT),
            req("period", mapping("period")),
            opt("total", DECIMAL),
            opt("notice", mapping("notice")),
            req("lines", list_of("line")),
            req("awards", list_of("award")),
            req("measures", list_of_scalars(Kind.TEXT)),
            opt("appeal_days", WHOLE),
            opt("schedule", mapping("schedule")),
            req("indicators", list_of("indicator")),
        ),
    ),
    Shape("period", "period", (req("from", DATE), req("to", DATE))),
    Shape(
        "schedule",
        "schedule",
        (
            opt("year_end", mapping("window")),
            opt("consent_by", list_of_scalars(Kind.TEXT)),
            opt("assessment", mapping("window")),
        ),
    ),
    Shape("window", "a window of days", (req("from", DATE), req("to", DATE))),
    Shape(
        "notice",
        "notice",
        (
            req("issuers", list_of_scalars(Kind.TEXT)),
            req("number", TEXT),
            req("date", DATE),
            req("addressee", TEXT),
            req("title", TEXT),
            opt("copy_to", TEXT),
            opt("printer", TEXT),
            opt("sealed", BOOL),
            opt("strict_fonts", BOOL),
            req("body", TEXT),
        ),
    ),
    Shape("line", "a line", (req("id", ID), req("name", TEXT), opt("lead", TEXT), opt("reviewer", TEXT))),
    Shape(
        "award",
        "an award",
        (req("name", TEXT), req("from_rank", WHOLE), req("to_rank", WHOLE), req("reward", WHOLE)),
    ),
    Shape(
        "indicator",
        "an indicator",
        (
            req("id", ID),
            opt("name", TEXT, "label"),  # exactly one of name and goal
            opt("goal", TEXT, "label"),
            req("points", DECIMAL),
            opt("line", ID),
            opt("veto_allowed", BOOL),
            opt("bonus_allowed", BOOL),
            opt("method", TEXT, "form"),  # a node has one of method, rules and children
            opt("unit", TEXT, "ratio"),  # the ratio keys belong only with method: ratio
            opt("targets", ids_to_scalars(Kind.DECIMAL), "ratio"),
            opt("zero_below", DECIMAL, "ratio"),
            opt("bonus", mapping("bonus"), "ratio"),
            opt("rules", list_of("rule"), "form"),
            opt("children", list_of("indicator"), "form"),
        ),
    ),
    Shape("bonus", "bonus", (req("step", DECIMAL), req("add", DECIMAL), req("max", DECIMAL))),
    Shape(
        "rule",
        "a rule",
        (
            req("id", ID),
            req("text", TEXT),
            opt("per", DECIMAL, "kind"),  # one kind; veto may join per
            opt("add", DECIMAL, "kind"),
            opt("discretionary", BOOL, "kind"),
            opt("zero", BOOL, "kind"),
            opt("veto", BOOL),
        ),
    ),
    # content/communities.yaml (§3)
    Shape("communities", "communities.yaml", (opt("sample", BOOL), req("communities", list_of("community")))),
    Shape(
        "community",
        "a community",
        (req("id", ID), req("name", TEXT), req("secretary", TEXT), opt("staff", ids_to_scalars(Kind.TEXT))),
    ),
    # content/ledgers/<line>.yaml (§4)
    Shape(
        "ledger",
        "a ledger",
        (
            req("line", ID),
            req("year", WHOLE),
            opt("review", mapping("review")),
            opt("visits", list_of("visit")),
            req("entries", list_of("entry")),
        ),
    ),
    Shape("review", "review", (req("by", TEXT), req("date", DATE))),
    Shape("visit", "a visit", (req("date", DATE), opt("consent", mapping("consent")), opt("note", TEXT))),
    Shape("consent", "consent", (req("by", TEXT), req("date", DATE))),
    Shape(
        "entry",
        "an entry",
        (
            req("date", DATE),
            req("community", REF),
            opt("rule", REF, "cites"),  # exactly one of rule and indicator
            opt("indicator", REF, "cites"),
            opt("count", WHOLE),
            opt("deduct", DECIMAL),
            opt("amount", DECIMAL),
            opt("note", TEXT),
            opt("evidence", TEXT),
            opt("internal", BOOL),  # note and evidence stay out of the public edition
        ),
    ),
    # content/history/<year>.yaml (§5)
    Shape("history", "a history year", (req("year", WHOLE), req("communities", list_of("history-row")))),
    Shape(
        "history-row",
        "a history row",
        (
            req("id", REF),
            opt("name", TEXT),
            req("total", DECIMAL),
            req("rank", WHOLE),
            opt("vetoed", BOOL),
            req("secretary", TEXT),
            opt("categories", ids_to("history-category")),
        ),
    ),
    Shape("history-category", "a category", (req("score", DECIMAL), req("rank", WHOLE), opt("staff", TEXT))),
    # content/decision.yaml (§6)
    Shape(
        "decision",
        "the decision",
        (
            req("meeting", DATE),
            req("minutes", TEXT),
            opt("results_sha256", TEXT),
            req("notice", mapping("decision-notice")),
            opt("exemptions", list_of("exemption")),
        ),
    ),
    Shape(
        "decision-notice",
        "the decision's notice",
        (req("number", TEXT), req("date", DATE), opt("letter_number", TEXT)),
    ),
    Shape("exemption", "an exemption", (req("community", REF), req("person", TEXT), req("reason", TEXT))),
    # content/publicity.yaml (§6a): the 公示, its objections and their 复核
    Shape(
        "publicity",
        "the 公示",
        (
            req("from", DATE),
            req("working_days", WHOLE),
            opt("place", TEXT),
            opt("address", TEXT),
            opt("phone", TEXT),
            opt("email", TEXT),
            opt("posted", TEXT),
            opt("objections", list_of("objection")),
        ),
    ),
    Shape(
        "objection",
        "an objection",
        (
            req("id", ID),
            req("by", TEXT),
            req("community", REF),
            opt("entry", REF),
            req("received", DATE),
            req("says", TEXT),
            opt("review", mapping("objection-review")),
        ),
    ),
    Shape(
        "objection-review",
        "an objection's 复核",
        (
            req("upheld", BOOL),
            req("reason", TEXT),
            req("date", DATE),
            req("by", TEXT),
            opt("change", TEXT),
        ),
    ),
)


def shapes_below(shape: str) -> Iterator[Shape]:
    """``shape`` and every shape reachable from it, each once, depth first in key order."""
    seen: set[str] = set()
    stack = [shape]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        yield SHAPES[name]
        stack.extend(reversed([k.value.shape for k in SHAPES[name].keys if k.value.shape is not None]))


# --- where the files live ---------------------------------------------------------------

CONTENT_DIR = "content"
RUBRIC_PATH = "content/rubric.yaml"
COMMUNITIES_PATH = "content/communities.yaml"
DECISION_PATH = "content/decision.yaml"
PUBLICITY_PATH = "content/publicity.yaml"
LEDGER_DIR = "content/ledgers"
HISTORY_DIR = "content/history"
SUFFIX = ".yaml"


def ledger_path(line: str) -> str:
    """Where the ledger of ``line`` lives: ``content/ledgers/party.yaml``."""
    return f"{LEDGER_DIR}/{line}{SUFFIX}"


@dataclass(frozen=True)
class ContentFile:
    """One kind of content file: a single ``path``, or every ``*.yaml`` directly in ``folder``."""

    shape: str
    path: str | None = None
    folder: str | None = None
    required: bool = True  # a single file that must exist (a missing folder just holds no files)

    def matches(self, relpath: str) -> bool:
        if self.path is not None:
            return relpath == self.path
        path = PurePosixPath(relpath)
        return path.suffix == SUFFIX and str(path.parent) == self.folder

    @property
    def pattern(self) -> str:
        """``content/rubric.yaml`` or ``content/ledgers/*.yaml``."""
        return self.path if self.path is not None else f"{self.folder}/*{SUFFIX}"


FILES: tuple[ContentFile, ...] = (
    ContentFile("rubric", path=RUBRIC_PATH),
    ContentFile("communities", path=COMMUNITIES_PATH),
    ContentFile("decision", path=DECISION_PATH, required=False),  # written after the 班子会
    ContentFile("publicity", path=PUBLICITY_PATH, required=False),  # written when the 公示 starts
    ContentFile("ledger", folder=LEDGER_DIR),
    ContentFile("history", folder=HISTORY_DIR),
)


def content_file(relpath: str) -> ContentFile | None:
    """The kind of content file at ``relpath`` (relative to the project root), or ``None``."""
    return next((kind for kind in FILES if kind.matches(relpath)), None)


def file_shape(relpath: str) -> str | None:
    """The shape of a content file's top level by its path relative to the project root, or ``None``."""
    kind = content_file(relpath)
    return kind.shape if kind is not None else None


def file_patterns() -> str:
    """Every kind of content file, for messages: ``content/rubric.yaml, …, content/history/*.yaml``."""
    return ", ".join(kind.pattern for kind in FILES)
