"""Working days on the official calendar: the State Council's yearly arrangement of public holidays.

The weekend days worked in exchange (调休上班) count as working days, as the ``chinesecalendar``
package records them (module ``chinese_calendar``). A year it does not cover is a
:class:`CalendarGap`, which ``check`` reports where the date was written. Shared by ``check``
(the 公示's objections) and scoring (the 公示's last day, the stage).
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)


class CalendarGap(ValueError):
    """The official calendar of working days does not cover ``year``."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


def is_working_day(day: date) -> bool:
    """A working day on the official calendar: a weekday that is no holiday, or a weekend day worked in exchange."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:  # the package's way of saying it has no data for the year
        raise CalendarGap(day.year) from exc


def covered_years() -> tuple[int, int]:
    """The first and last year the official calendar covers."""
    years = {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}
    return min(years), max(years)


def last_day(start: date, working_days: int) -> date:
    """The last day of a 公示 of ``working_days`` working days, ``start`` counted as the first when it is one."""
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted >= working_days:
                return day
        day += ONE_DAY
