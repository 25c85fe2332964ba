"""``check`` of the sample year against a floor process, best of ``--runs``.

    python bench/bench_startup.py [--runs 10]

The floor starts Python, imports ruamel.yaml and C-composes every content file of the
sample year: what any checker of these files pays before it checks anything. ``check``
is measured warm (the parse cache filled: what a hook or an editor pays on every save)
and cold (``KAOHE_NO_CACHE=1``). Also lists the imports ``check`` makes that the floor
does not, with their cumulative time (``python -X importtime``), the largest first.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from measure import BUILD_PY, TOOL_ROOT, best_of, check_command, machine, ratio

BENCH = Path(__file__).resolve().parent


def heaviest_imports(count: int = 8) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(BUILD_PY), "--root", str(TOOL_ROOT), "check", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and parts[2].startswith("   "):  # imported by build.py itself
            rows.append((int(parts[1]), parts[2].strip()))
    return [f"{name} {micros // 1000} ms" for micros, name in sorted(rows, reverse=True)[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    floor = best_of(args.runs, [sys.executable, str(BENCH / "floor.py"), str(TOOL_ROOT)])
    best_of(1, check_command(TOOL_ROOT))
    warm = best_of(args.runs, check_command(TOOL_ROOT))
    cold = best_of(args.runs, check_command(TOOL_ROOT), {"KAOHE_NO_CACHE": "1"})
    print(machine())
    print()
    print("| process | wall ms | CPU ms | × floor (wall) | peak MiB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, cost in (
        ("floor: Python + ruamel.yaml + C compose", floor),
        ("check, warm", warm),
        ("check, cold", cold),
    ):
        print(
            f"| {name} | {cost.wall_ms} | {cost.cpu_ms} | {ratio(cost.wall_ms, floor.wall_ms)} | {(cost.peak_kib + 512) // 1024} |"
        )
    print()
    print("largest top-level imports of check: " + ", ".join(heaviest_imports()))


if __name__ == "__main__":
    main()
