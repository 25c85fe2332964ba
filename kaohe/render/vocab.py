"""The presentation vocabulary: every word and number format an output shows, in one place.

The site, the PDF notices, the CSV/XLSX downloads, the ``diff`` report and the
command line all word the same facts with these functions, so a score, an
entry's effect, a leaf's outcome, a measure or a draft reason reads the same
everywhere. Pure functions of the results; no I/O, no markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from kaohe.content.model import Indicator, ObjectionReview, Publicity, Review, Rule, times
from kaohe.content.schema import ledger_path
from kaohe.numbers import as_written, round_half_up, two_places
from kaohe.scoring.finality import Draft, DraftReason
from kaohe.scoring.measures import OVERALL, SECRETARY, STAFF, Measure
from kaohe.scoring.publicity import Stage, reviews_done
from kaohe.scoring.results import CommunityResult, Results
from kaohe.scoring.score import Effect, EffectKind, LeafScore

MINUS = "−"  # U+2212, the typographic minus
CN_DIGITS = "〇一二三四五六七八九"
CN_NUMERALS = "一二三四五六七八九十"
HUNDRED = Decimal(100)

# --- numbers ----------------------------------------------------------------------------


def score(value: Decimal) -> str:
    """A score, half-up to 2 places: ``95.30``."""
    return two_places(value)


def points(value: Decimal) -> str:
    """Points, amounts and targets as the rubric writes them: ``18``, ``0.5``."""
    return as_written(value)


def signed(value: Decimal) -> str:
    """What an entry did to a score: ``+0.50`` / ``−0.20``."""
    return MINUS + score(-value) if value < 0 else "+" + score(value)


def percent(ratio: Decimal) -> str:
    """A completion ratio as a percentage, half-up to 2 places: ``96.67%``."""
    return f"{round_half_up(ratio * HUNDRED):f}%"


def threshold(ratio: Decimal) -> str:
    """A rubric threshold or step, exact: ``50%``, ``12.5%``."""
    return f"{points(ratio * HUNDRED)}%"


TIE = "并列"


def rank_label(rank: int, tied: bool) -> str:
    return f"{rank}（{TIE}）" if tied else str(rank)


def moved_up(results: Results, community: CommunityResult) -> str:
    """``递补为第2名`` when 名次递补 moved a community past a vetoed one into or within the award places, else ``""``.

    The seed's 名次递补 is about the award places (a vetoed community among the first three gives its
    place up); below them a community keeps its rank, so the last stays last for the measures.
    """
    award_rank = community.award_rank
    places = max((award.to_rank for award in results.rubric.awards), default=0)
    if award_rank is None or award_rank == community.rank or award_rank > places:
        return ""
    return f"递补为第{award_rank}名"


def money(amount: int) -> str:
    return f"{amount}元"


# --- Chinese numbers and dates


def chinese_year(year: int) -> str:
    """2008 → 二〇〇八 (as in 二〇〇八年度)."""
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def cn_date(day: date) -> str:
    """成文日期 in Arabic numerals without zero padding: 2009年1月10日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_ordinal(number: int) -> str:
    """1 → 一, 12 → 十二 (for 第一名, 一、)."""
    if number <= 10:
        return CN_NUMERALS[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens - 1]) + "十" + (CN_NUMERALS[ones - 1] if ones else "")


# --- what happened to a leaf ----------------------------------------------------------

VETO = "一票否决"
ZERO = "不得分"
CAPPED = "扣完为止"


# --- an entry's effect ------------------------------------------------------------------


def effect_signed(effect: Effect, unit: str) -> str:
    """``−0.20``, ``+0.50``, ``不得分``, ``一票否决（−0.20）``, ``计入150万元``: for tables and the diff."""
    kind, value = effect.kind, effect.points
    if kind is EffectKind.DEDUCT:
        return signed(-value)
    if kind is EffectKind.BONUS:
        return signed(value)
    if kind is EffectKind.ZERO:
        return ZERO
    if kind is EffectKind.VETO:
        return VETO + (f"（{signed(-value)}）" if value else "")
    return f"计入{points(value)}{unit}"


