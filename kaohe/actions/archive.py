"""``build.py archive``: write ``content/history/<year>.yaml`` (FORMAT.md §5) from final results.

Next year's measures read it back to count streaks of last places (连续排名最末),
so it records who held each role: the 书记 overall and the 分管工作人员 of each
top-level category's line. Only final results (FORMAT.md §6) are archived, and
an existing, different file is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kaohe.actions.fmt import write_atomically
from kaohe.cli.console import EXIT_FAILED, EXIT_OK, print_diagnostics
from kaohe.content.canonical import canonical_text, dump_round_trip
from kaohe.content.load import HISTORY_DIR, load_rubric
from kaohe.content.overlay import NotUtf8, Overlay, Utf8Only
from kaohe.content.source import WorkingTree
from kaohe.errors import has_errors
from kaohe.pipeline import run
from kaohe.scoring.results import CommunityResult, Results, fmt_decimal

HELP = "write content/history/<year>.yaml from final results"
DESCRIPTION = (
    "When the results are final (content/decision.yaml approves them and every ledger is reviewed), "
    "write content/history/<year>.yaml so that next year's measures can count consecutive last places (commit it with next year's rubric). "
    "Refuses while the results are a draft. An existing file that differs is replaced only with --force."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace an existing history file that differs")


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
    decision = results.content.decision
    lines = [f"{results.year}年度考核结果（已审定），由 build.py archive 根据班子会审定的结果写入，请勿手工修改。"]
    if decision is not None:
        lines.append(f"班子会 {decision.meeting.isoformat()}，{decision.minutes}；results_sha256: {results.sha256}")
    if results.content.sample:
        lines.append("示例数据 — fictional communities and people.")
    return lines


def history_row(results: Results, community: CommunityResult) -> CommentedMap:
    person = community.score.community
    row = CommentedMap()
    row["id"] = community.id
    row["name"] = community.name
    row["total"] = fmt_decimal(community.total)
    row["rank"] = community.rank
    row["vetoed"] = community.vetoed
    row["secretary"] = person.secretary
    categories = CommentedMap()
    for top in results.rubric.indicators:
        result = community.categories[top.id]
        category = CommentedMap()
        category["score"] = fmt_decimal(result.score)
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


def run_archive(args: argparse.Namespace) -> int:
    year = current_year(args.root)
    hidden = [history_path(year)] if year is not None else []  # this year's archive is output, not input
    try:
        outcome = run(Overlay(Utf8Only(WorkingTree(args.root)), {}, hidden))
    except NotUtf8 as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if has_errors(outcome.diagnostics) or outcome.results is None:
        print_diagnostics([d for d in outcome.diagnostics if d.is_error])
        print("archive: nothing written: the content has errors", file=sys.stderr)
        return EXIT_FAILED
    results = outcome.results
    if not results.final:
        return refuse_draft(results)
    status = write_history(args.root, results, args.force)
    if status is None:
        return EXIT_FAILED
    relpath = history_path(results.year)
    if args.json:
        print(json.dumps({"path": relpath, "status": status, "year": results.year}, ensure_ascii=False))
    elif status == "unchanged":
        print(f"{relpath} is already up to date")
    else:
        print(f"wrote {relpath} ({len(results.communities)} communities)")
        print(f"Commit it: the measures of {results.year + 1} count consecutive last places from it.")
    return EXIT_OK


def refuse_draft(results: Results) -> int:
    print(
        f"archive: the {results.year} results are not final (草稿), so there is nothing to archive yet:",
        file=sys.stderr,
    )
    for reason in results.finality.reasons:
        print(f"  - {reason}", file=sys.stderr)
    print(
        "Results are final when content/decision.yaml records the 班子会 approval with the results_sha256 "
        "that 'python build.py check' prints, and every ledger has its review (审核).",
        file=sys.stderr,
    )
    return EXIT_FAILED


def write_history(root: Path, results: Results, force: bool) -> str | None:
    """Write the history file: ``"written"`` or ``"unchanged"``, or ``None`` when refused (said why)."""
    relpath = history_path(results.year)
    path = root / relpath
    text = history_yaml(results)
    if path.is_file():
        if path.read_text(encoding="utf-8") == text:
            return "unchanged"
        if not force:
            print(
                f"archive: {relpath} already exists and differs from the final results; nothing written. "
                "Use --force to replace it.",
                file=sys.stderr,
            )
            return None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
    return "written"
