"""``build.py serve`` as a user runs it: it says where it serves, and Ctrl-C stops it with one line and exit 130."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from serve_support import TOOL_ROOT
from support import copy_project, small_project, write_project


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


ENTRY = "- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 两项制度不全}\n"


def test_a_preview_with_notices_loads_weasyprint_before_any_thread_starts(tmp_path: Path) -> None:
    """Its import swaps process-wide names for a moment (kaohe/render/pdf/loading.py): done while only one thread runs."""
    project = write_project(tmp_path / "project", small_project(ENTRY))
    code = f"""
import sys, threading
from pathlib import Path
from kaohe.actions.serve.server import start
started = threading.Thread.start
def start_thread(self):
    print("weasyprint loaded when a thread starts:", "weasyprint.html" in sys.modules, flush=True)
    started(self)
threading.Thread.start = start_thread
running = start(Path({str(project)!r}), Path({str(TOOL_ROOT / "templates")!r}), "127.0.0.1", 0, True, print, True)
running.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=TOOL_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("weasyprint loaded")]
    assert lines and all(line.endswith("True") for line in lines)