def effect_official(effect: Effect, unit: str) -> str:
    """``扣0.20分``, ``加0.50分``, ``不得分``, ``一票否决，扣0.20分``, ``计入150万元``: for notices."""
    kind, value = effect.kind, effect.points
    if kind is EffectKind.DEDUCT:
        return f"扣{score(value)}分"
    if kind is EffectKind.BONUS:
        return f"加{score(value)}分"
    if kind is EffectKind.ZERO:
        return ZERO
    if kind is EffectKind.VETO:
        return VETO + (f"，扣{score(value)}分" if value else "")
    return f"计入{points(value)}{unit}"


def effect_number(effect: Effect) -> Decimal | None:
    """The points an entry moved, signed, for spreadsheets; ``None`` where it moved none by itself."""
    if effect.kind in (EffectKind.DEDUCT, EffectKind.VETO) and effect.points:
        return -effect.points
    if effect.kind is EffectKind.BONUS:
        return effect.points
    return None


EFFECT_CLASSES = {
    EffectKind.DEDUCT: "deduct",
    EffectKind.BONUS: "bonus",
    EffectKind.ZERO: "zero",
    EffectKind.VETO: "veto",
    EffectKind.AMOUNT: "amount",
}


def quantity(count: int | None, deduct: Decimal | None, amount: Decimal | None, unit: str, rule: Rule | None) -> str:
    """What the clerk recorded: ``2次``, ``扣0.5分``, ``150万元``."""
    if amount is not None:
        return f"{points(amount)}{unit}"
    if deduct is not None:
        return f"扣{points(deduct)}分"
    if rule is not None and rule.takes_count:
        return f"{times(count)}次"
    return ""


# --- a leaf's outcome -------------------------------------------------------------------


def leaf_outcome(leaf: LeafScore) -> str:
    """How a leaf got its score, in words: ``扣2.50分（扣完为止）``, ``完成120万元，任务150万元，完成率80.00%``."""
    if leaf.indicator.is_ratio:
        return ratio_outcome(leaf)
    parts = []
    if leaf.vetoed:
        parts.append(VETO)
    if leaf.zeroed:
        parts.append(ZERO)
    if leaf.deducted:
        parts.append(f"扣{score(leaf.deducted)}分" + (f"（{CAPPED}）" if leaf.capped else ""))
    if leaf.bonus:
        parts.append(f"加{score(leaf.bonus)}分")
    return "，".join(parts)


def ratio_outcome(leaf: LeafScore) -> str:
    indicator = leaf.indicator
    if leaf.target is None or leaf.ratio is None:
        return "未设任务指标"
    unit = indicator.unit
    amount = leaf.amount if leaf.amount is not None else Decimal(0)
    parts = [f"完成{points(amount)}{unit}，任务{points(leaf.target)}{unit}，完成率{percent(leaf.ratio)}"]
    if indicator.zero_below is not None and leaf.ratio < indicator.zero_below:
        parts.append(f"低于{threshold(indicator.zero_below)}不得分")
    if leaf.bonus:
        parts.append(f"超额加{score(leaf.bonus)}分")
    return "，".join(parts)


def leaf_result(leaf: LeafScore) -> str:
    """The outcome with the score: ``扣0.30分，得1.70分``."""
    outcome = leaf_outcome(leaf)
    return f"{outcome}，得{score(leaf.score)}分" if outcome else f"得{score(leaf.score)}分"


# --- the rubric -------------------------------------------------------------------------


