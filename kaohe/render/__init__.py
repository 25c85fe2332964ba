"""Stage 4, render: computed results → files under a (staging) output folder.

Each renderer is a callable ``(results, out_dir, env, earlier) -> written``:
``earlier`` lists the files the renderers before it wrote, ``written`` the
files it wrote itself, as POSIX paths relative to ``out_dir``. The build runs
them all into a fresh folder and swaps it in only when every one succeeded.

:mod:`.vocab` words every fact the same way in every output.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kaohe.scoring.results import Results


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (whole seconds since 1970), the one date a build may write; None when unset or not a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


class RenderError(Exception):
    """A renderer could not finish; the message is for the user (no traceback)."""


@dataclass(frozen=True)
class RenderEnv:
    """What renderers share: where the tool's templates are and the build's fixed date."""

    project_root: Path  # the content's project (content/, output/)
    templates_dir: Path  # the tool's templates/
    source_date_epoch: int | None  # SOURCE_DATE_EPOCH, for any date written into output
    progress: bool = False  # show progress on a terminal
    quiet: bool = False  # say nothing but problems (--quiet, --json)
    public: bool = False  # the public edition (build --public): no names, measures or internal documents
    process_ends: bool = False  # the process ends with the build (``build.py build``): garbage may wait for the exit


Renderer = Callable[[Results, Path, RenderEnv, tuple[str, ...]], tuple[str, ...]]


def written_below(out_dir: Path, folder: Path) -> tuple[str, ...]:
    """Every file below ``folder``, relative to ``out_dir``, sorted."""
    return tuple(sorted(p.relative_to(out_dir).as_posix() for p in folder.rglob("*") if p.is_file()))
