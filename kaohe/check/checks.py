"""Cross-file rules of the content model, as a list of small pure checks.

Each check takes the loaded :class:`~kaohe.model.Content` and returns the
diagnostics it finds; :func:`validate` runs them all and gathers the results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import PurePosixPath

from kaohe.check.objections import check_publicity
from kaohe.check.personal_data import check_personal_data
from kaohe.check.timing import TIMING_CHECKS
from kaohe.content.model import (
    COMMUNITY_SUFFIX,
    Community,
    Content,
    Entry,
    HistoryYear,
    IncompleteEntry,
    Indicator,
    Ledger,
    Rubric,
    Rule,
)
from kaohe.content.schema import LEDGER_DIR
from kaohe.errors import Diagnostic, Pos, did_you_mean, error, warning

Check = Callable[[Content], Iterable[Diagnostic]]
AnyEntry = Entry | IncompleteEntry  # an incomplete entry's other problems are reported too


def _rubric_checks(check: Callable[[Rubric], Iterable[Diagnostic]]) -> Check:
    """Lift a check of the rubric alone to a content check (skipped when the rubric did not load)."""

    def run(content: Content) -> Iterable[Diagnostic]:
        return check(content.rubric) if content.rubric is not None else ()

    run.__name__ = check.__name__
    return run


# --- the rubric -------------------------------------------------------------------------


def check_points_add_up(rubric: Rubric) -> Iterator[Diagnostic]:
    if not rubric.indicators:
        yield error(Pos(rubric.path), "the rubric has no indicators")
    top = sum((node.points for node in rubric.indicators), Decimal(0))
    if rubric.indicators and top != rubric.total:
        yield error(rubric.indicators[0].pos, f"the categories' points add up to {top}, not {rubric.total}")
    for node in rubric.walk():
        if node.children:
            inner = sum((child.points for child in node.children), Decimal(0))
            if inner != node.points:
                yield error(node.pos, f"the points of '{node.full_id}' children add up to {inner}, not {node.points}")


def check_unique_ids(rubric: Rubric) -> Iterator[Diagnostic]:
    yield from _duplicates(((n.id, n.pos) for n in rubric.indicators), "category id")
    for node in rubric.walk():
        yield from _duplicates(((c.id, c.pos) for c in node.children), "indicator id", f" under '{node.full_id}'")
        yield from _duplicates(((r.id, r.pos) for r in node.rules), "rule id", f" in '{node.full_id}'")
    yield from _duplicates(((line.id, line.pos) for line in rubric.lines), "line id")
    yield from _duplicates(((a.name, a.pos) for a in rubric.awards), "award name")


def _duplicates(items: Iterable[tuple[str, Pos]], what: str, where: str = "") -> Iterator[Diagnostic]:
    seen: dict[str, Pos] = {}
    for ident, pos in items:
        if ident in seen:
            yield error(pos, f"duplicate {what} '{ident}'{where} (first at line {seen[ident].line})")
        else:
            seen[ident] = pos


def check_lines_known(rubric: Rubric) -> Iterator[Diagnostic]:
    known = rubric.line_index()
    for node in rubric.walk():
        if "line" in node.spots and node.line not in known:
            yield error(
                node.at("line"), f"unknown line '{node.line}' on '{node.full_id}'{did_you_mean(node.line, known)}"
            )


def check_veto_and_bonus_placement(rubric: Rubric) -> Iterator[Diagnostic]:
    for leaf in rubric.leaves():
        if leaf.bonus is not None and not leaf.bonus_allowed:
            yield error(
                leaf.at("bonus"),
                f"'{leaf.full_id}' has a bonus outside a bonus_allowed subtree (其他各线一律不设加分因素)",
            )
        for rule in leaf.rules:
            if rule.veto and not leaf.veto_allowed:
                yield error(rule.at("veto"), f"veto rule '{rule.full_id}' is outside a veto_allowed subtree")
            if rule.add is not None and not leaf.bonus_allowed:
                yield error(rule.at("add"), f"bonus rule '{rule.full_id}' is outside a bonus_allowed subtree")


def check_ratio_settings(rubric: Rubric) -> Iterator[Diagnostic]:
    for leaf in rubric.leaves():
        if leaf.zero_below is not None and leaf.zero_below > 1:
            yield error(leaf.at("zero_below"), f"zero_below of '{leaf.full_id}' is a fraction of the target, at most 1")


def check_awards_and_measures(rubric: Rubric) -> Iterator[Diagnostic]:
    for award in rubric.awards:
        if award.from_rank > award.to_rank:
            yield error(
                award.at("to_rank"), f"award '{award.name}' runs from rank {award.from_rank} to {award.to_rank}"
            )
    if not rubric.measures:
        yield error(Pos(rubric.path), "'measures' must name at least one measure (警示谈话, 诫勉, 降职降级)")


def check_period(rubric: Rubric) -> Iterator[Diagnostic]:
    if rubric.period_from > rubric.period_to:
        yield error(Pos(rubric.path), f"the period ends ({rubric.period_to}) before it starts ({rubric.period_from})")


# --- communities ------------------------------------------------------------------------


def check_communities(content: Content) -> Iterator[Diagnostic]:
    yield from _duplicates(((c.id, c.pos) for c in content.communities), "community id")
    if content.rubric is None:
        return
    lines = content.rubric.line_index()
    for community in content.communities:
        for line in community.staff:
            if line not in lines:
                yield error(
                    community.at("staff"),
                    f"staff of unknown line '{line}' in '{community.id}'{did_you_mean(line, lines)}",
                )


def check_ratio_targets(content: Content) -> Iterator[Diagnostic]:
    if content.rubric is None:
        return
    ids = {c.id for c in content.communities}
    for leaf in content.rubric.leaves():
        if not leaf.is_ratio:
            continue
        for key in leaf.targets:
            if key != "default" and key not in ids:
                yield error(
                    leaf.at("targets"),
                    f"target for unknown community '{key}' in '{leaf.full_id}'{did_you_mean(key, ids)}",
                )
        missing = [c for c in sorted(ids) if leaf.target_for(c) is None]
        if missing:
            yield error(leaf.at("targets"), f"'{leaf.full_id}' has no target for {', '.join(missing)} (add 'default')")


# --- ledgers ----------------------------------------------------------------------------


def check_ledger_files(content: Content) -> Iterator[Diagnostic]:
    rubric = content.rubric
    lines = rubric.line_index() if rubric else {}
    for ledger in content.ledgers:
        stem = PurePosixPath(ledger.path).stem
        if ledger.line != stem:
            yield error(
                ledger.pos, f"ledger file {stem}.yaml says line '{ledger.line}'; the file name must be the line id"
            )
        if rubric is None:
            continue
        if ledger.line not in lines:
            yield error(ledger.pos, f"unknown line '{ledger.line}'{did_you_mean(ledger.line, lines)}")
        if ledger.year != rubric.year:
            yield error(ledger.at("year"), f"ledger year {ledger.year} is not the rubric's year {rubric.year}")
        if ledger.review is None:
            yield warning(ledger.pos, f"ledger '{ledger.line}' is not yet reviewed (审核): results stay draft")
    if rubric is not None:
        have = {ledger.line for ledger in content.ledgers} | {PurePosixPath(p).stem for p in content.ledger_files}
        for line in rubric.lines:
            if line.id not in have:
                yield warning(line.pos, f"line '{line.id}' has no ledger {LEDGER_DIR}/{line.id}.yaml")


def check_entries(content: Content) -> Iterator[Diagnostic]:
    rubric = content.rubric
    if rubric is None:
        return
    context = _EntryContext(rubric, {c.id for c in content.communities}, named_ids(content.communities))
    for ledger in content.ledgers:
        every: tuple[AnyEntry, ...] = (*ledger.entries, *ledger.incomplete)
        for entry in every:
            yield from context.check(ledger, entry)


def named_ids(communities: Iterable[Community]) -> dict[str, str]:
    """Each community's name, with and without 社区, → its id: a name written where the id belongs."""
    named: dict[str, str] = {}
    for community in communities:
        named[community.name] = named[community.name.removesuffix(COMMUNITY_SUFFIX)] = community.id
    return named


