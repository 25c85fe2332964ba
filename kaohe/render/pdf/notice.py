"""The rubric notice (通知): publishes the 细则, with the full rubric table as its attachment."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.content.model import Indicator, Rubric, Rule
from kaohe.render.pdf.typeset import cn_ordinal
from kaohe.render.pdf.views import (
    Attachment,
    Colophon,
    Document,
    Table,
    attachment_note,
    copy_to_line,
    created_stamp,
    date_markup,
    gap_text_markup,
    markdown_paragraphs,
    points,
    printed_line,
    printer_of,
    red_header,
    signature,
    title_of,
)
from kaohe.scoring.results import Results


@dataclass(frozen=True)
class RubricRow:
    """A row of the rubric table: a category heading, or one 工作目标 with its 扣分标准."""

    category: str = ""  # set on category heading rows only
    item: str = ""  # the sub-item, on its first row
    points: str = ""
    goal: str = ""
    rules: str = ""


def percent(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def ratio_rules(leaf: Indicator, names: dict[str, str]) -> str:
    """扣分标准 of a 按完成比例计分 leaf, from its targets, threshold and bonus."""
    default = leaf.targets.get("default")
    parts = [f"按完成比例计分，任务指标{points(default)}{leaf.unit}" if default is not None else "按完成比例计分"]
    special = [f"{names.get(cid, cid)}{points(v)}{leaf.unit}" for cid, v in leaf.targets.items() if cid != "default"]
    if special:
        parts[0] += f"（{'、'.join(special)}）"
    if leaf.zero_below is not None:
        parts.append(f"完成率低于{percent(leaf.zero_below)}不得分")
    if leaf.bonus is not None:
        bonus = leaf.bonus
        parts.append(f"超额每{percent(bonus.step)}加{points(bonus.add)}分，最高加{points(bonus.max)}分")
    return "；".join(parts) + "。"


def rule_text(rule: Rule) -> str:
    if rule.veto and "否决" not in rule.text:
        return f"{rule.text}（一票否决）"
    return rule.text


def leaf_rules(leaf: Indicator, names: dict[str, str]) -> str:
    if leaf.is_ratio:
        return ratio_rules(leaf, names)
    return "；".join(rule_text(rule) for rule in leaf.rules) + "。"


def category_heading(number: int, top: Indicator) -> str:
    return f"{cn_ordinal(number)}、{top.label}（{points(top.points)}分）"


def rubric_rows(rubric: Rubric, names: dict[str, str]) -> list[RubricRow]:
    rows: list[RubricRow] = []
    for number, top in enumerate(rubric.indicators, 1):
        rows.append(RubricRow(category=category_heading(number, top)))
        for child in top.children:
            leaves = list(child.leaves())
            item = "" if child.is_leaf else f"{child.label}（{points(child.points)}分）"
            for index, leaf in enumerate(leaves):
                rows.append(
                    RubricRow(
                        item=item if index == 0 else "",
                        points=points(leaf.points),
                        goal=leaf.label,
                        rules=leaf_rules(leaf, names),
                    )
                )
    return rows


def rubric_notice(results: Results, source_date_epoch: int | None) -> Document | None:
    """The 通知 that publishes the rubric; ``None`` when rubric.yaml has no ``notice``."""
    rubric = results.rubric
    notice = rubric.notice
    if notice is None:
        return None
    names = {c.id: c.name for c in results.content.communities}
    table = Table(
        "rubric",
        ("考核项目", "分值", "工作目标", "扣分标准"),
        rubric_rows(rubric, names),
        ("17%", "9%", "37%", "37%"),
    )
    return Document(
        file_name=f"{rubric.title}（通知）.pdf",
        meta_title=notice.title,
        author="、".join(notice.issuers),
        created=created_stamp(source_date_epoch),
        header=red_header(notice.issuers, notice.number),
        title=title_of(notice.title),
        addressee=gap_text_markup(f"{notice.addressee}："),
        paragraphs=markdown_paragraphs(notice.body),
        attachment_note=attachment_note([rubric.title]),
        signature=signature(notice.issuers, date_markup(notice.date)),
        attachments=(Attachment("附件", title_of(rubric.title), (table,)),),
        colophon=Colophon(copy_to_line(results), printer_of(results), printed_line(date_markup(notice.date))),
        draft=not results.final,
        sample=results.content.sample,
    )
