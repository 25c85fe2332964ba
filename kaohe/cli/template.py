"""``build.py template --line ID [-o FILE.xlsx] [--force] [--entries]``: a ledger workbook for one line.

The workbook is made by :mod:`kaohe.actions.spreadsheet.template`, imported in :func:`run`
so that other commands never load openpyxl.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kaohe.actions.errors import UsageError
from kaohe.cli.console import Command, counted, exit_code, print_diagnostics, print_json, usage_error

HELP = "write a spreadsheet (.xlsx) for one line's ledger, with drop-down lists, for Excel and WPS"
DESCRIPTION = (
    "Write a ledger workbook for one line: the columns for that line's rules, drop-down lists of the "
    "communities and of the line's rules, dates restricted to the period, and a sheet 说明 explaining how to "
    "fill it in; blank, or with --entries the entries the ledger holds already, one a row. A filled-in copy "
    "is read back with 'python build.py import' (rows the ledger holds are skipped). The same content gives "
    "the same bytes (SOURCE_DATE_EPOCH sets the workbook's dates)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--line", required=True, metavar="ID", help="the line the workbook is for: its id or name (party, 党群线, 党群)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE.xlsx", help="where to write it (default: <line>-template.xlsx)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file of that name")
    parser.add_argument(
        "--entries",
        action="store_true",
        help="fill in the entries the line's ledger holds; importing the sheet again adds only the rows added",
    )


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.spreadsheet.template import write_template  # here: openpyxl only for this command

    out = args.output if args.output is not None else Path(f"{args.line}-template.xlsx")
    if out.suffix.lower() != ".xlsx":
        return usage_error("template", f"{out}: the file name should end in .xlsx", args.json)
    try:
        result = write_template(args.root, args.line, out, force=args.force, entries=args.entries)
    except UsageError as exc:
        return usage_error("template", str(exc), args.json)
    if args.json:
        print_json(result.as_json())
        return exit_code(result.ok)
    print_diagnostics(result.diagnostics)
    if result.written and not getattr(args, "quiet", False):  # --quiet: the problems only
        filled = f", {counted(result.entries, 'entry')} of the ledger filled in" if args.entries else ""
        print(
            f"wrote {out}: {len(result.columns)} columns, {result.rules} rules, {result.communities} communities{filled}"
        )
    elif not result.written:
        print(f"template: nothing written: {result.refusal}", file=sys.stderr)
    return exit_code(result.ok)


COMMAND = Command("template", HELP, DESCRIPTION, run, add_arguments)
