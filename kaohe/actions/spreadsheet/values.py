"""One cell's value as what an entry needs: text, an exact decimal, a whole number, a date.

Each parser returns the value, or a :class:`Wrong` saying what is wrong with the cell.
Text is read after NFKC normalisation, so full-width digits and punctuation (``２００８．３．１２``)
read like their ASCII forms; a unit after a number (``0.5分``, ``2次``, ``150万元``) is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from kaohe.actions.spreadsheet.grid import Value
from kaohe.numbers import as_written

EXCEL_DAY_ZERO = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 1900-02-29 that never was)
MAX_SERIAL = 2958465  # 9999-12-31
NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:分|次|项|处|个|件|万元|元|万)?$")
FULL_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?(?:[ T].*)?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
SERIAL = re.compile(r"^\d{1,7}(?:\.0+)?$")


@dataclass(frozen=True)
class Wrong:
    """Why a cell's value cannot be used."""

    message: str


def normal(text: str) -> str:
    """Text as compared and parsed: NFKC (full-width forms become ASCII), spaces trimmed and single."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def shown(value: Value) -> str:
    """A value as text, for messages and text keys: ``0.5``, ``2008-03-12``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return as_written(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_text(value: Value) -> str:
    """A note or evidence: the cell's text (a number or date as it is written)."""
    return shown(value).strip()


def as_decimal(value: Value) -> Decimal | Wrong:
    """An exact decimal: a number cell, or text such as ``0.5``, ``1,500``, ``0.5分``."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        found = NUMBER.match(normal(value).replace(",", ""))
        if found:
            try:
                return Decimal(found.group(1))
            except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
                pass
    return Wrong(f"'{shown(value)}' is not a number")


def as_count(value: Value) -> int | Wrong:
    """A whole number of times (次数): ``2``, ``2次``, ``2.0``."""
    number = as_decimal(value)
    if isinstance(number, Wrong):
        return number
    if number != number.to_integral_value():
        return Wrong(f"'{shown(value)}' is not a whole number")
    return int(number)


def as_date(value: Value, period: tuple[date, date]) -> date | Wrong:
    """A date: a date cell, an Excel serial number, ``2008-3-12``, ``2008.3.12``, ``2008/3/12``,
    ``2008年3月12日`` (or 号), ``20080312``, or ``3月12日`` (the year is the one in which it falls inside ``period``)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, Decimal):
        return serial_date(value)
    text = normal(value or "")
    if SERIAL.match(text) and not COMPACT_DATE.match(text):
        return serial_date(Decimal(text))
    for pattern in (FULL_DATE, COMPACT_DATE):
        found = pattern.match(text)
        if found:
            return calendar_date(text, int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = MONTH_DAY.match(text)
    if found:
        return month_day(text, int(found.group(1)), int(found.group(2)), period)
    return Wrong(f"'{shown(value)}' is not a date (write it as 2008-03-12)")


def serial_date(serial: Decimal) -> date | Wrong:
    """An Excel date serial number (the days since 1899-12-30); a fraction of a day is a time and is dropped."""
    if not 1 <= serial <= MAX_SERIAL:
        return Wrong(f"'{as_written(serial)}' is not a date (write it as 2008-03-12)")
    return EXCEL_DAY_ZERO + timedelta(days=int(serial))


def calendar_date(text: str, year: int, month: int, day: int) -> date | Wrong:
    try:
        return date(year, month, day)
    except ValueError:
        return Wrong(f"'{text}' is not a date of the calendar")


def month_day(text: str, month: int, day: int, period: tuple[date, date]) -> date | Wrong:
    """``3月12日`` in the year of ``period`` it falls in (the first year of the period when it falls in none)."""
    start, end = period
    for year in range(start.year, end.year + 1):
        found = calendar_date(text, year, month, day)
        if isinstance(found, date) and start <= found <= end:
            return found
    return calendar_date(text, start.year, month, day)
