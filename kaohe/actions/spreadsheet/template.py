"""``template --line ID [--entries]``: a ledger workbook for one line, for clerks who keep it in Excel or WPS.

Sheet 台帐 has a title row and the headings ``import`` reads, in this order: 日期, 社区,
细则条目, then 次数 (when the line has rules counted per occurrence), 扣分 (酌情扣分 rules),
完成数额 (ratio indicators), 说明, 依据. Its cells check what is typed (data validation):
dates inside the period, a community and a rule from drop-down lists (kept on the hidden
sheet 选项: the communities' names; each rule as its id and text), whole counts and positive
numbers. Sheet 说明 explains how to fill it in. With ``--entries`` the sheet starts with the
entries the line's ledger holds, one a row, as ``import`` reads them: imported again, those
rows are found in the ledger and skipped, and only the rows added are written. The same
content gives the same bytes: fixed workbook properties and zip times, from
``SOURCE_DATE_EPOCH`` when it is set.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from kaohe.actions.spreadsheet.matching import Choice, line_choices, line_named
from kaohe.content.load import load_communities, load_ledger, load_rubric
from kaohe.content.model import Community, Entry, Rubric
from kaohe.content.schema import LEDGER_DIR
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic, has_errors
from kaohe.render import source_date_epoch, vocab
from kaohe.render.site.export import fixed_time, repack

ROWS = 500  # rows made ready for entries (validation and formats)
FIRST_ROW = 3  # row 1: title, row 2: headings
WIDTHS = {"date": 12, "community": 14, "rule": 48, "count": 8, "deduct": 8, "amount": 12, "note": 48, "evidence": 30}
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class TemplateResult:
    """The workbook written (or why not): its path, the line, the columns, the choices offered."""

    path: str
    line: str
    columns: tuple[str, ...] = ()
    rules: int = 0
    communities: int = 0
    entries: int = 0  # rows filled in from the ledger (--entries)
    written: bool = False
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    refusal: str = ""

    @property
    def ok(self) -> bool:
        return self.written

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "columns": list(self.columns),
            "rules": self.rules,
            "communities": self.communities,
            "entries": self.entries,
            "written": self.written,
            "diagnostics": [d.as_json() for d in self.diagnostics],
            "refusal": self.refusal,
        }


def write_template(root: Path, line: str, out: Path, *, force: bool = False, entries: bool = False) -> TemplateResult:
    """Write the template of ``line`` to ``out``; an existing different file is kept unless ``force``.

    ``entries``: the sheet starts with the entries the line's ledger holds (refused while it has errors).

    :class:`~kaohe.actions.errors.UsageError` when ``line`` is not a line of the rubric.
    """
    tree = WorkingTree(root)
    problems: list[Diagnostic] = []
    rubric = load_rubric(tree, problems)
    communities, _sample = load_communities(tree, problems)
    if rubric is None or has_errors(problems):
        errors = tuple(d for d in problems if d.is_error)
        return TemplateResult(str(out), line, diagnostics=errors, refusal="the rubric or communities have errors")
    line = line_named(rubric, line, "template")
    held: tuple[Entry, ...] = ()
    if entries:
        ledger = load_ledger(tree, f"{LEDGER_DIR}/{line}.yaml", problems)
        if ledger is None or has_errors(problems) or ledger.incomplete:
            errors = tuple(d for d in problems if d.is_error)
            refusal = f"the ledger {LEDGER_DIR}/{line}.yaml has errors; correct them first (python build.py check)"
            return TemplateResult(str(out), line, diagnostics=errors, refusal=refusal)
        held = ledger.entries
    choices = line_choices(rubric, line)
    columns = template_columns(rubric, line)
    data = template_bytes(rubric, line, communities, choices, source_date_epoch(), held)
    result = TemplateResult(str(out), line, tuple(columns), len(choices), len(communities), len(held))
    if out.exists() and not force and out.read_bytes() != data:
        return TemplateResult(**{**result.__dict__, "refusal": f"{out} exists; use --force to replace it"})
    out.write_bytes(data)
    return TemplateResult(**{**result.__dict__, "written": True})


def template_columns(rubric: Rubric, line: str) -> dict[str, str]:
    """The columns for the line's rules, key → heading (the first of its headings in the vocabulary)."""
    leaves = [leaf for leaf in rubric.leaves() if leaf.line == line]
    rules = [rule for leaf in leaves for rule in leaf.rules]
    units = {leaf.unit for leaf in leaves if leaf.is_ratio}
    wanted = {
        "date": True,
        "community": True,
        "rule": True,
        "count": any(rule.takes_count for rule in rules),
        "deduct": any(rule.discretionary for rule in rules),
        "amount": bool(units),
        "note": True,
        "evidence": True,
    }
    columns = {key: vocab.SHEET_COLUMNS[key][0] for key, shown in wanted.items() if shown}
    if len(units) == 1 and "" not in units:
        columns["amount"] += f"（{units.pop()}）"
    return columns


