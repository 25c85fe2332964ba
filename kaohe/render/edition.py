"""The public edition (``build --public`` → ``output-public/``): what it leaves out, as data, and the redaction.

The public edition is what goes on a notice board or a public web site. It is rendered by the
same renderers from the same results, redacted first by :func:`public_results`:

- every field that names a person (:data:`PERSON_FIELDS`) is emptied;
- the note and evidence of an entry marked ``internal: true`` (:data:`INTERNAL_FIELDS`) are emptied;
- the measures against persons and their exemptions (:data:`MEASURE_FIELDS`) are left out;
- the renderers, told by ``RenderEnv.public``, leave out what would show the rest: the
  sections and columns of names and measures, documents flagged ``internal``, git author
  names and e-mail addresses (the provenance keeps only the date).

Scores, ranks, awards, vetoes and the rubric stay as they are. Every text key of the content
schema is sorted here into one of four groups (names, internal notes, measures, public text);
a test checks that none is missing, so a new key that names a person cannot slip through.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from kaohe.content import model
from kaohe.errors import Pos
from kaohe.scoring.results import Results, results_dict, serialise, sha256_of

PUBLIC_DIR = "output-public"  # beside output/
EDITION = "edition"  # the key of the public results.json that says which edition it is
PUBLIC = "public"
WITHHELD_RESULTS_KEYS = ("measures",)  # keys of results.json the public edition leaves out


@dataclass(frozen=True)
class Field:
    """A content key (``shape``/``key`` of :data:`kaohe.content.schema.SHAPES`) and the model field holding it."""

    shape: str
    key: str
    model: type
    attr: str


# Every content key that names a person: emptied in the public edition.
PERSON_FIELDS: tuple[Field, ...] = (
    Field("community", "secretary", model.Community, "secretary"),
    Field("community", "staff", model.Community, "staff"),
    Field("line", "lead", model.Line, "lead"),
    Field("line", "reviewer", model.Line, "reviewer"),
    Field("review", "by", model.Review, "by"),
    Field("schedule", "consent_by", model.Schedule, "consent_by"),
    Field("consent", "by", model.Consent, "by"),
    Field("history-row", "secretary", model.HistoryCommunity, "secretary"),
    Field("history-category", "staff", model.HistoryCategory, "staff"),
    Field("exemption", "person", model.Exemption, "person"),
    Field("objection", "by", model.Objection, "by"),
    Field("objection-review", "by", model.ObjectionReview, "by"),
)

# Emptied only where the entry says ``internal: true``.
INTERNAL_FIELDS: tuple[Field, ...] = (
    Field("entry", "note", model.Entry, "note"),
    Field("entry", "evidence", model.Entry, "evidence"),
)
INTERNAL_FLAG = "internal"

# The measures go (Results.measures), and with them what only they use.
MEASURE_FIELDS: tuple[Field, ...] = (
    Field("exemption", "reason", model.Decision, "exemptions"),  # the whole exemption goes
)

# Every other text key of the content: shown in both editions, as (shape, key).
PUBLIC_TEXT_KEYS: frozenset[tuple[str, str]] = frozenset(
    {
        ("rubric", "title"),
        ("rubric", "measures"),  # the rubric's rules on measures, not anybody's measure
        ("notice", "issuers"),
        ("notice", "number"),
        ("notice", "addressee"),
        ("notice", "title"),
        ("notice", "copy_to"),
        ("notice", "printer"),
        ("notice", "body"),
        ("line", "name"),
        ("award", "name"),
        ("indicator", "name"),
        ("indicator", "goal"),
        ("indicator", "method"),
        ("indicator", "unit"),
        ("rule", "text"),
        ("community", "name"),
        ("visit", "note"),
        ("history-row", "name"),
        ("decision", "minutes"),
        ("decision", "results_sha256"),
        ("decision-notice", "number"),
        ("decision-notice", "letter_number"),
        ("publicity", "place"),  # where and how to object: the office's own contact, public by purpose
        ("publicity", "address"),
        ("publicity", "phone"),
        ("publicity", "email"),
        ("publicity", "posted"),  # a git revision
        ("objection", "says"),
        ("objection-review", "reason"),
        ("objection-review", "change"),
    }
)


def _by_model(fields: tuple[Field, ...]) -> dict[type, tuple[str, ...]]:
    out: dict[type, tuple[str, ...]] = {}
    for f in fields:
        out[f.model] = (*out.get(f.model, ()), f.attr)
    return out


EMPTIED: Mapping[type, tuple[str, ...]] = _by_model(PERSON_FIELDS + MEASURE_FIELDS)
EMPTIED_IF_INTERNAL: Mapping[type, tuple[str, ...]] = _by_model(INTERNAL_FIELDS) | {
    model.IncompleteEntry: ("note", "evidence")
}


def emptied(value: object) -> object:
    """The empty value of a field's kind: ``""``, ``()`` or ``{}``."""
    if isinstance(value, str):
        return ""
    if isinstance(value, Mapping):
        return {}
    if isinstance(value, tuple):
        return ()
    raise TypeError(f"cannot empty a {type(value).__name__}")


