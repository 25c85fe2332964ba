"""The fuzzer (bench/fuzz.py): its quick seeded subset, its oracle, and a replay of every failure it kept.

The long run is ``PYTHONPATH=. .venv/bin/python bench/fuzz.py --cases 10000 --seed 1 --jobs 2 --keep DIR``.
Here the quick profile runs in-process: it writes no bombs (alias fan-out, deep nesting, long values),
which only a worker process with a memory cap can contain. Kept fixtures (tests/data/fuzz/) are
replayed in one subprocess, each in a forked process of its own with the same caps as the long run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import TOOL_ROOT

from kaohe.errors import Diagnostic, Pos, Severity

sys.path.insert(0, str(TOOL_ROOT / "bench"))
import fuzz  # bench/ is not a package: its modules import as top-level ones

QUICK_SEED = 2008
QUICK_CASES = 200  # about 0.15 s each on one core
CHUNK = 20  # cases per test, so that xdist spreads them and a failure names its cases
FIXTURES = TOOL_ROOT / "tests" / "data" / "fuzz"
FIXTURE_DIRS = sorted(p for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []

# Kept failures that still fail, each with the reason; remove an entry once its bug is fixed.
KNOWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def base() -> fuzz.Files:
    return fuzz.load_base()


def describe_failure(case: fuzz.Case, verdict: fuzz.Verdict) -> str:
    ops = "\n".join(f"    {op.describe()}" for op in case.ops)
    again = f"PYTHONPATH=. .venv/bin/python bench/fuzz.py --quick --seed {case.seed} --show {case.index}"
    return f"case {case.index}: {verdict.signature}\n{ops}\n  {verdict.detail.strip()[-1500:]}\n  ({again})"


@pytest.mark.parametrize("first", range(0, QUICK_CASES, CHUNK))
def test_quick_seeded_subset_never_raises_and_positions_every_diagnostic(base: fuzz.Files, first: int) -> None:
    failures = []
    for index in range(first, min(first + CHUNK, QUICK_CASES)):
        case = fuzz.make_case(QUICK_SEED, index, base, fuzz.QUICK)
        verdict = fuzz.check(fuzz.apply_ops(base, case.ops), fuzz.TIME_LIMIT)
        if verdict.failed:
            failures.append(describe_failure(case, verdict))
    assert not failures, "\n\n".join(failures)


def test_a_case_is_the_same_every_time_and_cases_differ(base: fuzz.Files) -> None:
    cases = [fuzz.make_case(QUICK_SEED, index, base, fuzz.QUICK) for index in range(20)]
    assert [fuzz.make_case(QUICK_SEED, index, base, fuzz.QUICK) for index in range(20)] == cases
    assert len({case.ops for case in cases}) == len(cases)
    assert fuzz.make_case(QUICK_SEED + 1, 0, base, fuzz.QUICK) != cases[0]
    assert all(1 <= len(case.ops) <= 3 for case in cases)


def test_the_quick_subset_mutates_in_every_way_but_bombs(base: fuzz.Files) -> None:
    labels = {
        op.label for index in range(QUICK_CASES) for op in fuzz.make_case(QUICK_SEED, index, base, fuzz.QUICK).ops
    }
    expected = {
        "delete-key", "wrong-type", "typo-id", "typo-key", "date", "number", "delete-entry", "dup-entry", "dup-key",
        "yaml-syntax", "delete-file", "copy-file", "rename-file", "new-file", "byte-flip", "truncate", "crlf", "bom",
        "tabs",
    }  # fmt: skip
    assert expected <= labels
    assert not labels & {"alias-bomb", "deep-nesting", "long-value", "many-entries"}


def test_the_unmutated_sample_passes(base: fuzz.Files) -> None:
    verdict = fuzz.check(base)
    assert not verdict.failed, verdict.detail


def diagnostic(path: str, line: int, col: int, message: str = "x") -> Diagnostic:
    return Diagnostic(Pos(path, line, col), Severity.ERROR, message)


def test_the_oracle_accepts_positions_inside_the_file_and_nothing_else() -> None:
    files = {"content/a.yaml": b"ab: 1\ncd: [\n", "content/b.yaml": b"x\r\ny\rz\xe2\x80\xa8w", "content/c.yaml": b""}
    inside = [
        diagnostic("content/a.yaml", 1, 1),
        diagnostic("content/a.yaml", 2, 6),  # one past the end of a line
        diagnostic("content/b.yaml", 3, 2),  # lines broken by \r\n, \r and U+2028, as YAML breaks them
        diagnostic("content/b.yaml", 4, 2),
        diagnostic("content/c.yaml", 1, 1),  # an empty file has one empty line
        diagnostic("content/rubric.yaml", 1, 1, "file not found"),  # asked for, missing
    ]
    outside = [
        diagnostic("content/a.yaml", 3, 1),  # one line past the end
        diagnostic("content/a.yaml", 1, 7),
        diagnostic("content/a.yaml", 0, 1),
        diagnostic("content/b.yaml", 5, 1),
        diagnostic("content/c.yaml", 1, 2),
        diagnostic("content/rubric.yaml", 2, 1),
        diagnostic("<none>", 1, 1),
        diagnostic("content/a.yaml", 1, 1, " "),
    ]
    asked = {"content/rubric.yaml"}
    assert [fuzz.position_problem(d, files, asked) for d in inside] == [None] * len(inside)
    assert all(fuzz.position_problem(d, files, asked) for d in outside)


def test_a_failure_shrinks_to_the_mutation_that_causes_it() -> None:
    base = {"content/a.yaml": b"0123456789"}
    ops = [
        fuzz.Op("byte-flip", "splice", "content/a.yaml", 0, 1, b"x"),
        fuzz.Op("number", "splice", "content/a.yaml", 5, 6, b"...BOOM..."),
        fuzz.Op("copy-file", "copy", "content/a.yaml", target="content/b.yaml"),
    ]

    def attempt(files: fuzz.Files) -> fuzz.Verdict:
        boom = b"BOOM" in files.get("content/a.yaml", b"")
        return fuzz.Verdict("exception", "Boom in test") if boom else fuzz.Verdict("ok")

    shrunk, verdict = fuzz.shrink(ops, base, "Boom in test", attempt)
    assert verdict is not None and verdict.signature == "Boom in test"
    assert shrunk == (ops[1],)  # halving "...BOOM..." loses the BOOM


def test_an_exception_and_a_timeout_are_verdicts(monkeypatch: pytest.MonkeyPatch, base: fuzz.Files) -> None:
    def explode(source: object) -> None:
        raise ZeroDivisionError

    def dawdle(source: object) -> None:
        while True:
            pass

    monkeypatch.setattr(fuzz, "run", explode)
    assert fuzz.check(base).signature == "ZeroDivisionError in outside kaohe"
    monkeypatch.setattr(fuzz, "run", dawdle)
    assert fuzz.check(base, limit=0.2).kind == "timeout"


# --- kept failures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replayed() -> dict[str, Any]:
    """Every kept fixture re-run by ``bench/fuzz.py --replay --json``: each in a capped process of its own."""
    if not FIXTURE_DIRS:
        return {}
    done = subprocess.run(
        [sys.executable, str(TOOL_ROOT / "bench" / "fuzz.py"), "--replay", *map(str, FIXTURE_DIRS), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(TOOL_ROOT)},
        cwd=TOOL_ROOT,
        timeout=60 * len(FIXTURE_DIRS) + 60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    verdicts: dict[str, Any] = json.loads(done.stdout)
    return verdicts


def fixture_params() -> list[Any]:
    return [
        pytest.param(p.name, marks=pytest.mark.xfail(strict=False, reason=KNOWN[p.name])) if p.name in KNOWN else p.name
        for p in FIXTURE_DIRS
    ]


@pytest.mark.parametrize("name", fixture_params())
def test_a_kept_failure_no_longer_fails(replayed: dict[str, Any], name: str) -> None:
    verdict = replayed[name]
    assert verdict["kind"] == "ok", f"{verdict['signature']}\n{verdict['detail']}"


def test_every_kept_failure_says_what_it_found_and_holds_only_content_files() -> None:
    for folder in FIXTURE_DIRS:
        readme = (folder / "README").read_text(encoding="utf-8")
        assert len(readme.strip().splitlines()) == 1, folder
        for path in folder.rglob("*"):
            relpath = path.relative_to(folder).as_posix()
            assert path.is_dir() or relpath in ("README", "deleted", "ops.txt") or relpath.startswith("content/"), path
        changed = [p for p in (folder / "content").rglob("*") if p.is_file()] if (folder / "content").is_dir() else []
        assert changed or (folder / "deleted").is_file(), folder
    assert set(KNOWN) <= {p.name for p in FIXTURE_DIRS}, "KNOWN names a fixture that is not kept"


def test_a_fixture_replays_as_the_files_it_changes(tmp_path: Path, base: fuzz.Files) -> None:
    case = fuzz.Case(1, 7, (fuzz.Op("delete-file", "delete", "content/decision.yaml"),))
    ops = (*case.ops, fuzz.Op("bom", "splice", "content/rubric.yaml", 0, 0, fuzz.BOM))
    folder = fuzz.write_fixture(tmp_path, base, case, ops, fuzz.Verdict("timeout", "timeout", "no outcome"))
    assert (folder / "deleted").read_text(encoding="utf-8") == "content/decision.yaml\n"
    assert [p.relative_to(folder).as_posix() for p in (folder / "content").rglob("*")] == ["content/rubric.yaml"]
    assert fuzz.load_fixture(folder, base) == fuzz.apply_ops(base, ops)
