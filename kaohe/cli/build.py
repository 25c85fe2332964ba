"""``build.py build`` (the default command): check, then build output/.

One build of a folder at a time: a second one waits for the first (``--wait``
seconds, default 600) and then refuses. Interrupted, it says so in one line.
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path

from kaohe.actions.lock import LOCK_WAIT_MS, seconds_text
from kaohe.cli.check import print_check
from kaohe.cli.console import Command, exit_code, print_json
from kaohe.cli.progress import duration, shows_progress, watcher_for

TOOL_ROOT = Path(__file__).resolve().parents[2]  # the folder holding build.py, kaohe/ and templates/
TEMPLATES_DIR = TOOL_ROOT / "templates"

HELP = "check, then build output/ (the default)"
DESCRIPTION = (
    "Check the content, then build output/: results.json, the site and the PDF notices. "
    "On content errors nothing is written and output/ stays as it was."
)
INTERRUPTED = "output/ left as it was"
DECIMAL_SECONDS = re.compile(r"^\d+(\.\d+)?$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait",
        type=seconds,  # argparse names the function in its message: "invalid seconds value"
        default=LOCK_WAIT_MS,
        metavar="SECONDS",
        help=f"how long to wait for another build of the same folder, then refuse (default {seconds_text(LOCK_WAIT_MS)}; 0: at once)",
    )


def seconds(text: str) -> int:
    """``--wait SECONDS`` (``0.3``, ``600``) as whole milliseconds; refuses a negative or non-decimal value."""
    value = Decimal(text.strip()) if DECIMAL_SECONDS.match(text.strip()) else Decimal(-1)
    if value < 0:
        raise ValueError(text)
    return int((value * 1000).to_integral_value())


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.build import build  # here, so that the other commands never import WeasyPrint

    wait_ms = getattr(args, "wait", LOCK_WAIT_MS)  # `build.py` without the command name has no --wait
    built = build(
        args.root,
        TEMPLATES_DIR,
        progress=shows_progress(args),
        wait_ms=wait_ms,
        watcher=watcher_for("build", args),
        quiet=args.quiet or args.json,
    )
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
        print(f"wrote {built.output} ({len(built.written)} files) in {duration(total)}")
    return exit_code(built.ok)


COMMAND = Command("build", HELP, DESCRIPTION, run, add_arguments, INTERRUPTED)
