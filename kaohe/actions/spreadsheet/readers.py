"""Reading ``.xlsx``, ``.xls`` and ``.csv`` files into :class:`~.grid.Book`, values exact.

A number becomes a Decimal from what the file stores, never through a binary float: in
``.xlsx`` from the text of the cell's ``<v>`` element (read from the sheet's XML beside
openpyxl, which would turn it into a float), in ``.xls`` from the IEEE double the file holds,
converted exactly. It is then rounded to 15 significant digits, the precision Excel and WPS
show and calculate with: ``0.1`` → ``Decimal("0.1")``, and a cell holding ``=0.1+0.2``
(stored as 0.30000000000000004) → ``Decimal("0.3")``. Whole numbers stay exact.

A CSV file is UTF-8 (with or without a byte order mark) or, failing that, GB18030 (which
includes GBK and GB2312, what Excel and WPS save on a Chinese Windows); the book says which.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import ROUND_HALF_EVEN, Context, Decimal
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

from kaohe.actions.spreadsheet.grid import Book, Sheet, Value

EXCEL_DIGITS = 15  # significant digits Excel and WPS keep
SHOWN = Context(prec=EXCEL_DIGITS, rounding=ROUND_HALF_EVEN)
MAX_BYTES = 32 * 1024 * 1024  # a year's ledger is far smaller
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
ENCODING_BOM = "UTF-8 with BOM"
ENCODING_UTF8 = "UTF-8"
ENCODING_GB = "GB18030 (GBK)"


SAVE_AS_FIRST = (".et", ".ett", ".xlsb", ".ods", ".numbers")  # spreadsheets of another format


class CannotRead(Exception):
    """The file cannot be read as a spreadsheet: the message says why."""


def read_book(path: Path) -> Book:
    """Every sheet of ``path`` by its suffix; :class:`CannotRead` when it is missing, too large or damaged."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        saved = " (in WPS or Excel: 另存为 (Save As) .xlsx first)" if suffix in SAVE_AS_FIRST else ""
        raise CannotRead(f"not a spreadsheet: the name should end in {', '.join(SUFFIXES)}{saved}")
    if not path.is_file():
        raise CannotRead("no such file")
    if path.stat().st_size > MAX_BYTES:
        raise CannotRead(f"the file is larger than {MAX_BYTES} bytes")
    if suffix == ".csv":
        return read_csv(path)
    kind = stored_kind(path) or suffix  # a workbook saved under the other name is read as what it is
    try:
        return read_xls(path) if kind == ".xls" else read_xlsx(path)
    except CannotRead:
        raise
    except Exception as exc:  # a damaged or mislabelled file: the libraries raise many kinds of error
        raise CannotRead(f"cannot be read as {suffix} ({type(exc).__name__}: {exc})") from None


ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive…
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # …an .xls a compound document


def stored_kind(path: Path) -> str | None:
    """``.xlsx`` or ``.xls`` by the file's first bytes, whatever its name; ``None`` when neither."""
    with path.open("rb") as file:
        head = file.read(len(OLE_MAGIC))
    if head.startswith(ZIP_MAGIC):
        return ".xlsx"
    return ".xls" if head == OLE_MAGIC else None


def number(stored: Decimal) -> Decimal:
    """A stored number, exact, as the decimal a spreadsheet shows for it (see the module's docstring)."""
    if not stored.is_finite():
        raise ValueError("not a number")
    shown = SHOWN.create_decimal(stored)
    return shown.to_integral_value() if shown == shown.to_integral_value() else shown.normalize(SHOWN)


def plain(value: Any) -> Value:
    """A library's cell value as a grid value."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, Decimal | date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):  # a number a library read: an int, or the file's binary double
        return number(Decimal(value))  # exact: a binary double converts to the Decimal of its very value
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
        with path.open("rb") as file:  # a file, not its name: openpyxl refuses a name that does not end in .xlsx
            book = load_workbook(file, data_only=True)
    sheets = []
    for ws, stored in zip(book.worksheets, stored_numbers(path), strict=True):
        rows = [[xlsx_value(cell.value, stored.get((cell.row, cell.column))) for cell in row] for row in ws.iter_rows()]
        ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        sheets.append(Sheet(ws.title, filled(rows, ranges)))
    return Book(tuple(sheets))


def xlsx_value(value: Any, stored: str | None) -> Value:
    """openpyxl's value of a cell, a number taken from its stored text instead (a date stays openpyxl's)."""
    if stored is not None and isinstance(value, int | float):  # a boolean cell stores no number (t="b")
        return number(Decimal(stored))
    return plain(value)


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
NUMBER_TYPES = (None, "n")  # a cell's t attribute when <v> holds a number


def stored_numbers(path: Path) -> list[dict[tuple[int, int], str]]:
    """For each worksheet, in the workbook's order, the text of every number cell by (row, column)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    with zipfile.ZipFile(path) as package:
        workbook = part_of(package, "", "/officeDocument")
        folder = workbook.rpartition("/")[0]
        targets = relations(package, workbook, "/worksheet")
        found = []
        for sheet in ElementTree.fromstring(package.read(workbook)).iter(f"{SHEET_NS}sheet"):
            target = targets.get(sheet.get(REL_ID) or "")
            if target is None:
                continue
            numbers: dict[tuple[int, int], str] = {}
            with package.open(joined(folder, target)) as xml:
                for _, cell in ElementTree.iterparse(xml):
                    if cell.tag == f"{SHEET_NS}c":
                        text, ref = cell.findtext(f"{SHEET_NS}v"), cell.get("r")
                        if text is not None and ref and cell.get("t") in NUMBER_TYPES:
                            numbers[coordinate_to_tuple(ref)] = text.strip()
                        cell.clear()
            found.append(numbers)
    return found


def relations(package: zipfile.ZipFile, part: str, kind: str) -> dict[str, str]:
    """The targets of ``part``'s relationships of ``kind`` (a type ending), by id."""
    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in ElementTree.fromstring(package.read(rels)).iter(PACKAGE_RELS)
        if rel.get("Type", "").endswith(kind)
    }


def part_of(package: zipfile.ZipFile, part: str, kind: str) -> str:
    """The one part ``part`` relates to as ``kind`` (the package's own relationships for ``""``)."""
    return joined("", next(iter(relations(package, part, kind).values())))


def joined(folder: str, target: str) -> str:
    """A relationship's target as a path in the package."""
    if target.startswith("/"):
        return target.lstrip("/")
    return f"{folder}/{target}" if folder else target


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
