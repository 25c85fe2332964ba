"""The parse cache: unchanged files are taken from it, changed ones read again, foreign entries never unpickled."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from support import copy_project, run_cli

from kaohe.actions.check import check
from kaohe.content.cache import CACHE_DIR, DISABLE_VARIABLE, PARSE_DIR, ParseCache
from kaohe.content.load import load_content
from kaohe.content.source import WorkingTree

LEDGER = "content/ledgers/party.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def content_files(root: Path) -> int:
    return len(list((root / "content").rglob("*.yaml")))


def test_a_second_load_takes_every_unchanged_file_from_the_cache_and_gives_the_same_content(project: Path) -> None:
    first_cache = ParseCache.at(project)
    first = load_content(WorkingTree(project), first_cache)
    second_cache = ParseCache.at(project)
    second = load_content(WorkingTree(project), second_cache)
    assert (first_cache.hits, first_cache.misses) == (0, content_files(project))
    assert (second_cache.hits, second_cache.misses) == (content_files(project), 0)
    assert second.content == first.content
    assert second.diagnostics == first.diagnostics


def test_an_edited_ledger_is_read_again_and_only_that_one(project: Path) -> None:
    load_content(WorkingTree(project), ParseCache.at(project))
    ledger = project / LEDGER
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("year: 2008", "year: 2007", 1), encoding="utf-8")
    cache = ParseCache.at(project)
    loaded = load_content(WorkingTree(project), cache)
    assert cache.misses == 1
    assert next(ledger for ledger in loaded.content.ledgers if ledger.path == LEDGER).year == 2007


def test_diagnostics_of_a_cached_file_are_reported_again(project: Path) -> None:
    ledger = project / LEDGER
    ledger.write_text(ledger.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    first = check(project)
    second = check(project)
    unknown = [str(d) for d in second.diagnostics if "unknown key 'colour'" in d.message]
    assert unknown and [str(d) for d in first.diagnostics] == [str(d) for d in second.diagnostics]


def test_an_entry_not_sealed_with_this_users_key_is_never_unpickled(project: Path, tmp_path: Path) -> None:
    """A .cache/ that came with a commit holds a pickle that would run code: it is ignored, not read."""
    load_content(WorkingTree(project), ParseCache.at(project))
    marker = tmp_path / "pickle-ran"
    hostile = pickle.dumps(Exploit(str(marker)))
    entries = list((project / CACHE_DIR / PARSE_DIR).glob("*.pickle"))
    assert len(entries) == content_files(project)
    for entry in entries:  # the right names, a plausible seal, a payload that runs code when unpickled
        entry.write_bytes(hashlib.sha256(hostile).digest() + hostile)
    cache = ParseCache.at(project)
    loaded = load_content(WorkingTree(project), cache)
    assert not marker.exists()
    assert cache.misses == content_files(project)  # every file read again, and its entry replaced
    assert loaded.content.rubric is not None


class Exploit:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Callable[[str], int], tuple[str]]:
        return os.system, (f"touch {self.path}",)


def test_a_damaged_entry_is_only_a_miss(project: Path) -> None:
    load_content(WorkingTree(project), ParseCache.at(project))
    for entry in (project / CACHE_DIR / PARSE_DIR).glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:40])
    cache = ParseCache.at(project)
    assert load_content(WorkingTree(project), cache).content.rubric is not None
    assert cache.misses == content_files(project)


def test_an_entry_of_this_user_moved_to_another_name_is_only_a_miss(project: Path) -> None:
    """Sealed entries swapped between names (each sealed by this user): the seal covers the name, so neither is used."""
    load_content(WorkingTree(project), ParseCache.at(project))
    first, second = sorted((project / CACHE_DIR / PARSE_DIR).glob("*.pickle"))[:2]
    one, other = first.read_bytes(), second.read_bytes()
    first.write_bytes(other)
    second.write_bytes(one)
    cache = ParseCache.at(project)
    loaded = load_content(WorkingTree(project), cache)
    assert cache.misses == 2 and loaded.content.rubric is not None


@pytest.mark.parametrize("kind", ["symlink to /dev/zero", "named pipe", "folder"])
def test_an_entry_that_is_no_regular_file_is_only_a_miss_and_never_waited_for(project: Path, kind: str) -> None:
    """A .cache/ from a pull request may hold a link to /dev/zero (read forever) or a pipe (opened forever)."""
    load_content(WorkingTree(project), ParseCache.at(project))
    entry = sorted((project / CACHE_DIR / PARSE_DIR).glob("*.pickle"))[0]
    entry.unlink()
    if kind == "named pipe":
        os.mkfifo(entry)
    elif kind == "folder":
        entry.mkdir()
    else:
        entry.symlink_to("/dev/zero")
    cache = ParseCache.at(project)
    assert load_content(WorkingTree(project), cache).content.rubric is not None  # a hang would time the test out
    assert cache.misses == 1


def test_the_cache_can_be_switched_off(project: Path) -> None:
    done = run_cli(project, "check", env={DISABLE_VARIABLE: "1"})
    assert done.returncode == 0, done.stderr
    assert not (project / CACHE_DIR).exists()


def test_check_writes_nothing_but_the_cache_beside_content(project: Path) -> None:
    before = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    for _ in range(2):
        assert run_cli(project, "check").returncode == 0
    assert {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in project.iterdir()) == [CACHE_DIR, "content"]
