#!/usr/bin/env python3
"""考核台帐 — validate the ledgers, score the communities and build output/.

Run ``python build.py --help`` for the commands.

SIGINT or SIGTERM at any moment ends the tool with one line on stderr and exit
code 130 or 143, never a traceback: :func:`kaohe.cli.main.main` handles them
while a command runs, this file while the tool is still loading; once the
command has finished, a signal simply ends the process.
"""

import atexit
import contextlib
import importlib.util
import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import NoReturn

EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE = 130, 143, 2
TOOL_ROOT = Path(__file__).resolve().parent
VENV_PYTHON = TOOL_ROOT / ".venv" / "bin" / "python"  # made by scripts/setup.sh
NEEDED = ("ruamel", "jinja2")  # the tool's own packages: without them this is not its Python


def use_the_tools_python() -> None:
    """``python build.py`` with any Python: when it lacks the tool's packages, run again with ``.venv``'s.

    So the one way of calling the tool that the README and every hint give works inside the
    virtualenv or outside it. Without a ``.venv`` it says how to make one, in one line.
    """
    if all(importlib.util.find_spec(name) is not None for name in NEEDED):
        return
    if VENV_PYTHON.is_file() and os.environ.get("KAOHE_REEXEC") != "1":
        os.environ["KAOHE_REEXEC"] = "1"  # never a loop, whatever that Python holds
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    message = f"build.py: this Python ({sys.executable}) lacks the tool's packages: run scripts/setup.sh first"
    if "--json" in sys.argv:
        print(json.dumps({"error": message}))
    print(message, file=sys.stderr)
    sys.exit(EXIT_USAGE)


class StoppedWhileLoading(BaseException):
    """SIGTERM before :mod:`kaohe.cli` has installed its own handler."""


def stop_loading(signum: int, frame: FrameType | None) -> None:
    raise StoppedWhileLoading("SIGTERM")


def run() -> int:
    """Load the tool and run the command; the exit code."""
    if signal.getsignal(signal.SIGTERM) != signal.SIG_IGN:  # a signal ignored by whoever started us stays ignored
        signal.signal(signal.SIGTERM, stop_loading)
    try:
        from kaohe.collector import paused_then_kept

        with paused_then_kept():  # the modules' classes and functions: not garbage, never walked by the collector
            from kaohe.cli.main import main
        code = main()
        done()
    except (KeyboardInterrupt, StoppedWhileLoading) as stop:
        done()
        terminated = "SIGTERM" in stop.args  # kaohe.cli's Terminated says so too
        message = f"build.py interrupted by {'SIGTERM' if terminated else 'SIGINT'}"
        if "--json" in sys.argv:
            print(json.dumps({"error": message}))
        print(message, file=sys.stderr)
        code = EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    return code


def done() -> None:
    """From here on a signal just ends the process (unless ignored): nothing is left to clean up."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) != signal.SIG_IGN:
            signal.signal(signum, signal.SIG_DFL)


def exit_now(code: int) -> NoReturn:
    """End the process without tearing the interpreter down object by object.

    Freeing a build's model, WeasyPrint's fonts and every module one by one takes about half a
    second and serves nothing once the command is done. The atexit handlers still run and both
    streams are flushed first. Python's own exit is taken when another thread still runs (it waits
    for it), and after a pool of worker processes was started: multiprocessing's resource tracker
    counts on it to release the pool's semaphores, and says they leaked otherwise.
    """
    if threading.active_count() > 1 or started_a_resource_tracker():
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``| head``): nothing more goes there
            stream.flush()
    os._exit(code)


def started_a_resource_tracker() -> bool:
    """Whether this process started multiprocessing's resource tracker (the PDF pool's workers do)."""
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    return tracker is not None and getattr(getattr(tracker, "_resource_tracker", None), "_pid", None) is not None


if __name__ == "__main__":
    use_the_tools_python()
    exit_now(run())
