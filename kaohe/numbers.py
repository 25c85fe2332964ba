"""Exact decimal numbers and their text: the one place that rounds.

Every rounding is half-up (四舍五入), as people do it by hand: ``0.125`` → ``0.13``.
Nothing here ever goes through ``float``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
PRECISION = 100  # digits: far more than any bounded sum of content numbers needs (kaohe.content.limits)
ROUNDING = Context(prec=PRECISION, rounding=ROUND_HALF_UP)  # passed to each call: the caller's context is not used
QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}  # 1, 0.1, … 0.000001


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded half-up to ``places`` decimal places, whatever the caller's decimal context."""
    quantum = QUANTA.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(quantum, context=ROUNDING)


def two_places(value: Decimal) -> str:
    """A score: half-up to 2 places, ``95.30``."""
    return f"{round_half_up(value):f}"


def as_written(value: Decimal) -> str:
    """Points, amounts and settings as the rubric writes them, not rounded: ``18``, ``0.5``, ``0.125``."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text
