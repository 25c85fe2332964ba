"""The ``build.py`` command line (FORMAT.md §8).

Exit codes: 0 ok, 1 content errors (output left as it was), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kaohe import __version__
from kaohe.actions import archive, fmt
from kaohe.actions.approval import explain_mismatch
from kaohe.actions.build import BuildError, build_output, source_date_epoch
from kaohe.actions.diff import report as diff
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic, diagnostics_json, has_errors
from kaohe.pipeline import Outcome, run
from kaohe.render import RenderEnv, Renderer
from kaohe.render.data import render_results_json
from kaohe.render.pdf import render_pdfs
from kaohe.render.site import render_site
from kaohe.scoring.results import Results

TOOL_ROOT = Path(__file__).resolve().parents[2]  # the folder holding build.py, kaohe/ and templates/
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def renderers() -> list[Renderer]:
    return [render_results_json, render_pdfs, render_site]  # the site runs last: it links the PDFs built before it


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
        help="print diagnostics as JSON (for editors and CI)",
    )
    return common


@dataclass(frozen=True)
class Command:
    """One ``build.py`` command: its help, its own arguments, and what it runs."""

    name: str
    help: str
    description: str
    run: Callable[[argparse.Namespace], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


def make_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    common = common_options(top=False)
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="考核台帐: validate the ledgers, score and rank the communities, build output/. "
        "Without a command, runs 'build'.",
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


def print_diagnostics(diagnostics: Sequence[Diagnostic], as_json: bool) -> None:
    if as_json:
        print(diagnostics_json(diagnostics))
        return
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def describe_status(results: Results) -> str:
    status = "final (已审定)" if results.final else "draft (草稿)"
    return f"{results.year}: {len(results.communities)} communities, results {status}; results_sha256: {results.sha256}"


def shout_if_changed_after_approval(results: Results, root: Path) -> None:
    if not results.finality.mismatch:
        return
    bar = "!" * 72
    print(bar, file=sys.stderr)
    print("!! 审定后结果已变动: the results differ from those the 班子会 approved.", file=sys.stderr)
    print("!! Everything is published as 草稿 (draft) until decision.yaml is updated.", file=sys.stderr)
    for line in explain_mismatch(results, root, root / "output"):
        print(f"!! {line}", file=sys.stderr)
    print(bar, file=sys.stderr)


def checked(args: argparse.Namespace) -> Outcome:
    """Load, validate and score the working tree's content."""
    return run(WorkingTree(args.root))


def command_check(args: argparse.Namespace) -> int:
    outcome = checked(args)
    print_diagnostics(outcome.diagnostics, args.json)
    if has_errors(outcome.diagnostics) or outcome.results is None:
        return EXIT_CONTENT
    if not args.json:
        shout_if_changed_after_approval(outcome.results, args.root)
        print(describe_status(outcome.results))
    return EXIT_OK


def command_build(args: argparse.Namespace) -> int:
    outcome = checked(args)
    print_diagnostics(outcome.diagnostics, args.json)
    if has_errors(outcome.diagnostics) or outcome.results is None:
        print("build stopped: content errors; output/ left as it was", file=sys.stderr)
        return EXIT_CONTENT
    results = outcome.results
    if not args.json:
        shout_if_changed_after_approval(results, args.root)
    env = RenderEnv(
        project_root=args.root,
        templates_dir=TOOL_ROOT / "templates",
        source_date_epoch=source_date_epoch(),
        progress=sys.stderr.isatty(),
    )
    try:
        build_output(results, args.root / "output", renderers(), env)
    except BuildError as exc:
        print(f"error: {exc}; output/ left as it was", file=sys.stderr)
        return EXIT_CONTENT
    if not args.json:
        print(describe_status(results))
        print(f"wrote {args.root / 'output'}")
    return EXIT_OK


COMMANDS: list[Command] = [
    Command(
        "build",
        "check, then build output/ (the default)",
        "Check the content, then build output/: results.json, the site and the PDF notices. "
        "On content errors nothing is written and output/ stays as it was.",
        command_build,
    ),
    Command(
        "check",
        "validate everything, build nothing",
        "Validate every content file and print all problems as path:line:col: error: message.",
        command_check,
    ),
    Command("diff", diff.HELP, diff.DESCRIPTION, diff.run_diff, diff.add_arguments),
    Command("fmt", fmt.HELP, fmt.DESCRIPTION, fmt.run_fmt, fmt.add_arguments),
    Command("archive", archive.HELP, archive.DESCRIPTION, archive.run_archive, archive.add_arguments),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser(COMMANDS)
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    if not (args.root / "content").is_dir():
        parser.error(f"no content/ folder in {args.root} (use --root)")
    by_name = {command.name: command for command in COMMANDS}
    return by_name[args.command or "build"].run(args)
