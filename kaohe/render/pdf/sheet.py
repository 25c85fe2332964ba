"""One score sheet per community (考核结果通知书): total, rank, award, every score and deduction.

A notice to one community is a letter: it is set in the 信函格式 (GB/T 9704 §10.1) with the lead organ's
mark, its own 发文字号 (decision.yaml ``notice.letter_number`` for the first community in communities.yaml,
counting up), 主送 the community, the joint signature with room for the seals, and a 版记 of 抄送 only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from kaohe.content.model import Indicator
from kaohe.render import vocab
from kaohe.render.filenames import pdf_names
from kaohe.render.markup import render_note_inline
from kaohe.render.pdf.report import measure_sentence, veto_categories
from kaohe.render.pdf.typeset import clip_html, inline_blocks, unbroken_units
from kaohe.render.pdf.views import (
    EMPTY,
    Attachment,
    Colophon,
    Document,
    Paragraph,
    Table,
    attachment_note,
    copy_to_line,
    issue_date,
    letter,
    paragraph,
    title_of,
)
from kaohe.render.vocab import chinese_year, cn_date, cn_ordinal, points, score
from kaohe.scoring.results import CommunityResult, Results
from kaohe.scoring.score import Effect, LeafScore


@dataclass(frozen=True)
class ItemRow:
    """A row of the score table: a category (with its single-item rank) or a sub-item."""

    label: str
    points: str
    score: str
    rank: str
    level: str  # 'category', 'item' or 'total'

    @property
    def starts_group(self) -> bool:
        return self.level == "category"


@dataclass(frozen=True)
class EffectRow:
    """A leaf heading, one ledger entry that moved the leaf, or the leaf's summary line."""

    kind: str  # 'leaf', 'entry' or 'summary'
    date: str = ""
    rule: str = ""
    change: str = ""
    note: Markup = EMPTY

    @property
    def starts_group(self) -> bool:
        return self.kind == "leaf"

    @property
    def rule_html(self) -> Markup:
        """The rule with ``扣0.5分`` kept on one line."""
        return unbroken_units(self.rule)


def item_rows(result: CommunityResult, results: Results) -> list[ItemRow]:
    nodes = result.score.nodes
    rows: list[ItemRow] = []
    for number, top in enumerate(results.rubric.indicators, 1):
        category = result.categories[top.id]
        rows.append(
            ItemRow(f"{cn_ordinal(number)}、{top.label}", points(top.points), score(category.score),
                    f"第{category.rank}名", "category")
        )  # fmt: skip
        rows.extend(
            ItemRow(child.label, points(child.points), score(nodes[child.full_id]), "", "item")
            for child in top.children
        )
    total_points = sum((top.points for top in results.rubric.indicators), Decimal(0))
    rows.append(ItemRow("合计", points(total_points), score(result.total), f"第{result.rank}名", "total"))
    return rows


def change_of(effect: Effect, leaf: Indicator) -> str:
    return vocab.effect_official(effect, leaf.unit)


def note_of(effect: Effect) -> Markup:
    note = render_note_inline(effect.entry.note)
    if effect.entry.evidence:
        note += Markup("（依据：") + render_note_inline(effect.entry.evidence) + Markup("）")
    return inline_blocks(clip_html(note))  # a Markdown list runs in: a cell holds no bullets


def leaf_summary(leaf: LeafScore) -> str:
    """The leaf's result in words: completion, 扣完为止, 不得分, and the score."""
    return vocab.leaf_result(leaf)


def rule_label(effect: Effect) -> str:
    return effect.rule.text if effect.rule is not None else "完成任务（到位数）"


def leaf_heading(indicator: Indicator, results: Results) -> str:
    """The leaf with its sub-item: ``党组织建设 · 坚持民主集中制……（2分）``."""
    index = results.rubric.indicator_index()
    parent = index.get(indicator.full_id.rsplit(".", 1)[0])
    prefix = f"{parent.label} · " if parent is not None and parent.full_id.count(".") else ""
    return f"{prefix}{indicator.label}（{points(indicator.points)}分）"


def effect_rows(result: CommunityResult, results: Results) -> list[EffectRow]:
    rows: list[EffectRow] = []
    for indicator in results.rubric.leaves():
        leaf = result.score.leaves[indicator.full_id]
        if not leaf.effects:
            continue
        rows.append(EffectRow("leaf", rule=leaf_heading(indicator, results)))
        rows.extend(
            EffectRow("entry", cn_date(effect.entry.date), rule_label(effect), change_of(effect, indicator),
                      note_of(effect))
            for effect in sorted(leaf.effects, key=lambda e: (e.entry.date, e.entry.line, e.entry.cites))
        )  # fmt: skip
        rows.append(EffectRow("summary", rule="小计", change=leaf_summary(leaf)))
    return rows


