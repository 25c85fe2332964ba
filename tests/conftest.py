"""Shared fixtures: copies of the sample project, the CLI, one session-wide sample build."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Before anything below imports WeasyPrint, which keeps its C declarations in the user's cache folder
# (kaohe/render/pdf/declarations.py): the tests' own, never the user's.
os.environ["XDG_CACHE_HOME"] = IMPORT_CACHE_HOME = tempfile.mkdtemp(prefix="kaohe-tests-cache-")
atexit.register(shutil.rmtree, IMPORT_CACHE_HOME, True)

import pytest  # noqa: E402
from support import CHROMIUM, CHROMIUM_ARGS, FIXED_EPOCH, copy_project, run_cli  # noqa: E402, F401 - re-exported for fixtures

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session", autouse=True)
def own_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The parse cache's key in a folder of the test session's own, never the user's."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's) for the whole session, whichever tests use it (the site's, the preview's):
    a second sync Playwright in the same process fails ("Sync API inside the asyncio loop"); each test opens its
    own context."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (scripts/setup.sh --dev installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
