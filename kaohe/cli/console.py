"""What every command shares on the command line: the command record, exit codes, printing.

A command parses its arguments, calls one library function in :mod:`kaohe.actions`
and prints the result object it returns: text for people, or with ``--json``
one JSON object on stdout for editors and CI.

SIGINT and SIGTERM end every command the same way: :func:`signals_raise` makes
SIGTERM raise :class:`Terminated` (a :class:`KeyboardInterrupt`, so every
clean-up path that handles Ctrl-C handles both), and :func:`interrupted` prints
one line and gives exit code 130 or 143 (128 + the signal's number).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from kaohe.errors import Diagnostic

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM  # 130, 143: the shell's convention


@dataclass(frozen=True)
class Command:
    """One ``build.py`` command: its help, its own arguments, and what it runs (returning the exit code)."""

    name: str
    help: str
    description: str
    run: Callable[[argparse.Namespace], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    interrupted: str = ""  # what an interrupt leaves behind, said after "<name> interrupted by SIGINT: "


def counted(number: int, what: str) -> str:
    """``1 entry``, ``2 entries``, ``1 blank row``."""
    if number == 1:
        return f"1 {what}"
    return f"{number} {what[:-1]}ies" if what.endswith("y") else f"{number} {what}s"


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """``path:line:col: error: message``, one per line, on stderr."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def print_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))


def exit_code(ok: bool) -> int:
    return EXIT_OK if ok else EXIT_FAILED


def usage_error(command: str, message: str, as_json: bool) -> int:
    """A wrong argument: the message on stderr (and as JSON on stdout with ``--json``); exit 2."""
    text = message if message.startswith(f"{command}:") else f"{command}: {message}"
    if as_json:
        print_json({"error": text})
    print(text, file=sys.stderr)
    return EXIT_USAGE


def failure(command: str, message: str, as_json: bool) -> int:
    """The command could not do its work (not a usage error): exit 1."""
    text = f"{command}: {message}"
    if as_json:
        print_json({"error": text})
    print(text, file=sys.stderr)
    return EXIT_FAILED


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's :class:`KeyboardInterrupt`."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signal.Signals(signum).name)


@contextmanager
def signals_raise() -> Iterator[None]:
    """While a command runs, SIGTERM raises :class:`Terminated`; the previous handler is restored after.

    SIGINT keeps Python's handler (it raises KeyboardInterrupt). A SIGTERM the caller chose to
    ignore stays ignored, and outside the main thread (where no handler can be set) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupted(command: str, stop: KeyboardInterrupt, as_json: bool, detail: str = "") -> int:
    """One line on stderr (and ``{"error": …}`` with ``--json``) for a command stopped by a signal; 130 or 143.

    A note on the exception (``add_note``) says what the interrupt left behind when that differs from ``detail``.
    """
    terminated = isinstance(stop, Terminated)
    detail = (getattr(stop, "__notes__", None) or [detail])[-1]
    text = f"{command} interrupted by {'SIGTERM' if terminated else 'SIGINT'}" + (f": {detail}" if detail else "")
    if as_json:
        print_json({"error": text})
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K")  # over a progress line or the terminal's ^C
    print(text, file=sys.stderr)
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
