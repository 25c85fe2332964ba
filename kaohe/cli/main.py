"""The ``build.py`` command line (FORMAT.md §8): one module per command, each over a library function.

Exit codes: 0 ok, 1 content errors or a refused action (output left as it was), 2 usage,
130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from kaohe import __version__
from kaohe.cli import archive, build, check, diff, fmt, import_, merge_driver, serve, template
from kaohe.cli.console import Command, interrupted, signals_raise

COMMANDS: tuple[Command, ...] = (
    build.COMMAND,
    check.COMMAND,
    diff.COMMAND,
    fmt.COMMAND,
    archive.COMMAND,
    import_.COMMAND,
    template.COMMAND,
    merge_driver.COMMAND,
    serve.COMMAND,
)
DEFAULT_COMMAND = "build"


def common_options(top: bool) -> argparse.ArgumentParser:
    """Options accepted before and after the command; only the top level sets defaults."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        default=Path.cwd() if top else argparse.SUPPRESS,
        help="the project folder holding content/ and output/ (default: the current folder)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="print the result as one JSON object on stdout (for editors and CI)",
    )
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="print only problems (errors and warnings): no progress, no summary",
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="also say what each stage did and how long it took",
    )
    return common


def make_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    common = common_options(top=False)
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="考核台帐: validate the ledgers, score and rank the communities, build output/. "
        f"Without a command, runs '{DEFAULT_COMMAND}'.",
        parents=[common_options(top=True)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands:
        command_parser = sub.add_parser(
            command.name, parents=[common], help=command.help, description=command.description
        )
        command.add_arguments(command_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command; SIGINT or SIGTERM at any moment exits 130 or 143."""
    with signals_raise():
        name, as_json, detail = "build.py", False, ""
        try:
            parser = make_parser(COMMANDS)
            args = parser.parse_args(argv)
            command = chosen(parser, args)
            name, as_json, detail = command.name, args.json, command.interrupted
            return command.run(args)
        except KeyboardInterrupt as stop:
            return interrupted(name, stop, as_json, detail)


def chosen(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Command:
    """The command to run, once ``--root`` is known to hold a project."""
    args.root = args.root.resolve()
    if not (args.root / "content").is_dir():
        parser.error(f"no content/ folder in {args.root} (use --root)")
    by_name = {command.name: command for command in COMMANDS}
    return by_name[args.command or DEFAULT_COMMAND]
