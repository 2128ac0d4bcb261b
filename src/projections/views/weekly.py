"""Each CSM's ISO week (seed 003: the CSM's weekly work statistics), computed at query time
from the customers, touchpoints, tasks, risks and contracts views — no tables of its own.

Per CSM (every owner of a customer and every active user with role csm), for the days
Monday..Sunday of the week:
- `customers_touched`: distinct customers they own with a touchpoint that occurred that week;
- `visits`: `onsite_visit` touchpoints on their customers that week;
- `tasks_done`: tasks assigned to them completed that week;
- `risks_raised` / `risks_closed`: risks of their customers raised / closed that week (a
  reopened risk closed again counts again);
- `renewals`: contracts of their customers renewed that week (`renewed_on`);
- `brief`: the brief they submitted for the week, with its problems' follow-up.
Ownership is the customer's owner as the views know it at the read position.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from projections.view import Reader
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS
from projections.views.risks import EPISODES, RISKS
from projections.views.tasks import TASKS
from projections.views.team import _csm_ids
from projections.views.touchpoints import TOUCHPOINTS
from projections.views.weekly_briefs import briefs_of_week

FIGURES = ("customers_touched", "visits", "tasks_done", "risks_raised", "risks_closed",
           "renewals")


def _in_week(column: Any, monday: date) -> Any:
    return column.between(monday, monday + timedelta(days=6))


def team_weekly(conn: Connection, *, monday: date, today: date,
                owner_id: UUID | None = None, at: int | None = None) -> dict[str, Any]:
    """`{items: [{owner_id, customers_touched, visits, tasks_done, risks_raised,
    risks_closed, renewals, brief}], position}` for the week starting `monday`, one item per
    CSM ordered by owner id (only `owner_id` when given); `brief` is the CSM's weekly brief
    of that week (projections.views.weekly_briefs), None before one is submitted."""
    r = Reader(conn, at, today)
    c = r.table(CUSTOMERS)
    owner_of = {row.id: row.owner_id for row in conn.execute(
        select(c.c.id, c.c.owner_id).where(r.visible(c)))}
    rows: dict[UUID, dict[str, Any]] = {}

    def entry(owner: UUID) -> dict[str, Any]:
        if owner not in rows:
            rows[owner] = {"owner_id": owner, **dict.fromkeys(FIGURES, 0), "brief": None,
                           "_touched": set()}
        return rows[owner]

    for owner in _csm_ids(r):
        entry(owner)
    for owner in owner_of.values():
        entry(owner)

    def per_customer(customer_ids: Iterable[UUID], figure: str) -> None:
        for customer_id in customer_ids:
            if customer_id in owner_of:
                entry(owner_of[customer_id])[figure] += 1

    tp = r.table(TOUCHPOINTS)
    for customer_id, kind in conn.execute(select(tp.c.customer_id, tp.c.kind).where(
            r.visible(tp), _in_week(tp.c.occurred_on, monday))):
        if customer_id in owner_of:
            e = entry(owner_of[customer_id])
            e["_touched"].add(customer_id)
            e["visits"] += kind == "onsite_visit"
    rk, ep, k = r.table(RISKS), r.table(EPISODES), r.table(CONTRACTS)
    per_customer(conn.execute(select(rk.c.customer_id).where(
        r.visible(rk), _in_week(rk.c.raised_on, monday))).scalars(), "risks_raised")
    per_customer(conn.execute(select(ep.c.customer_id).where(
        r.visible(ep), _in_week(ep.c.closed_on, monday))).scalars(), "risks_closed")
    per_customer(conn.execute(select(k.c.customer_id).where(
        r.visible(k), _in_week(k.c.renewed_on, monday))).scalars(), "renewals")
    t = r.table(TASKS)
    for assignee in conn.execute(select(t.c.assignee_id).where(
            r.visible(t), t.c.status == "done", _in_week(t.c.completed_on, monday))).scalars():
        if assignee is not None:
            entry(assignee)["tasks_done"] += 1
    for owner, brief in briefs_of_week(r, monday).items():
        entry(owner)["brief"] = brief
    items = []
    for owner in sorted(rows, key=str):
        e = rows[owner]
        e["customers_touched"] = len(e.pop("_touched"))
        if owner_id is None or owner == owner_id:
            items.append(e)
    return {"items": items, "position": r.position}
