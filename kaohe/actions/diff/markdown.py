"""The ``diff`` report as Markdown for a pull-request comment, or as JSON for machines.

Headings and labels are Chinese with English beside them, as in the README;
ledger notes are Markdown already and are passed through, escaped only where
they would break a table or a list.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from kaohe.actions.diff.communities import CommunityChange, FieldChange
from kaohe.actions.diff.entries import EntryChange, EntryView, Names
from kaohe.actions.diff.rubric import RubricChange
from kaohe.content.model import times
from kaohe.content.schema import COMMUNITIES_PATH, DECISION_PATH, PUBLICITY_PATH
from kaohe.errors import Diagnostic
from kaohe.render import vocab
from kaohe.scoring.delta import (
    ADDED,
    CHANGED,
    REMOVED,
    CategoryMove,
    CommunityMove,
    MeasureChange,
    MeasureState,
    ResultsDelta,
    VetoChange,
)
from kaohe.scoring.measures import SECRETARY, STAFF

if TYPE_CHECKING:
    from kaohe.actions.diff.report import DiffReport, NotCompared, SideReport, Standing, WhatIf

    Standings = tuple[Mapping[str, Standing], Mapping[str, Standing]]

TITLE = "## 考核台帐变动 · Assessment diff"
CHANGE_LABELS = {ADDED: "新增 added", REMOVED: "删除 removed", CHANGED: "修改 changed"}
VETO_LABELS = {ADDED: "新增 added", REMOVED: "撤销 removed"}
MEASURE_LABELS = {ADDED: "新增 added", REMOVED: "取消 removed", CHANGED: "变动 changed"}
RUBRIC_KINDS = {"setting": "设置 setting", "indicator": "指标 indicator", "rule": "扣分标准 rule"}
NONE = "—"


# --- Markdown helpers -------------------------------------------------------------------


def inline(text: str) -> str:
    """Text safe inside a table cell or a list item: one line, no raw HTML, no stray column bar."""
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


def shown(value: object) -> str:
    return NONE if value is None or value == "" else inline(str(value))


def arrow(old: object, new: object) -> str:
    """``old → new`` when they differ, else the value."""
    return shown(new) if old == new else f"{shown(old)} → {shown(new)}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def code_block(diagnostics: Iterable[Diagnostic]) -> str:
    """The diagnostics in a fenced block whose fence is longer than any run of backticks they quote."""
    text = "\n".join(str(d) for d in diagnostics)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


# --- sections ---------------------------------------------------------------------------


def error_blocks(old: SideReport, new: SideReport) -> list[str]:
    blocks: list[str] = []
    for side in (old, new):
        if side.errors:
            blocks.append(
                f"{side.label} 有内容错误，无法计算结果 · has content errors, so its results cannot be computed:"
            )
            blocks.append(code_block(side.errors))
    return ["### 内容错误 · Content errors", *blocks] if blocks else []


def rank_text(rank: int | None, standing: Standing | None) -> str | None:
    """``4``, or ``4（评奖第3）`` when vetoed communities above it move its award rank up (名次递补)."""
    if standing is None or standing.award_rank in (None, standing.rank):
        return None if rank is None else str(rank)
    return f"{standing.rank}（评奖第{standing.award_rank}）"


def rank_cell(move: CommunityMove, standings: Standings | None) -> str:
    if standings is None:
        return arrow(*move.rank)
    old, new = (rank_text(rank, side.get(move.id)) for rank, side in zip(move.rank, standings, strict=True))
    return arrow(old, new)


def category_text(move: CategoryMove) -> str:
    """``党群工作 18.50 → 18.90（单项第4 → 2名）``: the score, and the category's rank when it moved."""
    moved = f"（单项第{arrow(*move.rank)}名）" if move.rank[0] != move.rank[1] else ""
    return f"{inline(move.name)} {arrow(move.old, move.new)}{moved}"


