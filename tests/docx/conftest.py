"""The small year's notices as PDF and DOCX, and every DOCX converted by LibreOffice in one call."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_support import EPOCH, approved_year, libreoffice_pdfs
from support import TOOL_ROOT

from kaohe.render import RenderEnv
from kaohe.render.docx import render_docx
from kaohe.render.pdf import render_pdfs


@pytest.fixture(scope="session")
def notices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    """``(output folder, PDFs written, DOCX written)`` for the approved small year."""
    out = tmp_path_factory.mktemp("notices")
    env = RenderEnv(out, TOOL_ROOT / "templates", source_date_epoch=EPOCH)
    results = approved_year()
    pdfs = render_pdfs(results, out, env, ())
    return out, pdfs, render_docx(results, out, env, pdfs)


@pytest.fixture(scope="session")
def converted(notices: tuple[Path, tuple[str, ...], tuple[str, ...]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every DOCX as LibreOffice lays it out, in one soffice call: it starts slowly."""
    out, _, written = notices
    return libreoffice_pdfs([out / relpath for relpath in written], tmp_path_factory.mktemp("converted"))
