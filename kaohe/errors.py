"""Diagnostics are data: each carries a file position and is collected, never raised."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Pos(NamedTuple):
    """A 1-based position in a content file; ``path`` is relative to the project root.

    Every YAML value carries one (a ledger of 100,000 entries holds a million), so it is a
    named tuple: immutable, ordered by path, line and column, and about twice as quick to
    make as a frozen dataclass.
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    pos: Pos
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.pos.path,
            "line": self.pos.line,
            "column": self.pos.col,
            "severity": self.severity.value,
            "message": self.message,
        }


def error(pos: Pos, message: str) -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, message)


def warning(pos: Pos, message: str) -> Diagnostic:
    return Diagnostic(pos, Severity.WARNING, message)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order: by path, then line and column; duplicates are dropped."""
    unique = dict.fromkeys(diagnostics)
    return sorted(unique, key=lambda d: (d.pos, d.severity is Severity.WARNING, d.message))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def did_you_mean(value: str, candidates: Iterable[str], list_up_to: int = 8) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate; else the valid ones when they are few."""
    options = sorted(set(candidates))
    matches = get_close_matches(value, options, n=1, cutoff=0.6)
    if matches:
        return f" (did you mean '{matches[0]}'?)"
    if 0 < len(options) <= list_up_to:
        return " (valid: " + ", ".join(options) + ")"
    return ""


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    items = [d.as_json() for d in diagnostics]
    errors = sum(1 for i in items if i["severity"] == "error")
    payload = {"diagnostics": items, "errors": errors, "warnings": len(items) - errors}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
