"""Snapshots of the sample year's rendered HTML: any change to a page shows up as a diff to review.

Run ``pytest tests/site --update-snapshots`` to accept the current rendering
after an intended change (to the site or to the sample content).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from site_support import TOOL_ROOT, html_pages, project_results, render

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture(scope="module")
def rendered_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """The sample year rendered outside git (so without provenance) and without PDFs."""
    project = tmp_path_factory.mktemp("snapshot") / "project"
    shutil.copytree(TOOL_ROOT / "content", project / "content")
    results = project_results(project)
    return results.year, render(results, project / "output", project_root=project)


def first_difference(expected: str, actual: str, name: str) -> str:
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"snapshot/{name}", f"now/{name}", n=2)
    return "\n".join(list(diff)[:40])


def test_rendered_html_matches_the_snapshots(rendered_sample: tuple[int, Path], update_snapshots: bool) -> None:
    year, site = rendered_sample
    folder = SNAPSHOTS / str(year)
    pages = {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in html_pages(site)}
    if update_snapshots:
        for old in folder.rglob("*.html"):
            old.unlink()
        for name, html in pages.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(html, encoding="utf-8")
        return
    assert folder.is_dir(), f"no snapshots for {year}: run pytest tests/site --update-snapshots"
    stored = {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}
    assert sorted(stored) == sorted(pages), "pages added or removed: run pytest tests/site --update-snapshots"
    changed = [name for name in pages if pages[name] != stored[name]]
    assert not changed, (
        f"{len(changed)} page(s) differ from the snapshots; if intended, run pytest tests/site --update-snapshots\n"
        + first_difference(stored[changed[0]], pages[changed[0]], changed[0])
    )
