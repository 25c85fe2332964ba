"""What every page carries: the site title, the navigation, and the 示例数据 / 草稿 banners."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.content.load import LEDGER_DIR
from kaohe.render.site.context import SiteData
from kaohe.scoring.results import Results


@dataclass(frozen=True)
class NavItem:
    key: str
    href: str  # relative to the site root
    label: str


NAV = (
    NavItem("ranking", "index.html", "总排名"),
    NavItem("lines", "lines.html", "各线台帐"),
    NavItem("rubric", "rubric.html", "细则"),
    NavItem("history", "history.html", "历年"),
    NavItem("downloads", "downloads.html", "下载"),
    NavItem("search", "search.html", "搜索"),
)


@dataclass(frozen=True)
class Chrome:
    """Site-wide facts shown on every page."""

    title: str
    year: int
    sample: bool
    final: bool
    status: str  # 草稿 or 已审定
    draft_reasons: tuple[str, ...]
    approval: str  # who approved and when, once final
    sha256: str
    generated: str
    nav: tuple[NavItem, ...] = NAV


@dataclass(frozen=True)
class Page:
    """One page: its title, where it sits (``base`` leads back to the site root) and its nav item."""

    title: str
    base: str
    nav_key: str


def draft_reasons(results: Results) -> tuple[str, ...]:
    """Why the results are still a draft, in words for readers."""
    content = results.content
    reasons: list[str] = []
    if content.decision is None:
        reasons.append("班子会尚未研究决定（还没有 content/decision.yaml）")
    reviewed = {ledger.line for ledger in content.ledgers if ledger.review is not None}
    waiting = [line for line in results.rubric.lines if line.id not in reviewed]
    if waiting:
        names = "、".join(line.name for line in waiting)
        reasons.append(f"以下各线台帐尚未经{waiting[0].reviewer or '分管副书记'}审核：{names}（{LEDGER_DIR}/）")
    if results.finality.mismatch:
        reasons.append("班子会审定后台帐又有改动，现在算出的结果与审定的结果不一致")
    if not reasons and not results.final:
        reasons.append("结果尚未审定")
    return tuple(reasons)


def approval_text(results: Results) -> str:
    decision = results.content.decision
    if not results.final or decision is None:
        return ""
    return f"经{decision.meeting.isoformat()}班子会研究决定（{decision.minutes}），以{decision.notice_number}通报。"


def chrome(data: SiteData) -> Chrome:
    results = data.results
    return Chrome(
        title=f"{results.year}年度社区工作目标管理考核",
        year=results.year,
        sample=results.content.sample,
        final=results.final,
        status="已审定" if results.final else "草稿",
        draft_reasons=() if results.final else draft_reasons(results),
        approval=approval_text(results),
        sha256=results.sha256,
        generated=data.generated,
    )
