"""Build: gather everything first, render into a temporary folder, then swap it in.

A failed build leaves the previous ``output/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kaohe.render import RenderEnv, Renderer
from kaohe.scoring.results import Results


class BuildError(Exception):
    """A renderer could not finish; the message is for the user (no traceback)."""


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def build_output(results: Results, output: Path, renderers: Sequence[Renderer], env: RenderEnv) -> None:
    """Run every renderer into a fresh folder beside ``output`` and swap it in atomically."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for render in renderers:
            render(results, staging, env)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    _swap(staging, output)


def _swap(staging: Path, output: Path) -> None:
    retired = output.parent / f".{output.name}.old"
    shutil.rmtree(retired, ignore_errors=True)
    if output.exists():
        output.rename(retired)
    staging.rename(output)
    shutil.rmtree(retired, ignore_errors=True)
