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
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, select

from projections.shapes import TypedDict
from projections.view import Reader
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS
from projections.views.risks import EPISODES, RISKS
from projections.views.tasks import TASKS
from projections.views.team import _csm_ids
from projections.views.touchpoints import TOUCHPOINTS
from projections.views.weekly_briefs import Brief, briefs_of_week

FIGURES = ("customers_touched", "visits", "tasks_done", "risks_raised", "risks_closed",
           "renewals")


class CsmWeek(TypedDict):
    owner_id: UUID
    customers_touched: Annotated[int, Field(
        description="Distinct customers they own with a touchpoint that occurred this week.")]
    visits: Annotated[int, Field(description="`onsite_visit` touchpoints on their customers.")]
    tasks_done: Annotated[int, Field(
        description="Tasks assigned to them completed this week.")]
    risks_raised: Annotated[int, Field(
        description="Risks on their customers raised this week.")]
    risks_closed: Annotated[int, Field(
        description="Risks on their customers closed this week.")]
    renewals: Annotated[int, Field(
        description="Contracts of their customers renewed this week.")]
    brief: Annotated[Brief | None, Field(
        description="The CSM's weekly brief of the week with its problems' follow-up; null "
                    "until submitted.")]


class CsmWeeks(TypedDict):
    items: list[CsmWeek]
    position: int


def _in_week(column: Any, monday: date) -> Any:
    return column.between(monday, monday + timedelta(days=6))


def team_weekly(conn: Connection, *, monday: date, today: date,
                owner_id: UUID | None = None, at: int | None = None) -> CsmWeeks:
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
    items = [CsmWeek(owner_id=owner, customers_touched=len(e["_touched"]), visits=e["visits"],
                     tasks_done=e["tasks_done"], risks_raised=e["risks_raised"],
                     risks_closed=e["risks_closed"], renewals=e["renewals"], brief=e["brief"])
             for owner, e in sorted(rows.items(), key=lambda kv: str(kv[0]))
             if owner_id is None or owner == owner_id]
    return {"items": items, "position": r.position}
