"""Time a whole build, stage by stage, on a generated project.

    python bench/bench_build.py [--communities 30] [--entries 3000]

Prints the seconds spent checking the content and in each renderer
(results.json, the PDF notices, the site). One run: rendering dominates and
varies little between runs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generate import generate

from kaohe.actions.build import RENDERERS
from kaohe.cli.build import TEMPLATES_DIR
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv, source_date_epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=30)
    parser.add_argument("--entries", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.communities, args.entries, seed=1)
        start = time.perf_counter()
        outcome = run(WorkingTree(root))
        assert outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error][:5]
        print(f"{'check':<24} {time.perf_counter() - start:8.2f} s")
        out = root / "output"
        out.mkdir()
        env = RenderEnv(root, TEMPLATES_DIR, source_date_epoch(), progress=False)
        written: tuple[str, ...] = ()
        for render in RENDERERS:
            start = time.perf_counter()
            written += render(outcome.results, out, env, written)
            print(f"{render.__name__:<24} {time.perf_counter() - start:8.2f} s")
        pdfs = sum(1 for path in written if path.endswith(".pdf") and path.startswith("pdf/"))
        pages = sum(1 for path in written if path.endswith(".html"))
        print(f"{args.communities} communities, {args.entries} entries: {pdfs} PDFs, {pages} pages")


if __name__ == "__main__":
    main()
