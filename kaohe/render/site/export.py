"""Downloads for Excel and WPS: ``results.csv`` and ``results.xlsx``, from the same results as ``results.json``.

CSV is UTF-8 with a byte-order mark (so Excel and WPS read the Chinese
correctly) and CRLF line ends. Numbers keep their exact decimal text. The XLSX
is written by XlsxWriter, row after row (``constant_memory``: a row goes to a
temporary file as the next begins), its scores as numbers with their exact decimal
text, and re-packed with fixed timestamps, so the same results give the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kaohe.render import vocab
from kaohe.render.site.context import SiteData
from kaohe.render.site.entries import entry_views
from kaohe.scoring.score import Effect, EffectKind

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip file can hold
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The control characters XML 1.0 cannot hold (all below U+0020 but tab, line feed and carriage return):
# openpyxl's ILLEGAL_CHARACTERS_RE, the set the readers of the workbook refuse.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
Cell = str | int | Decimal | None


def status_text(data: SiteData) -> str:
    parts = [vocab.status_label(data.results.final)]
    if data.results.as_of is not None:
        parts.append(vocab.as_of_label(data.results.as_of))
    if data.content.sample:
        parts.append("示例数据")
    return "，".join(parts)


def ranking_header(data: SiteData) -> list[str]:
    categories = [f"{top.label}（{vocab.points(top.points)}分）" for top in data.rubric.indicators]
    return [
        "名次",
        "社区代码",
        "社区",
        f"总分（{vocab.points(data.rubric.total)}分）",
        *categories,
        vocab.VETO,
        "获奖名次",
        "奖项",
        "奖金（元）",
        "状态",
    ]


def ranking_rows(data: SiteData) -> Iterator[list[Cell]]:
    """One row per community, in ranking order; scores as exact decimals."""
    status = status_text(data)
    for c in data.results.communities:
        yield [
            c.rank,
            c.id,
            c.name,
            c.total,
            *(c.categories[top.id].score for top in data.rubric.indicators),
            "是" if c.vetoed else "",
            c.award_rank,
            c.granted.name or "",
            c.granted.reward,
            status,
        ]


def defused(value: str) -> str:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xlsx_text(value: str) -> str:
    """Text without the control characters an XLSX file cannot hold (NUL, ESC, …)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return vocab.score(value)
    if isinstance(value, int):
        return str(value)
    return defused(value)


def results_csv(data: SiteData) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ranking_header(data))
    for row in ranking_rows(data):
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------


def title_line(data: SiteData, what: str) -> str:
    return f"{data.results.year}年度社区工作目标管理考核{what}（{status_text(data)}）"


class Styles(NamedTuple):
    """The workbook's three cell formats: the title, the header row, a decimal."""

    title: Format
    heading: Format
    decimal: Format


def styles_of(wb: Workbook) -> Styles:
    return Styles(
        title=wb.add_format({"bold": True, "font_size": 13}),
        heading=wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"}),
        decimal=wb.add_format({"num_format": "0.00"}),
    )


def sheet_value(ws: Worksheet, row: int, col: int, value: Cell, styles: Styles) -> None:
    """A value as a cell shows it (:func:`xlsx_text`): text stays text (never a formula, a number or a link),
    decimals are numbers that show 2 places, None and "" an empty cell."""
    if isinstance(value, str):
        if text := xlsx_text(value):
            ws.write_string(row, col, text)
    elif isinstance(value, Decimal):
        ws.write_number(row, col, value, styles.decimal)  # its digits as they are ("95.50"), never through a float
    elif value is not None:
        ws.write_number(row, col, value)


DIGIT_PIXELS = 7  # the width of a digit of the default font (Calibri 11), as XlsxWriter counts a column's width


def column_width(name: str, column: Iterator[Cell]) -> int:
    """A column's width in characters: two for each character of its widest text (Chinese is wide), 8 to 60."""
    widest = max([len(name)] + [len(str(value or "")) for value in column])
    return min(60, max(8, widest * 2 + 2))


