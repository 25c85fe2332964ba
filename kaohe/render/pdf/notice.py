"""The rubric notice (通知): publishes the 细则, with the full rubric table as its attachment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from kaohe.content.model import Indicator, Rubric
from kaohe.render import vocab
from kaohe.render.filenames import pdf_names
from kaohe.render.pdf.typeset import unbroken_units
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
    printed_line,
    printer_of,
    red_header,
    signature,
    title_of,
)
from kaohe.render.vocab import cn_ordinal, points
from kaohe.scoring.results import Results

KEPT_ITEM_ROWS = 3


@dataclass(frozen=True)
class RubricRow:
    """A row of the rubric table: a category heading, or one 工作目标 with its 扣分标准."""

    category: str = ""  # set on category heading rows only
    item: str = ""  # the sub-item, on its first row
    points: str = ""
    goal: str = ""
    rules: str = ""
    item_span: int = 0  # on a sub-item's first row: how many rows its name spans (its goals)

    @property
    def starts_group(self) -> bool:
        return bool(self.category)

    @property
    def starts_item(self) -> bool:
        return self.item_span > 0

    @property
    def keeps_together(self) -> bool:
        """A short sub-item stays on one page; a long one may break (its name then shows on its first page)."""
        return 0 < self.item_span <= KEPT_ITEM_ROWS

    @property
    def item_html(self) -> Markup:
        return unbroken_units(self.item)

    @property
    def goal_html(self) -> Markup:
        return unbroken_units(self.goal)

    @property
    def rules_html(self) -> Markup:
        return unbroken_units(self.rules)


def category_heading(number: int, top: Indicator) -> str:
    return f"{cn_ordinal(number)}、{top.label}（{points(top.points)}分）"


def rubric_items(category: Indicator) -> Iterator[tuple[str, list[Indicator]]]:
    """The category's 考核项目 (a sub-item's name and points) with their goals; goals directly under the
    category, one after another, make one item without a name: one empty cell beside them, not a stack."""
    direct: list[Indicator] = []
    for child in category.children:
        if child.is_leaf:
            direct.append(child)
            continue
        if direct:
            yield "", direct
            direct = []
        yield f"{child.label}（{points(child.points)}分）", list(child.leaves())
    if direct:
        yield "", direct


def rubric_rows(rubric: Rubric, names: dict[str, str]) -> list[RubricRow]:
    rows: list[RubricRow] = []
    for number, top in enumerate(rubric.indicators, 1):
        rows.append(RubricRow(category=category_heading(number, top)))
        for item, leaves in rubric_items(top):
            for index, leaf in enumerate(leaves):
                rows.append(
                    RubricRow(
                        item=item if index == 0 else "",
                        points=points(leaf.points),
                        goal=leaf.label,
                        rules=vocab.leaf_rules(leaf, names),
                        item_span=len(leaves) if index == 0 else 0,
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
        file_name=pdf_names(results).notice,
        meta_title=notice.title,
        author="、".join(notice.issuers),
        created=created_stamp(source_date_epoch),
        header=red_header(notice.issuers, notice.number),
        title=title_of(notice.title),
        addressee=gap_text_markup(f"{notice.addressee}："),
        paragraphs=markdown_paragraphs(notice.body),
        attachment_note=attachment_note([rubric.title]),
        signature=signature(notice.issuers, date_markup(notice.date), notice.sealed),
        attachments=(Attachment("附件", title_of(rubric.title), (table,)),),
        colophon=Colophon(copy_to_line(results), printer_of(results), printed_line(date_markup(notice.date))),
        draft=not results.final,
        sample=results.content.sample,
    )
