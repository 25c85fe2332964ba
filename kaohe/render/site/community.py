"""One page per community: its result, the indicator tree, every entry that moved a score, its years."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple

from kaohe.content.model import Indicator, Rubric
from kaohe.render import vocab
from kaohe.render.filenames import pdf_names
from kaohe.render.markup import Escaped, all_escaped
from kaohe.render.site.context import FilterOptions, Pdf, SiteData, TreeNode, filter_options
from kaohe.render.site.entries import EntryCells, EntryView, any_provenance, entry_views, rows_of
from kaohe.render.site.publicity import ObjectionView, objection_views
from kaohe.render.site.ranking import MeasureView, VetoView, measure_view, veto_view
from kaohe.scoring.results import CommunityResult
from kaohe.scoring.score import LeafScore


class TreeRow(NamedTuple):
    """One row of the indicator tree, every value escaped once (:func:`~kaohe.render.markup.escaped`).

    The tree is written as it is, unpacked in this order (``templates/site/community.html``): a
    city's 1,000 community pages have some 77,000 rows, and Jinja2's escaping of each value was a
    good part of their time.
    """

    css: Escaped  # category, group, leaf; plus lost when the leaf lost points
    depth: Escaped
    full_id: Escaped
    label: Escaped
    points: Escaped
    score: Escaped
    detail: Escaped  # what happened on a leaf: deductions, 扣完为止, completion, bonus
    entries: Escaped  # how many entries moved this leaf; empty when none (and on inner nodes)
    leaf_query: Escaped  # the leaf's full id as the entries filter's query value; empty when no entry
    line_name: Escaped


@dataclass(frozen=True)
class CategoryRow:
    name: str
    points: str
    score: str
    rank: int


@dataclass(frozen=True)
class YearRow:
    year: int
    total: str
    rank: str
    vetoed: bool
    current: bool
    status: str  # 草稿 for the current year while not final


@dataclass(frozen=True)
class StaffRow:
    line_name: str
    person: str


@dataclass(frozen=True)
class CommunityPage:
    id: str
    name: str
    secretary: str
    total: str
    total_points: str
    rank_text: str
    count: int
    award: str
    reward: str
    award_rank: str
    moved_up: str  # 递补为第N名, or ""
    vetoed: bool
    categories: tuple[CategoryRow, ...]
    tree: tuple[TreeRow, ...]
    rows: tuple[EntryCells, ...]  # its entries' rows, in rubric order (entries_table)
    has_provenance: bool
    lines: FilterOptions  # (line id, line name) of the lines with entries, for the filter
    leaves: FilterOptions  # (leaf full id, label) of the leaves with entries, for the filter
    vetoes: tuple[VetoView, ...]
    measures: tuple[MeasureView, ...]
    years: tuple[YearRow, ...]
    staff: tuple[StaffRow, ...]
    pdfs: tuple[Pdf, ...]
    objections: tuple[ObjectionView, ...] = ()  # objections to the 公示 about this community, with their 复核


def tree_rows(data: SiteData, community: CommunityResult) -> tuple[TreeRow, ...]:
    lost = lost_points(data.rubric, community)
    return tuple(tree_row(community, node, lost) for node in data.tree_nodes)


def lost_points(rubric: Rubric, community: CommunityResult) -> set[str]:
    """The full ids of the leaves that lost points and of every node above one."""
    lost: set[str] = set()
    for top in rubric.indicators:
        _mark_lost(top, community.score.leaves, lost)
    return lost


def _mark_lost(node: Indicator, leaves: Mapping[str, LeafScore], lost: set[str]) -> bool:
    if node.is_leaf:
        losing = leaves[node.full_id].score < node.points
    else:
        losing = any([_mark_lost(child, leaves, lost) for child in node.children])  # a list: every child marked
    if losing:
        lost.add(node.full_id)
    return losing


def tree_row(community: CommunityResult, shown: TreeNode, lost: set[str]) -> TreeRow:
    """The node's row of the community's indicator tree: what the node shows on every page, and the community's."""
    node = shown.node
    leaf = community.score.leaves.get(node.full_id)
    css = "category" if shown.depth == 0 else ("leaf" if node.is_leaf else "group")
    if node.full_id in lost:
        css += " lost"  # some leaf below lost points (a bonus elsewhere may hide it in the sum)
    entries = len(leaf.effects) if leaf else 0
    own = all_escaped(
        (
            css,
            vocab.score(community.score.nodes[node.full_id]),
            vocab.leaf_outcome(leaf) if leaf else "",
            str(entries) if entries else "",
        )
    )
    query = shown.query if entries else Escaped("")
    return TreeRow(
        own[0],
        shown.depth_text,
        shown.full_id,
        shown.label,
        shown.points,
        own[1],
        own[2],
        own[3],
        query,
        shown.line_name,
    )


