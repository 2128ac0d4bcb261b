"""Small helpers shared by the work views (risks, tasks, requirements, complaints, team):
opaque cursors, query errors, exact averages and a text column for aware datetimes."""

from __future__ import annotations

import base64
import binascii
import json
import statistics
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import String, and_, or_
from sqlalchemy.types import TypeDecorator

MAX_LIMIT = 500
TWO_PLACES = Decimal("0.01")


def invalid(field: str, message: str) -> Exception:
    """The customer list's InvalidQuery (→ 422), imported late: compose imports the
    registry, which imports these views."""
    from projections.compose import InvalidQuery

    return InvalidQuery(field, message)


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", f"must be between 1 and {MAX_LIMIT}")


def encode_cursor(*values: Any) -> str:
    """An opaque cursor from the sort key of the last item of a page (dates and ids)."""
    raw = json.dumps([str(v) for v in values]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[str]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != width or not all(
            isinstance(v, str) for v in values):
        raise invalid("cursor", "is not a cursor this list returned")
    return values


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


def mean(values: list[int] | list[Decimal]) -> Decimal | None:
    """The arithmetic mean rounded half-up to 2 places; None for no values."""
    if not values:
        return None
    total = sum((Decimal(v) for v in values), Decimal(0))
    return (total / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


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
