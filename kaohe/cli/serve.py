"""``build.py serve [--port N] [--host H] [--pdf]``: a local preview that rebuilds as the content changes."""

from __future__ import annotations

import argparse
import sys

from kaohe.cli.build import TEMPLATES_DIR
from kaohe.cli.console import Command, exit_code, failure, print_json

HELP = "preview the site locally, rebuilt when content changes, with a 记一笔 form per line"
DESCRIPTION = (
    "Build results.json and the site into output/ (the PDFs too with --pdf), serve output/ at "
    "http://HOST:PORT/, rebuild whenever a file below content/ changes and reload the open page. "
    "While the content has errors every page shows them instead. /_kaohe/new offers a 记一笔 form "
    "for each line: the entry is checked as 'check' would, appended to the ledger in canonical form "
    "(comments kept) and, when ticked, committed with git. Only requests naming this computer as "
    "Host are answered. Ctrl-C stops it."
)
INTERRUPTED = "preview stopped"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000; 0: any free port)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1, this computer only; 0.0.0.0 lets others add entries too)",
    )
    parser.add_argument("--pdf", action="store_true", help="build the PDF notices too (much slower)")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from kaohe.actions.serve.server import serve  # the watcher and the server only for this command

    if not 0 <= args.port <= 65535:
        return failure("serve", f"--port {args.port}: a port is 0 to 65535", args.json)
    quiet = getattr(args, "quiet", False)
    served = serve(args.root, TEMPLATES_DIR, args.host, args.port, args.pdf, notify=say, quiet=quiet)
    if args.json:
        print_json(served.as_json())
    elif served.error:
        print(f"serve: {served.error}", file=sys.stderr)
    return exit_code(served.ok)


COMMAND = Command("serve", HELP, DESCRIPTION, run, add_arguments, INTERRUPTED)