def ratio_rule(leaf: Indicator, community_names: Mapping[str, str]) -> str:
    """按完成比例计分 in words: ``按完成比例计分，任务指标150万元（紫桥社区200万元）；完成率低于50%不得分；超额每10%加1分，最多加5分。``"""
    unit = leaf.unit
    default = leaf.targets.get("default")
    special = [f"{community_names.get(c, c)}{points(v)}{unit}" for c, v in leaf.targets.items() if c != "default"]
    target = f"{points(default)}{unit}" if default is not None else ""
    if special:
        listed = "、".join(special)
        target = f"{target}（{listed}）" if target else listed
    parts = [f"按完成比例计分，任务指标{target}"]
    if leaf.zero_below is not None:
        parts.append(f"完成率低于{threshold(leaf.zero_below)}不得分")
    if leaf.bonus is not None:
        bonus = leaf.bonus
        parts.append(f"超额每{threshold(bonus.step)}加{points(bonus.add)}分，最多加{points(bonus.max)}分")
    return "；".join(parts) + "。"


def rule_text(rule: Rule) -> str:
    """A rule's text, marked when it vetoes and its text does not say so."""
    if rule.veto and "否决" not in rule.text:
        return f"{rule.text}（{VETO}）"
    return rule.text


def leaf_rules(leaf: Indicator, community_names: Mapping[str, str]) -> str:
    """A leaf's 扣分标准 as one sentence."""
    if leaf.is_ratio:
        return ratio_rule(leaf, community_names)
    return "；".join(rule_text(rule) for rule in leaf.rules) + "。"


# --- measures ---------------------------------------------------------------------------

ROLE_LABELS = {SECRETARY: "党总支书记", STAFF: "分管工作人员"}
OVERALL_LABEL = "综合考核"
STREAK_WORDS = {1: "本年度", 2: "连续两年"}
NOT_NAMED = "（未登记）"


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def scope_label(scope: str, categories: Mapping[str, str]) -> str:
    """``综合考核`` for the overall ranking, else the category's name."""
    return OVERALL_LABEL if scope == OVERALL else categories.get(scope, scope)


def streak_words(streak: int) -> str:
    return STREAK_WORDS.get(streak, f"连续{cn_ordinal(streak)}年")


def streak_text(streak: int) -> str:
    """``本年度排名最末``, ``连续两年排名最末``: for a table whose other column names the scope."""
    return f"{streak_words(streak)}排名最末"


def last_place_text(measure: Measure, categories: Mapping[str, str]) -> str:
    """``连续两年综合考核排名最末``, ``本年度党群工作单项考核排名最末``."""
    if measure.scope == OVERALL:
        return f"{streak_words(measure.streak)}{OVERALL_LABEL}排名最末"
    return f"{streak_words(measure.streak)}{scope_label(measure.scope, categories)}单项考核排名最末"


def person_label(measure: Measure) -> str:
    return measure.person or NOT_NAMED


PROPOSED = "拟"  # a measure is proposed until the results are final (已审定)


def measure_label(measure: str, final: bool) -> str:
    """``诫勉`` once the results are final, ``拟诫勉`` (proposed) before."""
    return measure if final else f"{PROPOSED}{measure}"


EXEMPT = "免予处理"


def posted_note(results: Results) -> str:
    """What the downloads say of a 公示 notice rendered from the posted commit; ``""`` when it is not."""
    publicity = results.content.publicity
    if results.posted is None or publicity is None:
        return ""
    return (
        f"《公示》按张贴时的提交 {publicity.posted} 生成，与张贴出去的一份相同；"
        "其余文件和本站各页按台帐现在的内容（含复核后的更正）生成。"
    )


def measure_outcome(measure: Measure, final: bool) -> str:
    """The measure as it stands: ``拟诫勉``, or ``降职降级（免予处理）`` when the 班子会 exempted the person."""
    label = measure_label(measure.measure, final)
    return f"{label}（{EXEMPT}）" if measure.exempt else label


def measure_verb(final: bool) -> str:
    """``给予`` once final, ``拟给予`` before: the verb of a sentence that gives a measure."""
    return "给予" if final else f"{PROPOSED}给予"


