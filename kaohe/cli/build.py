"""``build.py build`` (the default command): check, then build output/.

One build of a folder at a time: a second one waits for the first (``--wait``
seconds, default 600) and then refuses. Interrupted, it says so in one line.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from kaohe.actions.lock import LOCK_WAIT_MS, seconds_text
from kaohe.cli.check import print_check
from kaohe.cli.console import Command, counted, exit_code, print_json, usage_error
from kaohe.cli.progress import duration, shows_progress, watcher_for
from kaohe.collector import paused_then_kept

TOOL_ROOT = Path(__file__).resolve().parents[2]  # the folder holding build.py, kaohe/ and templates/
TEMPLATES_DIR = TOOL_ROOT / "templates"

HELP = "check, then build output/ (the default)"
DESCRIPTION = (
    "Check the content, then build output/: results.json, the site and the PDF notices. "
    "On content errors nothing is written and output/ stays as it was."
)
INTERRUPTED = "output/ left as it was"
REMOVED_NAMED = 5  # files named when a build no longer makes some
DECIMAL_SECONDS = re.compile(r"^\d+(\.\d+)?$")
AS_OF_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait",
        type=seconds,  # argparse names the function in its message: "invalid seconds value"
        default=LOCK_WAIT_MS,
        metavar="SECONDS",
        help=f"how long to wait for another build of the same folder, then refuse (default {seconds_text(LOCK_WAIT_MS)}; 0: at once)",
    )
    parser.add_argument(
        "--as-of",
        type=as_of_date,
        default=None,
        metavar="DATE",
        help="early warning: results from the entries dated on or before DATE (YYYY-MM-DD, inside the period), "
        "marked 截至 DATE everywhere, never final; no notices are written",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="also build output-public/ beside output/: the public edition, for a notice board or a public site "
        "(no personal names, no measures, no internal documents or notes, no git authors)",
    )


def as_of_date(text: str) -> date:
    """``--as-of DATE``: a date written ``YYYY-MM-DD``; anything else is a usage error (exit 2)."""
    try:
        if not AS_OF_DATE.match(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def seconds(text: str) -> int:
    """``--wait SECONDS`` (``0.3``, ``600``) as whole milliseconds; refuses a negative or non-decimal value."""
    value = Decimal(text.strip()) if DECIMAL_SECONDS.match(text.strip()) else Decimal(-1)
    if value < 0:
        raise ValueError(text)
    return int((value * 1000).to_integral_value())


def run(args: argparse.Namespace) -> int:
    with paused_then_kept():  # some 10,000 classes and functions, kept for good: never walked by the collector
        from kaohe.actions.build import build  # here, so that the other commands never import WeasyPrint

    wait_ms = getattr(args, "wait", LOCK_WAIT_MS)  # `build.py` without the command name has no --wait
    built = build(
        args.root,
        TEMPLATES_DIR,
        progress=shows_progress(args),
        wait_ms=wait_ms,
        watcher=watcher_for("build", args),
        quiet=args.quiet or args.json,
        as_of=getattr(args, "as_of", None),
        public=getattr(args, "public", False),  # `build.py` without the command name has no --public
        process_ends=True,  # the command's last work: the tool exits without freeing what it made (build.py)
    )
    if built.bad_as_of:
        return usage_error("build", built.error, args.json)
    if args.json:
        print_json(built.as_json())
        return exit_code(built.ok)
    print_check(built.checked, as_json=False, quiet=args.quiet)
    if not built.checked.ok:
        print("build stopped: content errors; output/ left as it was", file=sys.stderr)
    elif built.error:
        print(f"error: {built.error}; output/ left as it was", file=sys.stderr)
    elif not args.quiet:
        total = sum(timing.ms for timing in built.stages)
        print(f"wrote {built.output} ({counted(len(built.written), 'file')}) in {duration(total)}")
        if built.removed:
            print(removed_text(built.removed))
        if built.public is not None:
            print(f"wrote {built.public} ({counted(len(built.public_written), 'file')}): the public edition")
        if built.as_of is not None:
            print(f"as of {built.as_of} (截至{built.as_of}): early warning, not the year's results; no notices written")
    return exit_code(built.ok)


def removed_text(removed: tuple[str, ...]) -> str:
    """The files of the previous build this one no longer makes, the first few by name."""
    named = ", ".join(removed[:REMOVED_NAMED]) + (
        f" and {len(removed) - REMOVED_NAMED} more" if len(removed) > REMOVED_NAMED else ""
    )
    return f"removed {counted(len(removed), 'file')} of the previous output/ that this build does not make: {named}"


COMMAND = Command("build", HELP, DESCRIPTION, run, add_arguments, INTERRUPTED)
