"""Shared fixtures: copies of the sample project, the CLI, one session-wide sample build."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import FIXED_EPOCH, copy_project, run_cli  # noqa: F401 - re-exported for fixtures


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample year."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample year built once per session; returns the project root (output/ inside).

    The build's ``--json`` report is kept beside output/ as ``build.json``.
    """
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    done = run_cli(root, "build", "--json")
    assert done.returncode == 0, done.stderr
    (root / "build.json").write_text(done.stdout, encoding="utf-8")
    yield root


@pytest.fixture(scope="session")
def sample_results(built_sample: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((built_sample / "output" / "results.json").read_text(encoding="utf-8"))
    return data


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current results")
