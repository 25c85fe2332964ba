"""The 各线 pages: each line's ledger as a table, its subtotals per community and its review status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kaohe.content.model import Entry, Indicator, Ledger, Line
from kaohe.render import vocab
from kaohe.render.month_strip import MonthStrip, month_strip
from kaohe.render.site.context import FilterOptions, SiteData, line_href, line_month_href
from kaohe.render.site.entries import EntryCells, any_provenance, entry_views, rows_of, total_points
from kaohe.render.site.ranking import community_href
from kaohe.scoring.asof import month_end
from kaohe.scoring.results import CommunityResult
from kaohe.scoring.score import EffectKind, LeafScore

ZERO = Decimal(0)


@dataclass(frozen=True)
class Subtotal:
    """One community's standing in one line."""

    id: str
    name: str
    href: str
    entries: int
    deducted: str
    bonus: str
    completion: str  # ratio leaves: amounts against targets
    marks: str  # 不得分 / 一票否决
    score: str
    points: str


@dataclass(frozen=True)
class LineSummary:
    id: str
    href: str
    name: str
    lead: str
    reviewer: str
    reviewed: bool
    review: str  # 已审核：by，date / 未审核
    entries: int
    scope: tuple[str, ...]  # the indicators it scores, with their places
    points: str
    months: MonthStrip | None = None  # how its entries spread over the months of the period


@dataclass(frozen=True)
class LedgerMonth:
    """One month of a long ledger: its page and how many entries it lists."""

    label: str  # 2008年3月
    href: str  # relative to the site root
    count: int


@dataclass(frozen=True)
class LinePage:
    summary: LineSummary
    subtotals: tuple[Subtotal, ...]
    rows: tuple[EntryCells, ...]  # its entries' rows (entries_table); empty when shown a month a page (``months``)
    has_provenance: bool
    communities: FilterOptions  # (id, name) of every community, for the filter
    path: str  # the ledger file, for people who keep it
    months: tuple[LedgerMonth, ...] = ()  # a long ledger's month pages, in order; empty for one page
    entry_months: str = ""  # a long ledger's entries by month, for links made before it was paged (entry_month_runs)


@dataclass(frozen=True)
class LineMonthPage:
    """A month of a long ledger: its entries, with the month before and after it."""

    summary: LineSummary
    month: LedgerMonth
    rows: tuple[EntryCells, ...]  # the month's entries' rows, by date (entries_table)
    has_provenance: bool
    communities: FilterOptions  # (id, name) of every community, as the line's page offers them
    period: tuple[str, str]  # the month's first and last day, for the date filter
    before: LedgerMonth | None
    after: LedgerMonth | None


def scored_leaves(data: SiteData, line: Line) -> list[Indicator]:
    return [leaf for leaf in data.rubric.leaves() if leaf.line == line.id]


def scope_of(data: SiteData, line: Line) -> tuple[str, ...]:
    """The highest indicators wholly scored by the line, e.g. ``经济工作 › 安全生产（2分）``."""
    return tuple(found for top in data.rubric.indicators for found in scope_below(data, line, top))


def scope_below(data: SiteData, line: Line, node: Indicator) -> Iterator[str]:
    if all(leaf.line == line.id for leaf in node.leaves()):
        names = [a.label for a in data.ancestors(node.full_id) if not a.is_goal]
        label = " › ".join(names) if not node.is_goal else node.label
        yield f"{label}（{vocab.points(node.points)}分）"
        return
    for child in node.children:
        yield from scope_below(data, line, child)


def ledger_of(data: SiteData, line: Line) -> Ledger | None:
    return next((ledger for ledger in data.content.ledgers if ledger.line == line.id), None)


def review_text(ledger: Ledger | None) -> str:
    if ledger is None:
        return "尚无台帐"
    return vocab.review_status(ledger.review)


def line_summary(data: SiteData, line: Line) -> LineSummary:
    ledger = ledger_of(data, line)
    leaves = scored_leaves(data, line)
    return LineSummary(
        id=line.id,
        href=line_href(line.id),
        name=line.name,
        lead=line.lead,
        reviewer=line.reviewer,
        reviewed=ledger is not None and ledger.review is not None,
        review=review_text(ledger),
        entries=len(ledger.entries) if ledger else 0,
        scope=scope_of(data, line),
        points=vocab.points(sum((leaf.points for leaf in leaves), ZERO)),
        months=line_months(data, ledger),
    )


def line_months(data: SiteData, ledger: Ledger | None) -> MonthStrip:
    """The month strip of a line's entries over the period (all of them, whatever ``--as-of`` shows)."""
    days = [entry.date for entry in ledger.entries] if ledger else []
    return month_strip(days, data.rubric.period_from, data.rubric.period_to)


def completion_text(leaves: list[LeafScore]) -> str:
    return "；".join(
        vocab.ratio_outcome(leaf) for leaf in leaves if leaf.indicator.is_ratio and leaf.target is not None
    )


