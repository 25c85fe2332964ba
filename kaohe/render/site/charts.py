"""Charts as inline SVG: a bar chart of totals and a heat map of category attainment.

Python computes every coordinate (in ``Decimal``, written with one decimal);
the template only draws what it is given. Both charts carry their numbers as
text, so they read the same in print and to a screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from kaohe.render import vocab
from kaohe.render.site.context import SiteData
from kaohe.render.site.ranking import award_class, community_href
from kaohe.scoring.results import CommunityResult

TENTH = Decimal("0.1")
TICKS = 5


def coord(value: Decimal) -> str:
    """An SVG coordinate with one decimal."""
    return str(value.quantize(TENTH, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Tick:
    x: str
    label: str


@dataclass(frozen=True)
class Bar:
    y: str  # top of the bar
    text_y: str  # baseline of the labels
    width: str
    value_x: str
    name: str
    value: str
    href: str
    css: str  # award-1, award-2, vetoed or empty
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_x: int
    plot_bottom: int
    tick_y: int
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    bar_height: int
    label: str


# --- bar chart of totals ----------------------------------------------------------------

BAR_LABEL_WIDTH = 92
BAR_PLOT_WIDTH = 430  # the wide chart; a phone gets a chart of its own that fits 366 px without shrinking
PHONE_PLOT_WIDTH = 150
BAR_VALUE_WIDTH = 124
BAR_ROW = 26
BAR_HEIGHT = 18
BAR_TOP = 6
BAR_AXIS = 26


def scale_max(data: SiteData) -> Decimal:
    """The axis runs from 0 to the rubric's total, or further when bonus points take a total past it."""
    highest = max((c.total for c in data.results.communities), default=Decimal(0))
    top = max(data.rubric.total, highest)
    step = Decimal(TICKS * 2)
    return (top / step).to_integral_value(rounding=ROUND_CEILING) * step


def bar_css(data: SiteData, community: CommunityResult) -> str:
    return "vetoed" if community.vetoed else award_class(data, community)


def rank_words(data: SiteData, community: CommunityResult) -> str:
    """``第3名`` or ``并列第3名``, as the tables show a tie."""
    tie = vocab.TIE if community.rank in data.tied_ranks else ""
    return f"{tie}第{community.rank}名"


def bar_title(data: SiteData, community: CommunityResult) -> str:
    veto = "，一票否决" if community.vetoed else ""
    award = f"，{community.granted.name}" if community.granted.name else ""
    return f"{community.name}：总分{vocab.score(community.total)}，{rank_words(data, community)}{award}{veto}"


def bar_value(data: SiteData, community: CommunityResult) -> str:
    """The total at the end of a bar; a tie and a veto are said there too."""
    tie = f" {vocab.TIE}第{community.rank}名" if community.rank in data.tied_ranks else ""
    return vocab.score(community.total) + tie + ("（否决）" if community.vetoed else "")


def bar_chart(data: SiteData, plot_width: int = BAR_PLOT_WIDTH) -> BarChart:
    top = scale_max(data)
    plot = Decimal(plot_width)
    bars = []
    for index, community in enumerate(data.results.communities):
        y = BAR_TOP + index * BAR_ROW
        width = plot * community.total / top
        bars.append(
            Bar(
                y=str(y),
                text_y=str(y + BAR_HEIGHT - 4),
                width=coord(width),
                value_x=coord(BAR_LABEL_WIDTH + width + 4),
                name=community.name,
                value=bar_value(data, community),
                href=community_href(community.id),
                css=bar_css(data, community),
                title=bar_title(data, community),
            )
        )
    bottom = BAR_TOP + len(bars) * BAR_ROW
    ticks = tuple(
        Tick(coord(BAR_LABEL_WIDTH + plot * n / TICKS), vocab.points(top * n / TICKS)) for n in range(TICKS + 1)
    )
    return BarChart(
        width=BAR_LABEL_WIDTH + plot_width + BAR_VALUE_WIDTH,
        height=bottom + BAR_AXIS,
        plot_x=BAR_LABEL_WIDTH,
        plot_bottom=bottom,
        tick_y=bottom + 16,
        ticks=ticks,
        bars=tuple(bars),
        bar_height=BAR_HEIGHT,
        label=f"各社区总分条形图（满分{vocab.points(data.rubric.total)}分）",
    )


