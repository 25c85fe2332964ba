"""The 公示 on the site: the banner every page carries while the results are 公示中 or 复核中,
and each objection with its 复核 on the community's page (FORMAT.md §6a)."""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.render import vocab
from kaohe.render.objections import ObjectionFacts, objection_facts, publicity_of
from kaohe.scoring.publicity import Stage
from kaohe.scoring.results import Results

BANNER_STAGES = (Stage.PUBLICITY, Stage.REVIEW)


@dataclass(frozen=True)
class PublicityBanner:
    """公示中 / 复核中: until when, and where and how to object."""

    stage: str  # 公示中 or 复核中
    when: str  # 公示期：2009年1月4日至2009年1月8日（5个工作日）。
    how: str  # 对考核结果有异议的，请在公示期内（至2009年1月8日）向…提出…
    count: str  # 收到异议2件，其中待复核1件。 (empty before any)
    end_iso: str


@dataclass(frozen=True)
class ObjectionView:
    """One objection and its 复核 as the community page lists it; ``by`` is the objector (internal edition only)."""

    id: str
    by: str
    received: str
    late: str  # 公示期满后提出, kept on record: the note shown; "" when in time
    about: str
    says: str
    outcome: str
    upheld: bool
    open: bool
    reason: str
    review_date: str
    reviewer: str
    change: str


def publicity_banner(results: Results) -> PublicityBanner | None:
    """The banner while the results are 公示中 or 复核中 (never in a build --as-of)."""
    found = publicity_of(results)
    if found is None or results.as_of is not None or results.stage not in BANNER_STAGES:
        return None
    publicity, end = found
    return PublicityBanner(
        stage=vocab.stage_label(results),
        when=vocab.publicity_when(vocab.publicity_window(publicity.start, end, publicity.working_days)),
        how=vocab.publicity_how(end, vocab.objection_channels(publicity)),
        count=vocab.objections_count(len(publicity.objections), sum(1 for o in publicity.objections if o.open)),
        end_iso=end.isoformat(),
    )


def objection_view(facts: ObjectionFacts) -> ObjectionView:
    objection, review = facts.objection, facts.objection.review
    return ObjectionView(
        id=objection.id,
        by=objection.by,
        received=vocab.cn_date(objection.received),
        late=vocab.OBJECTION_LATE_NOTE if facts.late else "",
        about=facts.about,
        says=objection.says,
        outcome=facts.outcome,
        upheld=review is not None and review.upheld,
        open=review is None,
        reason=review.reason if review is not None else "",
        review_date=vocab.cn_date(review.date) if review is not None else "",
        reviewer=review.by if review is not None else "",
        change=facts.change,
    )


def objection_views(results: Results, community: str) -> tuple[ObjectionView, ...]:
    """The objections about ``community``, in the order publicity.yaml lists them."""
    return tuple(objection_view(f) for f in objection_facts(results) if f.objection.community == community)