class _EntryContext:
    def __init__(self, rubric: Rubric, communities: set[str], named: dict[str, str]) -> None:
        self.rubric = rubric
        self.communities = communities
        self.named = named  # a community's name → its id (named_ids)
        self.rules = rubric.rule_index()
        self.indicators = rubric.indicator_index()
        self.lines = rubric.line_index()

    def check(self, ledger: Ledger, entry: AnyEntry) -> Iterator[Diagnostic]:
        """Everything that loaded of ``entry``, against the rubric and the communities (a missing part is skipped)."""
        rubric = self.rubric
        if entry.date is not None and not rubric.period_from <= entry.date <= rubric.period_to:
            yield error(
                entry.at("date"), f"date {entry.date} is outside the period {rubric.period_from} – {rubric.period_to}"
            )
        if entry.community is not None and entry.community not in self.communities:
            yield error(
                entry.at("community"),
                f"unknown community '{entry.community}'{self.community_hint(entry.community)}",
            )
        if entry.rule is not None:
            yield from self._check_rule_entry(ledger, entry, entry.rule)
        elif entry.indicator is not None:
            yield from self._check_amount_entry(ledger, entry, entry.indicator)

    def community_hint(self, written: str) -> str:
        named = self.named.get(written.strip())
        if named is not None:
            return f" (write its id: community: {named})"
        return did_you_mean(written, self.communities)

    def _wrong_line(self, ledger: Ledger, entry: AnyEntry, leaf: Indicator, cited: str) -> Iterator[Diagnostic]:
        if leaf.line != ledger.line and ledger.line in self.lines:
            owner = self.lines.get(leaf.line)
            name = f" ({owner.name})" if owner else ""
            yield error(
                entry.at(_cite_key(entry)),
                f"'{cited}' is scored by line '{leaf.line}'{name}, not by this ledger's line '{ledger.line}'",
            )

    def _check_rule_entry(self, ledger: Ledger, entry: AnyEntry, cited: str) -> Iterator[Diagnostic]:
        found = self.rules.get(cited)
        if found is None:
            hint = did_you_mean(cited, self.rules)
            if cited in self.indicators:
                hint = " (an indicator, not a rule: cite one of its rules, or use 'indicator:' for an amount)"
            yield error(entry.at("rule"), f"unknown rule '{cited}'{hint}")
            return
        leaf, rule = found
        yield from self._wrong_line(ledger, entry, leaf, cited)
        yield from _check_rule_fields(entry, leaf, rule)

    def _check_amount_entry(self, ledger: Ledger, entry: AnyEntry, cited: str) -> Iterator[Diagnostic]:
        leaf = self.indicators.get(cited)
        if leaf is None:
            ratio_ids = [i.full_id for i in self.rubric.leaves() if i.is_ratio]
            yield error(entry.at("indicator"), f"unknown indicator '{cited}'{did_you_mean(cited, ratio_ids)}")
            return
        if not leaf.is_ratio:
            yield error(
                entry.at("amount"), f"'amount' on '{cited}', which is not scored by completion ratio (method: ratio)"
            )
            return
        yield from self._wrong_line(ledger, entry, leaf, cited)
        if entry.amount is None and "amount" not in entry.spots:  # given but wrong: reported when loading
            yield error(entry.pos, f"an entry on ratio indicator '{cited}' needs 'amount' ({leaf.unit or 'amount'})")
        for key, value in (("count", entry.count), ("deduct", entry.deduct)):
            if value is not None:
                yield error(entry.at(key), f"'{key}' does not apply to ratio indicator '{cited}': give 'amount'")
        if not entry.note:
            yield error(entry.pos, "an amount needs a 'note' (the project, the payment)")


