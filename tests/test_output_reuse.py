"""Rendered files kept between builds: reused only when sealed with the user's key, never when forged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kaohe.content.cache import DISABLE_VARIABLE
from kaohe.render.reuse import OutputCache, digest


def test_a_kept_output_comes_back_byte_for_byte(tmp_path: Path) -> None:
    cache = OutputCache.at(tmp_path, "pdf")
    (tmp_path / "made.pdf").write_bytes(b"%PDF-1.7 made once")
    cache.keep("k1", tmp_path / "made.pdf")
    assert cache.fetch("k1", tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == b"%PDF-1.7 made once"
    assert (cache.reused, cache.rendered) == (1, 1)


def test_nothing_is_reused_that_was_never_kept(tmp_path: Path) -> None:
    assert not OutputCache.at(tmp_path, "pdf").fetch("never", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_forged_entry_never_reaches_the_output(tmp_path: Path) -> None:
    """Its name is the right digest and it carries a plausible seal, but not one made with the user's key."""
    cache = OutputCache.at(tmp_path, "pdf")
    (tmp_path / "made.pdf").write_bytes(b"genuine")
    cache.keep("k1", tmp_path / "made.pdf")
    assert cache.folder is not None
    forged = b"%PDF forged notice"
    (cache.folder / "k1").write_bytes(hashlib.sha256(forged).digest() + forged)
    assert not cache.fetch("k1", tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_VARIABLE, "1")
    cache = OutputCache.at(tmp_path, "pdf")
    (tmp_path / "made.pdf").write_bytes(b"x")
    cache.keep("k1", tmp_path / "made.pdf")
    assert cache.folder is None and not cache.fetch("k1", tmp_path / "y.pdf")


def test_digests_tell_apart_lists_that_join_to_the_same_text() -> None:
    assert digest(["ab", "c"]) != digest(["a", "bc"])
    assert digest(["ab", "c"]) == digest([b"ab", "c"])
