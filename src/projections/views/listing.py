"""Reads shared by the work views: one row by id, and lists paged by (date, id) behind an
opaque cursor (complaints, requirements, risks, tasks)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Row, Select, Table, select

from projections.versioned import VersionedTable
from projections.view import Reader
from projections.views.common import (
    after_date_cursor,
    as_list,
    check_limit,
    check_values,
    date_key,
    encode_cursor,
)

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


def status_list(
    conn: Connection, spec: VersionedTable, *, day: str, item: Item, known: Iterable[str],
    customer_id: UUID | None, status: str | Collection[str] | None, cursor: str | None,
    limit: int, at: int | None,
) -> dict[str, Any]:
    """The rows of `spec` by `day` (then id), of one customer and some statuses (`known`
    are the valid ones) if given, one page at a time: `{items, next_cursor, position}`."""
    check_limit(limit)
    statuses = as_list(status)
    check_values("status", statuses, known)
    r = Reader(conn, at)
    t = r.table(spec)
    stmt = select(t).where(r.visible(t))
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    if statuses is not None:
        stmt = stmt.where(t.c.status.in_(statuses))
    page, next_cursor = date_page(conn, stmt, t, day, cursor, limit)
    return {"items": [item(x) for x in page], "next_cursor": next_cursor,
            "position": r.position}


def get_one(conn: Connection, spec: VersionedTable, key: UUID, item: Item, at: int | None
            ) -> dict[str, Any] | None:
    """The row of `spec` with id `key` as `item` shows it, plus `position`; None if unknown
    (as of `at`)."""
    r = Reader(conn, at)
    t = r.table(spec)
    row = conn.execute(select(t).where(t.c.id == key, r.visible(t))).first()
    return None if row is None else {**item(row), "position": r.position}