# --- review and finality ----------------------------------------------------------------

STATUS_FINAL = "已审定"
STATUS_DRAFT = "草稿"
NOT_REVIEWED = "未审核"

# --- the site's provenance column: who last changed an entry ----------------------------

PROVENANCE_UNCOMMITTED = "尚未提交的修改"
PUBLIC_EDITION_NOTE = "公开版：供公示栏和对外网站使用，不含个人姓名、对个人的处理措施和内部材料。"
PROVENANCE_UNKNOWN = "不详（git 历史不完整）"


def provenance_text(author: str, day: str) -> str:
    """``王会计，2008年4月1日`` from a commit's author and ISO date; the author alone without a date, the date alone without an author."""
    try:
        when = cn_date(date.fromisoformat(day))
    except ValueError:
        return author
    return f"{author}，{when}" if author else when


def commit_title(short: str, summary: str) -> str:
    return f"提交 {short}：{summary}"


def status_label(final: bool) -> str:
    return STATUS_FINAL if final else STATUS_DRAFT


# --- the 公示, objections and their 复核 (FORMAT.md §6a) -------------------------------------

STAGE_LABELS: Mapping[Stage, str] = {
    Stage.DRAFT: STATUS_DRAFT,
    Stage.PUBLICITY: "公示中",
    Stage.REVIEW: "复核中",
    Stage.FINAL: STATUS_FINAL,
}
STAGE_REVIEWED = "复核完毕，待审定"  # Stage.REVIEW once every objection has its 复核
OBJECTION_UPHELD = "异议成立"
OBJECTION_NOT_UPHELD = "异议不成立"
OBJECTION_OPEN = "待复核"
OBJECTION_LATE = "公示期满后提出"
OBJECTION_LATE_NOTE = f"（{OBJECTION_LATE}，已登记在案）"
OBJECTION_ABOUT_RESULT = "考核结果"  # an objection that names no entry
ENTRY_REMOVED = "删除该条记录"
PUBLICITY_NOTICE_KIND = "公示"
REVIEW_LETTER_TITLE = "复核结果告知书"


def stage_label(results: Results) -> str:
    """草稿, 公示中, 复核中 (复核完毕，待审定 once every objection has its 复核) or 已审定."""
    stage = results.stage
    return STAGE_REVIEWED if stage is Stage.REVIEW and reviews_done(results.content) else STAGE_LABELS[stage]


def objection_outcome(review: ObjectionReview | None) -> str:
    if review is None:
        return OBJECTION_OPEN
    return OBJECTION_UPHELD if review.upheld else OBJECTION_NOT_UPHELD


def publicity_window(start: date, end: date, working_days: int) -> str:
    """``2009年1月4日至2009年1月8日（5个工作日）``."""
    return f"{cn_date(start)}至{cn_date(end)}（{working_days}个工作日）"


def objection_channels(publicity: Publicity) -> str:
    """Where and how to object: ``街道党政办公室（地址：…；电话：…；电子邮箱：…）``, or the office when none given."""
    where = publicity.place or "街道党政办公室"
    ways = [
        f"{label}：{value}"
        for label, value in (("地址", publicity.address), ("电话", publicity.phone), ("电子邮箱", publicity.email))
        if value
    ]
    return f"{where}（{'；'.join(ways)}）" if ways else where


def publicity_when(window: str) -> str:
    return f"公示期：{window}。"


def publicity_how(end: date, channels: str) -> str:
    return f"对考核结果有异议的，请在公示期内（至{cn_date(end)}）向{channels}提出，写明所涉社区、台帐记载事项和理由。"


def objections_count(total: int, still_open: int) -> str:
    """``收到异议2件，其中待复核1件。`` (empty when none has come)."""
    if total == 0:
        return ""
    return f"收到异议{total}件，其中待复核{still_open}件。" if still_open else f"收到异议{total}件，均已复核。"


