"""Through the year: the standings at each month end, the selector that links them, the rank chart.

Every point comes from :func:`kaohe.scoring.asof.through_year`, the same cut of the
content that ``build --as-of`` scores. The ranking page links one small page per
point (``standings/<date>.html``: rank, community, total, move, veto) and draws a
grid of each community's rank and total at every point, marking those whose
position is falling (:func:`kaohe.scoring.asof.falling`). Python computes every
coordinate; the templates only draw.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from kaohe.render import vocab
from kaohe.render.site.context import SiteData
from kaohe.scoring.asof import FALL_WINDOW, MonthStanding, falling, month_end, month_points, through_year
from kaohe.scoring.results import CommunityResult

STANDINGS_DIR = "standings"  # below the site root: one page per point of the year
INDEX = "index.html"


@dataclass(frozen=True)
class PointLink:
    label: str  # 6月末
    href: str  # relative to the site root
    current: bool  # the page showing it


@dataclass(frozen=True)
class StandingRow:
    id: str
    rank: int
    tied: bool
    name: str
    total: str
    move: str  # ↓2, ↑1, – against the point before; empty at the first point
    move_css: str  # down, up or empty
    vetoed: bool


@dataclass(frozen=True)
class StandingsPage:
    relpath: str
    title: str
    day: str  # 2008-06-30
    label: str  # 6月末
    mark: str  # 截至2008-06-30
    note: str  # the banner's words
    rows: tuple[StandingRow, ...]
    links: tuple[PointLink, ...]
    compared_with: str  # the point the moves are measured against, or empty at the first


@dataclass(frozen=True)
class AxisText:
    x: str
    y: str
    text: str


@dataclass(frozen=True)
class RowLabel:
    x: str
    y: str
    name: str
    falling: bool


@dataclass(frozen=True)
class TrendCell:
    x: str
    y: str
    text_x: str
    rank_y: str
    total_y: str
    rank: str
    total: str
    css: str  # down, up or empty: the rank against the point before


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    cell_width: int
    cell_height: int
    columns: tuple[AxisText, ...]  # the points of the year
    rows: tuple[RowLabel, ...]  # communities, in their rank at the last point
    cells: tuple[TrendCell, ...]
    label: str  # the chart's accessible name
    description: str  # every community's ranks in words, for screen readers
    rule: str  # the falling rule, in words
    falling: tuple[str, ...]  # 东升社区（8月末第3名→10月末第6名）, one per falling community


@dataclass(frozen=True)
class ThroughYear:
    links: tuple[PointLink, ...]  # the ranking page's selector, the year's own ranking current
    pages: tuple[StandingsPage, ...]
    chart: TrendChart


def point_label(day: date) -> str:
    return vocab.month_point_label(day, day == month_end(day))


def standings_href(day: date) -> str:
    return f"{STANDINGS_DIR}/{day.isoformat()}.html"


def selector(series: tuple[MonthStanding, ...], current: date | None, year_label: str) -> tuple[PointLink, ...]:
    """A link to every point, then to the year's own ranking; ``current`` (None: the year's) is marked."""
    points = tuple(PointLink(point_label(p.day), standings_href(p.day), p.day == current) for p in series)
    return (*points, PointLink(year_label, INDEX, current is None))


def tied_ranks(communities: tuple[CommunityResult, ...]) -> set[int]:
    counts = Counter(c.rank for c in communities)
    return {rank for rank, count in counts.items() if count > 1}


def move_of(before: MonthStanding | None, community: CommunityResult) -> tuple[str, str]:
    if before is None:
        return "", ""
    was = before.rank_of(community.id)
    css = "down" if community.rank > was else "up" if community.rank < was else ""
    return vocab.rank_move(was, community.rank), css


def standing_rows(point: MonthStanding, before: MonthStanding | None) -> tuple[StandingRow, ...]:
    tied = tied_ranks(point.communities)
    rows = []
    for community in point.communities:
        move, css = move_of(before, community)
        rows.append(
            StandingRow(
                id=community.id,
                rank=community.rank,
                tied=community.rank in tied,
                name=community.name,
                total=vocab.score(community.total),
                move=move,
                move_css=css,
                vetoed=community.vetoed,
            )
        )
    return tuple(rows)


def standings_page(data: SiteData, series: tuple[MonthStanding, ...], index: int, year_label: str) -> StandingsPage:
    point = series[index]
    before = series[index - 1] if index else None
    return StandingsPage(
        relpath=standings_href(point.day),
        title=f"{data.results.year}年度考核排名（{vocab.as_of_label(point.day)}）",
        day=point.day.isoformat(),
        label=point_label(point.day),
        mark=vocab.as_of_label(point.day),
        note=vocab.as_of_note(point.day),
        rows=standing_rows(point, before),
        links=selector(series, point.day, year_label),
        compared_with=point_label(before.day) if before is not None else "",
    )


# --- the chart: rank and total of each community at every point ---------------------------

TREND_FONT = 13  # px per CJK character of a name
TREND_CELL_WIDTH = 48
TREND_CELL_HEIGHT = 36
TREND_HEADER = 24
TREND_MARK = 22  # room for the falling mark after a name
FALLING_MARK = "▼"


def rank_text(rank: int, tied: bool) -> str:
    return f"{vocab.TIE[0]}{rank}" if tied else str(rank)


def trend_cells(series: tuple[MonthStanding, ...], order: tuple[str, ...], label_width: int) -> list[TrendCell]:
    cells = []
    for j, point in enumerate(series):
        before = series[j - 1] if j else None
        tied = tied_ranks(point.communities)
        by_id = {c.id: c for c in point.communities}
        for i, cid in enumerate(order):
            community = by_id[cid]
            x, y = label_width + j * TREND_CELL_WIDTH, TREND_HEADER + i * TREND_CELL_HEIGHT
            cells.append(
                TrendCell(
                    x=str(x),
                    y=str(y),
                    text_x=str(x + TREND_CELL_WIDTH // 2),
                    rank_y=str(y + 16),
                    total_y=str(y + 31),
                    rank=rank_text(community.rank, community.rank in tied),
                    total=vocab.score(community.total),
                    css=move_of(before, community)[1],
                )
            )
    return cells


def falling_words(series: tuple[MonthStanding, ...], ids: tuple[str, ...]) -> tuple[str, ...]:
    now, before = series[-1], series[-1 - FALL_WINDOW] if len(series) > FALL_WINDOW else series[0]
    names = {c.id: c.name for c in now.communities}
    return tuple(
        f"{names[cid]}（{point_label(before.day)}第{before.rank_of(cid)}名→{point_label(now.day)}第{now.rank_of(cid)}名）"
        for cid in ids
    )


def description(series: tuple[MonthStanding, ...], order: tuple[str, ...]) -> str:
    """Each community's rank at every point, in words: what the chart shows, for a screen reader."""
    names = {c.id: c.name for c in series[-1].communities}
    return "；".join(
        f"{names[cid]}：" + "、".join(f"{point_label(p.day)}第{p.rank_of(cid)}名" for p in series) for cid in order
    )


