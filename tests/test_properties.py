"""Property tests: any mutation of a valid ledger yields diagnostics with positions, never a traceback."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from support import MemorySource, ledger_yaml, small_project

from kaohe.pipeline import run

VALID_ENTRIES = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 两项制度不全}
- {date: 2008-04-02, community: c2, rule: work.rules.judge, deduct: 0.5, note: 酌情}
- {date: 2008-05-03, community: c3, rule: work.rules.none, note: 违纪, evidence: "**记录**"}
"""
VALID_B = """\
- {date: 2008-06-01, community: c1, indicator: money.invest, amount: 120, note: 项目}
- {date: 2008-07-01, community: c2, rule: safe.accident.death, note: 事故}
"""
LEDGER_PATH = "content/ledgers/a.yaml"


def check_positions(source: MemorySource) -> None:
    outcome = run(source)  # must not raise
    for diagnostic in outcome.diagnostics:
        assert diagnostic.pos.path in source.files, diagnostic
        assert diagnostic.pos.line >= 1 and diagnostic.pos.col >= 1, diagnostic
        lines = source.files[diagnostic.pos.path].splitlines() or [""]
        assert diagnostic.pos.line <= len(lines) + 1, diagnostic
        assert diagnostic.message, diagnostic


def valid_text() -> str:
    return ledger_yaml("a", VALID_ENTRIES)


def test_the_unmutated_ledgers_are_valid() -> None:
    outcome = run(small_project(VALID_ENTRIES, VALID_B))
    assert [str(d) for d in outcome.diagnostics] == []


text_edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(list(" :-{}[],'\"#\n\tx0.9é中&*!|>%@`")),
    ),
    min_size=1,
    max_size=6,
)


def apply_edits(text: str, edits: list[tuple[str, int, str]]) -> str:
    for kind, where, char in edits:
        at = where % (len(text) + 1)
        if kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "insert":
            text = text[:at] + char + text[at:]
        else:
            text = text[:at] + char + text[at + 1 :]
    return text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_edits)
def test_character_edits_never_raise_and_every_diagnostic_has_a_position(edits: list[tuple[str, int, str]]) -> None:
    source = small_project(VALID_ENTRIES, VALID_B)
    source.files[LEDGER_PATH] = apply_edits(valid_text(), edits)
    check_positions(source)


yaml_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-5, max_value=10_000),
        st.text(max_size=12),
        st.sampled_from(["2008-02-30", "2008-13-01", "1e3", ".inf", "0.1", "-0.5", "c9", "work.rules.eech"]),
        st.dates().map(str),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=5,
)
fields = st.sampled_from(
    ["date", "community", "rule", "indicator", "count", "deduct", "amount", "note", "evidence", "x"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 2), fields, st.one_of(yaml_values, st.just("__delete__"))), min_size=1, max_size=4
    )
)
def test_field_mutations_never_raise_and_every_diagnostic_has_a_position(
    changes: list[tuple[int, str, Any]],
) -> None:
    yaml = YAML()
    data = yaml.load(valid_text())
    for index, key, value in changes:
        entry = data["entries"][index]
        if value == "__delete__":
            entry.pop(key, None)
        else:
            entry[key] = value
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    source = small_project(VALID_ENTRIES, VALID_B)
    source.files[LEDGER_PATH] = buffer.getvalue()
    check_positions(source)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_edits)
def test_rubric_edits_never_raise(edits: list[tuple[str, int, str]]) -> None:
    source = small_project(VALID_ENTRIES, VALID_B)
    source.files["content/rubric.yaml"] = apply_edits(source.files["content/rubric.yaml"], edits)
    check_positions(source)
