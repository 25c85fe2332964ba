"""``import FILE --line ID``: a line's ledger kept in a spreadsheet, appended to its YAML ledger.

The rows are read (:mod:`.rows`), then appended through :func:`kaohe.actions.append.append_entries`,
which checks the whole content with the ledger as it would be, exactly as ``check`` does, and
writes nothing when there is an error. Every problem is reported at once and at its cell: those
found reading the sheet, and those ``check`` finds in the new entries (mapped back from the
ledger to the row and column they came from). Rows already in the ledger are left out, so
importing the same sheet twice adds nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaohe.actions.append import AppendResult, EntryProblem, NewEntry, append_entries
from kaohe.actions.spreadsheet.columns import Layout, find_layout
from kaohe.actions.spreadsheet.grid import Book, CellProblem, Sheet
from kaohe.actions.spreadsheet.mapping import Mapping, read_mapping
from kaohe.actions.spreadsheet.matching import Communities, Rules, line_named
from kaohe.actions.spreadsheet.readers import CannotRead, read_book
from kaohe.actions.spreadsheet.rows import Context, RowEntry, RowsRead, read_rows
from kaohe.content.load import load_communities, load_rubric
from kaohe.content.schema import ledger_path
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic, Severity, has_errors
from kaohe.numbers import as_written

SHEET_KEY = {"rule": "rule", "indicator": "rule"}  # an entry's key → the sheet's column key, where they differ
QUOTED_KEY = re.compile(r"'(date|community|rule|indicator|count|deduct|amount|note|evidence)'")


@dataclass(frozen=True)
class ImportResult:
    """What ``import`` read, found and added; see FORMAT.md §8 for the JSON keys."""

    file: str
    line: str
    dry_run: bool
    sheet: str = ""
    encoding: str = ""
    layout: Layout | None = None
    read: RowsRead = field(default_factory=RowsRead)
    appended: AppendResult | None = None
    problems: tuple[CellProblem, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    other_sheets: tuple[str, ...] = ()  # sheets not imported that have a header row too (import each with --sheet)

    @property
    def ledger(self) -> str:
        return ledger_path(self.line)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems) and not has_errors(self.diagnostics)

    @property
    def written(self) -> bool:
        return self.appended is not None and self.appended.written

    def rows_of(self, which: str) -> list[RowEntry]:
        """The row entries ``added`` or ``present`` (already in the ledger)."""
        if self.appended is None or not self.ok:
            return []
        indices = self.appended.added if which == "added" else self.appended.present
        return [self.read.entries[i] for i in indices]

    @property
    def rows(self) -> int:
        """Rows below the header that are not blank."""
        rows = {e.row for e in self.read.entries} | {i.row for i in self.read.ignored}
        return len(rows | {p.row for p in self.problems if p.row})

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "line": self.line,
            "ledger": self.ledger,
            "header_row": self.layout.header_row if self.layout else None,
            "columns": self.layout.described() if self.layout else {},
            "unread_columns": self.layout.unread_described() if self.layout else [],
            "other_sheets": list(self.other_sheets),
            "rows": self.rows,
            "added": [entry_json(e) for e in self.rows_of("added")],
            "present": [e.row for e in self.rows_of("present")],
            "ignored": [{"row": i.row, "reason": i.reason} for i in self.read.ignored],
            "blank": self.read.blank,
            "problems": [p.as_json() for p in self.problems],
            "diagnostics": [d.as_json() for d in self.diagnostics],
            "dry_run": self.dry_run,
            "written": self.written,
        }


def entry_json(row_entry: RowEntry) -> dict[str, Any]:
    """An added entry as JSON: its row and the ledger keys it has (decimals as text)."""
    entry = row_entry.entry
    values: dict[str, Any] = {
        "row": row_entry.row,
        "date": entry.date.isoformat(),
        "community": entry.community,
        "rule": entry.rule,
        "indicator": entry.indicator,
        "count": entry.count,
        "deduct": as_written(entry.deduct) if entry.deduct is not None else None,
        "amount": as_written(entry.amount) if entry.amount is not None else None,
        "note": entry.note,
        "evidence": entry.evidence,
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def import_sheet(
    root: Path,
    file: Path,
    line: str,
    *,
    sheet: str = "",
    mapping: Path | None = None,
    dry_run: bool = False,
    shown: str = "",
) -> ImportResult:
    """Import ``file`` into the ledger of ``line``; ``shown`` names the file in messages (default: as given).

    :class:`~kaohe.actions.errors.UsageError` when ``line`` is not a line of the rubric.
    """
    name = shown or str(file)
    tree = WorkingTree(root)
    loading: list[Diagnostic] = []
    rubric = load_rubric(tree, loading)
    communities, _sample = load_communities(tree, loading)
    if rubric is None or has_errors(loading):
        return ImportResult(name, line, dry_run, diagnostics=tuple(d for d in loading if d.is_error))
    line = line_named(rubric, line, "import")
    settings, problems = read_mapping(mapping, str(mapping)) if mapping is not None else (Mapping(), [])
    if problems:
        return ImportResult(name, line, dry_run, diagnostics=tuple(problems))
    try:
        book = read_book(file)
    except CannotRead as exc:
        return ImportResult(name, line, dry_run, problems=(file_problem(name, str(exc)),))
    chosen = choose_sheet(book, sheet or settings.sheet, settings, name)
    if isinstance(chosen, CellProblem):
        return ImportResult(name, line, dry_run, encoding=book.encoding, problems=(chosen,))
    found, layout = chosen
    others = () if sheet or settings.sheet else sheets_with_headers(book, settings, found)
    context = Context(name, found, layout, rubric, Communities(communities), Rules(rubric, line))
    read = read_rows(context)
    entries = [row.entry for row in read.entries]
    appended = append_entries(root, line, entries, dry_run=dry_run or bool(read.problems))
    at_cells = tuple(cell_problem(context, read.entries, p) for p in appended.entry_problems)
    inside = {p.diagnostic for p in appended.entry_problems}
    elsewhere = tuple(d for d in appended.diagnostics if d not in inside)
    every = tuple(sorted((*read.problems, *at_cells), key=lambda p: (p.row, p.col, p.message)))
    return ImportResult(
        name, line, dry_run, found.name, book.encoding, layout, read, appended, every, elsewhere, others
    )


def sheets_with_headers(book: Book, settings: Mapping, chosen: Sheet) -> tuple[str, ...]:
    """The other sheets of ``book`` whose header row is found: a clerk's months on sheets of their own."""
    return tuple(s.name for s in book.sheets if s is not chosen and isinstance(find_layout(s, settings), Layout))


