"""A plain ``index.html`` ranking table: readable without any styling or script."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..results import Results, fmt_decimal
from . import RenderEnv
from .jinja import environment


@dataclass(frozen=True)
class Row:
    rank: int
    name: str
    total: str
    categories: list[str]
    award: str
    reward: str
    veto: str


def ranking_rows(results: Results) -> list[Row]:
    return [
        Row(
            rank=c.rank,
            name=c.name,
            total=fmt_decimal(c.total),
            categories=[fmt_decimal(cat.score) for cat in c.categories.values()],
            award=c.granted.name or "",
            reward=f"{c.granted.reward}元" if c.granted.reward else "",
            veto="一票否决" if c.vetoed else "",
        )
        for c in results.communities
    ]


def render_plain_index(results: Results, out_dir: Path, env: RenderEnv) -> None:
    template = environment(env.templates_dir).get_template("index.html")
    html = template.render(
        title=f"{results.year}年度社区工作目标管理考核结果",
        final=results.final,
        draft_reasons=results.finality.reasons,
        categories=[f"{top.label}（{fmt_decimal(top.points, places=False)}分）" for top in results.rubric.indicators],
        rows=ranking_rows(results),
        sample=results.content.sample,
    )
    (out_dir / "index.html").write_text(html, encoding="utf-8")
