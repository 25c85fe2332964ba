"""What every page carries: the site title, the navigation, and the 示例数据 / 草稿 banners."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.render import vocab
from kaohe.render.site.context import SiteData
from kaohe.render.site.publicity import PublicityBanner, publicity_banner
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
    status: str  # 草稿, 公示中, 复核中 or 已审定
    draft_reasons: tuple[str, ...]
    approval: str  # who approved and when, once final
    sha256: str
    generated: str
    period: tuple[str, str]  # the assessment period, ISO dates, for the date filters
    public: bool = False  # the public edition: the pages leave out names and measures
    edition_note: str = ""  # what the public edition leaves out, for its banner; empty in the internal one
    as_of_mark: str = ""  # 截至DATE in a build --as-of (every page says it); empty otherwise
    as_of_note: str = ""  # the as-of banner's words beside the mark
    publicity: PublicityBanner | None = None  # while 公示中 or 复核中: until when and how to object
    posted_note: str = ""  # the 公示 notice is the posted one (publicity.yaml's posted): says so; else empty
    nav: tuple[NavItem, ...] = NAV


@dataclass(frozen=True)
class Page:
    """One page: its title, where it sits (``base`` leads back to the site root) and its nav item."""

    title: str
    base: str
    nav_key: str
    landscape: bool = False  # printed on A4 landscape: a table too wide for portrait
    as_of_mark: str = ""  # a month-end standings page: 截至DATE, shown instead of the year's status
    as_of_note: str = ""


def draft_reasons(results: Results) -> tuple[str, ...]:
    """Why the results are still a draft, in words for readers."""
    lines = results.rubric.lines
    names = {line.id: line.name for line in lines}
    reviewers = {line.id: line.reviewer for line in lines}
    return tuple(vocab.draft_reason(draft, names, reviewers) for draft in results.finality.drafts)


def approval_text(results: Results) -> str:
    approval = results.approval
    if approval is None:
        return ""
    meeting, notice = vocab.cn_date(approval.meeting), vocab.cn_date(approval.notice_date)
    return f"经{meeting}班子会研究审定（{approval.minutes}），{notice}以{approval.notice_number}通报。"


def chrome(data: SiteData) -> Chrome:
    results = data.results
    return Chrome(
        title=f"{results.year}年度社区工作目标管理考核",
        year=results.year,
        sample=results.content.sample,
        final=results.final,
        status=vocab.as_of_label(results.as_of) if results.as_of else vocab.stage_label(results),
        draft_reasons=draft_reasons(results),
        approval=approval_text(results),
        sha256=results.sha256,
        generated=data.generated,
        period=(data.rubric.period_from.isoformat(), data.rubric.period_to.isoformat()),
        public=data.public,
        edition_note=vocab.PUBLIC_EDITION_NOTE if data.public else "",
        as_of_mark=vocab.as_of_label(results.as_of) if results.as_of else "",
        as_of_note=vocab.as_of_note(results.as_of) if results.as_of else "",
        publicity=publicity_banner(results),
        posted_note=vocab.posted_note(results),
    )
