"""Run a command as a child process and read what it cost: wall time, CPU time, peak memory.

CPU time and peak memory come from the kernel's accounting of the child
(``wait4``), so they are the child's own, whatever else the machine is doing;
wall time is taken around it. Every benchmark here takes the best of a few runs.

The tool's modules are compiled to bytecode on import of this module, as ``scripts/setup.sh``
does: where ``PYTHONDONTWRITEBYTECODE`` is set (many container images) and the checkout has
had no setup of its own (a worktree of older code, for a comparison), each child would
otherwise compile all of ``kaohe/`` again, some 0.25 s of CPU a command that a user's
command does not pay.
"""

from __future__ import annotations

import compileall
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TOOL_ROOT = Path(__file__).resolve().parent.parent
BUILD_PY = TOOL_ROOT / "build.py"
compileall.compile_dir(TOOL_ROOT / "kaohe", quiet=1)


@dataclass(frozen=True)
class Cost:
    wall_ms: int
    cpu_ms: int
    peak_kib: int

    def better(self, other: Cost) -> Cost:
        return self if self.cpu_ms <= other.cpu_ms else other


def cost_of(command: Sequence[str], env: dict[str, str] | None = None, expect: int | None = 0) -> Cost:
    """One run of ``command``; its output is thrown away; a run that exits otherwise than ``expect`` stops the bench."""
    return _run(command, env, expect, capture=False)[0]


def output_and_cost(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[bytes, Cost]:
    """One run of ``command`` that must succeed: what it printed on stdout, and its cost."""
    cost, out = _run(command, env, 0, capture=True)
    return out, cost


def build_json(root: Path, build_py: Path = BUILD_PY) -> tuple[dict[str, Any], Cost]:
    """A full ``build --json`` of the project at ``root`` (fixed SOURCE_DATE_EPOCH): its JSON answer and its cost.

    ``build_py``: another checkout's build.py (a comparison with an earlier revision).
    """
    command = [sys.executable, str(build_py), "--root", str(root), "build", "--json"]
    out, cost = output_and_cost(command, {"SOURCE_DATE_EPOCH": "1231718400"})
    answer: dict[str, Any] = json.loads(out)
    return answer, cost


def _run(command: Sequence[str], env: dict[str, str] | None, expect: int | None, capture: bool) -> tuple[Cost, bytes]:
    start = time.monotonic_ns()
    child = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    out = child.stdout.read() if child.stdout is not None else b""
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = (time.monotonic_ns() - start) // 1_000_000
    code = os.waitstatus_to_exitcode(status)
    if expect is not None and code != expect:
        raise SystemExit(f"{' '.join(command)} exited {code}: {out[-2000:]!r}")
    cpu = round((usage.ru_utime + usage.ru_stime) * 1000)
    return Cost(wall, cpu, usage.ru_maxrss), out


def best_of(runs: int, command: Sequence[str], env: dict[str, str] | None = None, expect: int | None = 0) -> Cost:
    best = cost_of(command, env, expect)
    for _ in range(runs - 1):
        best = best.better(cost_of(command, env, expect))
    return best


def check_command(root: Path) -> list[str]:
    return [sys.executable, str(BUILD_PY), "--root", str(root), "check", "--quiet"]


def ratio(value: int, floor: int, places: int = 2) -> str:
    """``value`` / ``floor`` to ``places`` places, half-up, from whole milliseconds (no float)."""
    if floor <= 0:
        return "–"
    scale = 10**places
    rounded = (2 * scale * value + floor) // (2 * floor)
    return f"{rounded // scale}.{rounded % scale:0{places}d}×" if places else f"{rounded}×"


def machine() -> str:
    """One line for the report: when, where, on what."""
    cpus = os.cpu_count() or 0
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{when}; {platform.machine()}, {cpus} CPUs, load {load}; Python {platform.python_version()}; {platform.platform()}"