def community_table(moves: Sequence[CommunityMove], standings: Standings | None = None) -> str:
    rows = [
        (
            inline(m.name) + ("（一票否决）" if m.vetoed[1] else ""),
            arrow(*m.total),
            rank_cell(m, standings),
            arrow(*m.award),
            "；".join(category_text(c) for c in m.categories) or NONE,
        )
        for m in moves
    ]
    return table(("社区", "总分", "名次", "奖项", "单项得分"), rows)


def backfill_blocks(moves: Sequence[CommunityMove], standings: Standings, names: Names) -> list[str]:
    """Why a community's award rank is above its rank: the vetoed communities ranked above it, by name.

    Only where this change moved it: a community passed over the same vetoed ones for the same award rank
    before the change is not listed again.
    """
    old, new = standings
    items = []
    for move in moves:
        standing, before = new.get(move.id), old.get(move.id)
        if standing is None or not standing.passed_over:
            continue
        if before is not None and (before.passed_over, before.award_rank) == (
            standing.passed_over,
            standing.award_rank,
        ):
            continue
        vetoed = "、".join(f"{inline(names.communities.get(v, v))}（第{new[v].rank}名）" for v in standing.passed_over)
        items.append(
            f"- {inline(move.name)}：第{standing.rank}名，评奖名次第{standing.award_rank}名"
            f"（排在前面的{vetoed}被一票否决，不参加评奖 · moved up past vetoed communities），奖项 award：{shown(move.award[1])}"
        )
    if not items:
        return []
    return ["名次递补 · Award ranks count only the communities not vetoed (FORMAT.md §7):", "\n".join(items)]


def results_blocks(
    delta: ResultsDelta, names: Names, categories: Mapping[str, str], standings: Standings = ({}, {})
) -> list[str]:
    blocks = ["### 总分与名次 · Totals and ranks"]
    if delta.communities:
        blocks.append(community_table(delta.communities, standings))
        blocks += backfill_blocks(delta.communities, standings, names)
    else:
        blocks.append("所有社区的总分、名次和奖项不变 · No community's total, rank or award changed.")
    if delta.vetoes:
        blocks += ["### 一票否决 · Vetoes", "\n".join(veto_item(v, names) for v in delta.vetoes)]
    if delta.measures:
        blocks += ["### 处理措施 · Measures", "\n".join(measure_item(m, categories) for m in delta.measures)]
    return blocks


def veto_item(veto: VetoChange, names: Names) -> str:
    rule = f"`{veto.rule}` {inline(names.cites.get(veto.rule, ''))}".rstrip()
    where = f"{inline(names.lines.get(veto.line, veto.line))}，{veto.date}"
    return f"- {VETO_LABELS[veto.change]}: {inline(veto.community_name)} — {rule}（{where}）：{shown(veto.note)}"


def measure_state(state: MeasureState | None) -> str:
    if state is None:
        return NONE
    exempt = "，免除 exempt" if state.exempt else ""
    return f"{inline(state.measure)}（连续 {state.streak} 年{exempt}）"


def measure_item(change: MeasureChange, categories: Mapping[str, str]) -> str:
    role = f"{vocab.role_label(change.role)} · {inline(vocab.scope_label(change.scope, categories))}"
    person = inline(change.person) or "（未填写 not named）"
    if change.change == ADDED:
        what = measure_state(change.new)
    elif change.change == REMOVED:
        what = measure_state(change.old)
    else:
        what = f"{measure_state(change.old)} → {measure_state(change.new)}"
    return f"- {MEASURE_LABELS[change.change]}: {inline(change.community_name)} {person}（{role}）：{what}"


def cite_cell(view: EntryView) -> str:
    return f"`{view.cites}` {inline(view.cites_text)}".rstrip()


def entry_row(change: EntryChange) -> tuple[str, ...]:
    view = change.shown
    where = f"`{view.path}:{view.lineno}`"
    if change.old is None or change.new is None:
        return (
            CHANGE_LABELS[change.change], where, view.date, inline(view.line_name), inline(view.community_name),
            cite_cell(view), shown(view.quantity), shown(view.points), shown(view.note),
        )  # fmt: skip
    old, new = change.old, change.new
    cite = cite_cell(new) if old.cites == new.cites else f"{cite_cell(old)} → {cite_cell(new)}"
    return (
        CHANGE_LABELS[CHANGED], where, arrow(old.date, new.date), inline(new.line_name),
        arrow(old.community_name, new.community_name), cite, arrow(old.quantity, new.quantity),
        arrow(old.points, new.points), field_changes(change),
    )  # fmt: skip


