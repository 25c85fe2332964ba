"""The small approved year rendered once as the build renders it, and its 通报 once more without compaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from archive_support import EPOCH, REPORT_PDF, approved_year
from support import TOOL_ROOT

from kaohe.render import RenderEnv
from kaohe.render.pdf import documents, render_pdfs
from kaohe.render.pdf.renderer import PdfRenderer


@pytest.fixture(scope="session")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``output/pdf`` of the small year, rendered by the PDF renderer (PDF/A, tagged, compact fonts)."""
    out = tmp_path_factory.mktemp("archived")
    env = RenderEnv(out, TOOL_ROOT / "templates", source_date_epoch=EPOCH)
    written = render_pdfs(approved_year(), out, env, ())
    assert f"pdf/{REPORT_PDF}" in written
    return out / "pdf"


@pytest.fixture(scope="session")
def uncompacted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The 通报 as WeasyPrint writes it, before :func:`kaohe.render.pdf.compact.compact_pdf`."""
    target = tmp_path_factory.mktemp("uncompacted") / REPORT_PDF
    results = approved_year()
    doc = next(d for d in documents(results, EPOCH) if d.file_name == REPORT_PDF)
    PdfRenderer(TOOL_ROOT / "templates", compact=False).render(doc, target)
    yield target
