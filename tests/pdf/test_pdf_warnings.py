"""WeasyPrint says nothing while rendering the notices: an unsupported CSS rule or a refused fetch fails."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from support import TOOL_ROOT

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.pdf import documents
from kaohe.render.pdf.renderer import PdfRenderer


@pytest.mark.slow
def test_rendering_each_kind_of_notice_logs_no_weasyprint_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = run(WorkingTree(TOOL_ROOT))
    assert outcome.results is not None
    docs = documents(outcome.results, source_date_epoch=1231718400)
    # the notice, the 通报, one sheet, one 处理告知书, the 公示 notice, one 复核结果告知书
    kinds = {doc.file_name.split("-")[0]: doc for doc in docs}
    assert len(kinds) == 6
    renderer = PdfRenderer(TOOL_ROOT / "templates")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for doc in kinds.values():
            renderer.render(doc, tmp_path / doc.file_name)
    assert [record.getMessage() for record in caplog.records] == []
    assert all((tmp_path / doc.file_name).stat().st_size > 10_000 for doc in kinds.values())
