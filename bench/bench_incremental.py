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
from fractions import Fraction
from pathlib import Path

from measure import TOOL_ROOT, build_json, machine, ratio


def build(root: Path) -> tuple[int, int, list[dict[str, object]]]:
    answer, cost = build_json(root)
    return cost.wall_ms, cost.cpu_ms, answer["stages"]


def median(builds: list[tuple[int, int, list[dict[str, object]]]]) -> tuple[int, int, list[dict[str, object]]]:
    """The build of median CPU time (the lower of the two middle ones of an even count)."""
    return sorted(builds, key=lambda b: b[1])[(len(builds) - 1) // 2]


def edit_note(ledger: Path, run: int) -> None:
    """The ledger's first note, with a word no earlier run wrote."""
    text = ledger.read_text(encoding="utf-8")
    at = text.index("note: ") + len("note: ")
    ledger.write_text(text[:at] + f"（复查{run}）" + text[at:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="pairs of a full build and an incremental one")
    args = parser.parse_args()
    runs = max(1, args.runs)
    fulls, builds = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(1, runs + 1):  # each pair in a fresh copy with an empty cache of its own
            root = Path(tmp) / f"project-{run}"
            shutil.copytree(TOOL_ROOT / "content", root / "content")
            (root / "content" / "decision.yaml").unlink()
            os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / f"cache-{run}")  # nothing reused from earlier runs
            fulls.append(build(root))
            edit_note(root / "content" / "ledgers" / "party.yaml", run)
            builds.append(build(root))  # right after its full build: the machine's speed drifts over minutes
    pairs = sorted(zip(fulls, builds, strict=True), key=lambda pair: Fraction(pair[1][1], pair[0][1]))
    full_wall, full_cpu, _ = median(fulls)
    wall, cpu, stages = median(builds)
    print(machine())
    print()
    print("| build | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    of = f" (median of {runs})" if runs > 1 else ""
    print(f"| full, empty cache{of} | {full_wall:,} | {full_cpu:,} |")
    label = f"incremental, one note edited{of}"
    print(f"| {label} | {wall:,} ({ratio(wall, full_wall)}) | {cpu:,} ({ratio(cpu, full_cpu)}) |")
    print()
    if runs > 1:
        print("full builds, CPU ms: " + ", ".join(f"{b[1]:,}" for b in fulls))
        print("incremental builds, CPU ms: " + ", ".join(f"{b[1]:,}" for b in builds))
        each = ", ".join(ratio(incremental[1], full[1], 3) for full, incremental in pairs)
        middle_full, middle = pairs[(runs - 1) // 2]
        print(f"CPU ratio of each pair (sorted): {each}; median {ratio(middle[1], middle_full[1], 3)}")
    print("incremental stages: " + ", ".join(f"{s['name']} {s['ms']} ms" for s in stages))


if __name__ == "__main__":
    main()
