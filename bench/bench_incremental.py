"""A full build of the sample year, then incremental ones after one entry changes, as whole processes.

    python bench/bench_incremental.py [--runs 1]

The sample year is copied without its decision (during the year nothing is approved,
so an edit changes only the notices that show it), built once with an empty cache
(full), then one entry's note is edited and it is built again (incremental), ``--runs``
times, each time with a note never built before (an edit undone would find its notice in
the cache). Prints wall and CPU time of the full build and of the median incremental one,
their ratio, every incremental build's CPU time, and the stages of the median one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from measure import TOOL_ROOT, build_json, machine, ratio


def build(root: Path) -> tuple[int, int, list[dict[str, object]]]:
    answer, cost = build_json(root)
    return cost.wall_ms, cost.cpu_ms, answer["stages"]


def edit_note(ledger: Path, run: int) -> None:
    """The ledger's first note, with a word no earlier run wrote."""
    text = ledger.read_text(encoding="utf-8")
    at = text.index("note: ") + len("note: ")
    ledger.write_text(text[:at] + f"（复查{run}）" + text[at:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="incremental builds, each after another edit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(TOOL_ROOT / "content", root / "content")
        (root / "content" / "decision.yaml").unlink()
        env_key = Path(tmp) / "cache-home"
        os.environ["XDG_CACHE_HOME"] = str(env_key)  # a key of its own: nothing reused from earlier runs
        full_wall, full_cpu, _ = build(root)
        builds = []
        for run in range(1, max(1, args.runs) + 1):
            edit_note(root / "content" / "ledgers" / "party.yaml", run)
            builds.append(build(root))
    wall, cpu, stages = sorted(builds, key=lambda b: b[1])[(len(builds) - 1) // 2]  # the median by CPU time
    print(machine())
    print()
    print("| build | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    print(f"| full, empty cache | {full_wall:,} | {full_cpu:,} |")
    label = "incremental, one note edited" + (f" (median of {len(builds)})" if len(builds) > 1 else "")
    print(f"| {label} | {wall:,} ({ratio(wall, full_wall)}) | {cpu:,} ({ratio(cpu, full_cpu)}) |")
    print()
    if len(builds) > 1:
        print("incremental builds, CPU ms: " + ", ".join(f"{b[1]:,}" for b in builds))
    print("incremental stages: " + ", ".join(f"{s['name']} {s['ms']} ms" for s in stages))


if __name__ == "__main__":
    main()