def _cite_key(entry: AnyEntry) -> str:
    return "rule" if entry.rule is not None else "indicator"


def _check_rule_fields(entry: AnyEntry, leaf: Indicator, rule: Rule) -> Iterator[Diagnostic]:
    if entry.amount is not None:
        yield error(
            entry.at("amount"), f"'amount' on '{leaf.full_id}', which is not scored by completion ratio (method: ratio)"
        )
    if entry.deduct is not None and not rule.discretionary:
        yield error(
            entry.at("deduct"), f"'deduct' on '{rule.full_id}', which is not discretionary (酌情扣分); use 'count'"
        )
    if rule.discretionary:
        if entry.deduct is not None and entry.deduct > leaf.points:
            yield error(
                entry.at("deduct"), f"deduct {entry.deduct} is more than the {leaf.points} points of '{leaf.full_id}'"
            )
        elif entry.deduct is None and "deduct" not in entry.spots:  # given but wrong: reported when loading
            yield error(entry.pos, f"discretionary rule '{rule.full_id}' needs 'deduct' (the points taken)")
    if entry.count is not None and not rule.takes_count:
        yield error(entry.at("count"), f"'count' on '{rule.full_id}', which is not counted per occurrence")
    if rule.needs_note and not entry.note and "note" not in entry.spots:
        yield error(entry.pos, f"rule '{rule.full_id}' needs a 'note' saying why")


