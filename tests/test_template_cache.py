"""Compiled templates are kept in the user's cache folder; a damaged or unwritable cache never stops a build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kaohe.render.jinja import environment


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("<p>{{ words }}</p>\n", encoding="utf-8")
    environment.cache_clear()
    yield folder
    environment.cache_clear()


def kept(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache-home" / "kaohe" / "jinja").glob("*.cache"))


def test_a_compiled_template_is_kept_and_an_edited_one_compiled_again(templates: Path, tmp_path: Path) -> None:
    assert environment(templates).get_template("page.html").render(words="<台帐>") == "<p>&lt;台帐&gt;</p>\n"
    assert len(kept(tmp_path)) == 1
    (templates / "page.html").write_text("<b>{{ words }}</b>\n", encoding="utf-8")
    environment.cache_clear()
    assert environment(templates).get_template("page.html").render(words="台帐") == "<b>台帐</b>\n"


def test_a_damaged_cache_file_is_compiled_again(templates: Path, tmp_path: Path) -> None:
    environment(templates).get_template("page.html")
    for path in kept(tmp_path):
        path.write_bytes(b"\x00not marshal data")
    environment.cache_clear()
    assert environment(templates).get_template("page.html").render(words="x") == "<p>x</p>\n"


def test_a_cache_folder_that_cannot_be_made_leaves_templates_uncached(templates: Path, tmp_path: Path) -> None:
    (tmp_path / "cache-home").write_text("a file where the folder would go", encoding="utf-8")
    assert environment(templates).get_template("page.html").render(words="x") == "<p>x</p>\n"
