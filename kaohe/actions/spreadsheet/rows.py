"""Each row below the header as an entry, or the reason it is ignored.

A row is skipped when it is blank (counted when a row with a value follows), and ignored (with its reason in the summary) when it is a
total row (its first text starts with 合计, 小计, 总计 or 共计) or holds nothing in the columns
read (a numbered but empty row). Every other row must make an entry: each cell that cannot be
read is a problem at that cell, and all of them are reported.

A rule deducting per occurrence (``per``) takes a count; a row giving only the points taken
(扣分) is counted as that many occurrences when the points are a whole multiple of ``per``
(扣分 0.3 on 每项扣0.1分 is 3 items). A row giving both must agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from kaohe.actions.append import NewEntry
from kaohe.actions.spreadsheet.columns import Layout
from kaohe.actions.spreadsheet.grid import CellProblem, Sheet, Value
from kaohe.actions.spreadsheet.matching import Cited, Communities, Rules
from kaohe.actions.spreadsheet.values import Wrong, as_count, as_date, as_decimal, as_text, normal
from kaohe.content.model import Rubric, Rule
from kaohe.errors import Severity
from kaohe.numbers import as_written
from kaohe.render.vocab import SHEET_COLUMNS, TOTAL_ROW_WORDS

T = TypeVar("T")
IGNORED_TOTAL = "a total row ({word})"
IGNORED_EMPTY = "nothing in the columns read"


@dataclass(frozen=True)
class RowEntry:
    row: int
    entry: NewEntry


@dataclass(frozen=True)
class Ignored:
    row: int
    reason: str


@dataclass
class RowsRead:
    entries: list[RowEntry] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    blank: int = 0
    problems: list[CellProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a row is read against: the file's name, the sheet and its layout, and the content."""

    file: str
    sheet: Sheet
    layout: Layout
    rubric: Rubric
    communities: Communities
    rules: Rules
    today: date = field(default_factory=date.today)  # a date after it is likely a slip (12-20 for 2-20)

    @property
    def period(self) -> tuple[date, date]:
        return self.rubric.period_from, self.rubric.period_to

    def problem(self, row: int, key: str, message: str, severity: Severity = Severity.ERROR) -> CellProblem:
        col = self.layout.columns.get(key, 0)
        return CellProblem(self.file, self.sheet.name, row, col, severity, message)


def read_rows(context: Context) -> RowsRead:
    """Every row below the header row."""
    read = RowsRead()
    blank_run = 0  # blank rows after the last row with a value are not counted
    for row in range(context.layout.header_row + 1, len(context.sheet.rows) + 1):
        cells = context.sheet.rows[row - 1]
        if all(value is None for value in cells):
            blank_run += 1
            continue
        read.blank, blank_run = read.blank + blank_run, 0
        reason = ignored_reason(cells, [context.sheet.value(row, col) for col in context.layout.columns.values()])
        if reason:
            read.ignored.append(Ignored(row, reason))
            continue
        entry, problems = row_entry(context, row)
        read.problems += problems
        if entry is not None:
            read.entries.append(RowEntry(row, entry))
    return read


def ignored_reason(cells: tuple[Value, ...], read: list[Value]) -> str:
    first_text = next((normal(v).replace(" ", "") for v in cells if isinstance(v, str)), "")
    word = next((w for w in TOTAL_ROW_WORDS if first_text.startswith(w)), "")
    if word:
        return IGNORED_TOTAL.format(word=word)
    return IGNORED_EMPTY if all(value is None for value in read) else ""


class RowReader:
    """One row's cells, parsed key by key; every problem is kept, at its cell."""

    def __init__(self, context: Context, row: int) -> None:
        self.context = context
        self.row = row
        self.values = {key: context.sheet.value(row, col) for key, col in context.layout.columns.items()}
        self.problems: list[CellProblem] = []

    def take(self, key: str, parse: Callable[[Value], T | Wrong], required: bool = False) -> T | None:
        """The cell of ``key`` parsed, or ``None`` (empty, or wrong: then a problem is noted)."""
        value = self.values.get(key)
        if value is None:
            if required:
                self.problem(key, f"no {self.context.layout.headings.get(key) or SHEET_COLUMNS[key][0]} in this row")
            return None
        found = parse(value)
        if isinstance(found, Wrong):
            self.problem(key, found.message)
            return None
        return found

    def problem(self, key: str, message: str) -> None:
        self.problems.append(self.context.problem(self.row, key, message))


def row_entry(context: Context, row: int) -> tuple[NewEntry | None, list[CellProblem]]:
    """The row's entry, or every problem that keeps it from being one."""
    cells = RowReader(context, row)
    day = cells.take("date", lambda value: as_date(value, context.period), required=True)
    community = cells.take("community", lambda value: context.communities.find(as_text(value)), required=True)
    cited = cells.take("rule", lambda value: context.rules.find(as_text(value)), required=True)
    count = cells.take("count", as_count)
    deduct = cells.take("deduct", as_decimal)
    amount = cells.take("amount", as_decimal)
    if cells.problems or day is None or community is None or cited is None:
        return None, cells.problems
    rule = context.rubric.rule_index().get(cited.full_id, (None, None))[1] if cited.is_rule else None
    if rule is not None and rule.per is not None and deduct is not None:
        counted = count_from_points(rule, count, deduct)
        if isinstance(counted, Wrong):
            return None, [context.problem(row, "deduct", counted.message)]
        count, deduct = counted, None
    entry = NewEntry(
        date=day,
        community=community,
        rule=cited.full_id if cited.is_rule else None,
        indicator=None if cited.is_rule else cited.full_id,
        count=count,
        deduct=deduct,
        amount=amount,
        note=as_text(cells.values.get("note")),
        evidence=as_text(cells.values.get("evidence")),
    )
    warnings = [guessed(context, row, cited)] if cited.guessed_from else []
    if day > context.today:
        warnings.append(
            context.problem(row, "date", f"{day} is after today ({context.today}): check the date", Severity.WARNING)
        )
    return entry, warnings


def guessed(context: Context, row: int, cited: Cited) -> CellProblem:
    """A warning at the rule cell: its text was no rule's, and the closest one was taken; which one, in full."""
    rule = context.rubric.rule_index().get(cited.full_id)
    text = rule[1].text if rule is not None else context.rubric.indicator_index()[cited.full_id].label
    message = (
        f"'{cited.guessed_from}' is not the text of a rule: taken for {cited.full_id} “{text}”; "
        "if another rule is meant, write its id or its text as the 细则 has it"
    )
    return context.problem(row, "rule", message, Severity.WARNING)


def count_from_points(rule: Rule, count: int | None, deduct: Decimal) -> int | Wrong:
    """The count a per-occurrence rule's points (扣分) stand for, checked against a count given too."""
    assert rule.per is not None
    per = rule.per
    items = deduct / per
    if items != items.to_integral_value() or items < 1:
        return Wrong(
            f"{as_written(deduct)} points is not a whole number of times {as_written(per)} "
            f"('{rule.text}'); give {SHEET_COLUMNS['count'][0]} instead"
        )
    if count is not None and count != int(items):
        return Wrong(
            f"{as_written(deduct)} points is {int(items)} times {as_written(per)}, "
            f"but {SHEET_COLUMNS['count'][0]} says {count}"
        )
    return int(items)
