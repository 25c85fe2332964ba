"""The 总排名 page: the ranking table, awards, vetoes with back-fill, and last-place measures."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from kaohe.render import vocab
from kaohe.render.markup import render_note_inline
from kaohe.render.site.context import Pdf, SiteData
from kaohe.render.site.entries import anchor_of
from kaohe.scoring.measures import Measure
from kaohe.scoring.results import CommunityResult
from kaohe.scoring.score import Effect


@dataclass(frozen=True)
class CategoryHead:
    id: str
    name: str
    points: str


@dataclass(frozen=True)
class CategoryCell:
    score: str
    rank: int
    title: str


@dataclass(frozen=True)
class RankingRow:
    id: str
    href: str  # relative to the site root
    name: str
    rank: int
    tied: bool
    moved_up: str  # 递补为第N名, or ""
    total: str
    cells: tuple[CategoryCell, ...]
    award: str
    reward: str
    award_class: str  # award-1 for the first award, award-2 for the next, … or empty
    vetoed: bool


@dataclass(frozen=True)
class VetoView:
    community: str
    href: str
    anchor: str
    date: str
    line_name: str
    rule_text: str
    note: Markup


@dataclass(frozen=True)
class MeasureView:
    community: str
    href: str
    person: str
    role: str
    scope: str
    streak: str
    measure: str
    exempt: bool
    reason: str


@dataclass(frozen=True)
class AwardView:
    name: str
    reward: str
    winners: tuple[tuple[str, str], ...]  # (name, href)


PORTRAIT_CATEGORIES = 10  # more categories than this print the ranking on A4 landscape


@dataclass(frozen=True)
class RankingPage:
    heads: tuple[CategoryHead, ...]
    rows: tuple[RankingRow, ...]
    awards: tuple[AwardView, ...]
    vetoes: tuple[VetoView, ...]
    measures: tuple[MeasureView, ...]
    pdfs: tuple[Pdf, ...]
    total_points: str

    @property
    def wide(self) -> bool:
        """More categories than fit an A4 portrait page (the sample's nine do)."""
        return len(self.heads) > PORTRAIT_CATEGORIES


def community_href(cid: str) -> str:
    return f"communities/{cid}.html"


def category_heads(data: SiteData) -> tuple[CategoryHead, ...]:
    return tuple(CategoryHead(top.id, top.label, vocab.points(top.points)) for top in data.rubric.indicators)


def award_class(data: SiteData, community: CommunityResult) -> str:
    award = community.granted.award
    return f"award-{data.rubric.awards.index(award) + 1}" if award is not None else ""


def ranking_row(data: SiteData, community: CommunityResult, heads: tuple[CategoryHead, ...]) -> RankingRow:
    tied = community.rank in data.tied_ranks
    cells = tuple(
        CategoryCell(
            score=vocab.score(cat.score),
            rank=cat.rank,
            title=f"{head.name}：{vocab.score(cat.score)}／{head.points}分，单项第{cat.rank}名",
        )
        for head in heads
        for cat in (community.categories[head.id],)
    )
    return RankingRow(
        id=community.id,
        href=community_href(community.id),
        name=community.name,
        rank=community.rank,
        tied=tied,
        moved_up=vocab.moved_up(data.results, community),
        total=vocab.score(community.total),
        cells=cells,
        award=community.granted.name or "",
        reward=vocab.money(community.granted.reward) if community.granted.reward else "",
        award_class=award_class(data, community),
        vetoed=community.vetoed,
    )


def veto_view(data: SiteData, community: CommunityResult, effect: Effect) -> VetoView:
    entry = effect.entry
    return VetoView(
        community=community.name,
        href=f"{community_href(community.id)}#{anchor_of(entry)}",
        anchor=anchor_of(entry),
        date=entry.date.isoformat(),
        line_name=data.line_name(entry.line),
        rule_text=effect.rule.text if effect.rule else entry.cites,
        note=render_note_inline(entry.note),
    )


def measure_view(data: SiteData, measure: Measure) -> MeasureView:
    categories = {top.id: top.label for top in data.rubric.indicators}
    return MeasureView(
        community=data.names.get(measure.community, measure.community),
        href=community_href(measure.community),
        person=vocab.person_label(measure),
        role=vocab.role_label(measure.role),
        scope=vocab.scope_label(measure.scope, categories),
        streak=vocab.streak_text(measure.streak),
        measure=vocab.measure_label(measure.measure, data.results.final),
        exempt=measure.exempt,
        reason=measure.reason,
    )


def award_views(data: SiteData) -> tuple[AwardView, ...]:
    return tuple(
        AwardView(
            name=award.name,
            reward=vocab.money(award.reward),
            winners=tuple((c.name, community_href(c.id)) for c in data.results.communities if c.granted.award == award),
        )
        for award in data.rubric.awards
    )


def ranking_page(data: SiteData) -> RankingPage:
    heads = category_heads(data)
    communities = data.results.communities
    return RankingPage(
        heads=heads,
        rows=tuple(ranking_row(data, c, heads) for c in communities),
        awards=award_views(data),
        vetoes=tuple(veto_view(data, c, v) for c in communities for v in c.score.vetoes),
        measures=tuple(measure_view(data, m) for m in data.results.measures),
        pdfs=data.pdfs,
        total_points=vocab.points(data.rubric.total),
    )
