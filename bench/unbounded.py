"""``build.py`` with the per-file bounds raised tenfold, for benchmarks of years larger than a city.

    python bench/unbounded.py --root DIR check --quiet

A year of 1,000,000 entries puts some 240,000 entries (2.6 million values, 27 MB) in its
largest ledger, beyond the bounds of ``kaohe/content/limits.py`` (1,200,000 values and
32 MiB a file, far above a real city's largest ledger). Only ``bench_check.py`` uses this,
to show how ``check`` grows past them; the tool itself never raises its bounds.
"""

from __future__ import annotations

import sys

import kaohe.content.limits as limits
import kaohe.content.source as source
import kaohe.content.yamlbuild as yamlbuild
import kaohe.content.yamlnodes as yamlnodes
from kaohe.cli.main import main

RAISED = 10

for module in (limits, source, yamlbuild, yamlnodes):
    for name in ("MAX_NODES", "MAX_FILE_BYTES"):
        if hasattr(module, name):
            setattr(module, name, getattr(module, name) * RAISED)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
