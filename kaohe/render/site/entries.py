"""Ledger entries as the pages show them: what was cited, what it did, who last changed it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup

from kaohe.content.model import Entry, times
from kaohe.render import vocab
from kaohe.render.markup import Escaped, all_escaped, plain_text, render_note, render_note_inline
from kaohe.render.site.context import SiteData
from kaohe.render.site.provenance import Commit
from kaohe.scoring.score import Effect, EffectKind


@dataclass(frozen=True)
class Provenance:
    """Who last changed an entry's lines and when, in words; the commit for those who want it."""

    text: str  # 王会计，2008年4月1日 / 尚未提交的修改 / 不详（…）
    commit: str  # 提交 d9c50763：<message>, shown on hover; empty when there is none to show
    state: str  # committed, uncommitted or unknown, for styling


class EntryCells(NamedTuple):
    """The entry's row of an entries table, every value escaped once (:func:`escaped`).

    The table writes them as they are, unpacked in this order (``templates/site/_macros.html``):
    each entry is shown on its community's page and on its line's, and Jinja2's escaping and
    attribute lookups of some 30 values a row, twice, were most of a city's site.
    """

    anchor: Escaped
    date: Escaped
    line_id: Escaped
    line_name: Escaped
    ledger_page: Escaped
    community_id: Escaped
    community_name: Escaped
    cites: Escaped
    place: Escaped
    rule_text: Escaped
    rubric_href: Escaped
    leaf_id: Escaped
    quantity: Escaped
    quantity_sort: Escaped
    effect: Escaped
    effect_kind: Escaped
    effect_sort: Escaped
    provenance_state: Escaped  # empty when the build has no provenance for it
    provenance_commit: Escaped
    provenance_text: Escaped
    note: Escaped  # sanitised HTML (:func:`~kaohe.render.markup.render_note_inline`)
    evidence: Escaped  # sanitised HTML; empty when there is none


class EntryView(NamedTuple):
    """An entry as the pages show it (a named tuple: a city makes 100,000 of them, a frozen dataclass's
    ``__init__`` was a sixth of that)."""

    anchor: str  # unique across the site: e-<line>-<source line>
    date: str
    line_id: str
    line_name: str
    ledger_page: str  # the page of the line's ledger that lists it, relative to the site root
    community_id: str
    community_name: str
    cites: str  # the full id of the rule or indicator
    place: str  # the named indicators above the leaf
    rule_text: str
    rubric_href: str  # the leaf's row in the 细则, relative to the site root
    leaf_id: str  # the full id of the leaf it scores, for the filter by 指标
    quantity: str  # count, or amount with its unit
    quantity_sort: str
    effect: str  # vocab.effect_signed: −0.20, +0.50, 不得分, 一票否决, 计入150万元
    effect_kind: str  # css class: deduct, bonus, zero, veto, amount
    effect_sort: str  # a number for sorting by effect
    note: Markup
    note_text: str
    evidence: Markup
    evidence_text: str
    provenance: Provenance | None
    cells: EntryCells  # the values above as an entries table writes them (:func:`entry_cells`)


NO_PROVENANCE = Provenance("", "", "")


def entry_cells(texts: Sequence[str], provenance: Provenance | None, note: Markup, evidence: Markup) -> EntryCells:
    """A row's cells: ``texts`` (the view's values from ``anchor`` to ``effect_sort``), the provenance, note and evidence."""
    shown = provenance or NO_PROVENANCE
    escaped_texts = all_escaped((*texts, shown.state, shown.commit, shown.text))
    return EntryCells._make((*escaped_texts, Escaped(str(note)), Escaped(str(evidence))))


def anchor_of(entry: Entry) -> str:
    return f"e-{entry.line}-{entry.pos.line}"


SORTED_FIRST = {EffectKind.ZERO: "-1000", EffectKind.VETO: "-10000"}  # below any deduction, a veto lowest


NO_EFFECT = ("", "none", "0")
NO_EVIDENCE = Markup("")
DESCRIBED: dict[tuple[EffectKind, str, str], tuple[str, str, str]] = {}  # a year has some hundred of them
DESCRIBED_AT_MOST = 4096  # then it starts again (a long-lived process: the preview)


