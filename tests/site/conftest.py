"""Site tests: the ``--update-snapshots`` flag, a session-wide path to the built sample site (the browser: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_support import project_results

from kaohe.scoring.results import Results


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite tests/site/snapshots/ from the current rendering instead of comparing with it",
    )


@pytest.fixture(scope="session")
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest.fixture(scope="session")
def sample_site(built_sample: Path) -> Path:
    """``output/site`` of the session's sample build."""
    return built_sample / "output" / "site"


@pytest.fixture(scope="session")
def site_results(built_sample: Path) -> Results:
    """The sample build's results, recomputed in this process from the built project's content."""
    return project_results(built_sample)