def standing(result: CommunityResult, results: Results) -> str:
    text = f"你社区考核总分{score(result.total)}分，在全街道{len(results.communities)}个社区中排第{result.rank}名"
    if moved := vocab.moved_up(results, result):
        text += f"，因排名在前的社区被“一票否决”，按照细则规定名次{moved}"
    if result.vetoed:
        return text + f"，因{veto_categories(results, result)}被“一票否决”，不参加评先评优。"
    if result.granted.award is not None:
        award = result.granted.award
        return text + f"，授予“{award.name}”称号，奖励现金{award.reward}元。"
    return text + "。"


def category_bonus(result: CommunityResult, category: Indicator) -> Decimal:
    """The bonus points the category's leaves earned (招商引资, 财税管理): what lifts a score above 满分."""
    inside = category.full_id + "."
    return sum((leaf.bonus for key, leaf in result.score.leaves.items() if key.startswith(inside)), Decimal(0))


def category_sentence(result: CommunityResult, results: Results) -> str:
    parts = []
    for top in results.rubric.indicators:
        category, bonus = result.categories[top.id], category_bonus(result, top)
        earned = f"含加分{score(bonus)}分，" if bonus else ""
        parts.append(
            f"{top.label}{score(category.score)}分（满分{points(top.points)}分，{earned}单项第{category.rank}名）"
        )
    return "、".join(parts) + "。"


def sheet_body(result: CommunityResult, results: Results) -> tuple[Paragraph, ...]:
    rubric = results.rubric
    approval = results.approval
    if approval is not None:
        decided = f"经{cn_date(approval.meeting)}街道班子会研究决定"
    else:
        decided = "考核结果尚待街道班子会研究决定（草稿）"
    count = sum(len(leaf.effects) for leaf in result.score.leaves.values())
    texts = [
        f"根据《{rubric.title}》，街道各线依据日常考核台帐对各社区{rubric.year}年度工作进行了量化考核评分，"
        f"{decided}，现将你社区考核结果通知如下：",
        "一、考核总分和名次",
        standing(result, results),
        "二、各项得分",
        category_sentence(result, results),
        "三、扣分和计分情况",
        f"全年各线日常考核台帐共记载你社区{count}条考核事项，各项得分和每条记载的日期、细则条目及说明见附件。",
    ]
    measures = [m for m in results.measures if m.community == result.id]
    if measures:
        texts.append("四、排名最末的处理")
        texts.extend(f"{i}.{measure_sentence(results, m)}" for i, m in enumerate(measures, 1))
    texts.append("特此通知。")
    return tuple(paragraph(text) for text in texts)


LETTER_SERIAL = re.compile(r"(\d+)号$")


def letter_number(result: CommunityResult, results: Results) -> str:
    """The letter's 发文字号 once final: the first letter's number counted up in communities.yaml order."""
    decision = results.content.decision
    if results.approval is None or decision is None:
        return ""
    serial = LETTER_SERIAL.search(decision.letter_number)
    if serial is None:
        return ""
    order = [community.id for community in results.content.communities]
    return f"{decision.letter_number[: serial.start()]}{int(serial.group(1)) + order.index(result.id)}号"


def sheet_title(results: Results) -> str:
    return f"{chinese_year(results.year)}年度社区工作目标管理考核结果通知书"


def score_sheet(result: CommunityResult, results: Results, source_date_epoch: int | None) -> Document:
    detail_title = f"{result.name}{chinese_year(results.year)}年度考核得分及扣分明细"
    tables = (
        Table(
            "items",
            ("考核项目", "分值", "得分", "单项名次"),
            item_rows(result, results),
            ("64%", "11%", "11%", "14%"),  # the 考核项目 wide enough that few wrap; 22.90 and 单项名次 on one line
            caption=vocab.ITEMS_CAPTION,
        ),
        Table(
            "effects",
            ("日期", "细则条目", "扣分／计分", "说明"),
            effect_rows(result, results),
            ("20%", "28%", "17%", "35%"),  # 2008年12月19日 and 计入180万元 each on one line
            caption=vocab.EFFECTS_CAPTION,
            empty=vocab.NO_EFFECTS,
        ),
    )
    return letter(
        results,
        source_date_epoch,
        file_name=pdf_names(results).sheets[result.id],
        title=sheet_title(results),
        meta_title=f"{sheet_title(results)}（{result.name}）",
        addressee=f"{result.name}党总支、居委会：",
        paragraphs=sheet_body(result, results),
        signed_on=issue_date(results),
        number=letter_number(result, results),
        attachment_note=attachment_note([detail_title]),
        attachments=(Attachment("附件", title_of(detail_title), tables),),
        colophon=Colophon(copy_to_line(results)),
        draft=not results.final,
    )
