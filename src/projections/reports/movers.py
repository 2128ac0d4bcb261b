"""Health's biggest movers between two log positions (the quarterly review).

Each customer's current score as known at `before` and at `after` (the health view's
row versions), the largest changes first; a customer scored only at one end is left
out (no movement to measure).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from projections.view import Reader
from projections.views.customers import CUSTOMERS
from projections.views.health import CURRENT

LIMIT = 10


def _scores(conn: Connection, at: int | None) -> dict[Any, tuple[Any, str]]:
    r = Reader(conn, at)
    t = r.table(CURRENT)
    rows = conn.execute(select(t.c.customer_id, t.c.score, t.c.band).where(r.visible(t))).all()
    return {row.customer_id: (row.score, row.band) for row in rows}


def health_movers(conn: Connection, before: int | None, after: int | None,
                  limit: int = LIMIT) -> list[dict[str, Any]]:
    start, end = _scores(conn, before), _scores(conn, after)
    moved = [(cid, start[cid], end[cid]) for cid in end.keys() & start.keys()
             if start[cid][0] != end[cid][0]]
    moved.sort(key=lambda m: (-abs(m[2][0] - m[1][0]), str(m[0])))
    r = Reader(conn, after)
    c = r.table(CUSTOMERS)
    ids = [m[0] for m in moved[:limit]]
    names = dict(conn.execute(select(c.c.id, c.c.name).where(c.c.id.in_(ids), r.visible(c))).all()
                 ) if ids else {}
    return [{"customer_id": str(cid), "customer_name": names.get(cid),
             "score_before": str(a[0]), "band_before": a[1], "score_after": str(b[0]),
             "band_after": b[1], "change": str(b[0] - a[0])} for cid, a, b in moved[:limit]]
