"""What the git workflow commands share on the command line: exit codes and diagnostics output."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kaohe.errors import Diagnostic

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A wrong argument (an unknown revision, a file outside content/): the message is for the user."""


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    """``path:line:col: error: message``, one per line, on stderr."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def fail(message: str, code: int = EXIT_FAILED) -> int:
    print(message, file=sys.stderr)
    return code
