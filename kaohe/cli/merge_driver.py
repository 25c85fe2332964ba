"""``build.py merge-driver %O %A %B %P`` (git calls it) and ``build.py merge-driver --install``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe.actions.errors import UsageError
from kaohe.cli.console import Command, exit_code, print_json, usage_error

if TYPE_CHECKING:
    from kaohe.actions.merge.driver import InstallResult, MergeResult

BUILD_PY = Path(__file__).resolve().parents[2] / "build.py"

HELP = "git merge driver for ledgers: merge entry by entry (--install sets it up)"
DESCRIPTION = (
    "Merge two versions of a ledger entry by entry, as git's merge driver: "
    "git calls 'merge-driver %O %A %B %P' (base, ours, where the result is written, theirs, the path). "
    "Entries added or changed on different sides merge cleanly in canonical form, comments kept; an entry "
    "or a top-level key both sides changed differently is left between conflict markers, and the exit is 1. "
    "A version that does not parse is merged line by line (git merge-file), exit 1. "
    "--install configures the driver in this clone and adds its line to .gitattributes."
)
FILES = ("base", "ours", "theirs", "path")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--install", action="store_true", help="configure the driver in this clone (git config) and .gitattributes"
    )
    parser.add_argument("base", nargs="?", type=Path, help="%%O: the common ancestor's version")
    parser.add_argument("ours", nargs="?", type=Path, help="%%A: our version; the merge is written here")
    parser.add_argument("theirs", nargs="?", type=Path, help="%%B: their version")
    parser.add_argument("path", nargs="?", help="%%P: the file's path in the repository")


def print_merge(result: MergeResult, quiet: bool = False) -> None:
    if result.error:
        print(f"merge-driver: {result.path}: {result.error}", file=sys.stderr)
        return
    if result.how == "entries":
        for conflict in result.conflicts:
            print(
                f"{result.path}:{conflict.line}: conflict: {conflict.what} changed differently on both sides",
                file=sys.stderr,
            )
        if not result.conflicts and not quiet:
            print(f"merge-driver: {result.path}: merged entry by entry", file=sys.stderr)
        return
    if result.unmergeable:
        print(
            f"merge-driver: {result.path}: merged line by line (git merge-file): {result.unmergeable}", file=sys.stderr
        )
    if result.line_conflicts:
        print(f"merge-driver: {result.path}: {result.line_conflicts} conflicts left by the line merge", file=sys.stderr)
    elif result.unmergeable:
        print(
            f"merge-driver: {result.path}: no conflict markers, but look at the file before 'git add'", file=sys.stderr
        )


def print_install(result: InstallResult) -> None:
    if result.error:
        print(f"merge-driver: {result.error}", file=sys.stderr)
        return
    print(f"git config merge.kaohe-ledger.driver {result.command}")
    if result.added_attribute:
        print(f"added to {result.attributes}: content/ledgers/*.yaml merge=kaohe-ledger")


def run(args: argparse.Namespace) -> int:
    given = [getattr(args, name) for name in FILES]
    try:
        if args.install:
            if any(value is not None for value in given):
                raise UsageError("merge-driver: --install takes no files")
            return run_install(args)
        if any(value is None for value in given):
            raise UsageError("merge-driver: give the four files git passes (%O %A %B %P), or --install")
        return run_merge(args)
    except UsageError as exc:
        return usage_error("merge-driver", str(exc), args.json)


def run_merge(args: argparse.Namespace) -> int:
    from kaohe.actions.merge.driver import merge_driver  # only this command reads the three versions

    merged = merge_driver(args.base, args.ours, args.theirs, args.path)
    if args.json:
        print_json(merged.as_json())
    else:
        print_merge(merged, quiet=getattr(args, "quiet", False))
    return exit_code(merged.ok)


def run_install(args: argparse.Namespace) -> int:
    from kaohe.actions.merge.driver import install

    installed = install(args.root, sys.executable, BUILD_PY)
    if args.json:
        print_json(installed.as_json())
    else:
        print_install(installed)
    return exit_code(installed.ok)


COMMAND = Command("merge-driver", HELP, DESCRIPTION, run, add_arguments)
