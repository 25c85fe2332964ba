"""One 处理告知书 per person given a last-place measure, once the results are final.

The 告知书 is an internal document (:attr:`~kaohe.render.pdf.views.Document.internal`), set as a
letter (信函格式) like the score sheets: addressed to the person, it names each measure, the facts
(the years of the streak, the community and its place in each, from ``content/history/`` and this
year's results), the exemption if any, and the time limit for 申诉 (rubric.yaml ``appeal_days``,
15 calendar days by default) with the deadline counted from the notice's date (decision.yaml
``notice.date``): dated 2009-01-10 with 15 days, the deadline is 2009-01-25. Before the results
are final a measure is only proposed (拟), and there is no 告知书.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from kaohe.render import vocab
from kaohe.render.filenames import PDF, distinct_file_names, pdf_names
from kaohe.render.pdf.views import (
    Document,
    Paragraph,
    issue_date,
    issuers,
    letter,
    paragraph,
)
from kaohe.render.vocab import chinese_year, cn_date
from kaohe.scoring.finality import Approval
from kaohe.scoring.measures import OVERALL, LastPlace, Measure, earlier_last_places
from kaohe.scoring.results import Results


def appeal_deadline(notice_date: date, days: int) -> date:
    """The last day for 申诉: ``days`` calendar days after the notice's date (2009-01-10 + 15 → 2009-01-25)."""
    return notice_date + timedelta(days=days)


def notice_title(results: Results) -> str:
    return f"{chinese_year(results.year)}年度目标管理考核排名最末处理告知书"


def people(results: Results) -> list[tuple[str, str, tuple[Measure, ...]]]:
    """(community id, person, their measures) for every named person, in the order of the measures."""
    grouped: dict[tuple[str, str], list[Measure]] = {}
    for measure in results.measures:
        if measure.person:
            grouped.setdefault((measure.community, measure.person), []).append(measure)
    return [(cid, person, tuple(found)) for (cid, person), found in grouped.items()]


def this_year_place(results: Results, measure: Measure) -> LastPlace:
    community = results.community(measure.community)
    rank = community.rank if measure.scope == OVERALL else community.categories[measure.scope].rank
    return LastPlace(results.year, measure.community, rank, len(results.communities))


def scope_words(results: Results, measure: Measure) -> str:
    """``综合考核`` or ``党群工作单项考核``."""
    categories = {top.id: top.label for top in results.rubric.indicators}
    label = vocab.scope_label(measure.scope, categories)
    return label if measure.scope == OVERALL else f"{label}单项考核"


def place_text(place: LastPlace) -> str:
    """``2007年度排第10名（共10个社区）``."""
    return f"{place.year}年度排第{place.rank}名（共{place.ranked}个社区）"


def facts_text(results: Results, measure: Measure) -> str:
    """``任东升社区党总支书记期间，该社区综合考核2007年度排第10名（共10个社区）、2008年度……，均为排名最末。``"""
    names = {c.id: c.name for c in results.content.communities}
    places = [*earlier_last_places(measure, results.year, results.content.history), this_year_place(results, measure)]
    by_community: dict[str, list[LastPlace]] = {}
    for place in places:
        by_community.setdefault(place.community, []).append(place)
    parts = [
        f"任{names.get(cid, cid)}{vocab.role_label(measure.role)}期间，该社区{scope_words(results, measure)}"
        + "、".join(place_text(place) for place in found)
        for cid, found in by_community.items()
    ]
    tail = "均为排名最末" if len(places) > 1 else "排名最末"
    return f"{'；'.join(parts)}，{tail}。"


def decision_text(results: Results, measure: Measure) -> str:
    place = vocab.last_place_text(measure, {top.id: top.label for top in results.rubric.indicators})
    if measure.exempt:
        return f"你{place}，按规定应给予{measure.measure}处理；{measure.reason.rstrip('。')}。"
    return f"你{place}，给予{measure.measure}。"


def numbered(texts: Sequence[str]) -> list[str]:
    return [f"{i}.{text}" if len(texts) > 1 else text for i, text in enumerate(texts, 1)]


def notice_body(results: Results, measures: Sequence[Measure], approval: Approval) -> tuple[Paragraph, ...]:
    rubric = results.rubric
    number = f"（{rubric.notice.number}）" if rubric.notice else ""
    deadline = appeal_deadline(approval.notice_date, rubric.appeal_days)
    texts = [
        f"根据《{rubric.title}》{number}对年度综合考核及单项考核排名最末的党总支书记和分管工作人员的处理规定，"
        f"经{cn_date(approval.meeting)}街道班子会研究决定（{approval.minutes}），现将对你的处理告知如下：",
        "一、事实",
        *numbered([facts_text(results, m) for m in measures]),
        "二、处理",
        *numbered([decision_text(results, m) for m in measures]),
        "三、申诉",
        f"如对本处理不服，可自本告知书成文之日起{rubric.appeal_days}日内（至{cn_date(deadline)}止）"
        f"向{issuers(results)[0]}书面提出申诉。",
        "特此告知。",
    ]
    return tuple(paragraph(text) for text in texts)


def notice_file_names(results: Results) -> dict[tuple[str, str], str]:
    """A safe, distinct file name for each person's 告知书, apart from the year's other PDFs."""
    names = {c.id: c.name for c in results.content.communities}
    found = people(results)
    stems = {f"{cid}-{i}": f"处理告知书-{names.get(cid, cid)}-{person}" for i, (cid, person, _) in enumerate(found)}
    taken = pdf_names(results)
    files = distinct_file_names(stems, PDF, taken=(taken.notice, taken.report, *taken.sheets.values()))
    return {(cid, person): files[f"{cid}-{i}"] for i, (cid, person, _) in enumerate(found)}


def measure_notices(results: Results, source_date_epoch: int | None) -> list[Document]:
    """Every person's 告知书 once the results are final; none before (a measure is then only 拟)."""
    approval = results.approval
    if approval is None:
        return []
    files = notice_file_names(results)
    return [
        measure_notice(results, cid, person, measures, approval, files[(cid, person)], source_date_epoch)
        for cid, person, measures in people(results)
    ]


def measure_notice(
    results: Results,
    community: str,
    person: str,
    measures: Sequence[Measure],
    approval: Approval,
    file_name: str,
    source_date_epoch: int | None,
) -> Document:
    title = notice_title(results)
    return letter(
        results,
        source_date_epoch,
        file_name=file_name,
        title=title,
        meta_title=f"{title}（{results.community(community).name} {person}）",
        addressee=f"{person}同志：",
        paragraphs=notice_body(results, measures, approval),
        signed_on=issue_date(results),
        internal=True,  # and no 版记: a measure concerns one person, it is copied to no one
    )
