"""Fixtures of the git workflow tests: a sample project under git, its results computed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitflow_support import GitProject, copy_content

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.scoring.results import Results

TOOL_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def frozen_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Results]:
    """One copy of the sample year for the whole session, and its results (computed once: it is slow)."""
    root = copy_content(TOOL_ROOT, tmp_path_factory.mktemp("gitflow") / "sample")
    outcome = run(WorkingTree(root))
    assert outcome.ok and outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error]
    return root, outcome.results


@pytest.fixture
def project(tmp_path: Path, frozen_sample: tuple[Path, Results]) -> GitProject:
    """A git repository on ``main`` whose one commit holds the sample year."""
    root, results = frozen_sample
    return GitProject(copy_content(root, tmp_path / "project"), results)
