"""Date arithmetic that never overflows: shifts clamp at `date.min` / `date.max`.

An event may carry any date the domain accepted (old logs hold dates from before the
API's bounds, e.g. 0001-01-01 or 9999-12-31), and a projector or the automation must
handle every event: `day + timedelta(...)` would raise `OverflowError` at the edges of
the calendar and stop them. These saturate instead; within the calendar they are exact.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def shift(day: date, days: int) -> date:
    """`day` moved by `days` days, clamped to the calendar (date.min … date.max)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:  # the result (or the timedelta itself) is off the calendar
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)
    and to the calendar."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
