"""The objections to the 公示 as the outputs show them: each with its community, entry and 复核 in words.

Shared by the site (the community page, the banner) and the PDFs (the 公示 notice, each
复核结果告知书), so that an objection reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kaohe.content.entryref import REMOVED, parse_ref, resolve
from kaohe.content.model import Objection, Publicity
from kaohe.render import vocab
from kaohe.scoring.publicity import publicity_end
from kaohe.scoring.results import Results


@dataclass(frozen=True)
class ObjectionFacts:
    """One objection in words; ``objection.by`` is the only field that names the objector."""

    objection: Objection
    community_name: str
    about: str  # the entry objected to in words, or 考核结果
    late: bool
    outcome: str  # 异议成立, 异议不成立 or 待复核
    change: str  # upheld: the ledger change in words (删除该条记录, 更正为…); else ""


def ref_words(results: Results, text: str) -> str:
    """An entry reference in words (line name, date, the rule's text); the reference itself when it does not parse."""
    ref = parse_ref(text)
    if ref is None:
        return text
    line = results.rubric.line_index().get(ref.line)
    rule = results.rubric.rule_index().get(ref.cites)
    node = results.rubric.indicator_index().get(ref.cites)
    cites = rule[1].text if rule is not None else (node.label if node is not None else ref.cites)
    return vocab.entry_words(line.name if line is not None else ref.line, ref.date, cites)


def change_words(results: Results, objection: Objection) -> str:
    """The ledger change that carried out an upheld objection, with what the entry does now.

    ``删除该条记录``; ``更正该条记载（现为扣0.10分）`` when the entry kept its date, line, community
    and rule (its amount or note changed); else ``更正为党群线台帐…记载的“…”（现为扣0.10分）``.
    """
    review = objection.review
    if review is None or not review.upheld or not review.change:
        return ""
    if review.change == REMOVED:
        return vocab.ENTRY_REMOVED
    now = effect_now(results, review.change)
    if review.change == objection.entry:
        return vocab.entry_corrected(now)
    return vocab.entry_corrected(now, ref_words(results, review.change))


def effect_now(results: Results, reference: str) -> str:
    """What the entry ``reference`` names does to its community's score now, in words ("" if nothing)."""
    entry = resolve(results.content, reference).entry
    if entry is None or entry.community not in results.by_id:
        return ""
    leaves = results.community(entry.community).score.leaves.values()
    found = next(((e, leaf.indicator.unit) for leaf in leaves for e in leaf.effects if e.entry is entry), None)
    return vocab.effect_official(*found) if found is not None else ""


def objection_facts(results: Results) -> tuple[ObjectionFacts, ...]:
    """Every objection of the 公示, in file order (none without a 公示)."""
    publicity = results.content.publicity
    if publicity is None:
        return ()
    end = publicity_end(publicity)
    names = {c.id: c.name for c in results.content.communities}
    return tuple(
        ObjectionFacts(
            objection=o,
            community_name=names.get(o.community, o.community),
            about=ref_words(results, o.entry) if o.entry else vocab.OBJECTION_ABOUT_RESULT,
            late=o.late(end),
            outcome=vocab.objection_outcome(o.review),
            change=change_words(results, o),
        )
        for o in publicity.objections
    )


def publicity_of(results: Results) -> tuple[Publicity, date] | None:
    """The 公示 and its last day, when there is one the calendar covers."""
    publicity = results.content.publicity
    end = publicity_end(publicity) if publicity is not None else None
    return (publicity, end) if publicity is not None and end is not None else None
