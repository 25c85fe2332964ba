"""Cell values as entries need them: every date form clerks write, and numbers without float drift."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kaohe.actions.spreadsheet.grid import Value
from kaohe.actions.spreadsheet.readers import number, read_book
from kaohe.actions.spreadsheet.values import Wrong, as_count, as_date, as_decimal

YEAR_2008 = (date(2008, 1, 1), date(2008, 12, 31))
SCHOOL_YEAR = (date(2008, 7, 1), date(2009, 6, 30))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (datetime(2008, 3, 12, 0, 0), date(2008, 3, 12)),  # a date cell
        (date(2008, 3, 12), date(2008, 3, 12)),
        # an Excel serial number: 39448 is 2008-01-01 (Excel's day 1 is 1900-01-01, counting a 1900-02-29),
        # and 2008-03-12 is 31 + 29 + 11 = 71 days later: 39519
        (Decimal(39519), date(2008, 3, 12)),
        ("39519", date(2008, 3, 12)),
        ("2008-3-12", date(2008, 3, 12)),
        ("2008-03-12", date(2008, 3, 12)),
        ("2008.3.12", date(2008, 3, 12)),
        ("2008/3/12", date(2008, 3, 12)),
        ("2008年3月12日", date(2008, 3, 12)),
        ("２００８年３月１２日", date(2008, 3, 12)),  # full-width digits
        ("2008-03-12 00:00:00", date(2008, 3, 12)),  # a date-time written out by a CSV export
        ("20080312", date(2008, 3, 12)),
        ("3月12日", date(2008, 3, 12)),  # the year is the period's
        ("2008年3月12号", date(2008, 3, 12)),  # 号 as clerks say it
        ("3月12号", date(2008, 3, 12)),
    ],
)
def test_every_date_form_clerks_write_is_read(written: Value, expected: date) -> None:
    assert as_date(written, YEAR_2008) == expected


def test_a_month_and_day_takes_the_year_in_which_it_falls_inside_the_period() -> None:
    assert as_date("3月12日", SCHOOL_YEAR) == date(2009, 3, 12)
    assert as_date("9月1日", SCHOOL_YEAR) == date(2008, 9, 1)


@pytest.mark.parametrize("written", ["2008-2-30", "明天", "13月1日", ""])
def test_a_cell_that_is_not_a_date_says_so(written: str) -> None:
    found = as_date(written, YEAR_2008)
    assert isinstance(found, Wrong)
    assert "date" in found.message


def double(written: str) -> Decimal:
    """The binary double an .xls stores for ``written`` (or for the sum a formula computed), converted exactly."""
    return Decimal(float(written))


def test_a_stored_double_becomes_the_decimal_the_spreadsheet_shows() -> None:
    # Decimal of the double 0.1 is 0.1000000000000000055…; at Excel's 15 significant digits, 0.1
    assert number(double("0.1")) == Decimal("0.1") and str(number(double("0.1"))) == "0.1"
    # 0.1 + 0.2 is stored as 0.30000000000000004; at Excel's 15 significant digits it is 0.3
    assert (
        number(double("0.30000000000000004")) == Decimal("0.3") and str(number(double("0.30000000000000004"))) == "0.3"
    )
    assert number(double("3.3000000000000003")) == Decimal("3.3")  # 1.1 * 3 stored
    assert number(double("150")) == Decimal(150) and str(number(double("150"))) == "150"
    assert number(Decimal(12)) == Decimal(12)
    assert number(double("0.000001")) == Decimal("0.000001")
    assert number(Decimal("0.30000000000000004")) == Decimal("0.3")  # the text an .xlsx stores


def test_an_xlsx_number_is_read_from_its_stored_text_not_through_a_float(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append([0.5, "text", 2])
    workbook.save(tmp_path / "made.xlsx")
    with zipfile.ZipFile(tmp_path / "made.xlsx") as made, zipfile.ZipFile(tmp_path / "book.xlsx", "w") as book:
        for item in made.infolist():
            data = made.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>0.5</v>" in data
                data = data.replace(b"<v>0.5</v>", b"<v>1.5E-400</v>")  # no binary double holds it: a float is 0.0
            book.writestr(item, data)
    row = read_book(tmp_path / "book.xlsx").sheets[0].rows[0]
    assert row == (Decimal("1.5E-400"), "text", Decimal(2))


@pytest.mark.parametrize(
    ("written", "expected"),
    [("0.5", Decimal("0.5")), ("0.5分", Decimal("0.5")), ("1,500", Decimal(1500)), ("150万元", Decimal(150))],
)
def test_numbers_written_as_text_are_read_exactly(written: str, expected: Decimal) -> None:
    assert as_decimal(written) == expected


def test_counts_are_whole_numbers() -> None:
    assert as_count("2次") == 2
    assert as_count(Decimal("3.0")) == 3
    assert isinstance(as_count(Decimal("2.5")), Wrong)
    assert isinstance(as_count("两次"), Wrong)


def test_a_wps_workbook_is_asked_to_be_saved_as_xlsx(tmp_path: Path) -> None:
    from kaohe.actions.spreadsheet.readers import CannotRead

    (tmp_path / "台帐.et").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CannotRead, match=r"另存为 \(Save As\) \.xlsx first"):
        read_book(tmp_path / "台帐.et")
    with pytest.raises(CannotRead) as plain:
        read_book(tmp_path / "台帐.txt")
    assert "另存为" not in str(plain.value)  # a text file is no spreadsheet of another format


def test_a_workbook_saved_under_the_other_name_is_read_as_what_it_is(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["日期", "社区"])
    book.active.append(["2008-03-12", "紫桥社区"])
    book.save(tmp_path / "台帐.xls")  # an .xlsx under an .xls name, as a clerk's renaming leaves it
    rows = read_book(tmp_path / "台帐.xls").sheets[0].rows
    assert [list(row) for row in rows[:2]] == [["日期", "社区"], ["2008-03-12", "紫桥社区"]]
