"""The fingerprint's fast encoder says exactly what the plain definition of the canonical form says.

The reference below is the definition written the obvious way: every model value to
plain JSON data, every list of records sorted (by id, else by its whole JSON text with
the encoder's default spacing), then one ``json.dumps`` with sorted keys. The encoder
must give the same text, hence the same ``content_sha256``, on real and generated content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

import pytest
from support import SAMPLE_CONTENT, MemorySource, small_project

from kaohe.content.load import load_content
from kaohe.content.model import Content
from kaohe.content.source import WorkingTree
from kaohe.scoring.fingerprint import LEFT_OUT, content_form, content_sha256, encoded


def reference_plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kept = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in LEFT_OUT or (f.default is not dataclasses.MISSING and item == f.default):
                continue
            kept[f.name] = reference_plain(item)
        return kept
    if isinstance(value, Mapping):
        return {str(k): reference_plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [reference_plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def reference_order(value: object, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: reference_order(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [reference_order(item) for item in value]
        if key in ("awards", "measures", "issuers") or not all(isinstance(i, dict) for i in items):
            return items
        if all({"id", "full_id"} & i.keys() for i in items if isinstance(i, dict)):
            return sorted(items, key=lambda r: str(r.get("full_id", r.get("id"))) if isinstance(r, dict) else "")
        return sorted(items, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))
    return value


def reference_sha256(content: Content) -> str:
    form = reference_order(reference_plain(content_form(content)))
    return hashlib.sha256(
        json.dumps(form, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def test_the_sample_year_hashes_as_the_definition_says() -> None:
    content = load_content(WorkingTree(SAMPLE_CONTENT.parent)).content
    assert content_sha256(content) == reference_sha256(content)


@pytest.mark.parametrize("seed", range(6))
def test_random_ledgers_hash_as_the_definition_says(seed: int) -> None:
    """Notes that are prefixes of each other, equal dates, spaces and quotes: where orders could part."""
    rng = random.Random(seed)
    notes = ["a", "a b", "ab", 'a"b', "a,b", "a: b", "", "检查", "检查 发现", "1", "12"]
    rows = []
    for _ in range(40):
        day = date(2008, 1, 1) + timedelta(days=rng.randrange(3))
        community = rng.choice(["c1", "c2"])
        rule = rng.choice(["work.rules.each", "work.other.each"])
        note = json.dumps(rng.choice(notes), ensure_ascii=False)
        count = f", count: {rng.randint(1, 12)}" if rng.random() < 0.5 else ""
        rows.append(f"- {{date: {day}, community: {community}, rule: {rule}{count}, note: {note}}}\n")
    source: MemorySource = small_project(entries_a="".join(rows))
    content = load_content(source).content
    assert content.ledgers and content.ledgers[0].entries
    assert content_sha256(content) == reference_sha256(content)


def test_records_are_sorted_by_their_text_and_lists_of_words_keep_their_order() -> None:
    @dataclasses.dataclass(frozen=True)
    class Row:
        note: str
        tags: tuple[str, ...] = ()

    # by text: '{"note":"a b"}' < '{"note":"a"}', as a space (U+0020) sorts before the closing quote (U+0022)
    assert encoded([Row("b"), Row("a"), Row("a b")]) == '[{"note":"a b"},{"note":"a"},{"note":"b"}]'
    assert encoded(Row("x", ("z", "y"))) == '{"note":"x","tags":["z","y"]}'


def test_decimals_dates_and_keys_are_written_in_canonical_form() -> None:
    assert encoded({"b": 1, "a": Decimal("0.50"), "c": date(2008, 1, 2)}) == '{"a":"0.5","b":1,"c":"2008-01-02"}'