def field_changes(change: EntryChange) -> str:
    """The fields an edit changed, old → new (``count: 1 → 2``), else the note."""
    assert change.old is not None and change.new is not None
    details = [
        f"{name}: {arrow(field_value(change.old, name), field_value(change.new, name))}"
        for name in change.fields
        if name in ("count", "deduct", "amount", "note", "evidence")
    ]
    return "；".join(details) or shown(change.new.note)


def field_value(view: EntryView, name: str) -> object:
    """A field as it counts: an entry without ``count`` counts once."""
    value = view.value(name)
    return times(view.count) if name == "count" else value


def entry_blocks(changes: Sequence[EntryChange], not_compared: Sequence[NotCompared] = ()) -> list[str]:
    unread = [
        f"- **未比较 · not compared** `{n.path}`：在 {n.side} 中有错误，读不出来，其中的记录两边都不比较 "
        f"(it does not load in {n.side}, see the errors above: none of its entries is compared)"
        for n in not_compared
    ]
    if not changes:
        return ["### 台帐条目 · Ledger entries", "\n".join(unread)] if unread else []
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in (ADDED, REMOVED, CHANGED)}
    summary = f"新增 added {counts[ADDED]} · 删除 removed {counts[REMOVED]} · 修改 changed {counts[CHANGED]}"
    header = ("变动", "位置", "日期", "线", "社区", "细则条目", "次数／金额", "分值", "说明")
    rows = table(header, [entry_row(c) for c in changes])
    return ["### 台帐条目 · Ledger entries", *(["\n".join(unread)] if unread else []), summary, rows]


def rubric_item(change: RubricChange) -> str:
    return f"- {CHANGE_LABELS[change.change]} {RUBRIC_KINDS[change.kind]} `{change.id}`: {inline(change.detail)}"


def what_if_blocks(what_if: WhatIf | None, old_label: str) -> list[str]:
    if what_if is None:
        return []
    if what_if.rubric_only:
        return [
            "台帐等其他内容未变，上面的结果变动全部来自细则变动 · Nothing else changed: the results above show the rubric change's effect."
        ]
    if what_if.errors:
        return [
            f"新细则不能直接用于 {old_label} 的台帐 · The new rubric cannot be applied to the ledgers of {old_label}:",
            code_block(what_if.errors),
        ]
    heading = f"**只改细则的影响 · The rubric change alone**（新细则用于 {old_label} 的台帐 · the new rubric on the ledgers of {old_label}）:"
    if not what_if.moves:
        return [heading, "不改变任何社区的总分、名次和奖项 · It moves no community's total, rank or award."]
    return [heading, community_table(what_if.moves, what_if.standings)]


def rubric_blocks(report: DiffReport) -> list[str]:
    if not report.rubric:
        return []
    items = "\n".join(rubric_item(c) for c in report.rubric)
    return ["### 细则 · Rubric", items, *what_if_blocks(report.what_if, report.old.label)]


def status_blocks(report: DiffReport) -> list[str]:
    items: list[str] = []
    if report.results is not None and report.results.final[0] != report.results.final[1]:
        states = {False: f"{vocab.status_label(False)} draft", True: f"{vocab.status_label(True)} final"}
        items.append(f"- 结果 results: {states[report.results.final[0]]} → {states[report.results.final[1]]}")
    for review in report.reviews:
        was, now = (shown(r) if r else f"{vocab.NOT_REVIEWED} not reviewed" for r in (review.old, review.new))
        items.append(f"- 审核 review `{review.path}`（{inline(review.line_name)}）: {was} → {now}")
    for stale in report.stale_reviews:
        items.append(
            f"- **审核后又修改 · edited after review** `{stale.path}`（{inline(stale.line_name)}）: "
            f"{inline(stale.review)} 审核后，本次改动 {stale.entries} 条记录，须重新审核（更新 `review:`）"
            " · entries changed after this review: have the ledger reviewed again"
        )
    for file in report.files:
        items.append(f"- {file_kind(file.path)} `{file.path}`: {CHANGE_LABELS[file.change]}")
        if file.path == COMMUNITIES_PATH:
            items += [f"  {community_item(change, report.names)}" for change in report.communities]
    return ["### 审核、审定及其他 · Review, approval and other files", "\n".join(items)] if items else []


