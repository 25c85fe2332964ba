"""``check`` against the C-parser floor, on generated years of growing size.

    python bench/bench_check.py [--sizes 10000,100000,1000000] [--communities 200] [--runs 3]

For each size a valid year is generated (``generate.py``), then measured as whole
processes, best of ``--runs`` (one run at 1,000,000 entries and more):

- the floor: Python started, PyYAML's C loader composing every content file (with
  line marks) and nothing else (ruamel's C composer if PyYAML is not installed);
- ``check`` cold: ``KAOHE_NO_CACHE=1 build.py check``, every file parsed;
- ``check`` warm: ``build.py check`` again with nothing changed (the parse cache).

From 1,000,000 entries the largest ledger is beyond the per-file bounds, and ``check``
runs through ``unbounded.py``, which raises them tenfold.

Prints a Markdown table: CPU milliseconds, the ratio to the floor, peak memory, and
CPU per 1,000 entries (linear when that column stays flat).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

from generate import generate
from measure import Cost, best_of, check_command, machine, ratio

BENCH = Path(__file__).resolve().parent


def floor_command(root: Path) -> tuple[list[str], str]:
    if importlib.util.find_spec("yaml") is not None:
        return [sys.executable, str(BENCH / "floor.py"), str(root), "--pyyaml"], "PyYAML CSafeLoader compose"
    return [sys.executable, str(BENCH / "floor.py"), str(root)], "ruamel C compose"


def yaml_mib(root: Path) -> str:
    size = sum(p.stat().st_size for p in (root / "content").rglob("*.yaml"))
    tenths = (size * 10 + 524288) // 1048576
    return f"{tenths // 10}.{tenths % 10}"


def row(entries: int, root: Path, runs: int) -> tuple[str, str]:
    command, floor_name = floor_command(root)
    repeat = runs if entries < 1_000_000 else 1
    floor = best_of(repeat, command)
    check = check_command(root) if entries < 1_000_000 else unbounded_check(root)
    cold = best_of(repeat, check, {"KAOHE_NO_CACHE": "1"})
    best_of(1, check)  # fills the cache
    warm = best_of(repeat, check)
    per_k = cold.cpu_ms * 1000 // entries
    return (
        f"| {entries:,} | {yaml_mib(root)} | {floor.cpu_ms:,} | {cold.cpu_ms:,} ({ratio(cold.cpu_ms, floor.cpu_ms)}) "
        f"| {warm.cpu_ms:,} ({ratio(warm.cpu_ms, floor.cpu_ms)}) | {mib(cold)} / {mib(warm)} | {per_k} |",
        floor_name,
    )


def unbounded_check(root: Path) -> list[str]:
    """From 1,000,000 entries the largest ledger exceeds the per-file bounds: ``unbounded.py`` raises them."""
    return [sys.executable, str(BENCH / "unbounded.py"), "--root", str(root), "check", "--quiet"]


def mib(cost: Cost) -> str:
    return f"{(cost.peak_kib + 512) // 1024}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    print()
    print(
        "| entries | YAML MiB | floor CPU ms | check cold CPU ms (× floor) | check warm CPU ms (× floor) | peak MiB cold / warm | cold CPU ms per 1,000 entries |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    floor_name = ""
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), args.communities, size, seed=1)
            line, floor_name = row(size, Path(tmp), args.runs)
        print(line, flush=True)
    print()
    print(
        f"floor: {floor_name}; {args.communities} communities; best of {args.runs} "
        "(1 run from 1,000,000 entries, and the per-file bounds raised tenfold: bench/unbounded.py)"
    )


if __name__ == "__main__":
    main()
