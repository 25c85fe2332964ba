"""``build.py diff [REV [REV2]]``: what a change does to the results, as Markdown for a pull request."""

from __future__ import annotations

import argparse

from kaohe.actions.errors import UsageError
from kaohe.cli.console import EXIT_OK, Command, failure, usage_error

HELP = "what a change does to scores, ranks, awards, vetoes and measures (Markdown for a pull request)"
DESCRIPTION = (
    "Compare the content at REV (default: the merge base with the default branch) with REV2 "
    "(default: the working tree) and print Markdown for a pull-request comment: communities whose total, "
    "rank or award changed, vetoes and measures that appear or vanish, ledger entries added, removed or "
    "changed (matched by content), and which communities a rubric change moves. Revisions are read with "
    "git; nothing is checked out. --json prints the same as JSON."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rev", nargs="?", metavar="REV", help="the old side (default: merge base with main)")
    parser.add_argument("rev2", nargs="?", metavar="REV2", help="the new side (default: the working tree)")


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.diff.markdown import report_json, report_markdown  # imported when run
    from kaohe.actions.diff.report import diff
    from kaohe.content.overlay import NotUtf8

    try:
        report = diff(args.root, args.rev, args.rev2)
    except UsageError as exc:
        return usage_error("diff", str(exc), args.json)
    except NotUtf8 as exc:
        return failure("diff", str(exc), args.json)
    print(report_json(report) if args.json else report_markdown(report), end="")
    return EXIT_OK


COMMAND = Command("diff", HELP, DESCRIPTION, run, add_arguments)