def trend_chart(series: tuple[MonthStanding, ...]) -> TrendChart:
    last = series[-1].communities
    order = tuple(c.id for c in last)
    down = falling(series)
    label_width = TREND_FONT * max((len(c.name) for c in last), default=4) + TREND_MARK + 8
    columns = tuple(
        AxisText(
            str(label_width + j * TREND_CELL_WIDTH + TREND_CELL_WIDTH // 2), str(TREND_HEADER - 8), point_label(p.day)
        )
        for j, p in enumerate(series)
    )
    rows = tuple(
        RowLabel(str(label_width - 6), str(TREND_HEADER + i * TREND_CELL_HEIGHT + 23), c.name, c.id in down)
        for i, c in enumerate(last)
    )
    return TrendChart(
        width=label_width + len(series) * TREND_CELL_WIDTH + 4,
        height=TREND_HEADER + len(order) * TREND_CELL_HEIGHT + 4,
        cell_width=TREND_CELL_WIDTH,
        cell_height=TREND_CELL_HEIGHT,
        columns=columns,
        rows=rows,
        cells=tuple(trend_cells(series, order, label_width)),
        label="各社区逐月名次与总分（每格上为名次、下为总分）",
        description=description(series, order),
        rule=vocab.falling_rule(FALL_WINDOW),
        falling=falling_words(series, down),
    )


def month_page_count(data: SiteData) -> int:
    """How many month pages :func:`through_year_view` makes, without scoring them."""
    assert data.content.rubric is not None, "the year's standings need a loaded rubric"
    return len(month_points(data.content.rubric, data.content, data.results.as_of))


def through_year_view(data: SiteData) -> ThroughYear | None:
    """The selector, the month pages and the chart; None when no entry has a date in the period yet."""
    series = through_year(data.content, data.results.as_of)
    if not series:
        return None
    as_of = data.results.as_of
    year_label = vocab.as_of_label(as_of) if as_of is not None else vocab.AS_OF_YEAR
    return ThroughYear(
        links=selector(series, None, year_label),
        pages=tuple(standings_page(data, series, index, year_label) for index in range(len(series))),
        chart=trend_chart(series),
    )
