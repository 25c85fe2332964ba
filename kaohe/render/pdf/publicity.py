"""The 公示 notice of the results, and one 复核结果告知书 per decided objection (FORMAT.md §6a).

The 公示 notice is posted on the office's board: the results with their scores and awards
(the 通报's score table as its attachment), the 公示's first and last day, and where and how
to object. It names no person. A 复核结果告知书 is a letter to the objector: it names them,
so it is marked internal (:attr:`~kaohe.render.pdf.views.Document.internal`) and the public
edition leaves it out.
"""

from __future__ import annotations

from datetime import date

from kaohe.content.model import Publicity
from kaohe.render import vocab
from kaohe.render.filenames import PDF, safe_file_name
from kaohe.render.objections import ObjectionFacts, objection_facts, publicity_of
from kaohe.render.pdf.report import score_table
from kaohe.render.pdf.views import (
    Attachment,
    Colophon,
    Document,
    Paragraph,
    addressee_of,
    attachment_note,
    copy_to_line,
    created_stamp,
    date_markup,
    gap_text_markup,
    issuers,
    letter,
    paragraph,
    printed_line,
    printer_of,
    red_header,
    sealed,
    signature,
    title_of,
)
from kaohe.render.vocab import chinese_year, cn_date
from kaohe.scoring.results import Results


def publicity_title(results: Results) -> str:
    return f"关于{chinese_year(results.year)}年度社区工作目标管理考核结果的公示"


def publicity_file_name(results: Results) -> str:
    return safe_file_name(f"{results.year}年度社区工作目标管理考核结果", PDF, tail="（公示）")


def review_letter_file_name(facts: ObjectionFacts) -> str:
    return safe_file_name(f"{vocab.REVIEW_LETTER_TITLE}-{facts.community_name}", PDF, tail=f"（{facts.objection.id}）")


def publicity_body(results: Results, publicity: Publicity, end: date) -> tuple[Paragraph, ...]:
    window = vocab.publicity_window(publicity.start, end, publicity.working_days)
    texts = [
        f"根据《{results.rubric.title}》，街道各线依据日常考核台帐，对各社区{results.year}年度工作目标完成情况"
        "进行了量化考核评分，考核结果经各线分管副书记审核。为体现公开、公平、公正，现将考核结果予以公示。",
        "一、公示时间",
        f"{window}。",
        "二、公示内容",
        "各社区考核总分、名次及拟授予的奖项（见附件）。",
        "三、异议的提出",
        f"公示期间，对考核结果有异议的，请向{vocab.objection_channels(publicity)}提出，写明所涉社区、"
        "台帐记载事项和理由，并留下联系方式。街道对每件异议进行复核，书面告知复核结果。"
        "公示期满后提出的异议登记在案，一并复核。",
        "特此公示。",
    ]
    return tuple(paragraph(text) for text in texts)


def publicity_notice(results: Results, source_date_epoch: int | None) -> Document | None:
    """The 公示 of the results as posted (:attr:`Results.posted`, else as they are); ``None`` without a 公示."""
    results = results.posted or results
    found = publicity_of(results)
    if found is None:
        return None
    publicity, end = found
    table_title = f"{chinese_year(results.year)}年度社区工作目标管理考核得分及排名表"
    signed = date_markup(publicity.start)
    return Document(
        file_name=publicity_file_name(results),
        meta_title=publicity_title(results),
        author="、".join(issuers(results)),
        created=created_stamp(source_date_epoch),
        header=red_header(issuers(results), ""),
        title=title_of(publicity_title(results)),
        addressee=gap_text_markup(f"{addressee_of(results)}："),
        paragraphs=publicity_body(results, publicity, end),
        attachment_note=attachment_note([table_title]),
        signature=signature(issuers(results), signed, sealed(results)),
        attachments=(Attachment("附件", title_of(table_title), (score_table(results, proposed=True),)),),
        colophon=Colophon(copy_to_line(results), printer_of(results), printed_line(signed)),
        sample=results.content.sample,
    )


def review_body(results: Results, facts: ObjectionFacts) -> tuple[Paragraph, ...]:
    objection, review = facts.objection, facts.objection.review
    assert review is not None, "only a decided objection has a 复核结果告知书"
    late = vocab.OBJECTION_LATE_NOTE if facts.late else ""
    texts = [
        f"你于{cn_date(objection.received)}对{facts.community_name}{results.year}年度考核中{facts.about}"
        f"提出的异议{late}收悉。你反映：{objection.says.strip().rstrip('。')}。",
        f"经复核，{facts.outcome}。{review.reason.strip().rstrip('。')}。",
    ]
    if facts.change:
        texts.append(f"根据复核结论，已在台帐中{facts.change}，考核结果据此重新计算。")
    texts.append(f"复核日期：{cn_date(review.date)}。")
    texts.append("特此告知。")
    return tuple(paragraph(text) for text in texts)


def review_letter(results: Results, facts: ObjectionFacts, source_date_epoch: int | None) -> Document:
    """The 复核结果告知书 of one decided objection, addressed to the objector (internal)."""
    review = facts.objection.review
    assert review is not None, "only a decided objection has a 复核结果告知书"
    title = f"{chinese_year(results.year)}年度社区工作目标管理考核异议{vocab.REVIEW_LETTER_TITLE}"
    return letter(
        results,
        source_date_epoch,
        file_name=review_letter_file_name(facts),
        title=title,
        meta_title=f"{title}（{facts.community_name}）",
        addressee=f"{facts.objection.by}：",
        paragraphs=review_body(results, facts),
        signed_on=date_markup(review.date),
        colophon=None,  # a letter to the objector alone: no 抄送, so no 版记
        internal=True,
    )


def publicity_documents(results: Results, source_date_epoch: int | None) -> list[Document]:
    """The 公示 notice and a 复核结果告知书 for every objection with its 复核, in file order."""
    notice = publicity_notice(results, source_date_epoch)
    letters = [
        review_letter(results, facts, source_date_epoch)
        for facts in objection_facts(results)
        if facts.objection.review is not None
    ]
    return ([notice] if notice is not None else []) + letters