def field_label(field: str, names: Names) -> str:
    """``党总支书记 secretary``, ``分管工作人员（党群线） staff.party``."""
    if field == "secretary":
        return f"{vocab.ROLE_LABELS[SECRETARY]} secretary"
    if field.startswith("staff."):
        line = field.removeprefix("staff.")
        return f"{vocab.ROLE_LABELS[STAFF]}（{inline(names.lines.get(line, line))}） {field}"
    return f"名称 {field}"


def field_change(change: FieldChange, names: Names) -> str:
    return f"{field_label(change.field, names)} {arrow(change.old, change.new)}"


def community_item(change: CommunityChange, names: Names) -> str:
    """``- 修改 changed 北门社区 `beimen`: 党总支书记 secretary 刘志刚 → 王建国``."""
    head = f"- {CHANGE_LABELS[change.change]} {inline(change.name)} `{change.id}`"
    if not change.fields:
        return head
    return f"{head}: " + "；".join(field_change(f, names) for f in change.fields)


def warning_key(diagnostic: Diagnostic) -> tuple[str, str]:
    """A warning as it is matched across the two sides: by file and message (lines move)."""
    return (diagnostic.pos.path, diagnostic.message)


def split_warnings(old: SideReport, new: SideReport) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The new side's warnings: those this change brings, and those already on the old side. Matched as a
    multiset: a second likely duplicate brings a warning of the same words, and it is new."""
    known = Counter(warning_key(d) for d in old.warnings)
    brought, already = [], []
    for diagnostic in new.warnings:
        key = warning_key(diagnostic)
        if known[key]:
            known[key] -= 1
            already.append(diagnostic)
        else:
            brought.append(diagnostic)
    return brought, already


def warning_blocks(old: SideReport, new: SideReport) -> list[str]:
    """The warnings of ``check`` on the new side: those this change brings first, the others folded."""
    if not new.warnings:
        return []
    brought, already = split_warnings(old, new)
    blocks = ["### 警告 · Warnings"]
    if brought:
        blocks += [f"本次修改带来的警告 {len(brought)} 条 · {len(brought)} new with this change:", code_block(brought)]
    if already:
        summary = f"原有的警告 {len(already)} 条 · {len(already)} already in {old.label}"
        blocks.append(f"<details><summary>{inline(summary)}</summary>\n\n{code_block(already)}\n\n</details>")
    return blocks


def file_kind(path: str) -> str:
    if path == DECISION_PATH:
        return "班子会审定记录 decision"
    if path == COMMUNITIES_PATH:
        return "社区名单 communities"
    if path == PUBLICITY_PATH:
        return "公示、异议与复核 publicity"
    return "历年结果 history"


def report_markdown(report: DiffReport) -> str:
    old, new = report.old, report.new
    if not report.changed:
        return f"考核台帐无变动 · No change between {old.label} and {new.label}: the same rubric, ledger entries and results.\n"
    blocks = [TITLE, f"{old.label} → {new.label}", *error_blocks(old, new), *warning_blocks(old, new)]
    if report.results is not None:
        blocks += results_blocks(report.results, report.names, report.categories, report.standings)
    blocks += entry_blocks(report.entries, report.not_compared) + rubric_blocks(report) + status_blocks(report)
    return "\n\n".join(blocks) + "\n"


# --- JSON -------------------------------------------------------------------------------


def jsonable(value: object) -> object:
    if isinstance(value, Diagnostic):
        return value.as_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def report_json(report: DiffReport) -> str:
    payload = jsonable(report)
    assert isinstance(payload, dict)
    del payload["names"]  # every rule text of both sides: only the Markdown needs them
    payload["changed"] = report.changed
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