def describe_effect(effect: Effect | None, unit: str) -> tuple[str, str, str]:
    """(shown text, css class, sort key) for what an entry did: worked out once for each kind, points and unit."""
    if effect is None:
        return NO_EFFECT
    key = (effect.kind, str(effect.points), unit)  # str: 1.5 and 1.50 are equal but may be written otherwise
    described = DESCRIBED.get(key)
    if described is None:
        if len(DESCRIBED) >= DESCRIBED_AT_MOST:
            DESCRIBED.clear()
        sort_key = SORTED_FIRST.get(effect.kind) or str(vocab.effect_number(effect) or 0)
        described = DESCRIBED[key] = (vocab.effect_signed(effect, unit), vocab.EFFECT_CLASSES[effect.kind], sort_key)
    return described


@lru_cache(maxsize=4096)  # a year's entries come from some hundred commits
def provenance_view(commit: Commit | None) -> Provenance | None:
    if commit is None:
        return None
    if not commit.committed:
        return Provenance(vocab.PROVENANCE_UNCOMMITTED, "", "uncommitted")
    if not commit.known:
        return Provenance(vocab.PROVENANCE_UNKNOWN, "", "unknown")
    return Provenance(
        vocab.provenance_text(commit.author, commit.date),
        vocab.commit_title(commit.short, commit.summary) if commit.summary else "",
        "committed",
    )


def entry_view(data: SiteData, entry: Entry) -> EntryView:
    """The entry as pages show it, made once per build and shared by every page that lists it."""
    view = data.entry_views.get(id(entry))
    if view is None:
        view = data.entry_views[id(entry)] = make_entry_view(data, entry)
    return view


def make_entry_view(data: SiteData, entry: Entry) -> EntryView:
    leaf, rule = data.cited(entry)
    unit = leaf.unit if leaf else ""
    shown, kind, sort_key = describe_effect(data.effects.get(entry), unit)
    note = render_note_inline(entry.note)
    evidence = render_note(entry.evidence) if entry.evidence else NO_EVIDENCE  # most entries cite none
    texts = (
        anchor_of(entry),
        entry.date.isoformat(),
        entry.line,
        data.line_name(entry.line),
        data.ledger_page(entry.line, entry.date),
        entry.community,
        data.names.get(entry.community, entry.community),
        entry.cites,
        data.place_of(leaf) if leaf else "",
        rule.text if rule else (leaf.label if leaf else entry.cites),
        f"rubric.html#r-{leaf.full_id}" if leaf else "rubric.html",
        leaf.full_id if leaf else "",
        vocab.quantity(entry.count, entry.deduct, entry.amount, unit, rule),
        str(entry.amount or entry.deduct or times(entry.count)),
        shown,
        kind,
        sort_key,
    )
    evidence_text = plain_text(evidence) if evidence else ""
    provenance = provenance_view(data.provenance.get(entry))
    cells = entry_cells(texts, provenance, note, evidence if evidence_text else NO_EVIDENCE)
    return EntryView(*texts, note, plain_text(note), evidence, evidence_text, provenance, cells)


def any_provenance(entries: Iterable[EntryView]) -> bool:
    return any(e.provenance is not None for e in entries)


def entry_views(data: SiteData, entries: Iterable[Entry], chronological: bool = False) -> tuple[EntryView, ...]:
    """Entries in rubric order (or by date, as a ledger reads), then by date and source position."""
    order = data.rubric_order
    if chronological:
        ordered = sorted(entries, key=lambda e: (e.date, e.pos))
    else:
        ordered = sorted(entries, key=lambda e: (order.get(e.cites, len(order)), e.date, e.pos))
    return tuple(entry_view(data, e) for e in ordered)


def rows_of(entries: Iterable[EntryView]) -> tuple[EntryCells, ...]:
    """The entries' rows as an entries table writes them (a template's ``map(attribute=…)`` of a city's
    200,000 rows was a twentieth of its pages)."""
    return tuple(entry.cells for entry in entries)


def total_points(effects: Iterable[Effect], kind: EffectKind) -> Decimal:
    return sum((e.points for e in effects if e.kind is kind), Decimal(0))
