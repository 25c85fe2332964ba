"""The site stage alone, part by part: HTML pages per second, the downloads, the search index and its size.

    python bench/bench_site.py [--communities 1000] [--entries 100000]

Generates a year (``generate.py``), scores it once, then writes the site as the build does
(``kaohe/render/site/pages.py``: the model frozen, the cycle collector paused) and times each
part: the search index and the downloads (results.json, CSV, the workbook) in one process,
the HTML pages by the build's fork pool of 2 and again in one process, timed by template;
last, everything by the pool, as the build writes it. It reports the pages per second of the
HTML (pooled, and in one process), the first load of the search page, and the largest part
of the index a query can load.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from generate import generate
from measure import TOOL_ROOT, machine

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv
from kaohe.render.pool import WORKERS
from kaohe.render.progress import Progress
from kaohe.render.site import pages
from kaohe.render.site.chrome import chrome
from kaohe.render.site.context import gather
from kaohe.render.site.downloads import write_downloads
from kaohe.render.site.jobs import SitePages, page_jobs, write_pages
from kaohe.render.site.search import FOLD_FILE, INDEX_FILE, search_files
from kaohe.render.site.writer import SiteWriter


def kib(size: int) -> str:
    return f"{(size + 512) // 1024:,} KiB"


def write_all(writer: SiteWriter, files: dict[str, bytes]) -> None:
    for relpath, payload in files.items():
        writer.write_bytes(relpath, payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.communities, args.entries, seed=1)
        outcome = run(WorkingTree(root))
        assert outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error][:5]
        out = root / "output"
        env = RenderEnv(root, TOOL_ROOT / "templates", 1231718400)
        times: dict[str, int] = {}

        def timed(label: str, work: Any, *args: Any) -> Any:
            start = time.perf_counter_ns()
            answer = work(*args)
            times[label] = (time.perf_counter_ns() - start) // 1_000_000
            return answer

        gc.freeze()  # as the build does: the model out of the collector's sight…
        gc.disable()  # …and the collector paused while a renderer runs (kaohe/collector.py)
        data = timed("gather", gather, outcome.results, out, (), root, "2009-01-12", False)
        writer = SiteWriter(env, out / pages.SITE_DIR, chrome(data))
        index = timed("search index", search_files, data)
        timed("writing the index", write_all, writer, index)
        timed("downloads", write_downloads, data, writer, out, env.source_date_epoch)
        quiet = Progress(False, 0)
        site_pages = SitePages(data, writer, out, env.source_date_epoch)
        html = [job for job in page_jobs(data) if job.kind not in ("search_index", "downloads")]
        timed("HTML pages", write_pages, site_pages, quiet, WORKERS, html)  # the build's pool of 2
        written: Counter[str] = Counter()
        spent: Counter[str] = Counter()
        page = writer.page

        def counted(template: str, *rest: Any, **view: Any) -> str:
            written[template] += 1
            start = time.perf_counter_ns()
            relpath = page(template, *rest, **view)
            spent[template] += time.perf_counter_ns() - start
            return relpath

        writer.page = counted  # type: ignore[method-assign]
        timed("HTML pages in one process", write_pages, site_pages, quiet, 1, html)
        writer.page = page  # type: ignore[method-assign]
        timed(
            "the index, the downloads and the pages, by the pool (as the build writes them)",
            write_pages,
            site_pages,
            quiet,
        )
    print(machine())
    print()
    print(f"{args.communities:,} communities, {args.entries:,} entries")
    for label, ms in times.items():
        print(f"  {label}: {ms:,} ms")
    count = sum(written.values())
    rate, alone = (count * 1000 // max(times[part], 1) for part in ("HTML pages", "HTML pages in one process"))
    print(
        f"HTML: {count:,} pages ({', '.join(f'{n} {t}' for t, n in written.most_common())}), {rate:,} pages per second"
        f" ({alone:,} in one process)"
    )
    print(
        "  by template, in one process: "
        + ", ".join(f"{t} {spent[t] // 1_000_000:,} ms" for t, _ in spent.most_common())
    )
    parts = {path: len(payload) for path, payload in index.items() if path not in (INDEX_FILE, FOLD_FILE)}
    entry_parts = [size for path, size in parts.items() if "/e-" in path]
    gram_parts = [size for path, size in parts.items() if "/g-" in path]
    print(
        f"search: first load {kib(len(index[INDEX_FILE]) + len(index[FOLD_FILE]))}; {len(entry_parts):,} entry parts of at most "
        f"{kib(max(entry_parts, default=0))}, {len(gram_parts):,} pair parts of at most {kib(max(gram_parts, default=0))}; "
        f"all together {kib(sum(len(b) for b in index.values()))}"
    )


if __name__ == "__main__":
    main()
