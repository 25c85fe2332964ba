"""``results.json`` (the contract) and ``results.sha256`` (what a decision records)."""

from __future__ import annotations

from pathlib import Path

from kaohe.render import RenderEnv
from kaohe.render.edition import results_bytes
from kaohe.scoring.results import Results

RESULTS_JSON = "results.json"
RESULTS_SHA256 = "results.sha256"


def render_results_json(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    (out_dir / RESULTS_JSON).write_bytes(results_bytes(results, env.public))
    (out_dir / RESULTS_SHA256).write_text(results.sha256 + "\n", encoding="utf-8")
    return (RESULTS_JSON, RESULTS_SHA256)