def marks_text(leaves: list[LeafScore]) -> str:
    marks = []
    if any(leaf.vetoed for leaf in leaves):
        marks.append(vocab.VETO)
    if any(leaf.zeroed for leaf in leaves):
        marks.append(vocab.ZERO)
    if any(leaf.capped for leaf in leaves):
        marks.append(vocab.CAPPED)
    return "、".join(marks)


def subtotal(community: CommunityResult, leaf_ids: list[str], points: Decimal) -> Subtotal:
    leaves = [community.score.leaves[full_id] for full_id in leaf_ids]
    effects = [e for leaf in leaves for e in leaf.effects]
    deducted = total_points(effects, EffectKind.DEDUCT) + total_points(effects, EffectKind.VETO)
    bonus = total_points(effects, EffectKind.BONUS)
    return Subtotal(
        id=community.id,
        name=community.name,
        href=community_href(community.id),
        entries=len(effects),
        deducted=vocab.score(deducted) if deducted else "",
        bonus=vocab.score(bonus) if bonus else "",
        completion=completion_text(leaves),
        marks=marks_text(leaves),
        score=vocab.score(sum((leaf.score for leaf in leaves), ZERO)),
        points=vocab.points(points),
    )


MonthsOfLedger = list[tuple[LedgerMonth, list[Entry]]]  # a long ledger's months with their entries (ledger_months)


def line_page(data: SiteData, line: Line, months: MonthsOfLedger) -> LinePage:
    """The line's page; ``months`` are its ledger's when it is shown a month a page (:func:`long_ledger_months`)."""
    leaves = scored_leaves(data, line)
    leaf_ids = [leaf.full_id for leaf in leaves]
    points = sum((leaf.points for leaf in leaves), ZERO)
    ledger = ledger_of(data, line)
    communities = [data.community(c.id) for c in data.content.communities]
    by_month = line.id in data.lines_by_month
    entries = entry_views(data, ledger.entries if ledger and not by_month else (), chronological=True)
    return LinePage(
        summary=line_summary(data, line),
        subtotals=tuple(subtotal(c, leaf_ids, points) for c in communities),
        rows=rows_of(entries),
        has_provenance=any_provenance(entries),
        communities=data.community_options,
        path=ledger.path if ledger else f"content/ledgers/{line.id}.yaml",
        months=tuple(month for month, _ in months),
        entry_months=entry_month_runs(months),
    )


def entry_month_runs(months: MonthsOfLedger) -> str:
    """Which month page lists each entry, by the source line its anchor names (``e-<line>-<source line>``).

    ``"5:0,212:1,230:0"``: the entries from source line 5 on are on the first month's page, from 212
    on the second's, from 230 on the first's again; a run for each change of month down the file
    (a ledger kept in date order has one a month). A link to ``lines/<id>.html#e-…`` made while
    the ledger was on one page goes on to its month (``site.js``).
    """
    by_line = sorted((entry.pos.line, at) for at, (_, entries) in enumerate(months) for entry in entries)
    runs = [pair for n, pair in enumerate(by_line) if n == 0 or by_line[n - 1][1] != pair[1]]
    return ",".join(f"{line}:{at}" for line, at in runs)


def long_ledger_months(data: SiteData, line: Line) -> MonthsOfLedger:
    """The months of the line's ledger with their entries when it is shown a month a page; none otherwise."""
    ledger = ledger_of(data, line)
    return ledger_months(ledger) if ledger is not None and line.id in data.lines_by_month else []


def ledger_months(ledger: Ledger) -> list[tuple[LedgerMonth, list[Entry]]]:
    """The months of a ledger that have entries, each with them (by date, as the ledger reads)."""
    months: dict[date, list[Entry]] = defaultdict(list)
    for entry in sorted(ledger.entries, key=lambda e: (e.date, e.pos)):
        months[entry.date.replace(day=1)].append(entry)
    return [
        (LedgerMonth(vocab.year_month(first), line_month_href(ledger.line, first), len(entries)), entries)
        for first, entries in months.items()
    ]


def ledger_month_count(data: SiteData) -> int:
    """How many month pages the long ledgers have (for the progress line's total)."""
    return sum(
        len({entry.date.replace(day=1) for entry in ledger.entries})
        for ledger in data.content.ledgers
        if ledger.line in data.lines_by_month
    )


def line_month_pages(data: SiteData, summary: LineSummary, months: MonthsOfLedger) -> Iterator[LineMonthPage]:
    """The month pages of a long ledger (:func:`long_ledger_months`), under the line's ``summary``."""
    for at, (month, entries) in enumerate(months):
        views = entry_views(data, entries, chronological=True)
        first = entries[0].date.replace(day=1)
        yield LineMonthPage(
            summary=summary,
            month=month,
            rows=rows_of(views),
            has_provenance=any_provenance(views),
            communities=data.community_options,  # one with no entry this month: 0 rows
            period=(first.isoformat(), month_end(first).isoformat()),
            before=months[at - 1][0] if at > 0 else None,
            after=months[at + 1][0] if at + 1 < len(months) else None,
        )
