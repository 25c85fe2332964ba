"""An incremental build renders again only what changed, and writes exactly what a clean full build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import copy_project, run_cli

from kaohe.content.cache import CACHE_DIR, DISABLE_VARIABLE
from kaohe.render.reuse import RENDER_DIR

LEDGER = "content/ledgers/party.yaml"


def files_of(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def kept(root: Path, kind: str) -> int:
    folder = root / CACHE_DIR / RENDER_DIR / kind
    return len([p for p in folder.iterdir() if p.is_file()]) if folder.is_dir() else 0


def edit_one_note(root: Path) -> None:
    ledger = root / LEDGER
    text = ledger.read_text(encoding="utf-8")
    marker = "note: "
    at = text.index(marker) + len(marker)
    ledger.write_text(text[:at] + "（复查）" + text[at:], encoding="utf-8")


@pytest.fixture(scope="module")
def draft_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample year during the year: no decision yet, so an edit leaves the other communities' notices alone."""
    root = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    (root / "content" / "decision.yaml").unlink()
    return root


def test_after_one_edit_only_the_notices_it_touches_are_rendered_again_and_the_output_equals_a_clean_build(
    draft_year: Path, tmp_path: Path
) -> None:
    first = run_cli(draft_year, "build")
    assert first.returncode == 0, first.stderr
    notices = len(list((draft_year / "output" / "pdf").glob("*.pdf")))
    assert kept(draft_year, "pdf") == notices == 12  # every notice rendered once and kept

    edit_one_note(draft_year)  # a note in one community's entry: its 考核结果通知书 changes, nothing else printed does
    again = run_cli(draft_year, "build")
    assert again.returncode == 0, again.stderr
    assert kept(draft_year, "pdf") == notices + 1  # one PDF rendered anew, the other 11 reused
    assert kept(draft_year, "docx") == notices + 1

    clean = tmp_path / "clean"
    shutil.copytree(draft_year / "content", clean / "content")
    full = run_cli(clean, "build", env={DISABLE_VARIABLE: "1"})
    assert full.returncode == 0, full.stderr
    assert not (clean / CACHE_DIR).exists()
    assert files_of(draft_year / "output") == files_of(clean / "output")
