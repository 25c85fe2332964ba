"""The month strip: how a line's entries spread over the months of the period, for the site and the 通报.

A line whose entries come from daily work spreads them over the year; one that records everything
in December (the year-end inspection round the seed forbids without consent) shows one dark cell.
Each month of the period is a cell with its count of entries and a shade from 0 (none) to
:data:`LEVELS` (the line's busiest month). Pure: no I/O, exact integer arithmetic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from kaohe.render import vocab

LEVELS = 4  # shades besides 0: a month's count against the busiest month's, rounded up to quarters


@dataclass(frozen=True)
class MonthCell:
    year: int
    month: int
    count: int
    level: int  # 0 (no entries) … LEVELS (the busiest month)

    @property
    def label(self) -> str:
        """``12月``."""
        return vocab.month_label(self.month)

    @property
    def text(self) -> str:
        """``12月：13条``: the cell's text alternative."""
        return vocab.month_count_text(self.month, self.count)


@dataclass(frozen=True)
class MonthStrip:
    cells: tuple[MonthCell, ...]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def label(self) -> str:
        """The whole strip in words (its accessible name): ``各月记录条数：1月3条，…，12月13条；共43条``."""
        return vocab.month_strip_text([(cell.month, cell.count) for cell in self.cells], self.total)

    @property
    def last_share(self) -> str:
        """``12月占全年记录的30%`` (whole per cent, rounded half up), or "" with no entries."""
        if not self.cells or not self.total:
            return ""
        last = self.cells[-1]
        return vocab.month_share_text(last.month, (200 * last.count + self.total) // (2 * self.total))


def months_of(start: date, end: date) -> Iterator[tuple[int, int]]:
    """(year, month) for every month from ``start``'s to ``end``'s, both included."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def shade(count: int, busiest: int) -> int:
    """0 for none, else ``count / busiest`` in :data:`LEVELS` steps, rounded up (1 entry is never blank)."""
    if count <= 0 or busiest <= 0:
        return 0
    return (LEVELS * count + busiest - 1) // busiest


def month_strip(days: Iterable[date], start: date, end: date) -> MonthStrip:
    """The strip of the entries dated ``days`` over the months of the period ``start`` – ``end``."""
    counts = Counter((day.year, day.month) for day in days if start <= day <= end)
    months = list(months_of(start, end))
    busiest = max((counts[month] for month in months), default=0)
    return MonthStrip(tuple(MonthCell(y, m, counts[(y, m)], shade(counts[(y, m)], busiest)) for y, m in months))
