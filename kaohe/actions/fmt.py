"""``fmt [--check] [FILES]``: rewrite content files in canonical form, comments kept.

Safety first, in this order:

1. every file must read as YAML;
2. the content must pass ``check`` (a file that does not validate is never written);
3. each rewritten file must say exactly what it said before (same data, every comment kept);
4. the results computed from the rewritten files must be identical to those from the originals.

Only then are the files replaced, each atomically. ``--check`` writes nothing: it
exits 1 and names the files that are not canonical.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaohe.actions.errors import UsageError
from kaohe.content.canonical import CannotFormat, NotYaml, canonical_text, comment_lines, same_data
from kaohe.content.overlay import NotUtf8, Overlay, Utf8Only
from kaohe.content.schema import FILES, SUFFIX, file_patterns, file_shape
from kaohe.content.source import WorkingTree
from kaohe.content.yamlnodes import conflict_markers, parse_yaml
from kaohe.errors import Diagnostic, Pos, error, has_errors
from kaohe.pipeline import Outcome, run
from kaohe.scoring.results import results_dict


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
    """Every content file of the project (FORMAT.md §1), in the order of :data:`~kaohe.content.schema.FILES`."""
    tree = WorkingTree(root)
    found: list[str] = []
    for kind in FILES:
        if kind.path is not None:
            found += [kind.path] if (root / kind.path).is_file() else []
        elif kind.folder is not None:
            found += tree.list_files(kind.folder, SUFFIX)
    return found


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
            raise UsageError(f"fmt: {name} is not a content file ({file_patterns()})")
        if not path.is_file():
            raise UsageError(f"fmt: {name} does not exist")
        chosen.append(relpath)
    return list(dict.fromkeys(chosen))


# --- formatting one file ----------------------------------------------------------------


CANNOT_REWRITE = "fmt cannot rewrite this file without changing its data or comments; it is left as it is"


def format_text(relpath: str, text: str, verify: bool = True) -> Formatted:
    """Format one file's text; with ``verify``, refuse any result that would change its data or lose a comment."""
    markers = conflict_markers(relpath, text)
    if markers:
        return Formatted(relpath, text, None, one_for_markers(markers))
    _root, problems = parse_yaml(relpath, text)  # check's parser and its bounds first: fmt reads nothing it refuses
    if any(problem.is_error for problem in problems):
        return Formatted(relpath, text, None, next(p for p in problems if p.is_error))
    try:
        after = canonical_text(relpath, text)
        if (
            verify
            and after != text
            and not (same_data(relpath, text, after) and comment_lines(text) == comment_lines(after))
        ):
            return Formatted(relpath, text, None, error(Pos(relpath), CANNOT_REWRITE))
    except NotYaml:  # also text the round trip reads but check's parser does not
        _root, problems = parse_yaml(relpath, text)
        problem = problems[0] if problems else error(Pos(relpath), "malformed YAML")
        return Formatted(relpath, text, None, problem)
    except CannotFormat:
        return Formatted(relpath, text, None, error(Pos(relpath), CANNOT_REWRITE))
    return Formatted(relpath, text, after)


def one_for_markers(markers: list[Diagnostic]) -> Diagnostic:
    """A file's merge conflict markers as one diagnostic: at the first, naming the lines of the others."""
    first, *others = markers
    if not others:
        return first
    lines = ", ".join(str(marker.pos.line) for marker in others)
    return error(first.pos, f"{first.message} (more markers at lines {lines})")


def format_file(root: Path, relpath: str, verify: bool = True) -> Formatted:
    raw = (root / relpath).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = error(Pos(relpath), f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        return Formatted(relpath, "", None, problem)
    return format_text(relpath, text, verify)


# --- the command ------------------------------------------------------------------------


@dataclass(frozen=True)
class FmtResult:
    """What ``fmt`` found and did: every file looked at, the ones rewritten, and why nothing was, if so."""

    check_only: bool
    files: tuple[Formatted, ...] = ()
    rewritten: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    refusal: str = ""  # why nothing was rewritten

    @property
    def not_canonical(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files if f.changed)

    @property
    def ok(self) -> bool:
        if self.diagnostics or self.refusal:
            return False
        return not (self.check_only and self.not_canonical)

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check_only,
            "files": len(self.files),
            "not_canonical": list(self.not_canonical) if self.check_only else [],
            "rewritten": list(self.rewritten),
            "diagnostics": [d.as_json() for d in self.diagnostics],
            "refusal": self.refusal,
        }


def fmt(root: Path, files: list[Path], check_only: bool = False) -> FmtResult:
    """Format the named content files (default: all) of the project at ``root``; ``check_only`` writes nothing.

    :class:`~kaohe.actions.errors.UsageError` when a named file is not a content file of the project.
    """
    paths = selected_files(root, files)
    formatted = tuple(format_file(root, path, verify=not check_only) for path in paths)  # --check writes nothing
    problems = tuple(f.problem for f in formatted if f.problem is not None)
    if check_only or problems:
        return FmtResult(
            check_only,
            formatted,
            diagnostics=problems,
            refusal="fix the problems above first" if problems and not check_only else "",
        )
    return rewrite(root, formatted)


def rewrite(root: Path, formatted: tuple[Formatted, ...]) -> FmtResult:
    """Replace the files whose canonical form differs, if the content checks and the results stay the same."""
    try:
        before = run(Utf8Only(WorkingTree(root)))
    except NotUtf8 as exc:
        return FmtResult(False, formatted, refusal=str(exc))
    if has_errors(before.diagnostics) or before.results is None:
        errors = tuple(d for d in before.diagnostics if d.is_error)
        return FmtResult(
            False,
            formatted,
            diagnostics=errors,
            refusal="the content has errors; fix them first (python build.py check)",
        )
    replaced = {f.path: f.after for f in formatted if f.changed and f.after is not None}
    if replaced and not same_results(before, run(Overlay(Utf8Only(WorkingTree(root)), replaced))):
        return FmtResult(False, formatted, refusal="the rewritten files would not give the same results")
    for path, text in replaced.items():
        write_atomically(root / path, text)
    return FmtResult(False, formatted, rewritten=tuple(replaced))


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
