"""Property: for many generated ledgers, ``fmt`` loses no data and no comment, and is idempotent.

The ledgers are written the way people write YAML by hand: keys in any order,
plain, single- or double-quoted text, 2- or 4-space indentation, flow or block
``review``, block or flow (``- {date: …}``) entries, comments at the end of lines,
before and between entries (at any indentation) and between keys, blank lines,
``\n`` or ``\r\n`` line ends. Every comment carries a unique marker so its survival
can be checked.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from support import MemorySource

from kaohe.actions.fmt import format_text
from kaohe.content.canonical import canonical_text, comment_lines, same_data
from kaohe.content.load import load_ledger
from kaohe.content.model import Ledger
from kaohe.content.schema import SHAPES
from kaohe.errors import Diagnostic

PATH = "content/ledgers/a.yaml"
LEDGER_KEYS = SHAPES["ledger"].names
ENTRY_KEYS = SHAPES["entry"].names
RULES = ["work.rules.each", "work.rules.judge", "work.rules.none", "work.other.each", "money.extra.plus"]
PLAIN_CHARS = "检查台帐发现问题社区工作党员制度未建立abcXYZ0123456789（），。、 "
TRICKY_CHARS = "检查abc 0.9:#'\"*-&!|>%@`[]{},?中\\\n"


@dataclass
class Writer:
    """Builds the text of one ledger, numbering every comment it writes."""

    draw: st.DrawFn
    counter: itertools.count[int]
    comments: list[str]

    def comment(self, kind: str) -> str:
        marker = f"{kind}{next(self.counter)} 注释"
        self.comments.append(marker)
        return f"# {marker}"

    def maybe_eol(self) -> str:
        return f"{' ' * self.draw(st.integers(1, 4))}{self.comment('e')}" if self.draw(st.booleans()) else ""

    def full_lines(self, indent: int) -> list[str]:
        lines: list[str] = []
        for _ in range(self.draw(st.integers(0, 2))):
            lines.append("" if self.draw(st.booleans()) else " " * indent + self.comment("c"))
        return lines

    def text(self, value: str) -> str:
        """``value`` plain, single- or double-quoted: always read back as the same text."""
        style = self.draw(st.sampled_from(["plain", "single", "double"]))
        if style == "plain" and is_plain_safe(value):
            return value
        if style == "single" and "\n" not in value:
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)


def is_plain_safe(value: str) -> bool:
    return (
        bool(value) and value == value.strip() and value[0] not in "0123456789" and all(c in PLAIN_CHARS for c in value)
    )


def entry_fields(draw: st.DrawFn, w: Writer) -> list[tuple[str, str]]:
    day = draw(st.dates(min_value=date(2008, 1, 1), max_value=date(2008, 12, 31)))
    fields = [
        ("date", day.isoformat() if draw(st.booleans()) else w.text(day.isoformat())),
        ("community", w.text(draw(st.sampled_from(["c1", "c2", "c3"])))),
        ("rule", w.text(draw(st.sampled_from(RULES)))),
    ]
    if draw(st.booleans()):
        fields.append(("count", str(draw(st.integers(1, 5)))))
    if draw(st.booleans()):
        deduct = draw(st.sampled_from(["0.5", "0.05", "1", ".5", "0.10"]))
        fields.append(("deduct", deduct if draw(st.booleans()) else f'"{deduct}"'))
    note_alphabet = draw(st.sampled_from([PLAIN_CHARS, TRICKY_CHARS]))
    fields.append(("note", w.text(draw(st.text(note_alphabet, min_size=1, max_size=30)))))
    if draw(st.booleans()):
        fields.append(("evidence", w.text(draw(st.text(TRICKY_CHARS, min_size=1, max_size=20)))))
    return draw(st.permutations(fields))


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[str, list[str]]:
    """The text of a ledger, and the markers of every comment in it."""
    w = Writer(draw, itertools.count(), [])
    step = draw(st.sampled_from([2, 4]))  # indentation of keys under a key
    dash = draw(st.sampled_from([0, 2, 4]))  # indentation of '- ' under 'entries:'
    blocks: dict[str, list[str]] = {
        "line": [f"line: {w.text('a')}{w.maybe_eol()}"],
        "year": [f"year: 2008{w.maybe_eol()}"],
    }
    if draw(st.booleans()):
        blocks["review"] = [f"review: {{by: {w.text('审核人')}, date: 2009-01-05}}{w.maybe_eol()}"]
    else:
        blocks["review"] = [f"review:{w.maybe_eol()}", *w.full_lines(step)]
        blocks["review"] += [
            f"{' ' * step}{k}: {v}{w.maybe_eol()}"
            for k, v in draw(st.permutations([("by", w.text("审核人")), ("date", "2009-01-05")]))
        ]
    entries = [f"entries:{w.maybe_eol()}"]
    for _ in range(draw(st.integers(1, 5))):
        entries += w.full_lines(draw(st.sampled_from([dash, dash, 0, dash + 2])))  # comment lines before an entry
        fields = entry_fields(draw, w)
        if draw(st.integers(0, 2)) == 0:  # the README's other kinds of entry: one line, often a comment after it
            body = ", ".join(f"{key}: {value}" for key, value in fields)
            entries.append(f"{' ' * dash}- {{{body}}}{w.maybe_eol()}")
            continue
        for index, (key, value) in enumerate(fields):
            lead = " " * dash + "- " if index == 0 else " " * (dash + 2)
            entries.append(f"{lead}{key}: {value}{w.maybe_eol()}")
            if index > 0 and draw(st.integers(0, 5)) == 0:
                entries += w.full_lines(dash + 2)
    blocks["entries"] = entries
    order = draw(st.permutations(list(blocks)))
    lines = w.full_lines(0)
    for name in order:
        lines += blocks[name] + w.full_lines(0)
    return "\n".join(lines) + "\n", w.comments


CUT_SHORT = "'#' after a space starts a YAML comment"  # kaohe.content.comments


def loaded(text: str) -> tuple[Ledger | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    return load_ledger(MemorySource({PATH: text}), PATH, problems), problems


def entry_data(ledger: Ledger | None) -> list[tuple[object, ...]]:
    assert ledger is not None
    return [
        (e.date, e.community, e.rule, e.indicator, e.count, e.deduct, e.amount, e.note, e.evidence)
        for e in ledger.entries
    ]


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.sampled_from(["\n", "\n", "\r\n"]))
def test_fmt_keeps_every_entry_and_every_comment(generated: tuple[str, list[str]], line_end: str) -> None:
    lf_text, comments = generated
    text = lf_text.replace("\n", line_end)
    before, problems = loaded(text)
    # a comment one space after an unquoted note is warned about (most are typed into the note): fmt keeps it so
    cut_short = [p.message for p in problems if CUT_SHORT in p.message]
    assert len(cut_short) == len(problems), (text, [str(p) for p in problems])

    formatted = format_text(PATH, text)
    assert formatted.problem is None, (text, formatted.problem)
    assert formatted.after is not None
    after, after_problems = loaded(formatted.after)
    assert [p.message for p in after_problems] == cut_short  # the same warnings, no other problem
    assert entry_data(after) == entry_data(before)
    assert after is not None and before is not None
    assert (after.line, after.year, after.review) == (before.line, before.year, before.review)
    assert same_data(PATH, text, formatted.after)
    for marker in comments:
        assert formatted.after.count(f"# {marker}") == 1, (marker, text, formatted.after)
    assert comment_lines(formatted.after) == comment_lines(text)
    assert canonical_text(PATH, formatted.after) == formatted.after, "fmt is idempotent"
    assert_canonical_shape(formatted.after)
    assert "\r" not in formatted.after
    assert formatted.after.endswith("\n") and not formatted.after.endswith("\n\n"), "one final newline"
    if line_end != "\n":
        assert format_text(PATH, lf_text).after == formatted.after, "the line ends make no other difference"


def assert_canonical_shape(text: str) -> None:
    """Keys in FORMAT.md order, text never single-quoted."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    data = yaml.load(text)
    assert [k for k in data if k in LEDGER_KEYS] == [k for k in LEDGER_KEYS if k in data]
    for entry in data["entries"]:
        assert list(entry) == [k for k in ENTRY_KEYS if k in entry]
        assert not any(isinstance(v, SingleQuotedScalarString) for v in entry.values()), entry