# --- heat map of attainment -------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    """One colour of the heat map: attainment at or above ``floor``."""

    floor: Decimal
    css: str
    label: str


BINS = (
    Bin(Decimal(1), "h5", "100%及以上"),
    Bin(Decimal("0.95"), "h4", "95%至100%"),
    Bin(Decimal("0.9"), "h3", "90%至95%"),
    Bin(Decimal("0.8"), "h2", "80%至90%"),
    Bin(Decimal(0), "h1", "低于80%"),
)


def bin_for(attainment: Decimal) -> Bin:
    return next((b for b in BINS if attainment >= b.floor), BINS[-1])


@dataclass(frozen=True)
class HeatCell:
    x: str
    y: str
    text_x: str
    text_y: str
    css: str
    value: str
    title: str
    href: str


@dataclass(frozen=True)
class AxisLabel:
    x: str
    y: str
    text: str


@dataclass(frozen=True)
class LegendItem:
    css: str
    label: str


@dataclass(frozen=True)
class HeatMap:
    width: int
    height: int
    cell_width: int
    cell_height: int
    rows: tuple[AxisLabel, ...]  # categories
    columns: tuple[AxisLabel, ...]  # communities, in rank order
    cells: tuple[HeatCell, ...]
    legend: tuple[LegendItem, ...]  # drawn beside the chart, not in it, so it stays in view on a phone
    label: str


HEAT_FONT = 13  # px per CJK character at the chart's font size
HEAT_CELL_HEIGHT = 26
HEAT_HEADER = 28
HEAT_BOTTOM = 4


def attainment(score: Decimal, points: Decimal) -> Decimal:
    return score / points if points else Decimal(0)


def heat_map(data: SiteData) -> HeatMap:
    categories = data.rubric.indicators
    communities = data.results.communities
    label_width = HEAT_FONT * max((len(top.label) for top in categories), default=4) + 12
    cell_width = max(54, HEAT_FONT * max((len(c.name) for c in communities), default=4) + 6)
    columns = tuple(
        AxisLabel(str(label_width + i * cell_width + cell_width // 2), str(HEAT_HEADER - 10), c.name)
        for i, c in enumerate(communities)
    )
    rows = tuple(
        AxisLabel(str(label_width - 8), str(HEAT_HEADER + i * HEAT_CELL_HEIGHT + 17), top.label)
        for i, top in enumerate(categories)
    )
    cells = []
    for i, top in enumerate(categories):
        for j, community in enumerate(communities):
            cat = community.categories[top.id]
            share = attainment(cat.score, cat.points)
            x, y = label_width + j * cell_width, HEAT_HEADER + i * HEAT_CELL_HEIGHT
            cells.append(
                HeatCell(
                    x=str(x),
                    y=str(y),
                    text_x=str(x + cell_width // 2),
                    text_y=str(y + 17),
                    css=bin_for(share).css,
                    value=vocab.percent(share).removesuffix("%"),
                    title=f"{community.name} · {top.label}：{vocab.score(cat.score)}／{vocab.points(cat.points)}分"
                    f"（{vocab.percent(share)}）",
                    href=community_href(community.id),
                )
            )
    grid_bottom = HEAT_HEADER + len(categories) * HEAT_CELL_HEIGHT
    return HeatMap(
        width=label_width + len(communities) * cell_width + 4,
        height=grid_bottom + HEAT_BOTTOM,
        cell_width=cell_width,
        cell_height=HEAT_CELL_HEIGHT,
        rows=rows,
        columns=columns,
        cells=tuple(cells),
        legend=tuple(LegendItem(b.css, b.label) for b in BINS),
        label="各社区各类得分率热力图（得分÷分值，%）",
    )
