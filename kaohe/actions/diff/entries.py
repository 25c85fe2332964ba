"""Ledger entries added, removed or changed between two versions, matched by content.

Line numbers mean nothing here: inserting an entry shifts every entry below it.
An entry is unchanged when its whole content (line, date, community, rule or
indicator, count, deduct, amount, note, evidence) appears on both sides. Of the
rest, an old and a new entry are the same entry *changed* when they share the
line, community, citation and date, or else the line, community and note;
everything left over was added or removed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from kaohe.content.model import Content, Entry, Rule
from kaohe.numbers import as_written
from kaohe.render import vocab
from kaohe.scoring.delta import ADDED, CHANGED, REMOVED
from kaohe.scoring.results import Results
from kaohe.scoring.score import EffectKind

FIELDS = ("date", "community", "cites", "count", "deduct", "amount", "note", "evidence")


@dataclass(frozen=True)
class EntryView:
    """An entry as a reviewer reads it, with what it does to the score (``points``)."""

    path: str
    lineno: int
    line: str  # the ledger's line (线) id
    line_name: str
    date: str
    community: str
    community_name: str
    cites: str  # the rule or the indicator
    cites_text: str  # the rule's text or the indicator's name
    count: int | None
    deduct: str | None
    amount: str | None
    note: str
    evidence: str
    quantity: str  # vocab.quantity, what the clerk recorded: "2次", "扣0.5分", "150万元"; "" for a plain rule
    points: str  # vocab.effect_signed: "−0.20", "+1.00", "不得分", "一票否决"; "" for an amount, or when unknown

    def value(self, name: str) -> object:
        return getattr(self, name)


@dataclass(frozen=True)
class EntryChange:
    change: str  # added | removed | changed
    old: EntryView | None
    new: EntryView | None
    fields: tuple[str, ...] = ()  # for a change: the fields that differ

    @property
    def shown(self) -> EntryView:
        view = self.new or self.old
        assert view is not None
        return view


# --- what an entry does -----------------------------------------------------------------


def points_by_entry(results: Results | None) -> dict[Entry, str]:
    """Each entry's effect on its leaf, as shown to a reviewer (:func:`kaohe.render.vocab.effect_signed`)."""
    if results is None:
        return {}
    return {
        effect.entry: vocab.effect_signed(effect, leaf.indicator.unit)
        for community in results.communities
        for leaf in community.score.leaves.values()
        for effect in leaf.effects
        if effect.kind is not EffectKind.AMOUNT  # an amount counts toward a ratio: its column is 次数／金额
    }


@dataclass(frozen=True)
class Names:
    """Names on one side: lines, communities, rule texts and indicator names by id."""

    lines: Mapping[str, str]
    communities: Mapping[str, str]
    cites: Mapping[str, str]
    units: Mapping[str, str] = field(default_factory=dict)  # rule or indicator id → its leaf's unit
    rules: Mapping[str, Rule] = field(default_factory=dict)  # rule id → the rule

    @classmethod
    def of(cls, content: Content | None) -> Names:
        if content is None:
            return cls({}, {}, {})
        rubric = content.rubric
        cites: dict[str, str] = {}
        units: dict[str, str] = {}
        rules: dict[str, Rule] = {}
        if rubric is not None:
            index = rubric.rule_index()
            cites = {node.full_id: node.label for node in rubric.walk()}
            cites |= {rule_id: rule.text for rule_id, (_leaf, rule) in index.items()}
            units = {node.full_id: node.unit for node in rubric.walk()}
            units |= {rule_id: leaf.unit for rule_id, (leaf, _rule) in index.items()}
            rules = {rule_id: rule for rule_id, (_leaf, rule) in index.items()}
        lines = {line.id: line.name for line in rubric.lines} if rubric else {}
        return cls(lines, {c.id: c.name for c in content.communities}, cites, units, rules)

    def merged(self, newer: Names) -> Names:
        """These names, overridden by ``newer``'s where both name the same id."""
        return Names(
            {**self.lines, **newer.lines},
            {**self.communities, **newer.communities},
            {**self.cites, **newer.cites},
            {**self.units, **newer.units},
            {**self.rules, **newer.rules},
        )


def view_of(entry: Entry, names: Names, points: Mapping[Entry, str]) -> EntryView:
    return EntryView(
        path=entry.pos.path,
        lineno=entry.pos.line,
        line=entry.line,
        line_name=names.lines.get(entry.line, entry.line),
        date=entry.date.isoformat(),
        community=entry.community,
        community_name=names.communities.get(entry.community, entry.community),
        cites=entry.cites,
        cites_text=names.cites.get(entry.cites, ""),
        count=entry.count,
        deduct=None if entry.deduct is None else as_written(entry.deduct),
        amount=None if entry.amount is None else as_written(entry.amount),
        note=entry.note,
        evidence=entry.evidence,
        quantity=vocab.quantity(
            entry.count, entry.deduct, entry.amount, names.units.get(entry.cites, ""), names.rules.get(entry.cites)
        ),
        points=points.get(entry, ""),
    )


# --- matching ---------------------------------------------------------------------------


def content_key(view: EntryView) -> tuple[object, ...]:
    return (view.line, *(view.value(name) for name in FIELDS))


PAIRINGS: tuple[Callable[[EntryView], Hashable], ...] = (
    lambda v: (v.line, v.community, v.cites, v.date),
    lambda v: (v.line, v.community, v.note) if v.note else None,
)


def _match(
    old: list[EntryView], new: list[EntryView], key: Callable[[EntryView], Hashable]
) -> tuple[list[tuple[EntryView, EntryView]], list[EntryView], list[EntryView]]:
    """Pair old and new views with equal keys, in file order; returns pairs and the unpaired of each side."""
    waiting: dict[Hashable, list[EntryView]] = defaultdict(list)
    for view in old:
        if (k := key(view)) is not None:
            waiting[k].append(view)
    pairs: list[tuple[EntryView, EntryView]] = []
    unpaired_new: list[EntryView] = []
    for view in new:
        k = key(view)
        if k is not None and waiting.get(k):
            pairs.append((waiting[k].pop(0), view))
        else:
            unpaired_new.append(view)
    paired_old = {id(a) for a, _b in pairs}
    return pairs, [v for v in old if id(v) not in paired_old], unpaired_new


def entry_changes(old: Iterable[EntryView], new: Iterable[EntryView]) -> tuple[EntryChange, ...]:
    """Added, removed and changed entries, in ledger order (by path, then line number)."""
    _same, old_left, new_left = _match(list(old), list(new), content_key)
    changes: list[EntryChange] = []
    for pairing in PAIRINGS:
        pairs, old_left, new_left = _match(old_left, new_left, pairing)
        changes += [EntryChange(CHANGED, a, b, changed_fields(a, b)) for a, b in pairs]
    changes += [EntryChange(ADDED, None, view) for view in new_left]
    changes += [EntryChange(REMOVED, view, None) for view in old_left]
    order = {REMOVED: 0, CHANGED: 1, ADDED: 2}
    return tuple(sorted(changes, key=lambda c: (c.shown.path, c.shown.lineno, order[c.change])))


def changed_fields(old: EntryView, new: EntryView) -> tuple[str, ...]:
    return tuple(name for name in FIELDS if old.value(name) != new.value(name))


def views(content: Content | None, results: Results | None) -> list[EntryView]:
    """Every entry of ``content`` as a view, with its points when ``results`` are known."""
    if content is None:
        return []
    names, points = Names.of(content), points_by_entry(results)
    return [view_of(entry, names, points) for entry in content.entries()]
