"""Shared fixtures: copies of the sample project, the CLI, one session-wide sample build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TOOL_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = TOOL_ROOT / "content"
FIXED_EPOCH = "1231718400"  # 2009-01-12, a fixed SOURCE_DATE_EPOCH for reproducible builds


def copy_project(target: Path, content: Path = SAMPLE_CONTENT) -> Path:
    """A project folder at ``target`` holding a copy of ``content``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, target / "content")
    return target


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``build.py`` as a user would, against the project at ``root``."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, str(TOOL_ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample year."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample year built once per session; returns the project root (output/ inside)."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    done = run_cli(root)
    assert done.returncode == 0, done.stderr
    yield root


@pytest.fixture(scope="session")
def sample_results(built_sample: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((built_sample / "output" / "results.json").read_text(encoding="utf-8"))
    return data


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current results")
