"""A sheet as a grid of values, and a problem located at one of its cells.

Values are already exact: text (``str``), numbers (:class:`~decimal.Decimal`), dates and
date-times; an empty cell is ``None``. A merged range holds its value in every cell it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl.utils import get_column_letter

from kaohe.errors import Severity

Value = str | Decimal | date | None  # a datetime is a date


@dataclass(frozen=True)
class Sheet:
    """One sheet: ``rows[r][c]`` is the value of row ``r + 1``, column ``c + 1``."""

    name: str
    rows: tuple[tuple[Value, ...], ...]

    def value(self, row: int, col: int) -> Value:
        """The value at 1-based ``row`` and ``col`` (``None`` outside the grid)."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


@dataclass(frozen=True)
class Book:
    """Every sheet of a file; ``encoding`` says how a CSV file was decoded (``""`` for a workbook)."""

    sheets: tuple[Sheet, ...]
    encoding: str = ""


def cell_ref(row: int, col: int) -> str:
    """``C12``."""
    return f"{get_column_letter(col)}{row}"


@dataclass(frozen=True)
class CellProblem:
    """``台帐.xlsx:Sheet1!C12: error: …``; ``row`` 0 means the file itself, ``col`` 0 the whole row."""

    file: str
    sheet: str
    row: int
    col: int
    severity: Severity
    message: str

    @property
    def where(self) -> str:
        if self.row == 0:
            return self.file
        cell = cell_ref(self.row, self.col) if self.col else str(self.row)
        return f"{self.file}:{self.sheet}!{cell}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.where}: {self.severity.value}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": cell_ref(self.row, self.col) if self.row and self.col else "",
            "row": self.row,
            "column": self.col,
            "severity": self.severity.value,
            "message": self.message,
        }
