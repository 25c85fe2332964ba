"""``build``: check, then render everything into a staging folder and swap it in for ``output/``.

Everything is gathered before anything is written, and a failed build leaves
the previous ``output/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaohe.actions.check import OUTPUT_DIR, CheckResult, check
from kaohe.render import RenderEnv, Renderer, RenderError
from kaohe.render.data import render_results_json
from kaohe.render.pdf import render_pdfs
from kaohe.render.site import render_site
from kaohe.scoring.results import Results

RENDERERS: tuple[Renderer, ...] = (render_results_json, render_pdfs, render_site)  # the site links the PDFs


@dataclass(frozen=True)
class BuildResult:
    checked: CheckResult
    output: Path
    written: tuple[str, ...] = ()  # every file written, relative to the output folder
    error: str = ""  # a renderer could not finish: output/ was left as it was

    @property
    def ok(self) -> bool:
        return self.checked.ok and not self.error

    def as_json(self) -> dict[str, Any]:
        return self.checked.as_json() | {"output": str(self.output), "written": list(self.written), "error": self.error}


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def build(root: Path, templates_dir: Path, progress: bool = False) -> BuildResult:
    """Check the project at ``root`` and, when its content has no errors, build ``root/output``."""
    checked = check(root)
    output = root / OUTPUT_DIR
    results = checked.results
    if results is None:
        return BuildResult(checked, output)
    env = RenderEnv(
        project_root=root, templates_dir=templates_dir, source_date_epoch=source_date_epoch(), progress=progress
    )
    try:
        written = build_output(results, output, RENDERERS, env)
    except RenderError as exc:
        return BuildResult(checked, output, error=str(exc))
    return BuildResult(checked, output, written)


def build_output(results: Results, output: Path, renderers: Sequence[Renderer], env: RenderEnv) -> tuple[str, ...]:
    """Run every renderer into a fresh folder beside ``output`` and swap it in atomically."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    written: tuple[str, ...] = ()
    try:
        for render in renderers:
            written += render(results, staging, env, written)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    _swap(staging, output)
    return written


def _swap(staging: Path, output: Path) -> None:
    retired = output.parent / f".{output.name}.old"
    shutil.rmtree(retired, ignore_errors=True)
    if output.exists():
        output.rename(retired)
    staging.rename(output)
    shutil.rmtree(retired, ignore_errors=True)
