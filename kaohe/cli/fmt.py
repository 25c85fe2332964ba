"""``build.py fmt [--check] [FILES]``: rewrite content files in canonical form, comments kept."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe.actions.errors import UsageError
from kaohe.cli.console import Command, counted, exit_code, print_diagnostics, print_json, usage_error

if TYPE_CHECKING:
    from kaohe.actions.fmt import FmtResult

HELP = "rewrite content files in canonical form (comments kept)"
DESCRIPTION = (
    "Rewrite content files in one canonical form: keys in the order of FORMAT.md, 2-space indentation, "
    "text quoted only where YAML needs it (then with double quotes); entries, comments and blank lines kept. "
    "Files are written only when the content passes 'check' and the results stay exactly the same. "
    "With --check nothing is written: exit 1 and name the files that are not canonical. "
    "FILES default to every content file."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 and name the files that are not canonical"
    )
    parser.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="content files to format (default: all of content/)"
    )


def print_fmt(result: FmtResult) -> None:
    print_diagnostics(result.diagnostics)
    if result.check_only:
        for path in result.not_canonical:
            print(f"{path}: not in canonical form")
        if result.not_canonical:
            print("run 'python build.py fmt' to rewrite them", file=sys.stderr)
        elif not result.diagnostics:
            print(f"{counted(len(result.files), 'file')} in canonical form")
        return
    if result.refusal:
        print(f"fmt: nothing rewritten: {result.refusal}", file=sys.stderr)
        return
    for path in result.rewritten:
        print(f"formatted {path}")
    print(f"{len(result.rewritten)} rewritten, {len(result.files) - len(result.rewritten)} already in canonical form")


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.fmt import fmt  # imported when run: the round-trip YAML machinery is heavy

    try:
        result = fmt(args.root, list(args.files), check_only=args.check)
    except UsageError as exc:
        return usage_error("fmt", str(exc), args.json)
    if args.json:
        print_json(result.as_json())
    else:
        print_fmt(result)
    return exit_code(result.ok)


COMMAND = Command("fmt", HELP, DESCRIPTION, run, add_arguments)
