"""The results 通报: awards, vetoes and back-fill, last-place measures, and the score table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kaohe.content.model import Award
from kaohe.render import vocab
from kaohe.render.filenames import pdf_names
from kaohe.render.pdf.month_table import month_table
from kaohe.render.pdf.typeset import clip_text
from kaohe.render.pdf.views import (
    Attachment,
    Colophon,
    Document,
    Paragraph,
    Table,
    addressee_of,
    attachment_note,
    copy_to_line,
    created_stamp,
    gap_text_markup,
    issue_date,
    issuers,
    paragraph,
    printed_line,
    printer_of,
    red_header,
    sealed,
    signature,
    title_of,
)
from kaohe.render.vocab import chinese_year, cn_date, cn_ordinal, points, score
from kaohe.scoring.measures import OVERALL, Measure
from kaohe.scoring.results import CommunityResult, Results


@dataclass(frozen=True)
class ScoreRow:
    """One community in the attachment table: rank, name, the category scores, total, remark."""

    rank: str
    name: str
    scores: tuple[str, ...]
    total: str
    remark: str


def award_sentence(award: Award, winners: Sequence[CommunityResult]) -> str:
    each = "各" if len(winners) > 1 else ""
    listed = "、".join(f"{c.name}（{score(c.total)}分）" for c in winners)
    return f"授予{listed}“{award.name}”称号，{each}奖励现金{award.reward}元。"


def award_paragraphs(results: Results) -> list[str]:
    sentences = [
        award_sentence(award, winners)
        for award in results.rubric.awards
        if (winners := [c for c in results.communities if c.granted.award == award])
    ]
    if not sentences:
        return ["本年度无社区获得表彰。"]
    return ["".join(sentences)]


def veto_area(results: Results, cites: str) -> str:
    """The work a veto concerns: the named sub-item (安全生产) or else the category (计划生育)."""
    index = results.rubric.indicator_index()
    parts = cites.split(".")
    sub = index.get(".".join(parts[:2]))
    top = index.get(parts[0])
    node = sub if sub is not None and not sub.is_goal else top
    label = node.label if node is not None else cites
    return label if label.endswith("工作") else f"{label}工作"


def veto_categories(results: Results, community: CommunityResult) -> str:
    seen: list[str] = []
    for effect in community.score.vetoes:
        area = veto_area(results, effect.entry.cites)
        if area not in seen:
            seen.append(area)
    return "、".join(seen)


def veto_paragraphs(results: Results) -> list[str]:
    """一票否决 and 名次递补: who was vetoed, why and when, and who moved up."""
    out: list[str] = []
    for c in results.communities:
        if not c.vetoed:
            continue
        reasons = "；".join(f"{cn_date(v.entry.date)}台帐记载：{clip_text(v.entry.note)}" for v in c.score.vetoes)
        out.append(
            f"{c.name}考核总分{score(c.total)}分、排第{c.rank}名，因{veto_categories(results, c)}被“一票否决”"
            f"（{reasons}），不参加评先评优。"
        )
    moved = [(c, note) for c in results.communities if (note := vocab.moved_up(results, c))]
    if moved:
        listed = "、".join(f"{c.name}由第{c.rank}名{note}" for c, note in moved)
        out.append(f"按照细则规定名次递补：{listed}。")
    return out


def measure_sentence(results: Results, measure: Measure) -> str:
    community = results.community(measure.community).name
    categories = {top.id: top.label for top in results.rubric.indicators}
    if measure.scope == OVERALL:
        who = f"{community}{vocab.role_label(measure.role)}{measure.person}"
    else:
        scope = vocab.scope_label(measure.scope, categories)
        who = f"{community}{scope}{vocab.role_label(measure.role)}{vocab.person_label(measure)}"
    place = vocab.last_place_text(measure, categories)
    if measure.exempt:
        reason = measure.reason.rstrip("。")
        return f"{who}{place}，按规定应给予{measure.measure}处理；{reason}。"
    return f"{who}{place}，{vocab.measure_verb(results.final)}{measure.measure}。"


def measure_paragraphs(results: Results) -> list[str]:
    if not results.measures:
        return ["本年度无排名最末的处理事项。"]
    return [f"{i}.{measure_sentence(results, m)}" for i, m in enumerate(results.measures, 1)]


def opening(results: Results) -> str:
    rubric = results.rubric
    number = f"（{rubric.notice.number}）" if rubric.notice else ""
    approval = results.approval
    if approval is not None:
        decided = f"经{cn_date(approval.meeting)}街道班子会研究决定（{approval.minutes}），现将考核结果通报如下："
    else:
        decided = "考核结果尚待街道班子会研究决定，现将考核结果草稿印发如下："
    return (
        f"根据《{rubric.title}》{number}，街道各线依据日常考核台帐，对各社区{rubric.year}年度工作目标完成情况"
        f"进行了量化考核评分，考核结果经各线分管副书记审核。{decided}"
    )


def sections(results: Results, public: bool = False) -> list[tuple[str, list[str]]]:
    """The 通报's numbered sections; the public edition has no section on measures."""
    parts: list[tuple[str, list[str]]] = [("目标管理红旗单位和先进单位", award_paragraphs(results))]
    vetoes = veto_paragraphs(results)
    if vetoes:
        parts.append(("一票否决和名次递补", vetoes))
    if not public:
        parts.append(("对排名最末的处理", measure_paragraphs(results)))
    return parts


