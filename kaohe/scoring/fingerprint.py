"""The fingerprint of what the content says: the approval covers it, not only the computed numbers.

``content_sha256`` in ``results.json`` is the SHA-256 of a canonical form of the
loaded content: the rubric, the communities and their people, every ledger
entry with its date, note and evidence, the reviews, the history years, the
exemptions, and the 公示 with its objections and their 复核 (when there is one). So a note or a secretary's name edited after the 班子会 changes
``results_sha256`` and voids the approval, though no score moves.

What does not count: where a value stands in a file (positions, key order,
quoting, comments, blank lines: ``fmt`` never voids an approval), the order of
entries, communities, lines, rules and indicators (they are sorted by content
or id), and the decision itself (apart from its exemptions, which change the
measures), since the decision records the hash. A field that holds its default
is left out: a later version of the tool that adds a setting (whose default
keeps the old behaviour) leaves the fingerprint, and so every approval, as it was.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from kaohe.content.model import Content

LEFT_OUT = frozenset({"pos", "spots", "path"})  # where a value stands, never what it says
ORDER_FREE_IDS = frozenset({"id", "full_id"})  # lists of these are sorted by id


ATOMS = (str, int, bool, type(None))  # JSON-able as they are: most values of a ledger
KEEPS_ORDER = frozenset({"awards", "measures", "issuers"})  # lists whose order means something
NO_DEFAULT = object()


@functools.cache
def kept_fields(kind: type) -> tuple[tuple[str, object], ...]:
    """The fields of a model class that say something (positions left out), each with its default, once per class."""
    return tuple(
        (f.name, NO_DEFAULT if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(kind)
        if f.name not in LEFT_OUT
    )


def fields_of(value: object) -> dict[str, object] | None:
    """A record's fields by name: a model object's (those at their default left out, so that a setting
    added to the format later leaves the fingerprint of existing content as it was) or a mapping's;
    None for anything that is not a record."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            name: item
            for name, default in kept_fields(type(value))
            if (item := getattr(value, name)) is not default and item != default
        }
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    return None


def flat_record(fields: dict[str, object]) -> dict[str, object] | None:
    """The fields as JSON data when each is a single value (text, number, decimal, date); else None."""
    flat: dict[str, object] = {}
    for name, item in fields.items():
        if isinstance(item, ATOMS):
            flat[name] = item
        elif isinstance(item, Decimal):
            flat[name] = format(item.normalize(), "f")
        elif isinstance(item, date):
            flat[name] = item.isoformat()
        else:
            return None
    return flat


def by_name(field: tuple[str, object]) -> str:
    return field[0]


def text(value: str | int | bool | None) -> str:
    return json.dumps(value, ensure_ascii=False)


def encoded(value: object, key: str = "") -> str:
    """The canonical JSON text of a model value (compact, keys sorted), ``key`` the name it stands under.

    Records become objects; decimals the shortest text of their value (``"0.5"``), dates ISO text.
    A list of records is sorted (by id where every record has one, else by its own text),
    except the lists of :data:`KEEPS_ORDER`; a list of words keeps its order.
    """
    if isinstance(value, ATOMS):
        return text(value)
    if isinstance(value, Decimal):
        return text(format(value.normalize(), "f"))
    if isinstance(value, date):
        return text(value.isoformat())
    fields = fields_of(value)
    if fields is not None:
        return record_text(fields)
    if isinstance(value, tuple | list):
        return "[" + ",".join(in_canonical_order(value, key)) + "]"
    return text(str(value))


def record_text(fields: dict[str, object]) -> str:
    flat = flat_record(fields)
    if flat is not None:  # most records (ledger entries): one call of the C encoder
        return json.dumps(flat, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    inner = ",".join(f"{text(name)}:{encoded(item, name)}" for name, item in sorted(fields.items(), key=by_name))
    return "{" + inner + "}"


def in_canonical_order(items: tuple[object, ...] | list[object], key: str) -> list[str]:
    """The texts of ``items``, sorted when they are records whose order the files decide.

    Sorting records by their compact text orders them as sorting by any other spacing of the
    same JSON would: two texts first differ inside a value or a key, never at a separator.
    """
    records = [fields_of(item) for item in items]
    texts = [
        encoded(item) if fields is None else record_text(fields) for item, fields in zip(items, records, strict=True)
    ]
    if key in KEEPS_ORDER or any(fields is None for fields in records):
        return texts
    if all(ORDER_FREE_IDS & fields.keys() for fields in records if fields is not None):
        ids = [str(fields.get("full_id", fields.get("id"))) for fields in records if fields is not None]
        return [t for _id, _index, t in sorted(zip(ids, range(len(texts)), texts, strict=True))]
    return sorted(texts)


def content_form(content: Content) -> dict[str, object]:
    """What the fingerprint covers, by part."""
    decision = content.decision
    form: dict[str, object] = {
        "rubric": content.rubric,
        "communities": content.communities,
        "sample": content.sample,
        "ledgers": content.ledgers,
        "history": content.history,
        "exemptions": decision.exemptions if decision is not None else [],
    }
    if content.publicity is not None:  # left out when there is none: earlier approvals stay as they were
        form["publicity"] = content.publicity
    return form


def content_sha256(content: Content) -> str:
    return hashlib.sha256(encoded(content_form(content)).encode("utf-8")).hexdigest()
