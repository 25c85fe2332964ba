"""``build.py diff``: exact Markdown for commits that add, remove and edit entries, change the rubric, add a veto.

Every test builds a git repository from a copy of the sample year, commits a
change and compares the whole output with the text expected from the results
each side computes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gitflow_support import (
    Deduction,
    GitProject,
    append_entry,
    deductions,
    diff_text,
    entries_section,
    ledger_path,
    results_section,
    status_sections,
    totals_table,
    veto_rules,
    warnings_sections,
)

from kaohe.cli.main import main
from kaohe.content.model import Entry
from kaohe.scoring.results import Results
from kaohe.scoring.score import EffectKind

NOTE = "年底检查发现问题"

pytestmark = pytest.mark.slow  # each test runs the whole pipeline several times on the sample year


def diff(capsys: pytest.CaptureFixture[str], project: GitProject, *args: str) -> str:
    capsys.readouterr()
    code = main(["--root", str(project.root), "diff", *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def line_name(results: Results, line: str) -> str:
    return {item.id: item.name for item in results.rubric.lines}[line]


def last_day(results: Results) -> str:
    return results.rubric.period_to.isoformat()


def add_deduction(project: GitProject, pick: Deduction, results: Results) -> str:
    """Append an entry citing ``pick``; returns its row in the entries table."""
    lineno = append_entry(
        project,
        pick.leaf.line,
        {"date": last_day(results), "community": pick.community, "rule": pick.rule.full_id, "note": NOTE},
    )
    assert pick.rule.per is not None
    cells = [
        "新增 added", f"`{ledger_path(pick.leaf.line)}:{lineno}`", last_day(results), line_name(results, pick.leaf.line),
        results.community(pick.community).name, f"`{pick.rule.full_id}` {pick.rule.text}", "1次", f"−{pick.rule.per:.2f}",
        NOTE,
    ]  # fmt: skip  # a per-occurrence rule without a count counts once: 1次
    return "| " + " | ".join(cells) + " |"


def warnings(project: GitProject, base: str, head: str | None = None) -> list[str]:
    """The expected warnings section of the diff from ``base`` to ``head`` (the working tree when None)."""
    return warnings_sections(project.outcome(base), project.outcome(head), f"`{base}`")


def test_an_added_entry_shows_its_points_and_every_community_it_moves(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    pick = next(deductions(old))
    row = add_deduction(project, pick, old)
    head = project.commit("add an entry")
    new = project.results()
    assert pick.rule.per is not None
    assert new.community(pick.community).total == old.community(pick.community).total - pick.rule.per

    expected = diff_text(
        f"`{base}`",
        f"`{head}`",
        *warnings(project, base, head),
        results_section(old, new),
        entries_section((1, 0, 0), [row]),
        *status_sections(old, new, {ledger_path(pick.leaf.line): 1}),
    )
    assert diff(capsys, project, base, head) == expected
    assert f"| {old.community(pick.community).name} |" in expected


def per_rule_entries(results: Results) -> list[tuple[Entry, str]]:
    """Entries citing a plain per-occurrence rule, each with its points as the diff shows them."""
    found = []
    for community in results.communities:
        for leaf in community.score.leaves.values():
            for effect in leaf.effects:
                if effect.kind is EffectKind.DEDUCT and effect.rule is not None and effect.rule.per is not None:
                    found.append((effect.entry, f"−{effect.points:.2f}"))
    return sorted(found, key=lambda pair: (pair[0].pos.path, pair[0].pos.line))


def entry_lines(project: GitProject, entry: Entry) -> tuple[int, int]:
    """The 1-based first line of ``entry`` and the first line after it (the next entry, or the end)."""
    lines = project.read(entry.pos.path).splitlines()
    end = entry.pos.line
    while end < len(lines) and not lines[end].lstrip().startswith("- "):
        end += 1
    return entry.pos.line, end + 1


def test_a_removed_entry_is_matched_by_content_not_by_line_number(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    entry, points = per_rule_entries(old)[0]
    first, after = entry_lines(project, entry)
    lines = project.read(entry.pos.path).splitlines(keepends=True)
    assert after <= len(lines), "an entry with entries below it, so that their line numbers shift"
    project.write(entry.pos.path, "".join(lines[: first - 1] + lines[after - 1 :]))
    head = project.commit("remove an entry")
    new = project.results()

    names = {c.id: c.name for c in old.content.communities}
    rule_text = old.rubric.rule_index()[entry.cites][1].text
    cells = [
        "删除 removed", f"`{entry.pos.path}:{entry.pos.line}`", entry.date.isoformat(), line_name(old, entry.line),
        names[entry.community], f"`{entry.cites}` {rule_text}", f"{entry.count or 1}次", points, entry.note,
    ]  # fmt: skip
    row = "| " + " | ".join(cells) + " |"
    expected = diff_text(
        f"`{base}`",
        f"`{head}`",
        *warnings(project, base, head),
        results_section(old, new),
        entries_section((0, 1, 0), [row]),
        *status_sections(old, new, {entry.pos.path: 1}),
    )
    assert diff(capsys, project, base, head) == expected


def test_an_edited_count_shows_old_and_new_points(project: GitProject, capsys: pytest.CaptureFixture[str]) -> None:
    base, old = project.short("HEAD"), project.base
    entry, points = next((e, p) for e, p in per_rule_entries(old) if e.count is None)
    rule = old.rubric.rule_index()[entry.cites][1]
    assert rule.per is not None
    lines = project.read(entry.pos.path).splitlines(keepends=True)
    rule_line = entry.at("rule").line
    lines.insert(rule_line, "    count: 2\n")
    project.write(entry.pos.path, "".join(lines))
    head = project.commit("count 2")
    new = project.results()

    names = {c.id: c.name for c in old.content.communities}
    cells = [
        "修改 changed", f"`{entry.pos.path}:{entry.pos.line}`", entry.date.isoformat(), line_name(old, entry.line),
        names[entry.community], f"`{entry.cites}` {rule.text}", "1次 → 2次", f"{points} → −{2 * rule.per:.2f}",
        "count: 1 → 2",  # no count is one
    ]  # fmt: skip
    row = "| " + " | ".join(cells) + " |"
    expected = diff_text(
        f"`{base}`",
        f"`{head}`",
        *warnings(project, base, head),
        results_section(old, new),
        entries_section((0, 0, 1), [row]),
        *status_sections(old, new, {entry.pos.path: 1}),
    )
    assert diff(capsys, project, base, head) == expected


def most_cited_rule(results: Results) -> tuple[str, str]:
    """The per-occurrence rule most entries cite, and its ``per`` as written."""
    counts: dict[str, int] = {}
    for entry, _points in per_rule_entries(results):
        counts[entry.cites] = counts.get(entry.cites, 0) + 1
    rule_id = max(counts, key=lambda r: (counts[r], r))
    per = results.rubric.rule_index()[rule_id][1].per
    assert per is not None
    return rule_id, format(per.normalize(), "f")


def double_per(project: GitProject, results: Results, rule_id: str) -> tuple[str, str]:
    """Double the ``per`` of a rule in rubric.yaml; returns the old and new values as the rubric shows them."""
    rule = results.rubric.rule_index()[rule_id][1]
    assert rule.per is not None
    lines = project.read("content/rubric.yaml").splitlines(keepends=True)
    at = rule.at("per").line - 1
    new_per = format((rule.per * 2).normalize(), "f")
    lines[at], count = re.subn(r"per: [0-9.]+", f"per: {new_per}", lines[at], count=1)
    assert count == 1
    project.write("content/rubric.yaml", "".join(lines))
    return format(rule.per.normalize(), "f"), new_per


def test_a_rubric_change_lists_the_rule_and_the_communities_it_moves(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    rule_id, _per = most_cited_rule(old)
    was, now = double_per(project, old, rule_id)
    head = project.commit("double a rule")
    new = project.results()
    assert totals_table(old, new).count("\n") > 1, "the rule is cited, so some community moves"

    rubric = (
        "### 细则 · Rubric\n\n"
        f"- 修改 changed 扣分标准 rule `{rule_id}`: per {was} → {now}\n\n"
        "台帐等其他内容未变，上面的结果变动全部来自细则变动 · Nothing else changed: the results above show the rubric change's effect."
    )
    expected = diff_text(
        f"`{base}`",
        f"`{head}`",
        *warnings(project, base, head),
        results_section(old, new),
        rubric,
        *status_sections(old, new),
    )
    assert diff(capsys, project, base, head) == expected


def test_a_rubric_change_with_ledger_changes_shows_the_rubric_change_alone(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    rule_id, _per = most_cited_rule(old)
    was, now = double_per(project, old, rule_id)
    rubric_alone = project.results()  # the new rubric on the old ledgers
    pick = next(d for d in deductions(old) if d.rule.full_id != rule_id)
    row = add_deduction(project, pick, old)
    head = project.commit("double a rule and add an entry")
    new = project.results()

    what_if = (
        f"**只改细则的影响 · The rubric change alone**（新细则用于 `{base}` 的台帐 · the new rubric on the ledgers of `{base}`）:"
        f"\n\n{totals_table(old, rubric_alone)}"
    )
    rubric = f"### 细则 · Rubric\n\n- 修改 changed 扣分标准 rule `{rule_id}`: per {was} → {now}\n\n{what_if}"
    expected = diff_text(
        f"`{base}`",
        f"`{head}`",
        *warnings(project, base, head),
        results_section(old, new),
        entries_section((1, 0, 0), [row]),
        rubric,
        *status_sections(old, new, {ledger_path(pick.leaf.line): 1}),
    )
    assert diff(capsys, project, base, head) == expected


def test_a_veto_takes_the_award_and_the_next_communities_move_up(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    top = next(c for c in old.communities if c.granted.name is not None and not c.vetoed)
    leaf, rule = next(veto_rules(old))
    note = "发生重大事件，一票否决"
    lineno = append_entry(
        project, leaf.line, {"date": last_day(old), "community": top.id, "rule": rule.full_id, "note": note}
    )
    head = project.commit("veto")
    new = project.results()
    assert new.community(top.id).vetoed and new.community(top.id).granted.name is None

    points = "一票否决" + (f"（−{rule.per:.2f}）" if rule.per else "")
    veto = f"- 新增 added: {top.name} — `{rule.full_id}` {rule.text}（{line_name(old, leaf.line)}，{last_day(old)}）：{note}"
    cells = [
        "新增 added", f"`{ledger_path(leaf.line)}:{lineno}`", last_day(old), line_name(old, leaf.line), top.name,
        f"`{rule.full_id}` {rule.text}", "1次" if rule.takes_count else "—", points, note,
    ]  # fmt: skip
    entries = entries_section((1, 0, 0), ["| " + " | ".join(cells) + " |"])
    expected = diff_text(
        f"`{base}`",
        f"`{head}`",
        *warnings(project, base, head),
        results_section(old, new, (veto,)),
        entries,
        *status_sections(old, new, {ledger_path(leaf.line): 1}),
    )
    assert diff(capsys, project, base, head) == expected
    assert f"| {top.name}（一票否决） |" in expected, "the vetoed community is marked"
    assert "目标管理" in results_section(old, new), "the awards move"


def test_a_change_that_moves_nothing_is_one_line(project: GitProject, capsys: pytest.CaptureFixture[str]) -> None:
    base = project.short("HEAD")
    path = project.base.content.ledgers[0].path
    project.write(path, "# 一条新注释，不改变任何内容\n" + project.read(path))
    head = project.commit("comment only")

    expected = (
        f"考核台帐无变动 · No change between `{base}` and `{head}`: the same rubric, ledger entries and results.\n"
    )
    assert diff(capsys, project, base, head) == expected


def test_content_errors_are_reported_with_their_diagnostics(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    line = old.rubric.lines[0]
    lineno = append_entry(
        project,
        line.id,
        {"date": last_day(old), "community": old.communities[0].id, "rule": "no.such.rule", "note": NOTE},
    )
    head = project.commit("a broken entry")
    errors = [str(d) for d in project.outcome().diagnostics if d.is_error]
    assert errors and all(ledger_path(line.id) in e for e in errors)

    cells = [
        "新增 added", f"`{ledger_path(line.id)}:{lineno}`", last_day(old), line.name, old.communities[0].name,
        "`no.such.rule`", "—", "—", NOTE,
    ]  # fmt: skip
    problems = (
        "### 内容错误 · Content errors\n\n"
        f"`{head}` 有内容错误，无法计算结果 · has content errors, so its results cannot be computed:\n\n"
        "```text\n" + "\n".join(errors) + "\n```"
    )
    entries = entries_section((1, 0, 0), ["| " + " | ".join(cells) + " |"])
    # the ledger still carries its review: the new entry is flagged as an edit after it
    stale = status_sections(old, old, {ledger_path(line.id): 1})
    expected = diff_text(f"`{base}`", f"`{head}`", problems, *warnings(project, base, head), entries, *stale)
    assert diff(capsys, project, base, head) == expected


def test_without_revisions_it_compares_the_working_tree_with_the_merge_base_and_checks_nothing_out(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    picks = deductions(old)
    project.git("checkout", "-q", "-b", "other")
    add_deduction(project, next(picks), old)
    project.commit("moves main on: must not show")
    project.git("checkout", "-q", "main")
    project.git("checkout", "-q", "-b", "feature")
    first, second = next(picks), next(picks)
    row_committed = add_deduction(project, first, old)
    project.commit("on the feature branch")
    row_uncommitted = add_deduction(project, second, old)
    project.git("branch", "-f", "main", "other")
    status, head = project.git("status", "--porcelain"), project.git("rev-parse", "HEAD")
    new = project.results()

    edited: dict[str, int] = {}
    for pick in (first, second):
        edited[ledger_path(pick.leaf.line)] = edited.get(ledger_path(pick.leaf.line), 0) + 1
    expected = diff_text(
        f"merge base with `main` ({base})",
        "工作区 (working tree)",
        *warnings_sections(project.outcome(base), project.outcome(), f"merge base with `main` ({base})"),
        results_section(old, new),
        entries_section((2, 0, 0), sorted([row_committed, row_uncommitted], key=row_order)),
        *status_sections(old, new, edited),
    )
    assert diff(capsys, project) == expected
    assert project.git("status", "--porcelain") == status and project.git("rev-parse", "HEAD") == head


def row_order(row: str) -> tuple[str, int]:
    where = row.split("`")[1]
    path, line = where.rsplit(":", 1)
    return path, int(line)


def test_a_ledger_that_does_not_load_is_not_compared_rather_than_all_removed(
    project: GitProject, capsys: pytest.CaptureFixture[str]
) -> None:
    base, old = project.short("HEAD"), project.base
    path = ledger_path(old.rubric.lines[0].id)
    broken = "entries:\n  - date：2008-06-30\n    note: 全角冒号\n"  # a syntax error: YAML reads no part of the file
    project.write(path, project.read(path).replace("entries:\n", broken, 1))
    text = diff(capsys, project, base)
    assert "删除 removed" not in text  # before, every entry of the ledger was listed as removed
    assert f"- **未比较 · not compared** `{path}`：在 工作区 (working tree) 中有错误，读不出来" in text
    assert "full-width colon" in text  # the error itself, with its hint, is in the errors section


def test_json_output_carries_the_same_changes(project: GitProject, capsys: pytest.CaptureFixture[str]) -> None:
    base, old = project.short("HEAD"), project.base
    pick = next(deductions(old))
    add_deduction(project, pick, old)
    head = project.commit("add an entry")
    new = project.results()

    data = json.loads(diff(capsys, project, "--json", base, head))
    assert data["changed"] is True
    assert data["old"]["commit"] == project.git("rev-parse", base)
    assert [e["change"] for e in data["entries"]] == ["added"]
    assert data["entries"][0]["new"]["cites"] == pick.rule.full_id
    moved = {m["id"]: m for m in data["results"]["communities"]}
    mine = moved[pick.community]
    assert mine["total"] == [f"{old.community(pick.community).total:.2f}", f"{new.community(pick.community).total:.2f}"]


def test_an_unknown_revision_is_a_usage_error(project: GitProject, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(project.root), "diff", "no-such-branch"])
    assert code == 2
    assert "unknown revision 'no-such-branch'" in capsys.readouterr().err


def test_outside_a_git_repository_it_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content").mkdir()
    code = main(["--root", str(tmp_path), "diff", "HEAD"])
    assert code == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_a_ledger_not_saved_as_utf8_is_named(project: GitProject, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.base.content.ledgers[0].path
    (project.root / path).write_bytes(project.read(path).encode("gb18030"))
    code = main(["--root", str(project.root), "diff", "HEAD"])
    assert code == 1
    assert capsys.readouterr().err == f"diff: {path} is not UTF-8 text; open it in an editor and save it as UTF-8\n"
