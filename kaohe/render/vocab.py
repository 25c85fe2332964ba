"""The presentation vocabulary: every word and number format an output shows, in one place.

The site, the PDF notices, the CSV/XLSX downloads, the ``diff`` report and the
command line all word the same facts with these functions, so a score, an
entry's effect, a leaf's outcome, a measure or a draft reason reads the same
everywhere. Pure functions of the results; no I/O, no markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from kaohe.content.model import Indicator, Review, Rule
from kaohe.content.schema import ledger_path
from kaohe.numbers import as_written, round_half_up, two_places
from kaohe.scoring.finality import Draft, DraftReason
from kaohe.scoring.measures import OVERALL, SECRETARY, STAFF, Measure
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


def rank_label(rank: int, tied: bool) -> str:
    return f"{rank}（并列）" if tied else str(rank)


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
        return f"{count or 1}次"
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


# --- review and finality ----------------------------------------------------------------

STATUS_FINAL = "已审定"
STATUS_DRAFT = "草稿"
NOT_REVIEWED = "未审核"


def status_label(final: bool) -> str:
    return STATUS_FINAL if final else STATUS_DRAFT


def review_status(review: Review | None) -> str:
    """``已审核：张三，2009-01-05`` or ``未审核``."""
    if review is None:
        return NOT_REVIEWED
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
    return "the results differ from those the 班子会 approved (results_sha256)"
