"""A small approved year for the DOCX tests, reading DOCX and PDF text back, and LibreOffice's PDFs of DOCX files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from support import SMALL_RUBRIC, TEST_DECISION, results_of, small_project, with_decision

from kaohe.render.pdf.fonts import ROLES
from kaohe.render.vocab import DOCX_DRAFT_MARK, DOCX_STYLES, PUBLIC_NOTE, SAMPLE_NOTE
from kaohe.scoring.results import Results

EPOCH = 1231718400  # 2009-01-12T00:00:00Z
NOTICE = """\
notice:
  issuers: [测试街道党工委, 测试市测试区人民政府城北街道办事处]  # the second breaks into lines of 10 and 7
  number: 测试通〔2008〕1号
  date: 2008-08-01
  addressee: 各社区
  title: 关于印发《测试细则》的通知
  body: |
    现将《测试细则》印发给你们，请认真贯彻执行。

    一、总体要求。各社区按 PDF/A 要求归档。

    各社区要**高度重视**，认真整理台帐。

    （一）工作台帐。各线每月汇总一次，年底前报街道办事处。
"""
LEDGER_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 制度不全}
- {date: 2008-06-30, community: c3, rule: work.rules.judge, deduct: 0.5, note: 未按时开展}
"""
LEDGER_B = """\
- {date: 2008-05-01, community: c2, indicator: money.invest, amount: 120, note: 招商项目}
"""
PAGE_NUMBER = re.compile(r"—\d+—")
SOFFICE_SECONDS = 300


def approved_year(final: bool = True) -> Results:
    """The small year; ``final``: with its decision recorded (文号 and date of the 通报)."""
    source = small_project(LEDGER_A, LEDGER_B, **{"content/rubric.yaml": SMALL_RUBRIC + NOTICE})
    if not final:
        return results_of(source)
    results = results_of(with_decision(source, TEST_DECISION))
    assert results.final
    return results


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path, before_attachments: bool = False) -> str:
    """The body's text in document order (paragraphs and table cells), without whitespace.

    A letter's organ mark stands in its first page's header (after the paragraph of the marks every
    page carries), so it is read first.
    """
    document = Document(str(path))
    body = document.element.body
    label = DOCX_STYLES["attachment_label"]
    section = document.sections[0]
    head = section.first_page_header.paragraphs[1:] if section.different_first_page_header_footer else []
    out: list[str] = [paragraph.text for paragraph in head]
    for element in body.iterchildren():
        if before_attachments and element.tag == qn("w:p"):
            style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")) == label:
                break
        out.extend(t.text or "" for t in element.iter(qn("w:t")))
    return no_space("".join(out))


def pdf_pages(path: Path) -> list[str]:
    """Each page's text without whitespace, page numbers and the marks every page carries."""
    with pdfplumber.open(path) as pdf:
        pages = [no_space(page.extract_text() or "") for page in pdf.pages]
    furniture = (no_space(SAMPLE_NOTE), no_space(PUBLIC_NOTE), DOCX_DRAFT_MARK)
    cleaned = []
    for text in pages:
        text = PAGE_NUMBER.sub("", text)
        for mark in furniture:
            text = text.replace(mark, "")
        cleaned.append(text)
    return cleaned


def pdf_text_before_attachments(path: Path) -> str:
    """The pages before the first attachment (a page beginning with 附件)."""
    out: list[str] = []
    for text in pdf_pages(path):
        if text.startswith("附件") and out:
            break
        out.append(text)
    return "".join(out)


def stand_in_fonts(folder: Path) -> Path:
    """A fontconfig file that gives each official font name the free stand-in the PDFs use (fonts.py),
    as an office without the licensed fonts would have set up WPS; the system's fonts stay as they are."""
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{role.stand_ins[0]}</family></prefer></alias>'
        for role in ROLES
        for name in role.official
    )
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return config


def libreoffice_pdfs(files: list[Path], target: Path) -> Path:
    """``files`` as LibreOffice lays them out (standing in for WPS), as PDFs in ``target``, in one soffice call."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --dev installs libreoffice-writer-nogui)")
    profile = (target / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(target), *(str(f) for f in files)],
        capture_output=True,
        text=True,
        env={**os.environ, "FONTCONFIG_FILE": str(stand_in_fonts(target))},
        timeout=SOFFICE_SECONDS,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(list(target.glob("*.pdf"))) == len(files), done.stdout + done.stderr
    return target