def entry_corrected(effect_now: str, as_changed: str = "") -> str:
    """An upheld objection's correction: ``更正该条记载（现为扣0.10分）`` or ``更正为…记载的“…”（现为…）``."""
    now = f"（现为{effect_now}）" if effect_now else ""
    return f"更正为{as_changed}{now}" if as_changed else f"更正该条记载{now}"


def entry_words(line_name: str, day: date, cites: str) -> str:
    """An entry named in words: ``党群线台帐2008年3月12日记载的“未按要求开展工作酌情扣分”``."""
    return f"{line_name}台帐{cn_date(day)}记载的“{cites}”"


# --- through the year: results as of a date (build --as-of, the site's month ends) ------

AS_OF_YEAR = "全年"  # the selector's link to the year's own ranking


def as_of_label(day: date) -> str:
    """``截至2008-06-30``: the mark of results computed from the entries up to a date."""
    return f"截至{day.isoformat()}"


def as_of_note(day: date) -> str:
    """What the as-of banner says beside its mark: an early warning, not the year's results."""
    return (
        f"预警：只计入{day.isoformat()}及以前登记的台帐记录，不是年度考核结果，不作奖惩依据；"
        "年度结果以班子会审定后的通报为准。"
    )


def year_month(day: date) -> str:
    """The month of ``day`` in words: ``2008年3月`` (a long ledger's month page)."""
    return f"{day.year}年{day.month}月"


LEDGER_BY_MONTH = "记录较多，按月分页列出"  # a long ledger's line page, above its months


def month_label(month: int) -> str:
    """A cell of the month strip: ``12月``."""
    return f"{month}月"


def month_count_text(month: int, count: int) -> str:
    """``12月：13条``."""
    return f"{month}月：{count}条"


MONTH_TABLE_CAPTION = "各线日常考核台帐各月记录条数"  # the month strips' table in the 通报


def month_strip_text(counts: Sequence[tuple[int, int]], total: int) -> str:
    """The month strip in words: ``各月记录条数：1月3条，2月0条，…；共43条``."""
    return "各月记录条数：" + "，".join(f"{month}月{count}条" for month, count in counts) + f"；共{total}条"


def month_share_text(month: int, per_cent: int) -> str:
    """``12月占全年记录的30%``."""
    return f"{month}月占全年记录的{per_cent}%"


def month_point_label(day: date, month_end: bool) -> str:
    """A point of the year in the selector and the chart: ``6月末``, or ``6月15日`` inside a month."""
    return f"{day.month}月末" if month_end else f"{day.month}月{day.day}日"


def falling_rule(window: int) -> str:
    """The rule that marks a community's position as falling, in words."""
    months = "两" if window == 2 else cn_ordinal(window)
    return f"名次下滑：最近一个时点的名次比{months}个月前差（数字变大）"


def rank_move(before: int, now: int) -> str:
    """``↓2`` (two places worse), ``↑1`` (better), or ``–`` (unchanged)."""
    if now > before:
        return f"↓{now - before}"
    if now < before:
        return f"↑{before - now}"
    return "–"


def review_status(review: Review | None) -> str:
    """``已审核：张三，2009-01-05``, ``已审核，2009-01-05`` (the public edition names nobody) or ``未审核``."""
    if review is None:
        return NOT_REVIEWED
    if not review.by:
        return f"已审核，{review.date.isoformat()}"
    return f"已审核：{review.by}，{review.date.isoformat()}"


