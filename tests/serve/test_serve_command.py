"""``build.py serve`` as a user runs it: it says where it serves, and Ctrl-C stops it with one line and exit 130."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from serve_support import TOOL_ROOT
from support import copy_project


def default_sigint() -> None:
    """In the preview's process, before it starts: Ctrl-C as a terminal gives it, even when this run ignores SIGINT
    (a shell's background job does, and a child keeps an ignored signal ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_preview_with_one_line_and_exit_130(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    ledger = root / "content" / "ledgers" / "party.yaml"  # content errors: the first build stops at check (quick)
    ledger.write_text("line: party\nyear: 2008\nentries: [\n", encoding="utf-8")
    command = [sys.executable, str(TOOL_ROOT / "build.py"), "--root", str(root), "serve", "--port", "0"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint) as process:
        assert process.stderr is not None
        watchdog = threading.Timer(120, process.kill)  # a preview that never stops fails the test, never hangs it
        watchdog.start()
        lines = []
        for line in process.stderr:  # the first build's summary, then the address
            lines.append(line)
            if line.startswith("serve: http://127.0.0.1:"):
                break
        process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        watchdog.cancel()
        assert process.wait(timeout=60) == 130
    assert rest == "serve interrupted by SIGINT: preview stopped\n", [*lines, rest]