def body(results: Results, public: bool = False) -> tuple[Paragraph, ...]:
    out = [paragraph(opening(results))]
    for number, (heading, texts) in enumerate(sections(results, public), 1):
        out.append(paragraph(f"{cn_ordinal(number)}、{heading}"))
        out.extend(paragraph(text) for text in texts)
    out.append(
        paragraph(
            "希望受到表彰的社区珍惜荣誉、再接再厉；其他社区要对照细则查找差距，认真整改，推动社区各项工作再上新台阶。"
        )
    )
    out.append(paragraph("特此通报。"))
    return tuple(out)


def score_rows(results: Results) -> list[ScoreRow]:
    return [
        ScoreRow(
            rank=str(c.rank),
            name=c.name,
            scores=tuple(score(cat.score) for cat in c.categories.values()),
            total=score(c.total),
            remark=vocab.VETO if c.vetoed else (c.granted.name or "").removeprefix("目标管理"),
        )
        for c in results.communities
    ]


def score_table(results: Results, proposed: bool = False) -> Table:
    """The 得分及排名表; ``proposed``: its awards are those the 公示 proposes, not yet decided."""
    heads = [category_head(top.label) for top in results.rubric.indicators]
    head = (
        "名次",
        "社区",
        *(f"{text}\n（{points(top.points)}）" for (text, _), top in zip(heads, results.rubric.indicators, strict=True)),
        "总分",
        "备注",
    )
    widths = score_widths(tuple(width for _, width in heads))
    return Table("scores", head, score_rows(results), widths, note=score_note(results, proposed))


def score_note(results: Results, proposed: bool) -> str:
    """What the table's 名次 and 备注 do not say: who moved up past a vetoed community, that awards are proposed."""
    parts = []
    vetoed = [c.name for c in results.communities if c.vetoed]
    moved = [f"{c.name}{note}" for c in results.communities if (note := vocab.moved_up(results, c))]
    if vetoed and moved:
        parts.append(f"名次按总分排列；{'、'.join(vetoed)}被“一票否决”，{'、'.join(moved)}。")
    if proposed:
        parts.append("备注所列奖项为拟授予的奖项，以街道班子会研究决定为准。")
    return "".join(parts)


HEAD_CELLS = 3  # characters a category column holds on one line of its heading…
HEAD_LINES = 3  # …in at most this many lines; a longer name gets a wider column


def category_head(label: str) -> tuple[str, int]:
    """A category's name in balanced lines (党群/工作, 劳动和/社会/保障, 社会治安/综合治理/与稳定) and its width in characters.

    Lines of equal length, the longer ones first, keep the two-character words of such names whole far
    more often than filling each line to the column's edge (党群工/作).
    """
    cells = max(HEAD_CELLS, -(-len(label) // HEAD_LINES))
    count = -(-len(label) // cells)
    size, longer = divmod(len(label), count)
    lines, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < longer else 0)
        lines.append(label[start:end])
        start = end
    return "\n".join(lines), cells


SCORE_FIXED = {"rank": Decimal("4.5"), "name": Decimal(10), "total": Decimal("7.5"), "remark": Decimal(10)}  # per cent


def score_widths(cells: tuple[int, ...]) -> tuple[str, ...]:
    """Column widths: 社区 and 备注 hold four characters on one line; the category columns share the rest by the
    width of their headings."""
    rest = Decimal(100) - sum(SCORE_FIXED.values())
    shares = [(rest * width / sum(cells)).quantize(Decimal("0.001")) for width in cells]
    fixed = {key: f"{value}%" for key, value in SCORE_FIXED.items()}
    return (fixed["rank"], fixed["name"], *(f"{share}%" for share in shares), fixed["total"], fixed["remark"])


def results_title(results: Results) -> str:
    return f"关于{chinese_year(results.year)}年度社区工作目标管理考核结果的通报"


def results_notice(results: Results, source_date_epoch: int | None, public: bool = False) -> Document:
    """The 通报 of the year's results; its 发文字号 and date come from decision.yaml once final."""
    number = results.approval.notice_number if results.approval is not None else ""
    table_title = f"{chinese_year(results.year)}年度社区工作目标管理考核得分及排名表"
    month_title = f"{chinese_year(results.year)}年度{vocab.MONTH_TABLE_CAPTION}"
    date_text = issue_date(results)
    return Document(
        file_name=pdf_names(results).report,
        meta_title=results_title(results),
        author="、".join(issuers(results)),
        created=created_stamp(source_date_epoch),
        header=red_header(issuers(results), number),
        title=title_of(results_title(results)),
        addressee=gap_text_markup(f"{addressee_of(results)}："),
        paragraphs=body(results, public),
        attachment_note=attachment_note([table_title, month_title]),
        signature=signature(issuers(results), date_text, sealed(results)),
        attachments=(
            Attachment("附件1", title_of(table_title), (score_table(results),)),
            Attachment("附件2", title_of(month_title), (month_table(results),)),
        ),
        colophon=Colophon(copy_to_line(results), printer_of(results), printed_line(date_text)),
        draft=not results.final,
        sample=results.content.sample,
    )
