"""The 历年 page: every community's total and rank by year, from ``content/history/`` and this year."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.render import vocab
from kaohe.render.site.context import SiteData, shared_ranks
from kaohe.render.site.ranking import community_href


@dataclass(frozen=True)
class YearHead:
    year: int
    status: str  # 草稿 for this year while not final


@dataclass(frozen=True)
class YearCell:
    total: str
    rank: str
    vetoed: bool
    last: bool  # last place that year
    tied: bool  # another community had the same rank that year


@dataclass(frozen=True)
class HistoryRow:
    id: str
    name: str
    href: str  # empty for a community no longer on the list
    cells: tuple[YearCell | None, ...]


PORTRAIT_YEARS = 8  # more years than this print on A4 landscape


@dataclass(frozen=True)
class HistoryPage:
    years: tuple[YearHead, ...]
    rows: tuple[HistoryRow, ...]
    has_history: bool

    @property
    def wide(self) -> bool:
        return len(self.years) > PORTRAIT_YEARS


def year_table(data: SiteData) -> dict[int, dict[str, YearCell]]:
    """Year → community id → cell; the current year comes from this build's results."""
    table: dict[int, dict[str, YearCell]] = {}
    for year in data.content.history:
        ranks = [row.rank for row in year.communities]
        last, tied = max(ranks, default=0), shared_ranks(ranks)
        table[year.year] = {
            row.id: YearCell(vocab.score(row.total), str(row.rank), row.vetoed, row.rank == last, row.rank in tied)
            for row in year.communities
        }
    current = data.results.communities
    last = max((c.rank for c in current), default=0)
    table[data.results.year] = {
        c.id: YearCell(vocab.score(c.total), str(c.rank), c.vetoed, c.rank == last, c.rank in data.tied_ranks)
        for c in current
    }
    return table


def history_page(data: SiteData) -> HistoryPage:
    table = year_table(data)
    years = sorted(table)
    known = [c.id for c in data.content.communities]
    former = sorted({cid for cells in table.values() for cid in cells} - set(known))
    rows = tuple(
        HistoryRow(
            id=cid,
            name=data.names.get(cid, cid),
            href=community_href(cid) if cid in data.names else "",
            cells=tuple(table[year].get(cid) for year in years),
        )
        for cid in known + former
    )
    status = "" if data.results.final else vocab.STATUS_DRAFT
    return HistoryPage(
        years=tuple(YearHead(y, status if y == data.results.year else "") for y in years),
        rows=rows,
        has_history=len(years) > 1,
    )
