"""Reading the built PDFs back: characters with their em boxes, lines, rules, in millimetres."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber

PT = 25.4 / 72  # millimetres per point
PITCH_MM = 28.95 * PT  # the body line pitch
TYPE_TOP, TYPE_LEFT, TYPE_RIGHT, TYPE_BOTTOM = 37.0, 28.0, 184.0, 262.0
RED = (0.902, 0.0, 0.071)  # #E60012
BODY_SIZES = (15.9, 17.2)  # pt: 3号 body text, and 楷体 headings scaled up to 16 × 1.07
CLOSING = set("，。、；：？！）》」』”’〕】〉…—%,.;:?!)]}")
OPENING = set("（《「『“‘〔【〈([{")


def is_wide(ch: str) -> bool:
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFF60 or ch in "“”‘’—…"


@dataclass(frozen=True)
class Char:
    text: str
    x0: float  # mm from the left edge
    x1: float
    baseline: float  # mm from the top edge
    size: float  # pt
    font: str
    color: tuple[float, ...]

    @property
    def em_top(self) -> float:
        """Top of the ideographic em box (0.88 em above the baseline)."""
        return self.baseline - 0.88 * self.size * PT

    @property
    def black(self) -> bool:
        return all(abs(c) < 0.01 for c in self.color)

    @property
    def red(self) -> bool:
        return len(self.color) == 3 and all(abs(a - b) < 0.03 for a, b in zip(self.color, RED, strict=True))


@dataclass(frozen=True)
class Rect:
    x0: float
    x1: float
    top: float
    bottom: float
    color: tuple[float, ...]


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    chars: tuple[Char, ...]
    rects: tuple[Rect, ...]
    text: str
    body_spaces: int  # space characters in the 16 pt text layer of the type area
    borders: tuple[float, ...] = ()  # x of the vertical table borders (mm)

    def lines(self, size: float | None = None) -> list[list[Char]]:
        """Characters grouped into lines by baseline, left to right (optionally only one font size)."""
        rows: dict[float, list[Char]] = {}
        for char in self.chars:
            if size is not None and abs(char.size - size) > 0.1:
                continue
            key = next((k for k in rows if abs(k - char.baseline) < 0.5), char.baseline)
            rows.setdefault(key, []).append(char)
        return [sorted(rows[k], key=lambda c: c.x0) for k in sorted(rows)]

    def body_lines(self) -> list[list[Char]]:
        """Lines of 3号 black text inside the type area (16 pt; a 楷体 heading a little larger, see fonts.py)."""
        return [
            [c for c in line if c.black]
            for line in self.lines()
            if all(BODY_SIZES[0] <= c.size <= BODY_SIZES[1] for c in line)
            and TYPE_TOP - 2 < line[0].em_top < TYPE_BOTTOM
            and any(c.black for c in line)
        ]

    @property
    def blank(self) -> bool:
        """No text but the margin marks (草稿, 示例数据)."""
        return not any(TYPE_TOP - 2 < c.em_top < TYPE_BOTTOM + 20 for c in self.chars)


@dataclass(frozen=True)
class Pdf:
    path: Path
    pages: tuple[Page, ...]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    def attachment_start(self) -> int:
        """Index of the first attachment page (its first line is 附件), or the page count."""
        for index, page in enumerate(self.pages):
            lines = page.lines()
            body = [line for line in lines if abs(line[0].em_top - TYPE_TOP) < 1.5]
            if index and body and "".join(c.text for c in body[0]).startswith("附件"):
                return index
        return len(self.pages)


def _char(raw: dict[str, Any], height_pt: float) -> Char:
    color = raw.get("non_stroking_color") or (0.0,)
    if not isinstance(color, tuple | list):
        color = (float(color),)
    return Char(
        text=raw["text"],
        x0=raw["x0"] * PT,
        x1=raw["x1"] * PT,
        baseline=(height_pt - raw["matrix"][5]) * PT,
        size=round(raw["size"], 2),
        font=raw["fontname"],
        color=tuple(float(c) for c in color),
    )


def _rect(raw: dict[str, Any]) -> Rect:
    color = raw.get("non_stroking_color") or (0.0,)
    if not isinstance(color, tuple | list):
        color = (float(color),)
    return Rect(raw["x0"] * PT, raw["x1"] * PT, raw["top"] * PT, raw["bottom"] * PT, tuple(float(c) for c in color))


@cache
def read_pdf(path: Path) -> Pdf:
    pages: list[Page] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = tuple(_char(c, float(page.height)) for c in page.chars if c["text"].strip())
            rects = tuple(_rect(r) for r in page.rects if r.get("fill"))
            spaces = sum(1 for c in page.chars if not c["text"].strip() and abs(c["size"] - 16) < 0.1)
            text = page.extract_text() or ""
            borders = tuple(sorted({round(line["x0"] * PT, 2) for line in page.lines if line["x0"] == line["x1"]}))
            pages.append(Page(number, page.width * PT, page.height * PT, chars, rects, text, spaces, borders))
    return Pdf(path, tuple(pages))


def all_pdfs(project: Path) -> list[Pdf]:
    return [read_pdf(path) for path in sorted((project / "output" / "pdf").glob("*.pdf"))]


def results_json(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "output" / "results.json").read_text(encoding="utf-8"))
    return data


def line_text(line: list[Char]) -> str:
    return "".join(c.text for c in line)


def cells(text: str) -> float:
    return sum(1.0 if is_wide(ch) else 0.5 for ch in text)


def flat(text: str) -> str:
    """Extracted text without line breaks (lines of Chinese text join without spaces)."""
    return re.sub(r"\s*\n\s*", "", text)


SAMPLE_MARK = "示例数据：社区、人员与台帐均为虚构"  # the margin mark of every page of the sample year
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def running_text(pdf: Pdf) -> str:
    """:func:`flat` text without the page marks and page numbers: a sentence over a page break reads whole."""
    return PAGE_NUMBER.sub("", flat(pdf.text).replace(SAMPLE_MARK, ""))


def red_rule(page: Page) -> Rect | None:
    rules = [
        r for r in page.rects if len(r.color) == 3 and all(abs(a - b) < 0.03 for a, b in zip(r.color, RED, strict=True))
    ]
    return rules[0] if rules else None


# The letters (信函格式): one organ's mark, red double lines, a 版记 between rules on the last page.
LETTER_NAMES = ("考核结果通知书", "处理告知书", "复核结果告知书")


def is_letter(pdf: Pdf) -> bool:
    """The 考核结果通知书, 处理告知书 and 复核结果告知书 are letters (信函格式)."""
    return pdf.path.name.startswith(LETTER_NAMES)
