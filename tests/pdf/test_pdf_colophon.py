"""The 版记 (抄送, 印发机关) comes from rubric.yaml's notice, with the office's usual text as default."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_support import flat, read_pdf
from support import SMALL_RUBRIC, run_cli, small_project, write_project

from kaohe.content.load import load_rubric
from kaohe.content.source import WorkingTree

RESULTS_PDF = "2008年度社区工作目标管理考核结果通报.pdf"
NOTICE_PDF = "二〇〇八年社区工作目标管理量化考核细则（通知）.pdf"
NOTICE_WITHOUT_COLOPHON = """\
notice:
  issuers: [测试街道党工委, 测试街道办事处]
  number: 测试通〔2008〕1号
  date: 2008-08-01
  addressee: 各社区
  title: 关于印发《测试细则》的通知
  body: 现将《测试细则》印发给你们，请认真贯彻执行。
"""


@pytest.mark.parametrize("name", [RESULTS_PDF, NOTICE_PDF])
def test_the_colophon_prints_the_rubric_copy_to_and_printer(built_sample: Path, name: str) -> None:
    notice = load_rubric(WorkingTree(built_sample), [])
    assert notice is not None and notice.notice is not None
    assert notice.notice.copy_to and notice.notice.printer
    last_page = flat(read_pdf(built_sample / "output" / "pdf" / name).pages[-1].text)
    assert f"抄送：{notice.notice.copy_to}。" in last_page
    assert notice.notice.printer in last_page


@pytest.mark.slow
def test_without_copy_to_and_printer_the_colophon_uses_the_usual_text(tmp_path: Path) -> None:
    rubric = SMALL_RUBRIC + NOTICE_WITHOUT_COLOPHON
    project = write_project(tmp_path / "project", small_project(**{"content/rubric.yaml": rubric}))
    done = run_cli(project)
    assert done.returncode == 0, done.stderr
    last_page = flat(read_pdf(project / "output" / "pdf" / RESULTS_PDF).pages[-1].text)
    assert "抄送：街道党工委、办事处班子成员，街道各线。" in last_page
    assert "测试街道办事处党政办公室" in last_page  # the last issuer's 党政办公室
