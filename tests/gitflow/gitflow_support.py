"""Temporary git repositories holding a copy of the sample project, and the expected diff text.

The expected text is built from the results each side computes (``results_dict``),
never from numbers of the sample year, so the tests hold while the sample changes.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaohe.content.model import Indicator, Rule
from kaohe.content.source import GitRevision, WorkingTree
from kaohe.pipeline import Outcome, run
from kaohe.scoring.results import Results, results_dict

NONE = "—"


def copy_content(source_root: Path, target: Path) -> Path:
    """A new project folder at ``target`` with a copy of ``source_root``'s content."""
    target.mkdir(parents=True)
    shutil.copytree(source_root / "content", target / "content")
    return target


class GitProject:
    """A project folder that is also a git repository on branch ``main``; ``base`` are its first results."""

    def __init__(self, root: Path, base: Results) -> None:
        self.root = root
        self.base = base
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "考核测试")
        self.git("config", "user.email", "tests@example.org")
        self.git("config", "commit.gpgsign", "false")
        self.commit("the sample year")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A", "content")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.short("HEAD")

    def short(self, rev: str) -> str:
        return self.git("rev-parse", "--short", rev)

    def read(self, relpath: str) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")

    def write(self, relpath: str, text: str) -> None:
        (self.root / relpath).write_text(text, encoding="utf-8")

    def outcome(self, rev: str | None = None) -> Outcome:
        source = WorkingTree(self.root) if rev is None else GitRevision(self.root, rev)
        return run(source)

    def results(self, rev: str | None = None) -> Results:
        outcome = self.outcome(rev)
        assert outcome.ok and outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error]
        return outcome.results


# --- choosing what to change ------------------------------------------------------------


@dataclass(frozen=True)
class Deduction:
    """A per-occurrence rule the community still has points for on its leaf."""

    community: str
    leaf: Indicator
    rule: Rule


def deductions(results: Results) -> Iterator[Deduction]:
    """Rules that would really cost the community points, best-ranked communities first."""
    for community in results.communities:
        for leaf_score in community.score.leaves.values():
            leaf = leaf_score.indicator
            for rule in leaf.rules:
                if rule.per is not None and not rule.veto and leaf_score.score >= 2 * rule.per:
                    yield Deduction(community.id, leaf, rule)


def veto_rules(results: Results) -> Iterator[tuple[Indicator, Rule]]:
    for leaf in results.rubric.leaves():
        for rule in leaf.rules:
            if rule.veto:
                yield leaf, rule


def ledger_path(line: str) -> str:
    return f"content/ledgers/{line}.yaml"


def entry_text(fields: dict[str, str]) -> str:
    """One ledger entry as a clerk types it at the end of ``entries:``."""
    lines = [f"{'  - ' if i == 0 else '    '}{key}: {value}" for i, (key, value) in enumerate(fields.items())]
    return "\n".join(lines) + "\n"


def append_entry(project: GitProject, line: str, fields: dict[str, str]) -> int:
    """Append an entry to a ledger whose last key is ``entries``; returns the entry's line number."""
    path = ledger_path(line)
    text = project.read(path)
    assert text.rstrip().splitlines()[-1].startswith("    "), "the ledger must end with its entries"
    project.write(path, text + entry_text(fields))
    return len(text.splitlines()) + 1


# --- the expected Markdown --------------------------------------------------------------


def arrow(old: object, new: object) -> str:
    def shown(value: object) -> str:
        return NONE if value is None else str(value)

    return shown(new) if old == new else f"{shown(old)} → {shown(new)}"


def category_names(results: Results) -> dict[str, str]:
    return {top.id: top.label for top in results.rubric.indicators}


