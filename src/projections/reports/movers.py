"""Health by business date (the quarterly review): each customer's score on a day is
that of its latest usage period starting on or before it (the health view's periods,
as known at the read's position), so a book imported later still has a history.

`health_on(day)` gives the distribution over bands; `health_movers` the largest score
changes between two days (a customer scored only at one end is left out).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from projections.view import Reader
from projections.views.customers import CUSTOMERS
from projections.views.health import BANDS, PERIODS, shown

LIMIT = 10


def _scores(conn: Connection, day: date, at: int | None) -> dict[Any, tuple[Any, str]]:
    r = Reader(conn, at)
    t = r.table(PERIODS)
    rows = conn.execute(select(t.c.customer_id, t.c.period_start, t.c.score, t.c.band)
                        .where(r.visible(t), t.c.period_start <= day)
                        .order_by(t.c.customer_id, t.c.period_start)).all()
    return {row.customer_id: (row.score, row.band) for row in rows}  # the latest wins


def health_on(conn: Connection, day: date, at: int | None) -> dict[str, Any]:
    scores = _scores(conn, day, at)
    bands = dict.fromkeys(BANDS, 0)
    for _, band in scores.values():
        bands[band] = bands.get(band, 0) + 1
    values = [s for s, _ in scores.values()]
    mean = None if not values else str(shown(sum(values) / len(values)))
    return {"day": day.isoformat(), "customers": len(scores), "bands": bands, "mean_score": mean}


def health_movers(conn: Connection, before: date, after: date, at: int | None,
                  limit: int = LIMIT) -> list[dict[str, Any]]:
    start, end = _scores(conn, before, at), _scores(conn, after, at)
    moved = [(cid, start[cid], end[cid]) for cid in end.keys() & start.keys()
             if start[cid][0] != end[cid][0]]
    moved.sort(key=lambda m: (-abs(m[2][0] - m[1][0]), str(m[0])))
    r = Reader(conn, at)
    c = r.table(CUSTOMERS)
    ids = [m[0] for m in moved[:limit]]
    names = dict(conn.execute(select(c.c.id, c.c.name).where(c.c.id.in_(ids), r.visible(c))).all()
                 ) if ids else {}
    return [{"customer_id": str(cid), "customer_name": names.get(cid),
             "score_before": str(shown(a[0])), "band_before": a[1],
             "score_after": str(shown(b[0])), "band_after": b[1],
             "change": str(shown(b[0] - a[0]))} for cid, a, b in moved[:limit]]