def draft_reason(draft: Draft, line_names: Mapping[str, str], reviewers: Mapping[str, str]) -> str:
    """Why the results are a draft, for readers."""
    if draft.reason is DraftReason.NO_DECISION:
        return "班子会尚未研究决定（还没有 content/decision.yaml）"
    if draft.reason is DraftReason.NOT_REVIEWED:
        names = "、".join(line_names.get(line, line) for line in draft.lines)
        reviewer = next((reviewers[line] for line in draft.lines if reviewers.get(line)), "分管副书记")
        return f"以下各线台帐尚未经{reviewer}审核：{names}"
    if draft.reason is DraftReason.NO_RESULTS_HASH:
        return "班子会决定尚未记录所审定结果的 results_sha256"
    if draft.reason is DraftReason.PRECONDITIONS:
        return "审核和审定记录不完整或日期先后不对（见 build.py check 的提示）"
    if draft.reason is DraftReason.OBJECTIONS_OPEN:
        return f"公示期间收到的异议尚有{len(draft.objections) or '若干'}件未复核"
    return "班子会审定后台帐又有改动，现在算出的结果与审定的结果不一致"


def draft_reason_en(draft: Draft) -> str:
    """The same reason, for the command line."""
    if draft.reason is DraftReason.NO_DECISION:
        return "no 班子会 decision yet (content/decision.yaml)"
    if draft.reason is DraftReason.NOT_REVIEWED:
        return "not yet reviewed (审核): " + ", ".join(ledger_path(line) for line in draft.lines)
    if draft.reason is DraftReason.NO_RESULTS_HASH:
        return f"the decision records no results_sha256 yet (the results now: {draft.current_sha256})"
    if draft.reason is DraftReason.PRECONDITIONS:
        return "the reviews and the decision are incomplete or out of order: " + "; ".join(draft.problems)
    if draft.reason is DraftReason.OBJECTIONS_OPEN:
        return "objections to the 公示 without their 复核 (content/publicity.yaml): " + ", ".join(draft.objections)
    return "the results differ from those the 班子会 approved (results_sha256)"


# --- spreadsheets for clerks (build.py template, build.py import) ------------------------

# The columns of a ledger kept in Excel or WPS: for each, the heading the template writes
# first, then the other headings clerks use for it (a heading matches when it equals one
# of these, leaving aside spaces and a bracketed unit such as 扣分（分）).
SHEET_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "date": ("日期", "检查日期", "时间", "发现日期", "登记日期"),
    "community": ("社区", "社区名称", "单位"),
    "rule": ("细则条目", "扣分标准", "考核内容", "考核项目", "考核指标"),
    "count": ("次数", "项数", "处数", "个数"),
    "deduct": ("扣分", "扣分值", "扣分分值"),
    "amount": ("完成数额", "金额", "到位资金", "数额"),
    "note": ("说明", "情况说明", "备注", "扣分原因"),
    "evidence": ("依据", "佐证材料", "证明材料"),
}
TOTAL_ROW_WORDS = ("合计", "小计", "总计", "共计")  # a row whose first text starts so sums the rows above
TEMPLATE_SHEET = "台帐"
TEMPLATE_HELP_SHEET = "说明"
TEMPLATE_LISTS_SHEET = "选项"
TEMPLATE_LIST_HEADINGS = ("社区", "细则条目")


TEMPLATE_INPUT_ERRORS: Mapping[str, str] = {  # what Excel and WPS say of a value the list or type does not hold
    "date": "不是考核年度内的日期单元格。写作 2008-3-12、2008年3月12日 等也可以：选“是”保留。",
    "community": "不在下拉列表中。写社区名称、简称或代码也可以：选“是”保留。",
    "rule": "不在下拉列表中。只写代码或照抄《细则》原文也可以：选“是”保留。",
    "count": "次数为不小于1的整数。",
    "deduct": "扣分为大于0的数。",
    "amount": "完成数额为大于0的数。",
}
TEMPLATE_INPUT_TITLE = "请核对"


def template_title(year: int, line_name: str) -> str:
    """``2008年度党群线日常考核台帐``: the title row of a line's template."""
    return f"{year}年度{line_name}日常考核台帐"