def community_rows(old: Results, new: Results) -> list[str]:
    """The expected rows of the totals table: every community whose numbers differ."""
    before = {c["id"]: c for c in results_dict(old)["communities"]}
    after = results_dict(new)["communities"]
    names = category_names(new)
    # a category's last place (排名最末) on each side: a rank moving into or out of it is listed by itself
    sides = (list(before.values()), after)
    last = [{cid: max(c["categories"][cid]["rank"] for c in side) for cid in names} for side in sides]
    rows = []
    for now in after:
        was = before[now["id"]]
        categories = []
        for cid, cat in now["categories"].items():
            old_cat = was["categories"][cid]
            moved = cat["rank"] != old_cat["rank"]
            at_last = old_cat["rank"] == last[0][cid] or cat["rank"] == last[1][cid]
            if cat["score"] != old_cat["score"] or (moved and at_last):
                rank = f"（单项第{old_cat['rank']} → {cat['rank']}名）" if moved else ""
                categories.append(f"{names[cid]} {arrow(old_cat['score'], cat['score'])}{rank}")
        # listed also when only the award rank moved (名次递补 past a new veto above it)
        if categories or any(was[k] != now[k] for k in ("total", "rank", "award", "vetoed", "award_rank")):
            name = now["name"] + ("（一票否决）" if now["vetoed"] else "")
            cells = [name, arrow(was["total"], now["total"]), arrow(rank_text(was), rank_text(now))]
            cells += [arrow(was["award"], now["award"]), "；".join(categories) or NONE]
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def rank_text(community: dict[str, Any]) -> str:
    """The rank, with the award rank beside it when vetoed communities above moved it up (名次递补)."""
    rank, award_rank = community["rank"], community["award_rank"]
    return str(rank) if award_rank in (None, rank) else f"{rank}（评奖第{award_rank}）"


def backfill_lines(old: Results, new: Results) -> list[str]:
    """The expected 名次递补 items: listed communities ranked below vetoed ones, which their award rank skips,
    unless they skipped the same ones for the same award rank before the change."""
    listed = {row.split(" | ")[0].removeprefix("| ").removesuffix("（一票否决）") for row in community_rows(old, new)}
    after = results_dict(new)["communities"]
    before = {c["id"]: c for c in results_dict(old)["communities"]}
    vetoed = [c for c in after if c["vetoed"]]
    vetoed_before = [c for c in before.values() if c["vetoed"]]
    lines = []
    for c in after:
        above = [v for v in vetoed if v["rank"] < c["rank"]]
        was = before.get(c["id"])
        above_before = [v["id"] for v in vetoed_before if was is not None and v["rank"] < was["rank"]]
        if was is not None and above_before == [v["id"] for v in above] and was["award_rank"] == c["award_rank"]:
            continue
        if c["name"] in listed and not c["vetoed"] and above:
            names = "、".join(f"{v['name']}（第{v['rank']}名）" for v in above)
            lines.append(
                f"- {c['name']}：第{c['rank']}名，评奖名次第{c['award_rank']}名（排在前面的{names}被一票否决，"
                f"不参加评奖 · moved up past vetoed communities），奖项 award：{c['award'] or NONE}"
            )
    return lines


def totals_table(old: Results, new: Results) -> str:
    rows = community_rows(old, new)
    head = ["| 社区 | 总分 | 名次 | 奖项 | 单项得分 |", "| --- | --- | --- | --- | --- |"]
    return "\n".join(head + rows)


def measure_state(m: dict[str, Any]) -> str:
    return f"{m['measure']}（连续 {m['streak']} 年{'，免除 exempt' if m['exempt'] else ''}）"


def measure_lines(old: Results, new: Results) -> list[str]:
    """The expected measure items: measures that appear, vanish or change."""
    names = {c.id: c.name for c in new.content.communities}
    categories = category_names(new)

    def keyed(results: Results) -> dict[tuple[str, ...], dict[str, Any]]:
        return {(m["community"], m["person"], m["role"], m["scope"]): m for m in results_dict(results)["measures"]}

    before, after = keyed(old), keyed(new)
    lines = []
    for key in list(after) + [k for k in before if k not in after]:
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        community, person, role, scope = key
        who = "党总支书记 · 综合考核" if role == "secretary" else f"分管工作人员 · {categories[scope]}"
        if was is None:
            label, what = "新增 added", measure_state(now or {})
        elif now is None:
            label, what = "取消 removed", measure_state(was)
        else:
            label, what = "变动 changed", f"{measure_state(was)} → {measure_state(now)}"
        lines.append(f"- {label}: {names[community]} {person}（{who}）：{what}")
    return lines


