"""A small approved year for the archive tests: a 细则 notice, a 通报, three score sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from support import SMALL_RUBRIC, TEST_DECISION, results_of, small_project, with_decision

from kaohe.render.pdf.compact import parse_widths
from kaohe.scoring.results import Results

EPOCH = 1231718400  # 2009-01-12T00:00:00Z
NOTICE = """\
notice:
  issuers: [测试街道党工委, 测试街道办事处]
  number: 测试通〔2008〕1号
  date: 2008-08-01
  addressee: 各社区
  title: 关于印发《测试细则》的通知
  body: |
    现将《测试细则》印发给你们，请认真贯彻执行。

    一、总体要求。各社区要**高度重视**，按照 PDF/A 归档要求整理台帐。
"""
LEDGER_A = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, count: 2, note: 制度不全}
- {date: 2008-06-30, community: c3, rule: work.rules.judge, deduct: 0.5, note: 未按时开展}
"""
LEDGER_B = """\
- {date: 2008-05-01, community: c2, indicator: money.invest, amount: 120, note: 招商项目}
"""
NOTICE_PDF = "测试细则（通知）.pdf"
REPORT_PDF = "2008年度社区工作目标管理考核结果通报.pdf"


def approved_year() -> Results:
    """The small year with its decision recorded: final, with the 通报's 文号 and date."""
    source = small_project(LEDGER_A, LEDGER_B, **{"content/rubric.yaml": SMALL_RUBRIC + NOTICE})
    results = results_of(with_decision(source, TEST_DECISION))
    assert results.final
    return results


@dataclass(frozen=True)
class Xmp:
    """The XMP packet of a PDF, read with pikepdf's XMP reader (not this project's writer)."""

    values: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)


def read_xmp(path: Path) -> Xmp:
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        keys = ("pdfaid:part", "pdfaid:conformance", "dc:title", "dc:creator", "dc:publisher", "dc:identifier",
                "dc:date", "xmp:CreateDate", "xmp:ModifyDate", "pdf:Producer")  # fmt: skip
        return Xmp({key: meta.get(key) for key in keys})


def font_programs(path: Path) -> list[tuple[str, bytes, dict[int, float]]]:
    """``(BaseFont, font program bytes, glyph id → width)`` for every embedded Type0 font."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
                cid_font = obj.DescendantFonts[0]
                descriptor = cid_font.FontDescriptor
                stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                assert isinstance(stream, pikepdf.Stream)
                widths = {cid: float(width) for cid, width in parse_widths(cid_font.W).items()}
                found.append((str(obj.BaseFont), stream.read_bytes(), widths))
    return found


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)
