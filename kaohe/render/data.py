"""``results.json`` (the contract) and ``results.sha256`` (what a decision records)."""

from __future__ import annotations

from pathlib import Path

from kaohe.render import RenderEnv
from kaohe.scoring.results import Results, results_json_bytes


def render_results_json(results: Results, out_dir: Path, env: RenderEnv) -> None:
    (out_dir / "results.json").write_bytes(results_json_bytes(results))
    (out_dir / "results.sha256").write_text(results.sha256 + "\n", encoding="utf-8")
