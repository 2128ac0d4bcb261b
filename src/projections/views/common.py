"""Small helpers shared by the work views (risks, tasks, requirements, complaints, team):
opaque cursors, query errors, exact averages and a text column for aware datetimes."""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import String, and_, or_
from sqlalchemy.types import TypeDecorator

from projections.query import MAX_LIMIT, InvalidQuery, check_limit, decode_cursor, encode_cursor
from projections.views.numbers import mean

__all__ = ["MAX_LIMIT", "check_limit", "decode_cursor", "encode_cursor", "mean"]
TWO_PLACES = Decimal("0.01")


def invalid(field: str, message: str) -> Exception:
    """The lists' InvalidQuery (→ 422 naming the field)."""
    return InvalidQuery(field, message)


def decode_date_cursor(cursor: str) -> tuple[date, UUID]:
    """The (date, id) sort key of the lists ordered by due date, then id."""
    day, ident = decode_cursor(cursor, 2)
    try:
        return date.fromisoformat(day), UUID(ident)
    except ValueError:
        raise invalid("cursor", "is not a cursor this list returned") from None


def after_date_cursor(cursor: str | None, day_col: Any, id_col: Any) -> Any:
    """The SQL condition "after the cursor's item" of a (date, id) ordered list, or None."""
    if not cursor:
        return None
    day, ident = decode_date_cursor(cursor)
    return or_(day_col > day, and_(day_col == day, id_col > ident))


def as_list(value: str | Collection[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def check_values(field: str, values: list[str] | None, allowed: Iterable[str]) -> None:
    known = set(allowed)
    bad = [v for v in values or () if v not in known]
    if bad:
        raise invalid(field, f"unknown value(s) {', '.join(map(repr, bad))}; "
                             f"expected one of {', '.join(sorted(known))}")


def median(values: list[int] | list[Decimal]) -> Decimal | None:
    """The median (the mean of the middle two for an even count), to 2 places."""
    if not values:
        return None
    middle = statistics.median(Decimal(v) for v in values)
    return Decimal(middle).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Exact hours between two aware moments (no float)."""
    micro = (end - start) // timedelta(microseconds=1)
    return Decimal(micro) / Decimal(3_600_000_000)


def date_key(value: date | None) -> str:
    return "" if value is None else value.isoformat()


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime on every store, kept as ISO-8601 text in UTC (SQLite has no
    time zones); read back as an aware UTC datetime."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"{value!r} has no time zone")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)
