"""Where the entries are in a sheet: the header row, and which column holds which key.

The header row is the first of the top rows (:data:`SEARCH_ROWS`) that has a date, a community
and a rule column; rows above it (a title, a unit's name) are not read. A heading matches a key
when, leaving aside spaces, ``*`` marks and a bracketed unit (``扣分（分）``), it is one of the
key's headings in :data:`kaohe.render.vocab.SHEET_COLUMNS`, or the heading the mapping file
names for it. When two columns match one key, the one with the more usual heading is read
(``说明`` before ``备注``), then the leftmost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from kaohe.actions.spreadsheet.grid import Sheet
from kaohe.actions.spreadsheet.mapping import Mapping
from kaohe.actions.spreadsheet.values import normal, shown
from kaohe.render.vocab import SHEET_COLUMNS

SEARCH_ROWS = 30
REQUIRED = ("date", "community", "rule")
BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


@dataclass(frozen=True)
class Layout:
    """The header row and, for each key read, its 1-based column and its heading."""

    header_row: int
    columns: dict[str, int]
    headings: dict[str, str]
    unread: dict[int, str] = field(default_factory=dict)  # the header row's other headings, by column: not imported

    def described(self) -> dict[str, str]:
        """``{"date": "A 检查日期", …}`` for the summary."""
        return {key: f"{get_column_letter(col)} {self.headings[key]}".strip() for key, col in self.columns.items()}

    def unread_described(self) -> list[str]:
        """``["G 备注", …]``: the header row's headings that no key reads."""
        return [f"{get_column_letter(col)} {heading}" for col, heading in sorted(self.unread.items())]


def bare(heading: str) -> str:
    """A heading as compared: no spaces, ``*`` marks or bracketed units."""
    return BRACKETED.sub("", normal(heading)).replace(" ", "").replace("*", "").replace("＊", "")


def heading_rank(heading: str, mapping: Mapping) -> tuple[str, int] | None:
    """The key a heading names and how usual the heading is (0: the mapping file's, then vocab's order)."""
    text = bare(heading)
    if not text:
        return None
    for key, named in mapping.columns.items():
        if bare(named) == text:
            return key, 0
    for key, names in SHEET_COLUMNS.items():
        if text in names:
            return key, 1 + names.index(text)
    return None


def row_layout(sheet: Sheet, row: int, mapping: Mapping) -> Layout:
    """The columns the headings of ``row`` name (the mapping file's letters always win)."""
    best: dict[str, tuple[int, int]] = {}
    headings: dict[str, str] = {}
    cells = sheet.rows[row - 1] if row <= len(sheet.rows) else ()
    for col, value in enumerate(cells, start=1):
        if not isinstance(value, str) or col in mapping.letters.values():
            continue
        ranked = heading_rank(value, mapping)
        if ranked is None:
            continue
        key, rank = ranked
        if key not in mapping.letters and (key not in best or rank < best[key][0]):
            best[key] = (rank, col)
            headings[key] = normal(value)
    columns = {key: col for key, (_rank, col) in best.items()}
    for key, col in mapping.letters.items():
        columns[key] = col
        headings[key] = shown(sheet.value(row, col)) if row else ""
    read = set(columns.values())
    unread = {
        col: normal(value)
        for col, value in enumerate(cells, start=1)
        if isinstance(value, str) and normal(value) and col not in read
    }
    return Layout(row, dict(sorted(columns.items(), key=lambda kv: kv[1])), headings, unread)


def find_layout(sheet: Sheet, mapping: Mapping) -> Layout | str:
    """The sheet's layout, or why none was found (a message)."""
    if mapping.header_row:
        layout = row_layout(sheet, mapping.header_row, mapping)
        missing = [key for key in REQUIRED if key not in layout.columns]
        return layout if not missing else missing_message(missing, f"row {mapping.header_row} has no heading", mapping)
    if mapping.letters and all(key in mapping.letters for key in REQUIRED):
        return "columns given by letter need 'header_row' in the mapping file (the row above the first entry)"
    for row in range(1, min(SEARCH_ROWS, len(sheet.rows)) + 1):
        layout = row_layout(sheet, row, mapping)
        if all(key in layout.columns for key in REQUIRED):
            return layout
    return missing_message(list(REQUIRED), f"none of the first {SEARCH_ROWS} rows has a heading", mapping)


def missing_message(missing: list[str], where: str, mapping: Mapping) -> str:
    wanted = "; ".join(
        f"{key}: " + "/".join(((mapping.columns[key],) if key in mapping.columns else ()) + SHEET_COLUMNS[key][:3])
        for key in missing
    )
    return (
        f"no header row: {where} for {wanted} (rename the column headings in the sheet to one of "
        "these, or name the columns in a mapping file, --mapping)"
    )
