"""Every helper the view queries share, in one place (no view imports another for these):
the query error (→ 422 naming the field), the page size bound and the opaque cursor codec,
filters and date cursors, paging by date, and exact averages and rates (the rate is
`cs_domain.rules.ratio`: one definition). (Canonical JSON text for view columns is
`projections.jsontext`.)

Imports nothing from `projections.views`, so any view may use it.
"""

from __future__ import annotations

import base64
import binascii
import json
import statistics
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Row, Select, String, Table, and_, or_, select
from sqlalchemy.types import TypeDecorator

from cs_domain.rules import RATE, RULES_CONTEXT, ratio
from projections.versioned import VersionedTable
from projections.view import Reader

__all__ = ["RATE", "ratio"]  # re-exported: the one definition lives in cs_domain.rules



# --- limits and cursors ------------------------------------------------------------
MAX_LIMIT = 500


class InvalidQuery(ValueError):
    """A filter or cursor the list cannot use; `field` names it (for a 422)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery("limit", f"must be between 1 and {MAX_LIMIT}")


def encode_cursor(*values: Any) -> str:
    """An opaque cursor from the sort key of the last item of a page (names, dates, ids)."""
    raw = json.dumps([str(v) for v in values], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[str]:
    """The `width` strings of a cursor made by `encode_cursor`, or InvalidQuery("cursor")."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != width or not all(
            isinstance(v, str) for v in values):
        raise InvalidQuery("cursor", "is not a cursor this list returned")
    return values


# --- averages and rates ------------------------------------------------------------
HUNDREDTHS = Decimal("0.01")


def mean(values: list[int] | list[Decimal], places: Decimal = HUNDREDTHS) -> Decimal | None:
    """The mean of `values` rounded half-up to `places`; None when there are none."""
    if not values:
        return None
    total = sum((Decimal(v) for v in values), Decimal(0))
    average = RULES_CONTEXT.divide(total, Decimal(len(values)))
    return average.quantize(places, rounding=ROUND_HALF_UP)


# --- filters, date cursors, datetimes ----------------------------------------------
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


# --- paging -----------------------------------------------------------------------
# A row as a view shows it: a plain dict or a view's TypedDict (ADR 0008).
Item = Callable[[Any], Mapping[str, Any]]


def date_page(conn: Connection, stmt: Select[Any], t: Table, day: str, cursor: str | None,
              limit: int) -> tuple[Sequence[Row[Any]], str | None]:
    """The rows of `stmt` after `cursor` in (`day`, id) order, at most `limit` of them,
    and the cursor of the next page (None on the last one)."""
    after = after_date_cursor(cursor, t.c[day], t.c.id)
    if after is not None:
        stmt = stmt.where(after)
    rows = conn.execute(stmt.order_by(t.c[day], t.c.id).limit(limit + 1)).all()
    page = rows[:limit]
    next_cursor = encode_cursor(date_key(getattr(page[-1], day)), page[-1].id) \
        if len(rows) > limit else None
    return page, next_cursor


def status_rows(
    conn: Connection, spec: VersionedTable, *, day: str, known: Iterable[str],
    customer_id: UUID | None, status: str | Collection[str] | None, cursor: str | None,
    limit: int, at: int | None, where: Callable[[Table], Any] | None = None,
) -> tuple[Sequence[Row[Any]], str | None, int]:
    """The rows of `spec` by `day` (then id), of one customer and some statuses (`known`
    are the valid ones) if given, and `where(table)` if given, one page at a time:
    `(rows, next_cursor, position)`; the caller shapes each row as its view shows it."""
    check_limit(limit)
    statuses = as_list(status)
    check_values("status", statuses, known)
    r = Reader(conn, at)
    t = r.table(spec)
    stmt = select(t).where(r.visible(t))
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    if where is not None:
        stmt = stmt.where(where(t))
    if statuses is not None:
        stmt = stmt.where(t.c.status.in_(statuses))
    page, next_cursor = date_page(conn, stmt, t, day, cursor, limit)
    return page, next_cursor, r.position


def status_list(
    conn: Connection, spec: VersionedTable, *, day: str, item: Item, known: Iterable[str],
    customer_id: UUID | None, status: str | Collection[str] | None, cursor: str | None,
    limit: int, at: int | None,
) -> dict[str, Any]:
    """`status_rows` as `{items, next_cursor, position}`, each row shown by `item`."""
    rows, next_cursor, position = status_rows(
        conn, spec, day=day, known=known, customer_id=customer_id, status=status,
        cursor=cursor, limit=limit, at=at)
    return {"items": [item(x) for x in rows], "next_cursor": next_cursor, "position": position}


def one_row(conn: Connection, spec: VersionedTable, key: UUID, at: int | None
            ) -> tuple[Row[Any] | None, int]:
    """The row of `spec` with id `key` (None if unknown as of `at`) and the position read."""
    r = Reader(conn, at)
    t = r.table(spec)
    return conn.execute(select(t).where(t.c.id == key, r.visible(t))).first(), r.position


def get_one(conn: Connection, spec: VersionedTable, key: UUID, item: Item, at: int | None
            ) -> dict[str, Any] | None:
    """The row of `spec` with id `key` as `item` shows it, plus `position`; None if unknown
    (as of `at`)."""
    row, position = one_row(conn, spec, key, at)
    return None if row is None else {**item(row), "position": position}
