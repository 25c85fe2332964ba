"""Generate a synthetic project: the sample rubric, N communities and M ledger entries.

    python bench/generate.py OUT_DIR --communities 60 --entries 50000 [--seed 1]

Entries cite random rules and ratio indicators of the line that owns them, with
dates spread over the year and a note of their own each, so the result validates,
scores and renders like real data. The two
years before it have results in ``content/history/`` (a total and a rank each), as a
city's would.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from kaohe.content.load import load_communities, load_rubric
from kaohe.content.model import Indicator
from kaohe.content.source import WorkingTree

TOOL_ROOT = Path(__file__).resolve().parent.parent


def community_ids(count: int) -> list[str]:
    """The sample's own ids first (the rubric's targets name them), then c011, c012, …"""
    sample = [c.id for c in load_communities(WorkingTree(TOOL_ROOT), [])[0]]
    return (sample + [f"c{n:03d}" for n in range(len(sample) + 1, count + 1)])[:count]


def write_communities(out: Path, ids: list[str], lines: list[str]) -> None:
    rows = ["sample: true", "communities:"]
    for cid in ids:
        staff = ", ".join(f"{line}: 员{cid}{i}" for i, line in enumerate(lines))
        rows.append(f"  - {{id: {cid}, name: 社区{cid}, secretary: 书记{cid}, staff: {{{staff}}}}}")
    (out / "content" / "communities.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_history(out: Path, rng: random.Random, ids: list[str], year: int) -> None:
    """An earlier year's results, as ``archive`` writes them: a total and a distinct rank for each community."""
    totals = sorted((rng.randint(7000, 9990) for _ in ids), reverse=True)
    order = rng.sample(ids, len(ids))
    rows = [f"year: {year}", "communities:"]
    for rank, (cid, total) in enumerate(zip(order, totals, strict=True), start=1):
        rows.append(f'  - {{id: {cid}, total: "{total // 100}.{total % 100:02d}", rank: {rank}, secretary: 书记{cid}}}')
    folder = out / "content" / "history"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{year}.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")


FINDINGS = (
    "检查发现楼道堆放杂物未清理",
    "台帐资料不全，缺少会议记录",
    "未按时上报月度报表",
    "群众反映的问题未在期限内办结",
)


def note_of(serial: int, day: date) -> str:
    """A note of its own for each entry, as a clerk writes them (none repeats: nothing is converted only once)."""
    return f"{day.month}月{day.day}日{FINDINGS[serial % len(FINDINGS)]}（督查记录第{serial}号）"


def entry_line(rng: random.Random, leaf: Indicator, cid: str, day: date, serial: int) -> str:
    note = note_of(serial, day)
    if leaf.is_ratio:
        amount = rng.randint(1, 80)
        return f"  - {{date: {day}, community: {cid}, indicator: {leaf.full_id}, amount: {amount}, note: 到位资金（第{serial}笔）}}"
    rule = rng.choice(leaf.rules)
    if rule.discretionary:
        return f"  - {{date: {day}, community: {cid}, rule: {rule.full_id}, deduct: 0.1, note: {note}}}"
    if rule.per is not None or rule.add is not None:
        return f"  - {{date: {day}, community: {cid}, rule: {rule.full_id}, count: {rng.randint(1, 3)}, note: {note}}}"
    return f"  - {{date: {day}, community: {cid}, rule: {rule.full_id}, note: {note}}}"


def generate(out: Path, communities: int, entries: int, seed: int) -> None:
    rng = random.Random(seed)
    (out / "content" / "ledgers").mkdir(parents=True, exist_ok=True)
    shutil.copy(TOOL_ROOT / "content" / "rubric.yaml", out / "content" / "rubric.yaml")
    rubric = load_rubric(WorkingTree(TOOL_ROOT), [])
    assert rubric is not None, "the sample rubric must load"
    ids = community_ids(communities)
    write_communities(out, ids, [line.id for line in rubric.lines])
    for earlier in (rubric.year - 2, rubric.year - 1):  # a city has its earlier years' results
        write_history(out, rng, ids, earlier)
    leaves = [leaf for leaf in rubric.leaves() if not any(r.veto for r in leaf.rules)]
    by_line: dict[str, list[str]] = {line.id: [] for line in rubric.lines}
    for serial in range(1, entries + 1):
        leaf = rng.choice(leaves)
        day = rubric.period_from + timedelta(days=rng.randrange(365))
        by_line[leaf.line].append(entry_line(rng, leaf, rng.choice(ids), day, serial))
    for line, rows in by_line.items():
        head = f"line: {line}\nyear: {rubric.year}\nreview: {{by: 审核人, date: 2009-01-05}}\nentries:\n"
        body = "\n".join(rows) + "\n" if rows else ""
        text = head + body if rows else head.replace("entries:\n", "entries: []\n")
        (out / "content" / "ledgers" / f"{line}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--communities", type=int, default=60)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.communities, args.entries, args.seed)
    print(f"wrote {args.out}: {args.communities} communities, {args.entries} entries")


if __name__ == "__main__":
    main()
