"""A full build of the sample year, then an incremental one after one entry changes, as whole processes.

    python bench/bench_incremental.py

The sample year is copied without its decision (during the year nothing is approved,
so an edit changes only the notices that show it), built once with an empty cache
(full), then one entry's note is edited and it is built again (incremental). Prints
wall and CPU time of both, their ratio, and each stage of the incremental build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from measure import TOOL_ROOT, build_json, machine, ratio


def build(root: Path) -> tuple[int, int, list[dict[str, object]]]:
    answer, cost = build_json(root)
    return cost.wall_ms, cost.cpu_ms, answer["stages"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(TOOL_ROOT / "content", root / "content")
        (root / "content" / "decision.yaml").unlink()
        env_key = Path(tmp) / "cache-home"
        os.environ["XDG_CACHE_HOME"] = str(env_key)  # a key of its own: nothing reused from earlier runs
        full_wall, full_cpu, _ = build(root)
        ledger = root / "content" / "ledgers" / "party.yaml"
        text = ledger.read_text(encoding="utf-8")
        at = text.index("note: ") + len("note: ")
        ledger.write_text(text[:at] + "（复查）" + text[at:], encoding="utf-8")
        wall, cpu, stages = build(root)
    print(machine())
    print()
    print("| build | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    print(f"| full, empty cache | {full_wall:,} | {full_cpu:,} |")
    print(f"| incremental, one note edited | {wall:,} ({ratio(wall, full_wall)}) | {cpu:,} ({ratio(cpu, full_cpu)}) |")
    print()
    print("incremental stages: " + ", ".join(f"{s['name']} {s['ms']} ms" for s in stages))


if __name__ == "__main__":
    main()
