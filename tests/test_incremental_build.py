"""An incremental build renders again only what changed, and writes exactly what a clean full build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import run_cli, small_project, write_project

from kaohe.content.cache import CACHE_DIR, DISABLE_VARIABLE
from kaohe.render.reuse import RENDER_DIR

LEDGER = "content/ledgers/a.yaml"


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


ENTRIES_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 两项制度不全}
- {date: 2008-04-02, community: c2, rule: work.other.each, note: 缺报表}
- {date: 2008-05-03, community: c3, rule: work.rules.each, note: 记录不全}
"""


@pytest.fixture(scope="module")
def draft_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small year during the year (no decision yet), so an edit leaves the other communities' notices alone."""
    return write_project(tmp_path_factory.mktemp("incremental") / "project", small_project(ENTRIES_A))


def test_after_one_edit_only_the_notices_it_touches_are_rendered_again_and_the_output_equals_a_clean_build(
    draft_year: Path, tmp_path: Path
) -> None:
    first = run_cli(draft_year, "build")
    assert first.returncode == 0, first.stderr
    notices = len(list((draft_year / "output" / "pdf").glob("*.pdf")))
    assert kept(draft_year, "pdf") == notices == 4  # the 通报 and 3 score sheets, each rendered once and kept

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


def imported(stderr: str) -> set[str]:
    """The modules a process imported, from what ``PYTHONPROFILEIMPORTTIME`` has it print."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_a_build_whose_notices_all_come_from_the_cache_never_imports_weasyprint(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", small_project(ENTRIES_A))
    temporary = tmp_path / "tmp"  # where WeasyPrint writes the fonts it loads, each process a folder of its own
    temporary.mkdir()
    first = run_cli(root, "build", env={"TMPDIR": str(temporary)})  # every notice rendered (by a pool, on 2 cores)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr  # WeasyPrint, imported late, still whole when a worker's renderer goes
    same = run_cli(root, "build", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert same.returncode == 0, same.stderr
    assert {"kaohe.render.pdf", "kaohe.render.docx", "kaohe.render.site"} <= imported(same.stderr)
    assert not {"weasyprint.html", "pikepdf", "kaohe.render.pdf.renderer"} & imported(same.stderr)  # nothing to render
    edit_one_note(root)
    edited = run_cli(root, "build", env={"PYTHONPROFILEIMPORTTIME": "1", "TMPDIR": str(temporary)})
    assert edited.returncode == 0, edited.stderr
    assert {"weasyprint.html", "kaohe.render.pdf.renderer"} <= imported(edited.stderr)  # one notice, in the build
    assert not list(temporary.iterdir())  # no process left its fonts' folder behind (the build ends by os._exit)
