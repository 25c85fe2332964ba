"""The 细则 page: the issuing notice, and the rubric laid out as the official attachment table.

The attachment table has four columns, as in the 2008 original: the category
(with its points, spanning its rows), the item, the 工作目标 with its points,
and the 扣分标准. Row spans are worked out here, not in the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from kaohe.content.model import Indicator, Rule
from kaohe.render import vocab
from kaohe.render.markup import render_markdown
from kaohe.render.site.context import SiteData, line_href


@dataclass(frozen=True)
class RuleView:
    text: str
    full_id: str
    kind: str  # veto / bonus / zero / plain, for marking


@dataclass(frozen=True)
class Cell:
    text: str
    points: str
    rowspan: int


@dataclass(frozen=True)
class RubricRow:
    anchor: str  # r-<full id of the leaf>
    category: Cell | None  # None where a cell above spans this row
    group: Cell | None
    goal: str
    goal_points: str
    goal_colspan: int  # 2 when the leaf sits directly under its category (no item column)
    method: str  # ratio leaves: 按完成比例计分 …
    rules: tuple[RuleView, ...]
    line_name: str
    line_href: str


@dataclass(frozen=True)
class NoticeView:
    title: str
    number: str
    date: str
    addressee: str
    body: Markup
    issuers: tuple[str, ...]


@dataclass(frozen=True)
class LineRow:
    name: str
    href: str
    lead: str
    reviewer: str


@dataclass(frozen=True)
class AwardRow:
    name: str
    ranks: str
    reward: str


@dataclass(frozen=True)
class RubricPage:
    title: str
    period: str
    total: str
    notice: NoticeView | None
    rows: tuple[RubricRow, ...]
    lines: tuple[LineRow, ...]
    awards: tuple[AwardRow, ...]
    measures: tuple[str, ...]


def rule_kind(rule: Rule) -> str:
    if rule.veto:
        return "veto"
    if rule.add is not None:
        return "bonus"
    if rule.zero:
        return "zero"
    return "plain"


def group_of(data: SiteData, leaf: Indicator) -> Indicator | None:
    """The item a leaf belongs to: its parent, unless the parent is the category itself."""
    chain = data.ancestors(leaf.full_id)
    return chain[-2] if len(chain) > 2 else None


def _spans(keys: list[str]) -> list[int]:
    """For consecutive equal keys: the run length on a run's first row, 0 on the rest."""
    spans: list[int] = []
    for _, run in groupby(keys):
        length = len(list(run))
        spans += [length] + [0] * (length - 1)
    return spans


def rubric_rows(data: SiteData) -> tuple[RubricRow, ...]:
    names = data.names
    leaves = list(data.rubric.leaves())
    categories = [data.ancestors(leaf.full_id)[0] for leaf in leaves]
    groups = [group_of(data, leaf) for leaf in leaves]
    category_spans = _spans([c.full_id for c in categories])
    group_spans = _spans([g.full_id if g else f"-{leaf.full_id}" for g, leaf in zip(groups, leaves, strict=True)])
    rows = []
    for leaf, category, group, cspan, gspan in zip(
        leaves, categories, groups, category_spans, group_spans, strict=True
    ):
        rows.append(
            RubricRow(
                anchor=f"r-{leaf.full_id}",
                category=Cell(category.label, vocab.points(category.points), cspan) if cspan else None,
                group=Cell(group.label, vocab.points(group.points), gspan) if group and gspan else None,
                goal=leaf.label,
                goal_points=vocab.points(leaf.points),
                goal_colspan=1 if group else 2,
                method=vocab.ratio_rule(leaf, names) if leaf.is_ratio else "",
                rules=tuple(RuleView(r.text, r.full_id, rule_kind(r)) for r in leaf.rules),
                line_name=data.line_name(leaf.line),
                line_href=line_href(leaf.line),
            )
        )
    return tuple(rows)


def notice_view(data: SiteData) -> NoticeView | None:
    notice = data.rubric.notice
    if notice is None:
        return None
    return NoticeView(
        title=notice.title,
        number=notice.number,
        date=f"{notice.date.year}年{notice.date.month}月{notice.date.day}日",
        addressee=notice.addressee,
        body=render_markdown(notice.body),
        issuers=notice.issuers,
    )


def award_ranks(from_rank: int, to_rank: int) -> str:
    return f"第{from_rank}名" if from_rank == to_rank else f"第{from_rank}至{to_rank}名"


def measure_rule(level: int, levels: int, measure: str) -> str:
    """``连续2年排名最末：诫勉``; the last level also covers longer streaks."""
    if level == 0:
        return f"排名最末：{measure}"
    more = "及以上" if level == levels - 1 else ""
    return f"连续{level + 1}年{more}排名最末：{measure}"


def rubric_page(data: SiteData) -> RubricPage:
    rubric = data.rubric
    return RubricPage(
        title=rubric.title,
        period=f"{rubric.period_from.isoformat()} 至 {rubric.period_to.isoformat()}",
        total=vocab.points(rubric.total),
        notice=notice_view(data),
        rows=rubric_rows(data),
        lines=tuple(LineRow(line.name, line_href(line.id), line.lead, line.reviewer) for line in rubric.lines),
        awards=tuple(AwardRow(a.name, award_ranks(a.from_rank, a.to_rank), f"{a.reward}元") for a in rubric.awards),
        measures=tuple(measure_rule(n, len(rubric.measures), m) for n, m in enumerate(rubric.measures)),
    )