class Redactor:
    """Copies a tree of model objects with every withheld field emptied.

    A part with nothing to withhold below it is kept as it is (the same object), so equal parts stay
    equal (an entry in a ledger and in the effect it had) and a large year is copied only where needed.
    """

    def __init__(self) -> None:
        self.done: dict[int, tuple[object, object]] = {}  # id → (original, copy): the original keeps the id alive

    def __call__(self, value: Any) -> Any:
        if type(value) in ATOMIC_TYPES or isinstance(value, ATOMIC):  # the set first: most values are texts
            return value
        known = self.done.get(id(value))
        if known is not None:
            return known[1]
        copy = self._copy(value)
        self.done[id(value)] = (value, copy)
        return copy

    def _copy(self, value: Any) -> Any:
        if isinstance(value, tuple | list):
            items = [self(item) for item in value]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            kind: Any = type(value)
            return kind._make(items) if hasattr(value, "_fields") else kind(items)  # a named tuple (Pos) stays one
        if type(value) is dict or isinstance(value, Mapping):
            pairs = [(self(key), self(item)) for key, item in value.items()]
            if all(k is old_k and v is old_v for (k, v), (old_k, old_v) in zip(pairs, value.items(), strict=True)):
                return value
            return dict(pairs)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._record(value)
        return value

    def _record(self, value: Any) -> Any:
        kind = type(value)
        gone = EMPTIED.get(kind, ())
        if getattr(value, INTERNAL_FLAG, False) is True:
            gone += EMPTIED_IF_INTERNAL.get(kind, ())
        changes = {}
        for name in init_fields(kind):
            current = getattr(value, name)
            new = emptied(current) if name in gone else self(current)
            if new is not current:
                changes[name] = new
        return replace(value, **changes) if changes else value


ATOMIC = (str, int, float, bool, type(None), Decimal, date, Enum, Pos)  # nothing to withhold inside
ATOMIC_TYPES = frozenset(ATOMIC) - {Enum}


FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def init_fields(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass that ``replace`` takes (looked up once per class)."""
    if kind not in FIELD_NAMES:
        FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    return FIELD_NAMES[kind]


def public_results(results: Results) -> Results:
    """The results the public edition shows: no names, no internal notes, no measures; its own hash."""
    redacted: Results = Redactor()(replace(results, measures=()))
    return replace(redacted, sha256=sha256_of(public_results_dict(redacted)))


def public_results_dict(results: Results) -> dict[str, Any]:
    """The public ``results.json``: the internal one without measures, marked ``"edition": "public"``."""
    data = {key: value for key, value in results_dict(results).items() if key not in WITHHELD_RESULTS_KEYS}
    return data | {EDITION: PUBLIC}


def results_bytes(results: Results, public: bool) -> bytes:
    """The bytes of ``results.json`` in one edition (the internal one exactly as it always was)."""
    return serialise(public_results_dict(results) if public else results_dict(results))
