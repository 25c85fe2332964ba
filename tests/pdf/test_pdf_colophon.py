"""The 版记 (抄送, 印发机关) comes from rubric.yaml's notice, with the office's usual text as default; and its other settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_support import PITCH_MM, PT, TYPE_LEFT, TYPE_RIGHT, Pdf, flat, line_text, read_pdf
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
  sealed: false
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
    pdf = read_pdf(project / "output" / "pdf" / RESULTS_PDF)
    last_page = flat(pdf.pages[-1].text)
    assert "抄送：街道党工委、办事处班子成员，街道各线。" in last_page
    assert "测试街道办事处党政办公室" in last_page  # the last issuer's 党政办公室
    assert_unsealed_signature(read_pdf(project / "output" / "pdf" / "测试细则（通知）.pdf"))


def assert_unsealed_signature(pdf: Pdf) -> None:
    """``sealed: false`` (GB/T 9704 §7.3.5.2): names stacked 2 cells from the right, the date 2 cells further in."""
    lines = [line for page in pdf.pages[: pdf.attachment_start()] for line in page.body_lines()]
    date = next(i for i, line in enumerate(lines) if line_text(line) == "2008年8月1日")
    first, second = lines[date - 2], lines[date - 1]
    assert (line_text(first), line_text(second)) == ("测试街道党工委", "测试街道办事处")
    cell = 15.79 * PT
    # 2008年8月1日 (6 cells) is longer than the room 2 cells right of 测试街道办事处 (7 cells) leaves: it ends 2 cells
    # from the right, and the names move left with it (28 - 2 - 6 - 2 = 18 cells from the left)
    assert abs(lines[date][-1].x1 - (TYPE_RIGHT - 2 * cell)) < 0.6
    assert abs(second[0].x0 - (TYPE_LEFT + 18 * cell)) < 0.6
    assert abs(lines[date][0].x0 - (second[0].x0 + 2 * cell)) < 0.6  # the date 2 cells right of the name
    assert abs(second[0].baseline - first[0].baseline - PITCH_MM) < 0.3


def test_a_letter_number_without_its_serial_is_a_positioned_error(tmp_path: Path) -> None:
    decision = "meeting: 2009-01-09\nminutes: 纪要\nnotice: {number: 测试通〔2009〕1号, date: 2009-01-10, letter_number: 测试函}\n"
    project = write_project(tmp_path / "project", small_project(**{"content/decision.yaml": decision}))
    done = run_cli(project, "check")
    assert done.returncode == 1
    assert "content/decision.yaml:3:" in done.stderr + done.stdout
    assert "letter_number '测试函' must end with its serial number and 号" in done.stderr + done.stdout
