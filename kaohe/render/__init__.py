"""Renderers turn computed results into files under a (temporary) output folder.

Each renderer is a callable ``(results, out_dir, env) -> None``; the builder
runs them all into a fresh folder and swaps it in only when every one succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kaohe.scoring.results import Results


@dataclass(frozen=True)
class RenderEnv:
    """What renderers share: where the tool's templates are and the build's fixed date."""

    project_root: Path  # the content's project (content/, output/)
    templates_dir: Path  # the tool's templates/
    source_date_epoch: int | None  # SOURCE_DATE_EPOCH, for any date written into output
    progress: bool = False  # show progress on a terminal


Renderer = Callable[[Results, Path, RenderEnv], None]
