"""What every command shares on the command line: the command record, exit codes, printing.

A command parses its arguments, calls one library function in :mod:`kaohe.actions`
and prints the result object it returns: text for people, or with ``--json``
one JSON object on stdout for editors and CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kaohe.errors import Diagnostic

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Command:
    """One ``build.py`` command: its help, its own arguments, and what it runs (returning the exit code)."""

    name: str
    help: str
    description: str
    run: Callable[[argparse.Namespace], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


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