def fill_sheet(
    ws: Worksheet, styles: Styles, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> None:
    """A title row, a bold header row, then the rows, in order (each row goes to the file as the next begins)."""
    ws.freeze_panes(2, 0)  # the title and the header stay in sight
    for index, name in enumerate(header):
        # In pixels, so that the file stores the width itself (set_column would add the 5 pixels of padding
        # Excel adds to a width typed into its dialog).
        ws.set_column_pixels(index, index, column_width(name, (r[index] for r in rows)) * DIGIT_PIXELS)
    ws.write_string(0, 0, xlsx_text(title), styles.title)
    for col, name in enumerate(header):
        ws.write_string(1, col, xlsx_text(name), styles.heading)
    for number, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            sheet_value(ws, number, col, value, styles)


ENTRY_HEADER = ["日期", "线", "社区", "细则条目", "条目内容", "次数／金额", "分值", "说明", "依据"]
MEASURE_HEADER = ["社区", "姓名", "职务", "范围", "连续排名最末年数", "措施", "免予处理", "理由"]


def effect_value(effect: Effect | None, shown: str) -> Cell:
    """Deductions and bonuses as signed numbers; 不得分, 一票否决 and amounts as words."""
    number = vocab.effect_number(effect) if effect is not None and effect.kind is not EffectKind.VETO else None
    return number if number is not None else shown


def entry_rows(data: SiteData) -> list[list[Cell]]:
    entries = sorted(data.content.entries(), key=lambda e: (e.date, e.pos))
    views = entry_views(data, entries, chronological=True)
    return [
        [
            v.date,
            v.line_name,
            v.community_name,
            v.cites,
            v.rule_text,
            v.quantity,
            effect_value(data.effects.get(entry), v.effect),
            v.note_text,
            v.evidence_text,
        ]
        for entry, v in zip(entries, views, strict=True)
    ]


def measure_rows(data: SiteData) -> list[list[Cell]]:
    names = data.names
    categories = {top.id: top.label for top in data.rubric.indicators}
    return [
        [
            names.get(m.community, m.community),
            m.person,
            vocab.role_label(m.role),
            vocab.scope_label(m.scope, categories),
            m.streak,
            vocab.measure_label(m.measure, data.results.final),
            "是" if m.exempt else "",
            m.reason,
        ]
        for m in data.results.measures
    ]


# Plain values only: a text that looks like a number, a formula or a link is written as the text it is.
OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def workbook(data: SiteData, target: io.BytesIO, tmpdir: str) -> Workbook:
    # constant_memory: each row goes to a temporary file as the next begins, so a city's 100,000 entries stay cheap
    wb = Workbook(target, {**OPTIONS, "constant_memory": True, "tmpdir": tmpdir})
    styles = styles_of(wb)
    sheets = [("总排名", "结果", ranking_header(data), list(ranking_rows(data)))]
    sheets.append(("台帐明细", "台帐明细", ENTRY_HEADER, entry_rows(data)))
    if not data.public:  # the public edition has no measures
        sheets.append(("末位措施", "末位措施", MEASURE_HEADER, measure_rows(data)))
    for name, what, header, rows in sheets:
        fill_sheet(wb.add_worksheet(name), styles, title_line(data, what), header, rows)
    return wb


def fixed_time(epoch: int | None) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch is not None else ZIP_EPOCH


def results_xlsx(data: SiteData, epoch: int | None) -> bytes:
    moment = max(fixed_time(epoch), ZIP_EPOCH).replace(tzinfo=None)
    raw = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="kaohe-xlsx-") as tmpdir:  # gone however the writing ends
        wb = workbook(data, raw, tmpdir)
        wb.set_properties({"author": "考核台帐", "title": title_line(data, "结果"), "created": moment})
        wb.close()
    return repack(raw.getvalue(), moment)


def repack(archive: bytes, moment: datetime) -> bytes:
    """The same zip members in the same order, each stamped with ``moment``."""
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    return out.getvalue()