def check_duplicate_entries(content: Content) -> Iterator[Diagnostic]:
    for ledger in content.ledgers:
        seen: Counter[tuple[object, ...]] = Counter()
        for entry in ledger.entries:
            key = (entry.date, entry.community, entry.cites, entry.count, entry.deduct, entry.amount, entry.note)
            seen[key] += 1
            if seen[key] == 2:
                yield warning(
                    entry.pos,
                    "likely duplicate: an entry with the same date, community, rule, value and note comes earlier",
                )


# --- history and decision ---------------------------------------------------------------


def check_history(content: Content) -> Iterator[Diagnostic]:
    rubric = content.rubric
    years = Counter(h.year for h in content.history)
    for year in content.history:
        if years[year.year] > 1:
            yield error(year.pos, f"year {year.year} appears in more than one history file")
        if rubric is not None and year.year > rubric.year:
            yield error(year.at("year"), f"history year {year.year} is after the rubric's year {rubric.year}")
        yield from _duplicates(((c.id, c.pos) for c in year.communities), "community", f" in history {year.year}")
        if rubric is not None:
            yield from _unknown_history_categories(rubric, year)


def _unknown_history_categories(rubric: Rubric, year: HistoryYear) -> Iterator[Diagnostic]:
    known = [top.id for top in rubric.indicators]
    for row in year.communities:
        for category in row.categories:
            if category not in known:
                hint = did_you_mean(category, known)
                yield warning(
                    row.at("categories"), f"category '{category}' of {year.year} is not in this year's rubric{hint}"
                )


def check_decision(content: Content) -> Iterator[Diagnostic]:
    decision = content.decision
    if decision is None:
        return
    ids = {c.id for c in content.communities}
    for exemption in decision.exemptions:
        if exemption.community not in ids:
            hint = did_you_mean(exemption.community, ids)
            yield error(exemption.at("community"), f"exemption for unknown community '{exemption.community}'{hint}")
        if not exemption.reason.strip():
            yield error(exemption.pos, "an exemption needs a 'reason' (如无特殊原因: the special reason)")


CHECKS: tuple[Check, ...] = (
    _rubric_checks(check_points_add_up),
    _rubric_checks(check_unique_ids),
    _rubric_checks(check_lines_known),
    _rubric_checks(check_veto_and_bonus_placement),
    _rubric_checks(check_ratio_settings),
    _rubric_checks(check_awards_and_measures),
    _rubric_checks(check_period),
    check_communities,
    check_ratio_targets,
    check_ledger_files,
    check_entries,
    check_duplicate_entries,
    check_history,
    check_decision,
    check_publicity,
    *TIMING_CHECKS,
    check_personal_data,
)


def validate(content: Content) -> list[Diagnostic]:
    return [diagnostic for check in CHECKS for diagnostic in check(content)]
