"""Reading ``.xlsx``, ``.xls`` and ``.csv`` files into :class:`~.grid.Book`, values exact.

A number stored as a binary floating-point value (every number in ``.xls``, fractions in
``.xlsx``) becomes the decimal of its shortest text at 15 significant digits, the precision
Excel and WPS show and calculate with: ``0.1`` → ``Decimal("0.1")``, and a cell holding
``=0.1+0.2`` (stored as 0.30000000000000004) → ``Decimal("0.3")``. Whole numbers stay exact.

A CSV file is UTF-8 (with or without a byte order mark) or, failing that, GB18030 (which
includes GBK and GB2312, what Excel and WPS save on a Chinese Windows); the book says which.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import warnings
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from kaohe.actions.spreadsheet.grid import Book, Sheet, Value

EXCEL_DIGITS = 15  # significant digits Excel and WPS keep
MAX_BYTES = 32 * 1024 * 1024  # a year's ledger is far smaller
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
ENCODING_BOM = "UTF-8 with BOM"
ENCODING_UTF8 = "UTF-8"
ENCODING_GB = "GB18030 (GBK)"


class CannotRead(Exception):
    """The file cannot be read as a spreadsheet: the message says why."""


def read_book(path: Path) -> Book:
    """Every sheet of ``path`` by its suffix; :class:`CannotRead` when it is missing, too large or damaged."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CannotRead(f"not a spreadsheet: the name should end in {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise CannotRead("no such file")
    if path.stat().st_size > MAX_BYTES:
        raise CannotRead(f"the file is larger than {MAX_BYTES} bytes")
    if suffix == ".csv":
        return read_csv(path)
    try:
        return read_xls(path) if suffix == ".xls" else read_xlsx(path)
    except CannotRead:
        raise
    except Exception as exc:  # a damaged or mislabelled file: the libraries raise many kinds of error
        raise CannotRead(f"cannot be read as {suffix} ({type(exc).__name__}: {exc})") from None


def number(value: float | int) -> Decimal:
    """A stored number as the decimal a spreadsheet shows for it (see the module's docstring).

    The libraries hand over a binary float, the cell's stored form; it becomes a Decimal here,
    at the boundary, and no float goes further.
    """
    if isinstance(value, int):
        return Decimal(value)
    if not math.isfinite(value):
        raise ValueError("not a number")
    shown = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    return shown.to_integral_value() if shown == shown.to_integral_value() else shown.normalize()


def plain(value: Any) -> Value:
    """A library's cell value as a grid value."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, Decimal | date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def filled(rows: list[list[Value]], merged: Iterable[tuple[int, int, int, int]]) -> tuple[tuple[Value, ...], ...]:
    """``rows`` with each merged range (1-based first row, first col, last row, last col) holding its value everywhere."""
    for top, left, bottom, right in merged:
        value = rows[top - 1][left - 1] if top <= len(rows) and left <= len(rows[top - 1]) else None
        for r in range(top, min(bottom, len(rows)) + 1):
            for c in range(left, min(right, len(rows[r - 1])) + 1):
                rows[r - 1][c - 1] = value
    return tuple(tuple(row) for row in rows)


def read_xlsx(path: Path) -> Book:
    from openpyxl import load_workbook

    with warnings.catch_warnings():  # openpyxl warns about extensions it does not read (validation, styles)
        warnings.simplefilter("ignore")
        book = load_workbook(path, data_only=True)
    sheets = []
    for ws in book.worksheets:
        rows = [[plain(cell.value) for cell in row] for row in ws.iter_rows()]
        ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        sheets.append(Sheet(ws.title, filled(rows, ranges)))
    return Book(tuple(sheets))


def read_xls(path: Path) -> Book:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    sheets = []
    for index in range(book.nsheets):
        ws = book.sheet_by_index(index)
        rows = [[xls_value(ws.cell(r, c), book.datemode) for c in range(ws.ncols)] for r in range(ws.nrows)]
        ranges = [(top + 1, left + 1, bottom, right) for top, bottom, left, right in ws.merged_cells]
        sheets.append(Sheet(ws.name, filled(rows, ranges)))
    return Book(tuple(sheets))


def xls_value(cell: Any, datemode: Literal[0, 1]) -> Value:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        moment: datetime = xlrd.xldate_as_datetime(cell.value, datemode)
        return moment
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return plain(cell.value)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), ENCODING_BOM
    try:
        return data.decode("utf-8"), ENCODING_UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), ENCODING_GB
    except UnicodeDecodeError as exc:
        raise CannotRead(f"neither UTF-8 nor GBK/GB18030 text (byte {exc.start}); save it as CSV UTF-8") from None


def read_csv(path: Path) -> Book:
    try:
        text, encoding = decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise CannotRead(f"not UTF-8 text after its byte order mark (byte {exc.start})") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[plain(value) for value in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise CannotRead(f"malformed CSV: {exc}") from None
    return Book((Sheet(path.stem, tuple(tuple(row) for row in rows)),), encoding)
