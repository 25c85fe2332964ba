"""Small formatting helpers shared by the pages and the exports: numbers, ranks, rule descriptions."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from kaohe.content.model import Indicator
from kaohe.scoring.results import fmt_decimal

MINUS = "−"  # U+2212, the typographic minus
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def points(value: Decimal) -> str:
    """Points as the rubric writes them: ``18``, ``0.5``."""
    return fmt_decimal(value, places=False)


def score(value: Decimal) -> str:
    """A score with 2 places: ``95.30``."""
    return fmt_decimal(value)


def signed(value: Decimal) -> str:
    """``+0.50`` / ``−0.20``: what an entry did to a score."""
    if value < 0:
        return MINUS + score(-value)
    return "+" + score(value)


def percent(ratio: Decimal) -> str:
    """A ratio as a percentage with one decimal: ``96.5%``."""
    return f"{(ratio * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)}%"


def whole_percent(ratio: Decimal) -> str:
    """A rubric threshold as a percentage: ``50%``."""
    return f"{points(ratio * HUNDRED)}%"


def rank_label(rank: int, tied: bool) -> str:
    return f"{rank}（并列）" if tied else str(rank)


def plain_text(html: Markup) -> str:
    """The visible text of sanitised HTML, whitespace collapsed (for search and spreadsheets)."""
    return " ".join(html.striptags().split())


def ratio_method(leaf: Indicator, names: Mapping[str, str]) -> str:
    """按完成比例计分, in words: the targets, the zero threshold, the bonus."""
    unit = leaf.unit
    parts = [f"按完成比例计分：任务指标{_target_text(leaf, names, unit)}"]
    if leaf.zero_below is not None:
        parts.append(f"完成率低于{whole_percent(leaf.zero_below)}不得分")
    if leaf.bonus is not None:
        step, add, most = leaf.bonus.step, leaf.bonus.add, leaf.bonus.max
        parts.append(f"超额每{whole_percent(step)}加{points(add)}分，最多加{points(most)}分")
    return "；".join(parts) + "。"


def _target_text(leaf: Indicator, names: Mapping[str, str], unit: str) -> str:
    default = leaf.targets.get("default")
    special = [f"{names.get(cid, cid)}{points(value)}{unit}" for cid, value in leaf.targets.items() if cid != "default"]
    text = f"{points(default)}{unit}" if default is not None else ""
    if special:
        text += ("（" if text else "") + "、".join(special) + ("）" if text else "")
    return text
