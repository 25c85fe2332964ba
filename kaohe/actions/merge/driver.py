"""``merge-driver %O %A %B %P``: git's merge of a ledger, entry by entry; ``merge-driver --install`` sets it up.

git calls the driver for every path whose attribute is ``merge=kaohe-ledger`` (``.gitattributes``)
with the base (``%O``), ours (``%A``, where the result goes), theirs (``%B``) and the file's path
(``%P``). The driver writes the result into ``%A``; a non-zero exit tells git the file conflicts.

When a version does not parse (or is not laid out as a ledger), the file is merged line by line
with ``git merge-file``, as git would have, and the exit is non-zero whatever that merge found,
so that a person looks at the file; the result says which version and why.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kaohe.actions.errors import UsageError
from kaohe.actions.merge.pieces import Unmergeable, cut
from kaohe.actions.merge.three_way import ConflictAt, merge
from kaohe.content.canonical import CannotFormat, NotYaml, canonical_text
from kaohe.content.schema import LEDGER_DIR, SUFFIX, file_shape
from kaohe.content.source import NotUtf8Error, decode_utf8
from kaohe.git import Git, GitError

DRIVER = "kaohe-ledger"  # the name in .gitattributes and in git's configuration
ATTRIBUTE = f"{LEDGER_DIR}/*{SUFFIX} merge={DRIVER}"  # the .gitattributes line, relative to the project folder
DRIVER_NAME = "考核台帐: ledgers merged entry by entry"
SIDES = ("ours", "base", "theirs")  # the labels on git merge-file's conflict markers, in its order


@dataclass(frozen=True)
class MergeResult:
    """What the driver did with one file.

    ``how`` is ``entries`` (merged entry by entry) or ``lines`` (by ``git merge-file``); ``unmergeable``
    says why a ledger was merged by lines; ``conflicts`` are those of an entry-by-entry merge and
    ``line_conflicts`` the number ``git merge-file`` left. ``error`` is set when nothing could be written.
    """

    path: str
    how: str
    conflicts: tuple[ConflictAt, ...] = ()
    line_conflicts: int = 0
    unmergeable: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.conflicts or self.line_conflicts or self.unmergeable or self.error)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "how": self.how,
            "conflicts": [{"line": c.line, "what": c.what} for c in self.conflicts],
            "line_conflicts": self.line_conflicts,
            "unmergeable": self.unmergeable,
            "error": self.error,
        }


def project_path(path: str) -> str:
    """``%P`` (relative to the repository's top) as a path relative to the project folder, when it lies in one.

    ``sub/content/ledgers/party.yaml`` → ``content/ledgers/party.yaml``; other paths stay as they are.
    """
    parts = PurePosixPath(path).parts
    tails = ("/".join(parts[i:]) for i in range(len(parts)))
    return next((tail for tail in tails if file_shape(tail) is not None), path)


def read_version(file: Path, relpath: str) -> str:
    try:
        return decode_utf8(relpath, file.read_bytes())
    except OSError as exc:
        raise UsageError(f"merge-driver: cannot read {file}: {exc.strerror or exc}") from None


def merge_driver(base: Path, ours: Path, theirs: Path, path: str) -> MergeResult:
    """Merge the three versions of the file at ``path`` into ``ours``; see the module's docstring.

    :class:`~kaohe.actions.errors.UsageError` when a version cannot be read.
    """
    relpath = project_path(path)
    files = dict(zip(SIDES, (ours, base, theirs), strict=True))
    if file_shape(relpath) != "ledger":
        return by_lines(files, relpath, "")
    pieces = {}
    for side, file in files.items():
        try:
            pieces[side] = cut(relpath, read_version(file, relpath))
        except NotUtf8Error as exc:
            return by_lines(files, relpath, f"{side}: {relpath}:{exc.line}:{exc.col}: not UTF-8 text")
        except Unmergeable as exc:
            return by_lines(files, relpath, f"{side}: {exc}")
    merged = merge(pieces["base"], pieces["ours"], pieces["theirs"])
    if merged.conflicts:
        ours.write_bytes(merged.text.encode("utf-8"))
        return MergeResult(relpath, "entries", merged.conflicts)
    try:
        text = canonical_text(relpath, merged.text)
    except (NotYaml, CannotFormat):
        return by_lines(files, relpath, "the ledger merged entry by entry would not read back")
    ours.write_bytes(text.encode("utf-8"))
    return MergeResult(relpath, "entries")


def by_lines(files: dict[str, Path], relpath: str, unmergeable: str) -> MergeResult:
    """``git merge-file`` of the three versions into ours, conflict markers and all."""
    try:
        merged, conflicts = Git(files["ours"].parent).merge_file(files["ours"], files["base"], files["theirs"], SIDES)
    except GitError as exc:
        return MergeResult(relpath, "lines", unmergeable=unmergeable, error=str(exc))
    files["ours"].write_bytes(merged)
    return MergeResult(relpath, "lines", line_conflicts=conflicts, unmergeable=unmergeable)


# --- setting it up ----------------------------------------------------------------------


@dataclass(frozen=True)
class InstallResult:
    """The driver command configured in the clone, and whether ``.gitattributes`` needed the line added."""

    command: str
    attributes: Path
    added_attribute: bool
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def as_json(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "attributes": str(self.attributes),
            "added_attribute": self.added_attribute,
            "error": self.error,
        }


def driver_command(python: str, build_py: Path, root: Path) -> str:
    """The shell command git runs, with absolute paths so that it works from any folder of the clone."""
    quoted = " ".join(shlex.quote(str(part)) for part in (python, build_py, "--root", root))
    return f"{quoted} merge-driver %O %A %B %P"


def install(root: Path, python: str, build_py: Path) -> InstallResult:
    """Configure the driver in the clone holding ``root`` and make sure ``.gitattributes`` names it.

    :class:`~kaohe.actions.errors.UsageError` when ``root`` is not in a git repository.
    """
    git = Git(root)
    if not git.is_work_tree():
        raise UsageError(f"merge-driver: {root} is not inside a git repository")
    command = driver_command(python, build_py, root)
    attributes = root / ".gitattributes"
    try:
        git.run("config", f"merge.{DRIVER}.name", DRIVER_NAME)
        git.run("config", f"merge.{DRIVER}.driver", command)
    except GitError as exc:
        return InstallResult(command, attributes, False, str(exc))
    return InstallResult(command, attributes, add_attribute(attributes))


def add_attribute(attributes: Path) -> bool:
    """Append :data:`ATTRIBUTE` to the ``.gitattributes`` file unless a line says it already; whether it did."""
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTE in (line.strip() for line in text.splitlines()):
        return False
    separator = "" if not text or text.endswith("\n") else "\n"
    attributes.write_text(f"{text}{separator}{ATTRIBUTE}\n", encoding="utf-8")
    return True
