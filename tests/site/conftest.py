"""Site tests: the ``--update-snapshots`` flag, a session-wide path to the built sample site, one browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_support import CHROMIUM, CHROMIUM_ARGS, project_results

from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's) for the whole session; each test opens its own context."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (scripts/setup.sh --dev installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
