"""The clock, read only here at the HTTP edge: the domain never reads it.

A command body may leave out the business date of its step (`raised_on`,
`closed_on`, ...); the API then takes today's date in UTC (or the current moment
for complaints, whose steps are timed) and hands it to the domain like any date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def on_or_today(value: date | None) -> date:
    """The business date sent, or today (UTC) when the client left it out."""
    return today() if value is None else value


def at_or_now(value: datetime | None) -> datetime:
    """The moment sent, or now (UTC) when the client left it out."""
    return now() if value is None else value
