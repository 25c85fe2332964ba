"""One preview for the whole session: built once (results.json and the site), served from a thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serve_support import Served, serve_in_thread
from support import copy_project


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = copy_project(tmp_path_factory.mktemp("serve") / "project")
    preview, thread = serve_in_thread(root)
    assert preview.running.preview.snapshot.ok, [str(d) for d in preview.running.preview.snapshot.diagnostics]
    yield preview
    preview.running.server.shutdown()
    thread.join(timeout=10)
    preview.running.close()
