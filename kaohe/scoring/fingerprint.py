"""The fingerprint of what the content says: the approval covers it, not only the computed numbers.

``content_sha256`` in ``results.json`` is the SHA-256 of a canonical form of the
loaded content: the rubric, the communities and their people, every ledger
entry with its date, note and evidence, the reviews, the history years and the
exemptions. So a note or a secretary's name edited after the 班子会 changes
``results_sha256`` and voids the approval, though no score moves.

What does not count: where a value stands in a file (positions, key order,
quoting, comments, blank lines: ``fmt`` never voids an approval), the order of
entries, communities, lines, rules and indicators (they are sorted by content
or id), and the decision itself (apart from its exemptions, which change the
measures), since the decision records the hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from kaohe.content.model import Content

LEFT_OUT = frozenset({"pos", "spots", "path"})  # where a value stands, never what it says
ORDER_FREE_IDS = frozenset({"id", "full_id"})  # lists of these are sorted by id


def plain(value: object) -> object:
    """A JSON-able form of a model value, with lists in an order that does not depend on the files."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in LEFT_OUT}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in sorted(value.items(), key=lambda pair: str(pair[0]))}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def sorted_records(records: list[object]) -> list[object]:
    """Records with an id by id; any other records by their whole text."""
    if all(isinstance(r, dict) and ORDER_FREE_IDS & r.keys() for r in records):
        return sorted(records, key=lambda r: str(r.get("full_id", r.get("id"))) if isinstance(r, dict) else "")
    return sorted(records, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


def order_free(value: object, key: str = "") -> object:
    """Sort every list of records (entries, communities, lines, indicators, rules); keep lists of words in order."""
    if isinstance(value, dict):
        return {k: order_free(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [order_free(item) for item in value]
        keeps_order = key in ("awards", "measures", "issuers")  # their order means something
        return items if keeps_order or not all(isinstance(i, dict) for i in items) else sorted_records(items)
    return value


def content_form(content: Content) -> dict[str, object]:
    decision = content.decision
    return {
        "rubric": plain(content.rubric),
        "communities": plain(content.communities),
        "sample": content.sample,
        "ledgers": plain(content.ledgers),
        "history": plain(content.history),
        "exemptions": plain(decision.exemptions) if decision is not None else [],
    }


def content_sha256(content: Content) -> str:
    canonical = order_free(content_form(content))
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
