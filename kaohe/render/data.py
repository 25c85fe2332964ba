"""``results.json`` (the contract) and ``results.sha256`` (what a decision records)."""

from __future__ import annotations

from pathlib import Path

from kaohe.render import RenderEnv
from kaohe.scoring.results import Results, results_json_bytes

RESULTS_JSON = "results.json"
RESULTS_SHA256 = "results.sha256"


def render_results_json(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    (out_dir / RESULTS_JSON).write_bytes(results_json_bytes(results))
    (out_dir / RESULTS_SHA256).write_text(results.sha256 + "\n", encoding="utf-8")
    return (RESULTS_JSON, RESULTS_SHA256)
