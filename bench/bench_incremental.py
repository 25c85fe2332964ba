"""A full build of the sample year, then an incremental one after one entry changes, as whole processes.

    python bench/bench_incremental.py [--runs 1] [--against REV]

The sample year is copied without its decision (during the year nothing is approved,
so an edit changes only the notices that show it), built once with an empty cache
(full), then one entry's note is edited and it is built again (incremental). ``--runs``
such pairs, each in a fresh copy with an empty cache, the incremental build right after
its full one (this machine's speed drifts by a fifth over minutes: a ratio is taken of
two builds made within seconds). Prints wall and CPU time of the median full build and
of the median incremental one, their ratio, every build's CPU time, each pair's ratio
and their median, and the stages of the median incremental build.

``--against REV``: the same pairs also by the tool as it was at git revision ``REV``
(checked out into a temporary worktree), the two in turns (each first in every other
round), and both reported.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from fractions import Fraction
from pathlib import Path

from measure import BUILD_PY, TOOL_ROOT, build_json, machine, ratio

Build = tuple[int, int, list[dict[str, object]]]  # wall ms, CPU ms, the stages


def build(root: Path, build_py: Path) -> Build:
    answer, cost = build_json(root, build_py)
    return cost.wall_ms, cost.cpu_ms, answer["stages"]


def median(builds: list[Build]) -> Build:
    """The build of median CPU time (the lower of the two middle ones of an even count)."""
    return sorted(builds, key=lambda b: b[1])[(len(builds) - 1) // 2]


def edit_note(ledger: Path, run: int) -> None:
    """The ledger's first note, with a word no earlier run wrote."""
    text = ledger.read_text(encoding="utf-8")
    at = text.index("note: ") + len("note: ")
    ledger.write_text(text[:at] + f"（复查{run}）" + text[at:], encoding="utf-8")


def pair(tmp: Path, name: str, build_py: Path) -> tuple[Build, Build]:
    """A full build of a fresh copy with an empty cache, then one after an edit."""
    root = tmp / f"project-{name}"
    shutil.copytree(TOOL_ROOT / "content", root / "content")
    (root / "content" / "decision.yaml").unlink()
    os.environ["XDG_CACHE_HOME"] = str(tmp / f"cache-{name}")  # nothing reused from earlier runs
    full = build(root, build_py)
    edit_note(root / "content" / "ledgers" / "party.yaml", 1)
    return full, build(root, build_py)


@contextmanager
def checked_out(revision: str, tmp: Path) -> Iterator[Path]:
    """The tool at ``revision``, in a worktree of its own (compiled, as setup.sh does), removed after."""
    tree = tmp / "against"
    subprocess.run(["git", "-C", str(TOOL_ROOT), "worktree", "add", "-q", "--detach", str(tree), revision], check=True)
    try:
        compileall.compile_dir(tree / "kaohe", quiet=1)
        yield tree / "build.py"
    finally:
        subprocess.run(["git", "-C", str(TOOL_ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def report(label: str, pairs: list[tuple[Build, Build]]) -> None:
    fulls, builds = [full for full, _ in pairs], [incremental for _, incremental in pairs]
    runs = len(pairs)
    full_wall, full_cpu, _ = median(fulls)
    wall, cpu, stages = median(builds)
    print(f"{label}:")
    print()
    print("| build | wall ms | CPU ms |")
    print("| --- | ---: | ---: |")
    of = f" (median of {runs})" if runs > 1 else ""
    print(f"| full, empty cache{of} | {full_wall:,} | {full_cpu:,} |")
    print(
        f"| incremental, one note edited{of} | {wall:,} ({ratio(wall, full_wall, 3)}) | {cpu:,} ({ratio(cpu, full_cpu, 3)}) |"
    )
    print()
    if runs > 1:
        ordered = sorted(pairs, key=lambda p: Fraction(p[1][1], p[0][1]))
        print("full builds, CPU ms: " + ", ".join(f"{b[1]:,}" for b in fulls))
        print("incremental builds, CPU ms: " + ", ".join(f"{b[1]:,}" for b in builds))
        each = ", ".join(ratio(incremental[1], full[1], 3) for full, incremental in ordered)
        middle_full, middle = ordered[(runs - 1) // 2]
        print(f"CPU ratio of each pair (sorted): {each}; median {ratio(middle[1], middle_full[1], 3)}")
    print("incremental stages: " + ", ".join(f"{s['name']} {s['ms']} ms" for s in stages))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="pairs of a full build and an incremental one")
    parser.add_argument("--against", metavar="REV", help="a git revision of the tool whose builds take turns")
    args = parser.parse_args()
    runs = max(1, args.runs)
    tools = {"this code": BUILD_PY}
    pairs: dict[str, list[tuple[Build, Build]]] = {"this code": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with checked_out(args.against, tmp) if args.against else nullcontext() as other:
            if other is not None:
                tools[args.against] = other
                pairs[args.against] = []
            for run in range(1, runs + 1):
                turn = list(tools.items()) if run % 2 else list(tools.items())[::-1]  # neither always first
                for label, build_py in turn:
                    pairs[label].append(pair(tmp, f"{run}-{list(tools).index(label)}", build_py))
    print(machine())
    print()
    for label, made in pairs.items():
        report(label, made)


if __name__ == "__main__":
    main()
