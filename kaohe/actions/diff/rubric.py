"""What changed in the rubric (细则): settings, indicators and rules, by full id.

Positions never count: moving a rule within the file is no change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from kaohe.content.model import Award, Bonus, Indicator, Line, Rubric, Rule
from kaohe.numbers import as_written
from kaohe.scoring.delta import ADDED, CHANGED, REMOVED


@dataclass(frozen=True)
class RubricChange:
    change: str  # added | removed | changed
    kind: str  # setting | indicator | rule
    id: str  # the setting's name or the full id
    detail: str  # "per 0.1 → 0.2" or, for added and removed, what it is


def show(value: object) -> str:
    """A rubric value as written in the rubric."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return as_written(value)
    if isinstance(value, Bonus):
        return f"step {show(value.step)}, add {show(value.add)}, max {show(value.max)}"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def show_award(award: Award) -> str:
    return f"{award.name} {award.from_rank}–{award.to_rank} {award.reward}"


def show_line(line: Line) -> str:
    return f"{line.id} {line.name}"


SETTINGS: tuple[tuple[str, Callable[[Rubric], object]], ...] = (
    ("year", lambda r: r.year),
    ("title", lambda r: r.title),
    ("period", lambda r: f"{r.period_from} – {r.period_to}"),
    ("total", lambda r: r.total),
    ("lines", lambda r: tuple(show_line(line) for line in r.lines)),
    ("awards", lambda r: tuple(show_award(a) for a in r.awards)),
    ("measures", lambda r: r.measures),
    ("notice", lambda r: r.notice),
)

INDICATOR_FIELDS = (
    "label", "points", "line", "method", "unit", "targets", "zero_below", "bonus", "veto_allowed", "bonus_allowed",
)  # fmt: skip
RULE_FIELDS = ("text", "per", "add", "discretionary", "zero", "veto")


def setting_changes(old: Rubric, new: Rubric) -> Iterator[RubricChange]:
    for name, read in SETTINGS:
        before, after = read(old), read(new)
        if before != after:
            detail = "changed" if name == "notice" else f"{show(before)} → {show(after)}"
            yield RubricChange(CHANGED, "setting", name, detail)


def _field_changes(old: object, new: object, fields: tuple[str, ...]) -> str:
    return "; ".join(
        f"{name} {show(getattr(old, name))} → {show(getattr(new, name))}"
        for name in fields
        if getattr(old, name) != getattr(new, name)
    )


def _describe_indicator(node: Indicator) -> str:
    return f"{node.label} ({show(node.points)})"


def indicator_changes(old: Rubric, new: Rubric) -> Iterator[RubricChange]:
    before, after = old.indicator_index(), new.indicator_index()
    for full_id, node in after.items():
        if full_id not in before:
            yield RubricChange(ADDED, "indicator", full_id, _describe_indicator(node))
        elif detail := _field_changes(before[full_id], node, INDICATOR_FIELDS):
            yield RubricChange(CHANGED, "indicator", full_id, detail)
    for full_id, node in before.items():
        if full_id not in after:
            yield RubricChange(REMOVED, "indicator", full_id, _describe_indicator(node))


def _rules(rubric: Rubric) -> dict[str, Rule]:
    return {rule_id: rule for rule_id, (_leaf, rule) in rubric.rule_index().items()}


def rule_changes(old: Rubric, new: Rubric) -> Iterator[RubricChange]:
    before, after = _rules(old), _rules(new)
    for full_id, rule in after.items():
        if full_id not in before:
            yield RubricChange(ADDED, "rule", full_id, rule.text)
        elif detail := _field_changes(before[full_id], rule, RULE_FIELDS):
            yield RubricChange(CHANGED, "rule", full_id, detail)
    for full_id, rule in before.items():
        if full_id not in after:
            yield RubricChange(REMOVED, "rule", full_id, rule.text)


def rubric_changes(old: Rubric | None, new: Rubric | None) -> tuple[RubricChange, ...]:
    """Every difference between two rubrics that can change what the ledgers mean."""
    if old is None or new is None:
        return ()
    return (*setting_changes(old, new), *indicator_changes(old, new), *rule_changes(old, new))
