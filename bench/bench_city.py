"""A whole city's year built whole: site and every PDF, with its cost and the size of what it wrote.

    python bench/bench_city.py [--communities 1000] [--entries 100000] [--keep DIR]

Generates the year (``generate.py``), then runs ``build.py build --json --verbose`` as
one process and reports its wall and CPU time and peak memory (the build and its PDF
workers), the time of each stage, the files written, the HTML pages per second of the
site stage, and the sizes of output/, the PDFs and the site's search index.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from generate import generate
from measure import build_json, machine, ratio


def size_mib(paths: list[Path]) -> str:
    total = sum(p.stat().st_size for p in paths)
    tenths = (total * 10 + 524288) // 1048576
    return f"{tenths // 10}.{tenths % 10} MiB"


def build(root: Path) -> tuple[dict[str, object], int, int, int]:
    answer, cost = build_json(root)
    return answer, cost.wall_ms, cost.cpu_ms, cost.peak_kib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        generate(root, args.communities, args.entries, seed=1)
        report, wall, cpu, peak = build(root)
        output = root / "output"
        files = [p for p in output.rglob("*") if p.is_file()]
        pdfs = [p for p in files if p.suffix == ".pdf"]
        pages = [p for p in files if p.suffix == ".html"]
        first_load = [p for p in files if p.name == "search-index.js"]
        index_parts = [p for p in files if p.parent.name == "search" and p.suffix == ".js"]
        stages = {str(s["name"]): int(s["ms"]) for s in report["stages"]}  # type: ignore[attr-defined]
        print(machine())
        print()
        print(f"{args.communities:,} communities, {args.entries:,} entries: {len(files):,} files written")
        print(f"wall {wall:,} ms, CPU {cpu:,} ms (CPU/wall {ratio(cpu, wall)}), peak {(peak + 512) // 1024} MiB")
        for name, ms in stages.items():
            print(f"  {name}: {ms:,} ms")
        site_ms = stages.get("site", 0)
        per_second = len(pages) * 1000 // site_ms if site_ms else 0
        print(f"site: {len(pages):,} HTML pages, {per_second:,} pages per second of the site stage")
        print(
            f"sizes: output/ {size_mib(files)}, {len(pdfs):,} PDFs {size_mib(pdfs)}; search index: first load "
            f"{size_mib(first_load)}, the largest of {len(index_parts):,} parts {size_mib([max(index_parts, key=lambda p: p.stat().st_size)]) if index_parts else '–'}"
        )


if __name__ == "__main__":
    main()
