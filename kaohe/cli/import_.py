"""``build.py import FILE --line ID [--sheet NAME] [--mapping FILE] [--dry-run]``: a spreadsheet into a ledger.

The reading and appending live in :mod:`kaohe.actions.spreadsheet.importer`, imported in
:func:`run` so that other commands never load the spreadsheet libraries.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe.actions.errors import UsageError
from kaohe.cli.console import Command, counted, exit_code, print_diagnostics, print_json, usage_error

if TYPE_CHECKING:
    from kaohe.actions.spreadsheet.importer import ImportResult

HELP = "append a line's ledger kept in Excel, WPS or CSV (.xlsx, .xls, .csv) to its YAML ledger"
DESCRIPTION = (
    "Read a line's ledger from a spreadsheet (.xlsx, .xls, or .csv in UTF-8 or GBK) and append its rows to "
    "content/ledgers/<line>.yaml in canonical form, comments kept. The header row is found by its headings "
    "(日期, 社区, 细则条目, 次数, 扣分, 完成数额, 说明, 依据 and their usual synonyms) or named in a mapping file. "
    "Every problem is reported at its cell (FILE:Sheet!C12) and nothing is written while there is one; "
    "rows already in the ledger are skipped, so importing the same sheet twice adds nothing."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="the spreadsheet: .xlsx, .xls or .csv")
    parser.add_argument(
        "--line",
        required=True,
        metavar="ID",
        help="the line whose ledger the rows belong to: its id or name (party, 党群线, 党群)",
    )
    parser.add_argument(
        "--sheet", default="", metavar="NAME", help="the sheet to read (default: the first with a header row)"
    )
    parser.add_argument("--mapping", type=Path, metavar="FILE", help="a YAML file naming the header row and columns")
    parser.add_argument("--dry-run", action="store_true", help="write nothing; print what would be added")


def rows_text(rows: list[int]) -> str:
    return ", ".join(str(row) for row in rows)


def one_line(value: object) -> str:
    """A value on one line of the listing: a line break in a note shows as ``⏎``."""
    return "⏎".join(str(value).splitlines())


def runs_of_ignored(result: ImportResult) -> list[tuple[int, int, str]]:
    """Ignored rows as runs of rows next to each other for the same reason (a column of 序号 gives one line)."""
    runs: list[tuple[int, int, str]] = []
    for ignored in result.read.ignored:
        if runs and runs[-1][1] == ignored.row - 1 and runs[-1][2] == ignored.reason:
            runs[-1] = (runs[-1][0], ignored.row, ignored.reason)
        else:
            runs.append((ignored.row, ignored.row, ignored.reason))
    return runs


def print_summary(result: ImportResult) -> None:
    from kaohe.actions.spreadsheet.importer import entry_json

    where = f"{result.file}, sheet {result.sheet}" if result.sheet else result.file
    details = [f"header at row {result.layout.header_row}"] if result.layout else []
    details += [result.encoding] if result.encoding else []
    print(f"read {counted(result.rows, 'row')} from {where} ({'; '.join(details)})")
    if result.layout is not None:
        read = ", ".join(f"{column} → {key}" for key, column in result.layout.described().items())
        print(f"  columns read: {read}")
        unread = result.layout.unread_described()
        if unread:
            print(f"  columns not read (not imported): {', '.join(unread)}")
    if result.other_sheets:
        names = ", ".join(result.other_sheets)
        print(f"  other sheets with a header row, not imported: {names} (import each with --sheet NAME)")
    added = result.rows_of("added")
    verb = "would add" if result.dry_run else "added"
    print(f"{verb} {counted(len(added), 'entry')} to {result.ledger}")
    if result.dry_run:
        for row in added:
            values = {key: value for key, value in entry_json(row).items() if key != "row"}
            shown = (f"{key}: {one_line(value)}" for key, value in values.items())
            print(f"  row {row.row}: " + ", ".join(shown))
    present = [row.row for row in result.rows_of("present")]
    if present:
        print(f"skipped {counted(len(present), 'row')} already in the ledger: {rows_text(present)}")
    for first, last, reason in runs_of_ignored(result):
        print(f"ignored row {first}: {reason}" if first == last else f"ignored rows {first}–{last}: {reason}")
    if result.read.blank:
        print(f"skipped {counted(result.read.blank, 'blank row')}")


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.spreadsheet.importer import import_sheet  # here: openpyxl and xlrd only for this command

    try:
        result = import_sheet(
            args.root, args.file, args.line, sheet=args.sheet, mapping=args.mapping, dry_run=args.dry_run
        )
    except UsageError as exc:
        return usage_error("import", str(exc), args.json)
    if args.json:
        print_json(result.as_json())
        return exit_code(result.ok)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print_diagnostics(result.diagnostics)
    if result.ok and not getattr(args, "quiet", False):  # --quiet: the problems only
        print_summary(result)
    else:
        count = sum(1 for p in result.problems if p.is_error) + sum(1 for d in result.diagnostics if d.is_error)
        print(f"import: nothing written: {counted(count, 'error')}", file=sys.stderr)
    return exit_code(result.ok)


COMMAND = Command("import", HELP, DESCRIPTION, run, add_arguments)
