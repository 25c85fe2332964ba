"""The PDF stage alone: our overhead outside WeasyPrint, the speed-up of the 2-worker pool, peak memory.

    python bench/bench_pdf.py [--communities 40] [--entries 4000] [--notices 24]

Generates a year (``generate.py``) and takes its first ``--notices`` notices (the 细则
notice, the 通报 and score sheets). Each mode runs as a child process, so that its CPU
time and peak memory are the kernel's account of it and its workers:

- ``single``: the build's own path (``render_all``) held to one process, every call into
  WeasyPrint timed (each layout, writing the PDF); the rest of the stage (the templates,
  parsing the HTML with lxml, fitting the closing and placing the 版记 between layouts,
  subsetting the fonts and the finisher that erases the justification gaps, renumbers the
  glyphs of the fonts subset so and writes the XMP, which both run inside WeasyPrint's
  writing, and compacting the fonts) is our
  own code's overhead; the one collection after each notice, which frees WeasyPrint's layout
  trees (cycles, all of them), is timed apart;
- ``pool``: the build's own path with its pool of workers.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from generate import generate
from measure import TOOL_ROOT, Cost, machine, output_and_cost, ratio

TEMPLATES = TOOL_ROOT / "templates"


def timed(totals: defaultdict[str, int], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter_ns() - start

    return wrapper


def collected_timed(totals: defaultdict[str, int]) -> Callable[[], AbstractContextManager[None]]:
    """``collected_once`` with its one collection timed (it frees WeasyPrint's layout trees)."""
    from kaohe.collector import collector_paused

    @contextmanager
    def collected() -> Iterator[None]:
        with collector_paused():
            yield
            start = time.perf_counter_ns()
            gc.collect()
            totals["collect"] += time.perf_counter_ns() - start

    return collected


def child(root: Path, mode: str, notices: int, out: Path) -> None:
    """In the child process: render the notices one way and print what was timed inside, as JSON."""
    import weasyprint
    from weasyprint.document import Document as LaidOut

    import kaohe.render.pdf.archival as archival
    import kaohe.render.pdf.compact as compact
    import kaohe.render.pdf.renderer as renderer
    import kaohe.render.pdf.subsetting as subsetting
    from kaohe.content.source import WorkingTree
    from kaohe.pipeline import run
    from kaohe.render.pdf import documents, render_all
    from kaohe.render.pdf.fonts import font_plan
    from kaohe.render.pool import WORKERS
    from kaohe.render.progress import Progress

    outcome = run(WorkingTree(root))
    assert outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error][:5]
    docs = documents(outcome.results, 1231718400)[:notices]
    fonts = font_plan(root)
    totals: defaultdict[str, int] = defaultdict(int)
    start = time.perf_counter_ns()
    if mode == "single":  # the build's own path in one process, every call into WeasyPrint timed
        weasyprint.HTML.render = timed(totals, "weasyprint", weasyprint.HTML.render)
        LaidOut.write_pdf = timed(totals, "weasyprint", LaidOut.write_pdf)
        renderer.compact_pdf = timed(totals, "compact", compact.compact_pdf)  # type: ignore[attr-defined]
        subsetting.subset_compactly = timed(totals, "subsets", subsetting.subset_compactly)  # inside write_pdf: ours
        options_of = archival.archival_options

        def finisher_timed(doc: Any, finisher: Any) -> dict[str, object]:  # the finisher, inside write_pdf: ours
            options = options_of(doc, finisher)
            return {**options, "finisher": timed(totals, "finish", options["finisher"])}  # type: ignore[arg-type]

        renderer.archival_options = finisher_timed  # type: ignore[attr-defined]
        renderer.collected_once = collected_timed(totals)  # type: ignore[attr-defined,assignment]
    render_all(docs, out, TEMPLATES, Progress(False, len(docs)), fonts, most_workers=1 if mode == "single" else WORKERS)
    totals["stage"] = time.perf_counter_ns() - start
    print(json.dumps({"docs": len(docs), **{key: value // 1_000_000 for key, value in totals.items()}}))


def measured(root: Path, mode: str, notices: int) -> tuple[dict[str, int], Cost]:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, __file__, "--child", mode, "--root", str(root), "--notices", str(notices), out]
        printed, cost = output_and_cost(command, {"PYTHONPATH": str(TOOL_ROOT)})
    answer: dict[str, int] = json.loads(printed)
    return answer, cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=40)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--notices", type=int, default=24)
    parser.add_argument("--child", choices=("single", "pool"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("out", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.root, args.child, args.notices, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.communities, args.entries, seed=1)
        single, single_cost = measured(root, "single", args.notices)
        pool, pool_cost = measured(root, "pool", args.notices)
    weasyprint_ms = single["weasyprint"] - single["subsets"] - single["finish"]  # our code, inside write_pdf
    overhead = single["stage"] - weasyprint_ms
    print(machine())
    print()
    print(f"{args.communities:,} communities, {args.entries:,} entries: {single['docs']} notices")
    print("| mode | stage wall ms | process wall ms | CPU ms | peak MiB (largest process) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, inside, cost in (("one process", single, single_cost), ("pool of workers", pool, pool_cost)):
        peak = (cost.peak_kib + 512) // 1024
        print(f"| {name} | {inside['stage']:,} | {cost.wall_ms:,} | {cost.cpu_ms:,} | {peak} |")
    print()
    collect, compacting, subsets, finishing = single["collect"], single["compact"], single["subsets"], single["finish"]
    own = overhead - collect
    stage = single["stage"]
    print(
        f"one process: WeasyPrint {weasyprint_ms:,} ms; outside it {overhead:,} ms "
        f"({percent(overhead, stage)} of the stage): freeing WeasyPrint's layout trees (the collection "
        f"after each notice) {collect:,} ms ({percent(collect, stage)}), our own code {own:,} ms "
        f"({percent(own, stage)}): subsetting the fonts in WeasyPrint's place {subsets:,} ms ({percent(subsets, stage)}), "
        f"compacting them {compacting:,} ms ({percent(compacting, stage)}), the finisher (the gaps erased, the glyphs renumbered, the XMP) "
        f"{finishing:,} ms ({percent(finishing, stage)}), the rest {own - subsets - compacting - finishing:,} ms "
        f"({percent(own - subsets - compacting - finishing, stage)}); without the subsetting WeasyPrint would do itself: "
        f"{percent(own - subsets, stage)}"
    )
    print(f"speed-up of the pool over one process: {ratio(single['stage'], pool['stage'])} (stage wall time)")


def percent(part: int, whole: int) -> str:
    tenths = (2000 * part + whole) // (2 * whole) if whole else 0
    return f"{tenths // 10}.{tenths % 10} %"


if __name__ == "__main__":
    main()
