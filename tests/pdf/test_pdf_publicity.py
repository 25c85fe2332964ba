"""The 公示 notice and the 复核结果告知书, rendered from the sample year with a 公示 and read back."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from support import TOOL_ROOT, copy_project

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render.pdf import documents
from kaohe.render.pdf.publicity import publicity_documents
from kaohe.render.pdf.renderer import PdfRenderer
from kaohe.render.pdf.views import Document
from kaohe.scoring.results import Results

pytestmark = pytest.mark.slow

PUBLICITY = """\
from: 2009-01-04
working_days: 5
place: 街道党政办公室
address: 城北街道办事处二楼
phone: 0519-88001234
email: kaohe@chengbei.example.org
objections:
  - id: jianshe-disclose
    by: 许建平
    community: jianshe
    entry: party/2008-03-12/jianshe/party.org.democracy.disclose
    received: 2009-01-09
    says: 办公用房改造事项已在社区公开栏张贴，不应扣分。
    review:
      upheld: false
      reason: 张贴在检查之后，扣分有据
      date: 2009-01-12
      by: 街道考核复核小组
"""
A4_PT = (595.28, 841.89)


@pytest.fixture(scope="module")
def publicised(tmp_path_factory: pytest.TempPathFactory) -> Results:
    project = copy_project(tmp_path_factory.mktemp("publicity") / "project")
    (project / "content" / "publicity.yaml").write_text(PUBLICITY, encoding="utf-8")
    outcome = run(WorkingTree(project))
    assert outcome.results is not None, [str(d) for d in outcome.diagnostics]
    return outcome.results


@pytest.fixture(scope="module")
def rendered(publicised: Results, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The 公示 notice and the one 复核结果告知书, rendered in this process."""
    folder = tmp_path_factory.mktemp("publicity-pdf")
    renderer = PdfRenderer(TOOL_ROOT / "templates")
    paths: dict[str, Path] = {}
    for doc in publicity_documents(publicised, 1231718400):
        renderer.render(doc, folder / doc.file_name)
        paths["letter" if doc.letter else "notice"] = folder / doc.file_name
    yield paths


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join((page.extract_text() or "").replace("\n", "") for page in pdf.pages)


def test_the_publicity_notice_states_its_title_dates_and_how_to_object(rendered: dict[str, Path]) -> None:
    text = text_of(rendered["notice"])
    assert "关于二〇〇八年度社区工作目标管理考核结果的公示" in text
    # 2009-01-04 is the Sunday worked in exchange for 元旦; Mon 5 … Thu 8 make five working days.
    assert "2009年1月4日至2009年1月8日（5个工作日）" in text
    for way in ("街道党政办公室", "地址：城北街道办事处二楼", "电话：0519-88001234", "kaohe@chengbei.example.org"):
        assert way in text
    assert "附件" in text and "得分及排名表" in text
    assert "许建平" not in text  # the notice names no objector


def test_the_publicity_notice_is_a4_with_the_red_header_seen_on_its_first_page(
    rendered: dict[str, Path], tmp_path: Path
) -> None:
    with pdfplumber.open(rendered["notice"]) as pdf:
        assert [round(float(x), 2) for x in (pdf.pages[0].width, pdf.pages[0].height)] == list(A4_PT)
        fonts = {char["fontname"] for char in pdf.pages[0].chars}
    assert fonts, "the first page has text"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(rendered["notice"]), str(tmp_path / "p")], check=True
    )
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("RGB")
    width, height = image.size
    top = [image.getpixel((x, y)) for x in range(0, width, 2) for y in range(int(height * 0.15), int(height * 0.4), 2)]
    red = [p for p in top if isinstance(p, tuple) and p[0] > 180 and p[1] < 90 and p[2] < 90]
    assert len(red) > 200, "the red organ mark and rule above the title"


def test_the_review_letter_names_the_objector_the_entry_the_outcome_and_the_late_receipt(
    rendered: dict[str, Path],
) -> None:
    text = text_of(rendered["letter"])
    assert "考核异议复核结果告知书" in text
    assert "许建平：" in text
    assert "党群线台帐2008年3月12日记载的" in text
    # received Fri 2009-01-09, the day after the 公示's last day (Thu 01-08): late
    assert "公示期满后提出" in text
    assert "经复核，异议不成立。张贴在检查之后，扣分有据。" in text


def test_only_the_review_letter_is_internal_and_the_public_edition_leaves_it_out(publicised: Results) -> None:
    docs: list[Document] = publicity_documents(publicised, None)
    assert [(doc.letter, doc.internal) for doc in docs] == [(False, False), (True, True)]
    internal_names = {doc.file_name for doc in docs if doc.internal}
    public_names = {doc.file_name for doc in documents(publicised, None, public=True)}
    assert internal_names and not internal_names & public_names
    assert {doc.file_name for doc in docs} <= {doc.file_name for doc in documents(publicised, None)}