def results_section(old: Results, new: Results, vetoes: tuple[str, ...] = ()) -> str:
    """The expected totals section, then the vetoes and measures sections when they changed."""
    rows = community_rows(old, new)
    body = (
        totals_table(old, new)
        if rows
        else "所有社区的总分、名次和奖项不变 · No community's total, rank or award changed."
    )
    section = f"### 总分与名次 · Totals and ranks\n\n{body}"
    if backfill := backfill_lines(old, new):
        section += "\n\n名次递补 · Award ranks count only the communities not vetoed (FORMAT.md §7):\n\n"
        section += "\n".join(backfill)
    if vetoes:
        section += "\n\n### 一票否决 · Vetoes\n\n" + "\n".join(vetoes)
    measures = measure_lines(old, new)
    if measures:
        section += "\n\n### 处理措施 · Measures\n\n" + "\n".join(measures)
    return section


def stale_review_line(results: Results, path: str, entries: int) -> str:
    """The expected flag of a ledger whose ``entries`` changed while its review (in ``results``) stayed."""
    ledger = next(ledger for ledger in results.content.ledgers if ledger.path == path)
    assert ledger.review is not None
    line_name = {line.id: line.name for line in results.rubric.lines}[ledger.line]
    return (
        f"- **审核后又修改 · edited after review** `{path}`（{line_name}）: {ledger.review.by} {ledger.review.date} 审核后，"
        f"本次改动 {entries} 条记录，须重新审核（更新 `review:`） · entries changed after this review: have the ledger reviewed again"
    )


def status_sections(old: Results, new: Results, edited: dict[str, int] | None = None) -> list[str]:
    """The expected review-and-approval section: results final → draft or back, and the ledgers ``edited``
    (path → entries changed) under their old review (every ledger of the sample year is reviewed)."""
    states = {False: "草稿 draft", True: "已审定 final"}
    items = [f"- 结果 results: {states[old.final]} → {states[new.final]}"] if old.final != new.final else []
    items += [stale_review_line(new, path, n) for path, n in sorted((edited or {}).items())]
    if not items:
        return []
    return ["### 审核、审定及其他 · Review, approval and other files\n\n" + "\n".join(items)]


def warnings_sections(old: Outcome, new: Outcome, old_label: str) -> list[str]:
    """The expected warnings section: the new side's warnings, those not on the old side (by file and message,
    counted) first."""
    known = [(d.pos.path, d.message) for d in old.diagnostics if not d.is_error]
    warnings = [d for d in new.diagnostics if not d.is_error]
    brought, already = [], []
    for d in warnings:  # each old warning accounts for one new one of the same file and words
        if (d.pos.path, d.message) in known:
            known.remove((d.pos.path, d.message))
            already.append(str(d))
        else:
            brought.append(str(d))
    if not warnings:
        return []
    blocks = ["### 警告 · Warnings"]
    if brought:
        blocks.append(f"本次修改带来的警告 {len(brought)} 条 · {len(brought)} new with this change:")
        blocks.append("```text\n" + "\n".join(brought) + "\n```")
    if already:
        summary = f"原有的警告 {len(already)} 条 · {len(already)} already in {old_label}".replace("<", "&lt;")
        blocks.append(
            f"<details><summary>{summary}</summary>\n\n```text\n" + "\n".join(already) + "\n```\n\n</details>"
        )
    return ["\n\n".join(blocks)]


def entries_section(summary: tuple[int, int, int], rows: list[str]) -> str:
    added, removed, changed = summary
    head = (
        "| 变动 | 位置 | 日期 | 线 | 社区 | 细则条目 | 次数／金额 | 分值 | 说明 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    return (
        "### 台帐条目 · Ledger entries\n\n"
        f"新增 added {added} · 删除 removed {removed} · 修改 changed {changed}\n\n" + head + "\n" + "\n".join(rows)
    )


def diff_text(old_label: str, new_label: str, *sections: str) -> str:
    return "\n\n".join(["## 考核台帐变动 · Assessment diff", f"{old_label} → {new_label}", *sections]) + "\n"