def file_problem(name: str, message: str) -> CellProblem:
    return CellProblem(name, "", 0, 0, Severity.ERROR, message)


def choose_sheet(book: Book, wanted: str, settings: Mapping, name: str) -> tuple[Sheet, Layout] | CellProblem:
    """The named sheet, or else the first whose header row is found; with its layout."""
    if wanted:
        sheet = next((s for s in book.sheets if s.name == wanted), None)
        if sheet is None:
            names = ", ".join(s.name for s in book.sheets)
            return file_problem(name, f"no sheet named '{wanted}' (sheets: {names})")
        candidates = [sheet]
    else:
        candidates = list(book.sheets)
    first_reason = ""
    for sheet in candidates:
        layout = find_layout(sheet, settings)
        if isinstance(layout, Layout):
            return sheet, layout
        first_reason = first_reason or f"sheet {sheet.name}: {layout}"
    return file_problem(name, first_reason or "the file has no sheets")


def cell_problem(context: Context, rows: list[RowEntry], problem: EntryProblem) -> CellProblem:
    """A diagnostic ``check`` found in a new entry, at the cell the value came from."""
    entry: NewEntry = rows[problem.index].entry
    row = rows[problem.index].row
    key = problem.key or next(iter(QUOTED_KEY.findall(problem.diagnostic.message)), "")
    column = SHEET_KEY.get(key, key)
    if column == "count" and "count" not in context.layout.columns and entry.count is not None:
        column = "deduct"  # the count was worked out from the points taken
    if column not in context.layout.columns:
        column = "rule"
    col = context.layout.columns.get(column, 0)
    message = in_sheet_words(problem.diagnostic.message, context.layout.headings)
    return CellProblem(context.file, context.sheet.name, row, col, problem.diagnostic.severity, message)


def in_sheet_words(message: str, headings: dict[str, str]) -> str:
    """``check``'s message with each ledger key it quotes shown with the sheet's heading: ``扣分（'deduct'）``."""
    for key, heading in headings.items():
        if heading:
            message = message.replace(f"'{key}'", f"{heading}（'{key}'）")
    return message
