"""Time the stages of ``check`` (load, validate, score) on synthetic projects of growing size.

    python bench/bench_check.py [--sizes 1000,10000,50000] [--communities 60]

Prints one line per size with the best of three runs of each stage, in seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from generate import generate

from kaohe.check.checks import validate
from kaohe.content.load import load_content
from kaohe.content.source import WorkingTree
from kaohe.scoring.results import compute_results

T = TypeVar("T")


def best_of(runs: int, action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = action()
    best = time.perf_counter() - start
    for _ in range(runs - 1):
        start = time.perf_counter()
        value = action()
        best = min(best, time.perf_counter() - start)
    return best, value


def measure(root: Path) -> tuple[float, float, float]:
    load_time, loaded = best_of(3, lambda: load_content(WorkingTree(root)))
    content = loaded.content
    validate_time, problems = best_of(3, lambda: validate(content))
    assert not [p for p in problems if p.is_error], problems[:3]
    score_time, _ = best_of(3, lambda: compute_results(content))
    return load_time, validate_time, score_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--communities", type=int, default=60)
    args = parser.parse_args()
    print(f"{'entries':>8} {'load s':>8} {'validate s':>10} {'score s':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), args.communities, size, seed=1)
            load_time, validate_time, score_time = measure(Path(tmp))
        print(f"{size:>8} {load_time:>8.3f} {validate_time:>10.3f} {score_time:>8.3f}")


if __name__ == "__main__":
    main()