def template_bytes(
    rubric: Rubric,
    line: str,
    communities: tuple[Community, ...],
    choices: list[Choice],
    epoch: int | None,
    held: tuple[Entry, ...] = (),
) -> bytes:
    """The workbook's bytes: the same for the same content and epoch."""
    name = rubric.line_index()[line].name
    columns = template_columns(rubric, line)
    book = Workbook()
    entries = book.active
    entries.title = vocab.TEMPLATE_SHEET
    rows = len(held) + ROWS  # the ledger's entries, then rows made ready for more
    fill_entries(entries, vocab.template_title(rubric.year, name), columns, rows)
    labels = {choice.cited.full_id: choice.label for choice in choices}
    names = {community.id: community.name for community in communities}
    for row, entry in enumerate(held, start=FIRST_ROW):  # by row: the date formats made the rows already
        for column, value in enumerate(entry_cells(entry, columns, labels, names), start=1):
            entries.cell(row=row, column=column, value=value)
    lists = book.create_sheet(vocab.TEMPLATE_LISTS_SHEET)
    fill_lists(lists, [c.name for c in communities], [c.label for c in choices])
    add_validations(entries, columns, rubric, len(communities), len(choices), rows)
    period = (rubric.period_from, rubric.period_to)
    help_text = vocab.template_help(rubric.year, name, period, columns, len(held))
    fill_help(book.create_sheet(vocab.TEMPLATE_HELP_SHEET), help_text)
    if held:
        lock_held_rows(entries, len(held), len(columns), rows)
    lists.sheet_state = "hidden"
    moment = fixed_time(epoch).replace(tzinfo=None)
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.creator = "考核台帐"
    book.properties.title = vocab.template_title(rubric.year, name)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return repack(raw.getvalue(), moment)


def entry_cells(entry: Entry, columns: dict[str, str], labels: dict[str, str], names: dict[str, str]) -> list[object]:
    """A ledger entry as a row of the sheet, as ``import`` reads it back: the date a date cell, the
    community by name, the rule as the drop-down list offers it, numbers exact."""
    values: dict[str, object] = {
        "date": entry.date,
        "community": names.get(entry.community, entry.community),
        "rule": labels.get(entry.cites, entry.cites),
        "count": entry.count,
        "deduct": entry.deduct,
        "amount": entry.amount,
        "note": entry.note,
        "evidence": entry.evidence or None,
    }
    return [values[key] for key in columns]


HELD_FILL = PatternFill("solid", fgColor="E6E6E6")  # the ledger's own rows, for reading only


def lock_held_rows(ws: Any, held: int, width: int, rows: int) -> None:
    """The ledger's rows grey and locked, the rows below them open: the sheet is protected without a password.

    Changed and imported again, a held row would be a new entry beside the old one, and both would count.
    """
    ws.protection.sheet = True
    for row in range(FIRST_ROW, FIRST_ROW + rows):
        for column in range(1, width + 1):
            cell = ws.cell(row=row, column=column)
            if row < FIRST_ROW + held:
                cell.fill = HELD_FILL
            else:
                cell.protection = Protection(locked=False)


def fill_entries(ws: Any, title: str, columns: dict[str, str], rows: int) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(columns.values()))
    for index, key in enumerate(columns, start=1):
        ws.cell(row=2, column=index).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    date_col = list(columns).index("date") + 1
    for row in range(FIRST_ROW, FIRST_ROW + rows):
        ws.cell(row=row, column=date_col).number_format = DATE_FORMAT
    ws.freeze_panes = f"A{FIRST_ROW}"


def fill_lists(ws: Any, communities: list[str], choices: list[str]) -> None:
    ws.append(list(vocab.TEMPLATE_LIST_HEADINGS))
    for index in range(max(len(communities), len(choices))):
        ws.append(
            [communities[index] if index < len(communities) else None, choices[index] if index < len(choices) else None]
        )


ASKS = ("date", "community", "rule")  # checked as typed, but other forms kept when the clerk says so


def add_validations(
    ws: Any, columns: dict[str, str], rubric: Rubric, communities: int, choices: int, rows: int
) -> None:
    """What each column accepts, checked as it is typed."""
    lists = quote_sheetname(vocab.TEMPLATE_LISTS_SHEET)
    start, end = rubric.period_from, rubric.period_to
    rules: dict[str, DataValidation] = {
        "date": DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({start.year},{start.month},{start.day})",
            formula2=f"DATE({end.year},{end.month},{end.day})",
        ),
        "community": DataValidation(type="list", formula1=f"{lists}!$A$2:$A${communities + 1}"),
        "rule": DataValidation(type="list", formula1=f"{lists}!$B$2:$B${choices + 1}"),
        "count": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1"),
        "deduct": DataValidation(type="decimal", operator="greaterThan", formula1="0"),
        "amount": DataValidation(type="decimal", operator="greaterThan", formula1="0"),
    }
    for index, key in enumerate(columns, start=1):
        validation = rules.get(key)
        if validation is None:
            continue
        validation.error = vocab.TEMPLATE_INPUT_ERRORS[key]
        validation.errorTitle = vocab.TEMPLATE_INPUT_TITLE
        if key in ASKS:  # the 说明 sheet allows other forms of these, and import reads them: ask, never refuse
            validation.errorStyle = "warning"
        validation.showErrorMessage = True
        letter = get_column_letter(index)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + rows - 1}")
        ws.add_data_validation(validation)


def fill_help(ws: Any, paragraphs: list[str]) -> None:
    ws.column_dimensions["A"].width = 110
    for paragraph in paragraphs:
        ws.append([paragraph])
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=13)