def year_rows(data: SiteData, community: CommunityResult) -> tuple[YearRow, ...]:
    rows = [
        YearRow(year.year, vocab.score(row.total), vocab.rank_label(row.rank, row.rank in tied), row.vetoed, False, "")
        for year, by_id, tied in data.earlier_years
        if (row := by_id.get(community.id)) is not None
    ]
    results = data.results
    status = "" if results.final else (vocab.STATUS_DRAFT if results.as_of else vocab.stage_label(results))
    rank = vocab.rank_label(community.rank, community.rank in data.tied_ranks)
    rows.append(YearRow(data.results.year, vocab.score(community.total), rank, community.vetoed, True, status))
    return tuple(sorted(rows, key=lambda r: r.year))


def staff_rows(data: SiteData, community: CommunityResult) -> tuple[StaffRow, ...]:
    people = community.score.community.staff
    return tuple(StaffRow(line.name, people[line.id]) for line in data.rubric.lines if people.get(line.id))


def pdfs_for(data: SiteData, community: CommunityResult) -> tuple[Pdf, ...]:
    """The community's own PDF, its 考核结果通知书 (named by :func:`~kaohe.render.filenames.pdf_names`)."""
    sheet = pdf_names(data.results).sheets.get(community.id)
    return data.documents_by_stem.get(PurePosixPath(sheet).stem, ()) if sheet is not None else ()


def leaf_options(data: SiteData, entries: tuple[EntryView, ...]) -> FilterOptions:
    """The leaves these entries score, in rubric order, each once."""
    ids = dict.fromkeys(e.leaf_id for e in entries if e.leaf_id)
    return filter_options((full_id, data.indicators[full_id].label) for full_id in ids if full_id in data.indicators)


def community_page(data: SiteData, community: CommunityResult) -> CommunityPage:
    effects = [e for leaf in community.score.leaves.values() for e in leaf.effects]
    entries = entry_views(data, (e.entry for e in effects))
    order = {line_id: n for n, line_id in enumerate(data.lines)}
    line_ids = sorted({e.line_id for e in entries}, key=lambda lid: (order.get(lid, len(order)), lid))
    return CommunityPage(
        id=community.id,
        name=community.name,
        secretary=community.score.community.secretary,
        total=vocab.score(community.total),
        total_points=vocab.points(data.rubric.total),
        rank_text=vocab.rank_label(community.rank, community.rank in data.tied_ranks),
        count=len(data.results.communities),
        award=community.granted.name or "",
        reward=vocab.money(community.granted.reward) if community.granted.reward else "",
        award_rank=str(community.award_rank) if community.award_rank is not None else "",
        moved_up=vocab.moved_up(data.results, community),
        vetoed=community.vetoed,
        categories=tuple(
            CategoryRow(top.label, vocab.points(top.points), vocab.score(cat.score), cat.rank)
            for top in data.rubric.indicators
            for cat in (community.categories[top.id],)
        ),
        tree=tree_rows(data, community),
        rows=rows_of(entries),
        has_provenance=any_provenance(entries),
        lines=filter_options((lid, data.line_name(lid)) for lid in line_ids),
        leaves=leaf_options(data, entries),
        vetoes=tuple(veto_view(data, community, v) for v in community.score.vetoes),
        measures=tuple(measure_view(data, m) for m in data.results.measures if m.community == community.id),
        years=year_rows(data, community),
        staff=staff_rows(data, community),
        pdfs=pdfs_for(data, community),
        objections=objection_views(data.results, community.id),
    )