def template_choice(full_id: str, text: str, item: str = "") -> str:
    """A rule or indicator as the template offers it: ``party.org.democracy.system 制度不健全每项扣0.1分``;
    with the 考核项目 ``item`` after it when another rule of the line has the same text."""
    return f"{full_id} {text}（{item}）" if item else f"{full_id} {text}"


def template_help(
    year: int, line_name: str, period: tuple[date, date], columns: Mapping[str, str], filled: int = 0
) -> list[str]:
    """The 说明 sheet of a line's template, one paragraph a row; ``columns`` holds the template's headings by field;
    ``filled``: the ledger's entries the sheet starts with (``--entries``)."""
    start, end = period
    held = (
        [
            f"表中灰色的前{filled}行是台帐里已有的记录，只供查看，已锁定（不用密码即可取消保护，但请不要改）："
            "改了再导入，会当作一条新记录加进台帐，原来那条仍然计分。已有的记录要改正时，请告诉负责台帐的同志直接改台帐。",
            "新的记录从灰色行下面的第一个空行开始登记。",
        ]
        if filled
        else []
    )
    steps = [
        f"在“{TEMPLATE_SHEET}”工作表中每行登记一条记录，不要改动标题行和表头行。",
        *held,
        f"{columns['date']}：考核年度内的日期（{start.isoformat()} 至 {end.isoformat()}），也可写作 2008-3-12、2008.3.12、2008年3月12日。",
        f"{columns['community']}：从下拉列表中选择，也可以直接写社区名称或代码。",
        f"{columns['rule']}：从下拉列表中选择本线的扣分标准；也可以只写代码，或照抄《细则》中扣分标准的原文。",
    ]
    if "count" in columns:
        steps.append(f"{columns['count']}：按“每…扣…分”计分的条目填次数（整数，不填为1）。")
    if "deduct" in columns:
        steps.append(f"{columns['deduct']}：酌情扣分的条目填所扣分数，如 0.5。")
    if "amount" in columns:
        steps.append(f"{columns['amount']}：按完成比例计分的指标填完成数额（单位见《细则》）。")
    steps += [
        f"{columns['note']}：写清事实；酌情扣分、不得分、一票否决和完成数额的记录必填。"
        f"{columns['evidence']}：检查记录、文件等，可不填。",
        "最后一行可以写“合计”，导入时不计。",
        "填好后交本线负责台帐的同志用 python build.py import 导入：有错误时逐格列出，改正后重新导入即可；已导入的记录不会重复导入。",
    ]
    return [f"{template_title(year, line_name)}填写说明", *(f"{n}. {step}" for n, step in enumerate(steps, start=1))]


# --- PDF notices: fonts and letters -------------------------------------------------------

PDF_FONTS = "PDF fonts: "
NO_FONT = "(none installed)"
STRICT_FONTS_HINT = (
    " (strict_fonts: true in rubric.yaml's notice; put the licensed font files into content/fonts/"
    " or run scripts/setup.sh for the free stand-ins)"
)


FONT_KINDS = {"official": "licensed", "stand-in": "free stand-in", "other-style": "another style!"}


def font_served(role: str, use: str, family: str, kind: str) -> str:
    """``仿宋 (body): FandolFang (free stand-in)``; ``kind`` as :class:`kaohe.render.pdf.fonts.Served` says."""
    return f"{role} ({use}): {family} ({FONT_KINDS[kind]})" if family else f"{role} ({use}): {NO_FONT}"


def font_warning(role: str, family: str) -> str:
    """A role served in another style (宋体 for 仿宋), or by nothing at all."""
    if not family:
        return f"no {role} font is installed: the PDFs fall back to whatever font has the characters"
    return f"the {role} text of the PDFs is set in {family}, a face of another style (no {role} font installed)"


# --- the local preview (build.py serve) ---------------------------------------------------

