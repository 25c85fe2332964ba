"""The month strip in the 通报: one row per line, its entries per month of the period, shaded.

The 通报 is the one document that covers every line (a score sheet covers one community, the 细则
is issued before any entry exists), so the table of how each line's entries spread over the year
goes into its attachment. Each cell prints its count, so the table reads the same without the
shading (a black-and-white print, a screen reader reading the PDF's text).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.render.month_strip import MonthCell, month_strip
from kaohe.render.pdf.views import Table
from kaohe.scoring.results import Results

MONTHS_WIDTH = Decimal(68)  # per cent of the table for the month columns (线 24%: 8 characters, 合计 8%)


@dataclass(frozen=True)
class MonthRow:
    """A line: its name, one cell per month of the period, its total."""

    name: str
    cells: tuple[MonthCell, ...]
    total: int


def month_rows(results: Results) -> list[MonthRow]:
    rubric = results.rubric
    ledgers = {ledger.line: ledger for ledger in results.content.ledgers}
    rows = []
    for line in rubric.lines:
        ledger = ledgers.get(line.id)
        days = [entry.date for entry in ledger.entries] if ledger else []
        strip = month_strip(days, rubric.period_from, rubric.period_to)
        rows.append(MonthRow(line.name, strip.cells, strip.total))
    return rows


def month_table(results: Results) -> Table:
    """The table of every line's month strip, captioned; its columns: 线, each month, 合计."""
    rows = month_rows(results)
    months = rows[0].cells if rows else ()
    head = ("线", *(cell.label for cell in months), "合计")
    each = f"{(MONTHS_WIDTH / max(1, len(months))).quantize(Decimal('0.001'))}%"
    return Table("months", head, rows, ("24%", *(each,) * len(months), "8%"))  # 附件2 of the 通报: its title names it
