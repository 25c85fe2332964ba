"""``build.py check``: validate everything, build nothing."""

from __future__ import annotations

import argparse
import sys

from kaohe.actions.check import CheckResult, check
from kaohe.cli.console import Command, exit_code, print_diagnostics, print_json
from kaohe.render.vocab import stage_label, status_label
from kaohe.scoring.results import Results

HELP = "validate everything, build nothing"
DESCRIPTION = "Validate every content file and print all problems as path:line:col: error: message."


def describe_status(results: Results) -> str:
    if results.as_of is not None:  # a view of the entries up to a day: nothing a 班子会 approves
        return (
            f"{results.year}: {len(results.communities)} communities, results as of {results.as_of} (not for approval)"
        )
    status = f"final ({status_label(True)})" if results.final else f"draft ({stage_label(results)})"
    return f"{results.year}: {len(results.communities)} communities, results {status}; results_sha256: {results.sha256}"


def shout_if_changed_after_approval(checked: CheckResult) -> None:
    if not checked.changed_after_approval:
        return
    bar = "!" * 72
    print(bar, file=sys.stderr)
    print("!! 审定后结果已变动: the results differ from those the 班子会 approved.", file=sys.stderr)
    print("!! Everything is published as 草稿 (draft) until decision.yaml is updated.", file=sys.stderr)
    for line in checked.changed_after_approval:
        print(f"!! {line}", file=sys.stderr)
    print(bar, file=sys.stderr)


def print_check(checked: CheckResult, as_json: bool, quiet: bool = False) -> None:
    """The diagnostics, the loud message after approval, and the status line (or all of it as JSON).

    ``quiet``: the diagnostics only (a hook or an editor shows nothing when there is nothing wrong).
    """
    if as_json:
        print_json(checked.as_json())
        return
    print_diagnostics(checked.diagnostics)
    if checked.results is not None and not quiet:
        shout_if_changed_after_approval(checked)
        print(describe_status(checked.results))
        for reason in checked.draft_reasons():  # what still keeps the results a draft, each in one line
            print(f"  still draft: {reason}")


def run(args: argparse.Namespace) -> int:
    checked = check(args.root, kept=True)  # the command ends with it
    print_check(checked, args.json, quiet=args.quiet)
    return exit_code(checked.ok)


COMMAND = Command("check", HELP, DESCRIPTION, run)