PREVIEW_WORDS: Mapping[str, str] = {
    "preview": "本地预览",
    "new_entry": "记一笔",
    "choose_line": "选择要记台帐的线",
    "errors_title": "内容有错误，网站未更新",
    "errors_intro": "改正下列问题并保存文件后，本页自动刷新。",
    "build_failed": "生成网站时出错",
    "open_file": "打开文件",
    "source_title": "内容文件",
    "not_found": "没有这个页面",
    "date": "日期",
    "community": "社区",
    "cites": "细则条目",
    "cites_hint": "输入代码或扣分标准的文字，从列表中选择",
    "count": "次数",
    "count_hint": "按“每…扣”计分的条目：次数或项数，不填为1",
    "deduct": "扣分",
    "deduct_hint": "酌情扣分的条目：所扣分数，如 0.5",
    "amount": "完成数额",
    "amount_hint": "按完成比例计分的指标：完成数额",
    "note": "说明",
    "evidence": "依据",
    "commit": "同时用 git 提交这一条",
    "submit": "记入台帐",
    "problems": "没有记入台帐，请改正：",
    "already_there": "台帐里已经有这一条，没有重复记入。",
    "saved_with_warnings": "已记入台帐，但请核对：",
    "committed": "已记入台帐并提交：",
    "commit_failed": "已记入台帐，但 git 提交没有完成：",
    "bad_date": "日期写作 YYYY-MM-DD，如 2008-03-12",
    "bad_count": "次数须为正整数",
    "bad_number": "须为数字，如 0.5",
    "bad_community": "请从列表中选择社区",
    "no_cites": "请填写细则条目",
}


def preview_needs(needs: str) -> str:
    """What a rule or indicator asks of an entry, for the form: ``次数``, ``扣分``, ``完成数额`` or nothing."""
    return PREVIEW_WORDS.get(needs, "") if needs else ""


def preview_commit_message(line_name: str, day: date, community_name: str, note: str) -> str:
    """The git commit message of an entry added in the preview: ``党群线：2008-06-20 北门社区 …``."""
    return f"{line_name}：{day.isoformat()} {community_name} {note}".strip()


# --- the DOCX notices: style names a clerk sees in WPS or Word, marks on every page -------------

DOCX_STYLES = {
    "mark": "发文机关标志",
    "mark_space": "版头留白",
    "number": "发文字号",
    "title": "公文标题",
    "addressee": "主送机关",
    "hei": "一级标题",
    "kai": "二级标题",
    "attachment_note": "附件说明",
    "attachment_note_more": "附件说明（续）",
    "signer": "署名",
    "signed": "成文日期",
    "attachment_label": "附件标注",
    "attachment_title": "附件标题",
    "table": "公文表格",
    "table_text": "表格文字",
    "table_head": "表格标题行",
    "table_caption": "表格题注",
    "colophon": "版记",
    "page_number": "页码",
    "page_mark": "页眉标记",
}
DOCX_DRAFT_MARK = STATUS_DRAFT
SAMPLE_NOTE = "示例数据：社区、人员与台帐均为虚构"
PUBLIC_NOTE = "公开版：不含个人姓名和对个人的处理"


def page_note(sample: bool, public: bool) -> str:
    """The note at the top left of every page of a notice, PDF and DOCX alike; ``""`` for none."""
    return "　".join(note for note, shown in ((SAMPLE_NOTE, sample), (PUBLIC_NOTE, public)) if shown)


NO_EFFECTS = "全年无扣分和计分记载。"  # the score sheet's detail table without entries
COPY_TO_LABEL = "抄送："

ITEMS_CAPTION = "一、各项得分及单项名次"
TABLE_NOTE = "注："  # before a note under a table
EFFECTS_CAPTION = "二、扣分和计分明细"


# --- the notices as the site offers them -------------------------------------------------

DOCUMENT_KINDS = {
    "PDF": "PDF 公文，可直接打印",
    "DOCX": "Word 文档，可在 WPS 或 Word 中修改后打印",
}
