"""The site's workbook download alone: ``results_xlsx`` of a city, its CPU time and peak memory.

    python bench/bench_xlsx.py [--communities 1000] [--entries 100000] [--runs 2] [--against REV]

Generates a year (``generate.py``), scores it and gathers the site's data once, as
``bench_site.py`` does, then writes ``results.xlsx`` (``kaohe/render/site/export.py``)
``--runs`` times, each in a forked child of its own so that its peak memory is its own:
the growth of the child's resident set over what it shares with the parent (the kernel's
high-water mark, reset as the run starts). With ``--against REV`` the ``export.py`` of
that git revision writes it too, the two taking turns (so that the machine's other work
falls on both alike), and the bench says whether the two wrote the same cells.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generate import generate
from measure import TOOL_ROOT, machine

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.site import export
from kaohe.render.site.context import SiteData, gather

EPOCH = 1231718400
Writer = Callable[[SiteData, int], bytes]


def export_at(revision: str) -> Writer:
    """``results_xlsx`` of ``kaohe/render/site/export.py`` as it was at ``revision``."""
    source = subprocess.run(
        ["git", "-C", str(TOOL_ROOT), "show", f"{revision}:kaohe/render/site/export.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType(f"export_{revision}")
    exec(compile(source, f"{revision}:export.py", "exec"), module.__dict__)  # our own history
    writer: Writer = module.results_xlsx
    return writer


def kib_status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def one_run(writer: Writer, data: SiteData) -> tuple[int, int, bytes]:
    """CPU ms, peak KiB over the start, and the bytes of one run, in a forked child."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run once, send the answer, leave without cleaning up
        os.close(reading)
        Path("/proc/self/clear_refs").write_text("5")  # the high-water mark back to the resident set
        base = kib_status("VmHWM")
        start = time.process_time_ns()
        payload = writer(data, EPOCH)
        cpu = (time.process_time_ns() - start) // 1_000_000
        answer = pickle.dumps((cpu, kib_status("VmHWM") - base, payload))
        with os.fdopen(writing, "wb") as out:
            out.write(answer)
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as into:
        cpu, peak, payload = pickle.loads(into.read())  # our own child
    os.waitpid(pid, 0)
    return cpu, peak, payload


def cells(payload: bytes) -> list[tuple[str, list[list[tuple[Any, ...]]]]]:
    """Every sheet's name and every cell as openpyxl reads it: text or number, its value and number format.

    An empty cell is ``()`` however it is stored (and none ends a row); a number is compared as a number (``21`` and ``21.0``,
    the ``<v>`` texts "21" and "21.00", are the same).
    """
    from openpyxl import load_workbook

    def fact(value: Any, number_format: str) -> tuple[Any, ...]:
        return () if value is None else (isinstance(value, str), value, number_format)

    def trimmed(row: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:  # a sheet's stated size pads its rows
        while row and row[-1] == ():
            row.pop()
        return row

    book = load_workbook(io.BytesIO(payload), read_only=True)
    return [
        (sheet.title, [trimmed([fact(c.value, c.number_format) for c in row]) for row in sheet.iter_rows()])
        for sheet in book.worksheets
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--against", metavar="REV", help="a git revision whose export.py writes it too, in turns")
    args = parser.parse_args()
    writers: dict[str, Writer] = {"this": export.results_xlsx}
    if args.against:
        writers = {args.against: export_at(args.against), **writers}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.communities, args.entries, seed=1)
        outcome = run(WorkingTree(root))
        assert outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error][:5]
        gc.freeze()  # as the build does: the model out of the collector's sight…
        gc.disable()  # …and the collector paused while a renderer runs (kaohe/collector.py)
        data = gather(outcome.results, root / "output", (), root, "2009-01-12", False)
        runs: dict[str, list[tuple[int, int]]] = {label: [] for label in writers}
        made: dict[str, bytes] = {}
        for _ in range(args.runs):
            for label, writer in writers.items():
                cpu, peak, payload = one_run(writer, data)
                runs[label].append((cpu, peak))
                if made.setdefault(label, payload) != payload:
                    sys.exit(f"{label}: two runs gave different bytes")
    print(machine())
    print()
    print(f"{args.communities:,} communities, {args.entries:,} entries: results.xlsx")
    for label, costs in runs.items():
        each = ", ".join(f"{cpu:,} ms / {peak // 1024:,} MiB" for cpu, peak in costs)
        digest = hashlib.sha256(made[label]).hexdigest()[:12]
        print(f"  {label}: CPU / peak memory of each run: {each}; {len(made[label]):,} bytes, sha256 {digest}…")
    if args.against:
        same = cells(made[args.against]) == cells(made["this"])
        print(
            f"  the same sheets and cells (text or number, value, number format) as {args.against}: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
