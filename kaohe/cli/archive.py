"""``build.py archive [--force]``: write content/history/<year>.yaml from final results."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kaohe.cli.console import Command, exit_code, print_diagnostics, print_json

if TYPE_CHECKING:
    from kaohe.actions.archive import ArchiveResult

HELP = "write content/history/<year>.yaml from final results"
DESCRIPTION = (
    "When the results are final (content/decision.yaml approves them and every ledger is reviewed), "
    "write content/history/<year>.yaml so that next year's measures can count consecutive last places "
    "(commit it with next year's rubric). Refuses while the results are a draft. "
    "An existing file that differs is replaced only with --force."
)
FINAL_WHEN = (
    "Results are final when content/decision.yaml records the 班子会 approval with the results_sha256 "
    "that 'python build.py check' prints, and every ledger has its review (审核)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace an existing history file that differs")


def print_archive(result: ArchiveResult) -> None:
    from kaohe.actions.archive import ArchiveStatus

    if result.status is ArchiveStatus.WRITTEN:
        print(f"wrote {result.path} ({result.communities} communities)")
        print(f"Commit it: the measures of {(result.year or 0) + 1} count consecutive last places from it.")
    elif result.status is ArchiveStatus.UNCHANGED:
        print(f"{result.path} is already up to date")
    elif result.status is ArchiveStatus.DRAFT:
        print(f"archive: {result.problem}:", file=sys.stderr)
        for reason in result.draft_reasons:
            print(f"  - {reason}", file=sys.stderr)
        print(FINAL_WHEN, file=sys.stderr)
    else:
        print_diagnostics(result.diagnostics)
        print(f"archive: nothing written: {result.problem}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.archive import archive  # imported when run: every command's module loads on every call

    result = archive(args.root, force=args.force)
    if args.json:
        print_json(result.as_json())
    else:
        print_archive(result)
    return exit_code(result.ok)


COMMAND = Command("archive", HELP, DESCRIPTION, run, add_arguments)
