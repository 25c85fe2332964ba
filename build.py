#!/usr/bin/env python3
"""考核台帐 — validate the ledgers, score the communities and build output/.

Run ``python build.py --help`` for the commands.

SIGINT or SIGTERM at any moment ends the tool with one line on stderr and exit
code 130 or 143, never a traceback: :func:`kaohe.cli.main.main` handles them
while a command runs, this file while the tool is still loading; once the
command has finished, a signal simply ends the process.
"""

import json
import signal
import sys
from types import FrameType

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class StoppedWhileLoading(BaseException):
    """SIGTERM before :mod:`kaohe.cli` has installed its own handler."""


def stop_loading(signum: int, frame: FrameType | None) -> None:
    raise StoppedWhileLoading("SIGTERM")


def run() -> int:
    """Load the tool and run the command; the exit code."""
    if signal.getsignal(signal.SIGTERM) != signal.SIG_IGN:  # a signal ignored by whoever started us stays ignored
        signal.signal(signal.SIGTERM, stop_loading)
    try:
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


if __name__ == "__main__":
    sys.exit(run())
