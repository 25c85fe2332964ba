"""``build.py fmt [--check] [FILES]``: rewrite content files in canonical form, comments kept.

Safety first, in this order:

1. every file must read as YAML;
2. the content must pass ``check`` (a file that does not validate is never written);
3. each rewritten file must say exactly what it said before (same data, every comment kept);
4. the results computed from the rewritten files must be identical to those from the originals.

Only then are the files replaced, each atomically. ``--check`` writes nothing: it
exits 1 and names the files that are not canonical.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kaohe.cli.console import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, print_diagnostics
from kaohe.content.canonical import NotYaml, canonical_text, comment_lines, file_shape, same_data
from kaohe.content.load import COMMUNITIES_PATH, DECISION_PATH, HISTORY_DIR, LEDGER_DIR, RUBRIC_PATH
from kaohe.content.overlay import NotUtf8, Overlay, Utf8Only
from kaohe.content.source import WorkingTree
from kaohe.content.yamlnodes import parse_yaml
from kaohe.errors import Diagnostic, Pos, error, has_errors
from kaohe.pipeline import Outcome, run
from kaohe.scoring.results import results_dict

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


@dataclass(frozen=True)
class Formatted:
    """One file before and after formatting; ``after`` is ``None`` when it could not be formatted."""

    path: str
    before: str
    after: str | None
    problem: Diagnostic | None = None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before


# --- which files ------------------------------------------------------------------------


def all_content_files(root: Path) -> list[str]:
    tree = WorkingTree(root)
    single = [p for p in (RUBRIC_PATH, COMMUNITIES_PATH, DECISION_PATH) if (root / p).is_file()]
    return single + tree.list_files(LEDGER_DIR) + tree.list_files(HISTORY_DIR)


def selected_files(root: Path, files: list[Path]) -> list[str]:
    """The named files as paths relative to ``root``; every one must be a content file that exists."""
    if not files:
        return all_content_files(root)
    chosen: list[str] = []
    for name in files:
        path = name.resolve()
        try:
            relpath = path.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"fmt: {name} is outside the project folder {root}") from None
        if file_shape(relpath) is None:
            raise UsageError(
                f"fmt: {name} is not a content file (content/rubric.yaml, content/communities.yaml, "
                "content/decision.yaml, content/ledgers/*.yaml, content/history/*.yaml)"
            )
        if not path.is_file():
            raise UsageError(f"fmt: {name} does not exist")
        chosen.append(relpath)
    return list(dict.fromkeys(chosen))


# --- formatting one file ----------------------------------------------------------------


def format_text(relpath: str, text: str, verify: bool = True) -> Formatted:
    """Format one file's text; with ``verify``, refuse any result that would change its data or lose a comment."""
    try:
        after = canonical_text(relpath, text)
    except NotYaml:
        _root, problems = parse_yaml(relpath, text)
        problem = problems[0] if problems else error(Pos(relpath), "malformed YAML")
        return Formatted(relpath, text, None, problem)
    if (
        verify
        and after != text
        and not (same_data(relpath, text, after) and comment_lines(text) == comment_lines(after))
    ):
        message = "fmt cannot rewrite this file without changing its data or comments; it is left as it is"
        return Formatted(relpath, text, None, error(Pos(relpath), message))
    return Formatted(relpath, text, after)


def format_file(root: Path, relpath: str, verify: bool = True) -> Formatted:
    raw = (root / relpath).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = error(Pos(relpath), f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        return Formatted(relpath, "", None, problem)
    return format_text(relpath, text, verify)


# --- the command ------------------------------------------------------------------------


def run_fmt(args: argparse.Namespace) -> int:
    try:
        paths = selected_files(args.root, list(args.files))
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    formatted = [format_file(args.root, path, verify=not args.check) for path in paths]  # --check writes nothing
    problems = [f.problem for f in formatted if f.problem is not None]
    if args.check:
        return report_check(formatted, problems, args.json)
    if problems:
        print_diagnostics(problems)
        print("fmt: nothing rewritten: fix the problems above first", file=sys.stderr)
        return EXIT_FAILED
    return rewrite(args.root, formatted, args.json)


def report_check(formatted: list[Formatted], problems: list[Diagnostic], as_json: bool) -> int:
    unformatted = [f.path for f in formatted if f.changed]
    if as_json:
        payload = {"not_canonical": unformatted, "diagnostics": [p.as_json() for p in problems]}
        print(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print_diagnostics(problems)
        for path in unformatted:
            print(f"{path}: not in canonical form")
        if unformatted:
            print("run 'python build.py fmt' to rewrite them", file=sys.stderr)
        elif not problems:
            print(f"{len(formatted)} files in canonical form")
    return EXIT_FAILED if unformatted or problems else EXIT_OK


def rewrite(root: Path, formatted: list[Formatted], as_json: bool) -> int:
    try:
        before = run(Utf8Only(WorkingTree(root)))
    except NotUtf8 as exc:
        print(f"fmt: nothing rewritten: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if has_errors(before.diagnostics) or before.results is None:
        print_diagnostics([d for d in before.diagnostics if d.is_error])
        print("fmt: nothing rewritten: the content has errors; fix them first (python build.py check)", file=sys.stderr)
        return EXIT_FAILED
    replaced = {f.path: f.after for f in formatted if f.changed and f.after is not None}
    if replaced and not same_results(before, run(Overlay(Utf8Only(WorkingTree(root)), replaced))):
        print("fmt: nothing rewritten: the rewritten files would not give the same results", file=sys.stderr)
        return EXIT_FAILED
    for path, text in replaced.items():
        write_atomically(root / path, text)
    if as_json:
        print(json.dumps({"rewritten": list(replaced)}, ensure_ascii=False, indent=2))
    else:
        for path in replaced:
            print(f"formatted {path}")
        print(f"{len(replaced)} rewritten, {len(formatted) - len(replaced)} already in canonical form")
    return EXIT_OK


def same_results(before: Outcome, after: Outcome) -> bool:
    if has_errors(after.diagnostics) or before.results is None or after.results is None:
        return False
    return results_dict(before.results) == results_dict(after.results)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends), never leaving it half written."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
