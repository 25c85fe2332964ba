"""``archive``: write ``content/history/<year>.yaml`` (FORMAT.md §5) from final results.

Next year's measures read it back to count streaks of last places (连续排名最末),
so it records who held each role: the 书记 overall and the 分管工作人员 of each
top-level category's line. Only final results (FORMAT.md §6) are archived, and
an existing, different file is replaced only with ``--force``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kaohe.actions.fmt import write_atomically
from kaohe.content.canonical import canonical_text, dump_round_trip
from kaohe.content.load import load_rubric
from kaohe.content.overlay import NotUtf8, Overlay, Utf8Only
from kaohe.content.schema import HISTORY_DIR
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic, has_errors
from kaohe.numbers import two_places
from kaohe.pipeline import run
from kaohe.render.vocab import draft_reason_en
from kaohe.scoring.results import CommunityResult, Results


def history_path(year: int) -> str:
    return f"{HISTORY_DIR}/{year}.yaml"


def history_yaml(results: Results) -> str:
    """The history file for ``results``, in canonical form."""
    document = CommentedMap()
    document["year"] = results.year
    rows = CommentedSeq()
    for community in results.communities:
        rows.append(history_row(results, community))
    document["communities"] = rows
    header = "".join(f"# {line}\n" for line in header_lines(results))
    return canonical_text(history_path(results.year), header + "\n" + dump_round_trip(document))


def header_lines(results: Results) -> list[str]:
    approval = results.approval
    lines = [f"{results.year}年度考核结果（已审定），由 build.py archive 根据班子会审定的结果写入，请勿手工修改。"]
    if approval is not None:
        lines.append(f"班子会 {approval.meeting.isoformat()}，{approval.minutes}；results_sha256: {results.sha256}")
    if results.content.sample:
        lines.append("示例数据 — fictional communities and people.")
    return lines


def history_row(results: Results, community: CommunityResult) -> CommentedMap:
    person = community.score.community
    row = CommentedMap()
    row["id"] = community.id
    row["name"] = community.name
    row["total"] = two_places(community.total)
    row["rank"] = community.rank
    row["vetoed"] = community.vetoed
    row["secretary"] = person.secretary
    categories = CommentedMap()
    for top in results.rubric.indicators:
        result = community.categories[top.id]
        category = CommentedMap()
        category["score"] = two_places(result.score)
        category["rank"] = result.rank
        staff = person.staff.get(top.line, "")
        if staff:
            category["staff"] = staff
        category.fa.set_flow_style()
        categories[top.id] = category
    row["categories"] = categories
    return row


def current_year(root: Path) -> int | None:
    rubric = load_rubric(WorkingTree(root), [])
    return rubric.year if rubric is not None else None


class ArchiveStatus(StrEnum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"  # the file already holds exactly these results
    EXISTS = "exists"  # a different file is there and --force was not given
    DRAFT = "draft"  # the results are not final: nothing to archive
    FAILED = "failed"  # the content has errors, or a file is not UTF-8


@dataclass(frozen=True)
class ArchiveResult:
    status: ArchiveStatus
    path: str = ""  # content/history/<year>.yaml
    year: int | None = None
    communities: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()
    draft_reasons: tuple[str, ...] = ()
    problem: str = ""  # why nothing was written, in a sentence

    @property
    def ok(self) -> bool:
        return self.status in (ArchiveStatus.WRITTEN, ArchiveStatus.UNCHANGED)

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "path": self.path,
            "year": self.year,
            "diagnostics": [d.as_json() for d in self.diagnostics],
            "draft_reasons": list(self.draft_reasons),
            "problem": self.problem,
        }


def archive(root: Path, force: bool = False) -> ArchiveResult:
    """Write ``content/history/<year>.yaml`` from the final results of the project at ``root``."""
    year = current_year(root)
    hidden = [history_path(year)] if year is not None else []  # this year's archive is output, not input
    try:
        outcome = run(Overlay(Utf8Only(WorkingTree(root)), {}, hidden))
    except NotUtf8 as exc:
        return ArchiveResult(ArchiveStatus.FAILED, year=year, problem=str(exc))
    if has_errors(outcome.diagnostics) or outcome.results is None:
        errors = tuple(d for d in outcome.diagnostics if d.is_error)
        return ArchiveResult(ArchiveStatus.FAILED, year=year, diagnostics=errors, problem="the content has errors")
    results = outcome.results
    relpath = history_path(results.year)
    if not results.final:
        reasons = tuple(draft_reason_en(d) for d in results.finality.drafts)
        problem = f"the {results.year} results are not final (草稿), so there is nothing to archive yet"
        return ArchiveResult(ArchiveStatus.DRAFT, relpath, results.year, draft_reasons=reasons, problem=problem)
    status = write_history(root, results, force)
    problem = (
        f"{relpath} already exists and differs from the final results; nothing written. Use --force to replace it."
        if status is ArchiveStatus.EXISTS
        else ""
    )
    return ArchiveResult(status, relpath, results.year, len(results.communities), problem=problem)


def write_history(root: Path, results: Results, force: bool) -> ArchiveStatus:
    """Write the history file, unless it holds these results already or differs and ``force`` is not given."""
    relpath = history_path(results.year)
    path = root / relpath
    text = history_yaml(results)
    if path.is_file():
        if path.read_text(encoding="utf-8") == text:
            return ArchiveStatus.UNCHANGED
        if not force:
            return ArchiveStatus.EXISTS
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
    return ArchiveStatus.WRITTEN
