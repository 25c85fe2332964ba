"""Downloads for Excel and WPS: ``results.csv`` and ``results.xlsx``, from the same results as ``results.json``.

CSV is UTF-8 with a byte-order mark (so Excel and WPS read the Chinese
correctly) and CRLF line ends. Numbers keep their exact decimal text. The XLSX
is re-packed with fixed timestamps, so the same results give the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from kaohe.render import vocab
from kaohe.render.site.context import SiteData
from kaohe.render.site.entries import entry_views
from kaohe.scoring.score import Effect, EffectKind

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip file can hold
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def xlsx_value(value: Cell) -> Cell:
    """Text without the control characters an XLSX file cannot hold (NUL, ESC, …); other values as they are."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


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


def styled(ws: Any, value: Cell, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def sheet_value(ws: Any, value: Cell) -> Any:
    """A value as a cell shows it (:func:`xlsx_value`): text stays text (never a formula), decimals show 2 places."""
    value = xlsx_value(value)
    if isinstance(value, Decimal):
        return styled(ws, value, number_format="0.00")
    if isinstance(value, str) and value.startswith("="):
        return styled(ws, value, data_type="s")
    return value


def fill_sheet(ws: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """A title row, a bold header row, then the rows, streamed (a write-only sheet)."""
    ws.freeze_panes = "A3"
    for index, name in enumerate(header, start=1):
        widest = max([len(str(name))] + [len(str(r[index - 1] or "")) for r in rows])
        ws.column_dimensions[get_column_letter(index)].width = min(60, max(8, widest * 2 + 2))
    ws.append([styled(ws, xlsx_value(title), font=Font(bold=True, size=13))])
    heading = Alignment(wrap_text=True, vertical="center")
    ws.append([styled(ws, xlsx_value(name), font=Font(bold=True), alignment=heading) for name in header])
    for row in rows:
        ws.append([sheet_value(ws, value) for value in row])


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


def workbook(data: SiteData) -> Workbook:
    wb = Workbook(write_only=True)  # rows go straight to the file: a city's 100,000 entries stay cheap
    fill_sheet(wb.create_sheet("总排名"), title_line(data, "结果"), ranking_header(data), list(ranking_rows(data)))
    fill_sheet(wb.create_sheet("台帐明细"), title_line(data, "台帐明细"), ENTRY_HEADER, entry_rows(data))
    if not data.public:  # the public edition has no measures
        fill_sheet(wb.create_sheet("末位措施"), title_line(data, "末位措施"), MEASURE_HEADER, measure_rows(data))
    return wb


def fixed_time(epoch: int | None) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch is not None else ZIP_EPOCH


def results_xlsx(data: SiteData, epoch: int | None) -> bytes:
    wb = workbook(data)
    moment = max(fixed_time(epoch), ZIP_EPOCH).replace(tzinfo=None)
    wb.properties.created = moment
    wb.properties.modified = moment
    wb.properties.creator = "考核台帐"
    wb.properties.title = title_line(data, "结果")
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
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
