"""On-site visits across customers (seed 003; seeds 000/004: head customers visited at least
quarterly), computed at query time from the touchpoints, customers and contracts views.

Definitions (`cs_domain.visits`): a visit is an `onsite_visit` touchpoint; a head customer
is a `strategic` tier customer; quarters are calendar quarters. A head customer "not
visited" has a live contract (signed or active) and no visit from the first day of the
quarter of `today` up to `today`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, func, select

from cs_domain.visits import HEAD_TIER, VISIT_KIND, quarter_label, quarter_start
from projections.shapes import TypedDict
from projections.view import Reader
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS
from projections.views.touchpoints import TOUCHPOINTS

LIVE = ("signed", "active")


class Named(TypedDict):
    customer_id: UUID
    customer_name: str | None
    owner_id: UUID | None


class VisitedCustomer(Named):
    visits: int
    last_visit_on: date


class QuarterVisits(TypedDict):
    quarter: Annotated[str, Field(description="`YYYY-Qn` (calendar quarters).")]
    visits: int
    customers: Annotated[int, Field(description="Distinct customers visited in the quarter.")]


class HeadNotVisited(Named):
    last_visit_on: Annotated[date | None, Field(description="Their last visit on or before "
                                                            "`today`.")]


class VisitMetrics(TypedDict):
    visits: int
    by_customer: list[VisitedCustomer]
    by_quarter: list[QuarterVisits]
    quarter: str
    head_customers_not_visited: list[HeadNotVisited]
    position: int


def visit_metrics(conn: Connection, *, today: date, from_: date | None = None,
                  to: date | None = None, owner_id: UUID | None = None,
                  at: int | None = None) -> VisitMetrics:
    """`{visits, by_customer: [{customer_id, customer_name, owner_id, visits,
    last_visit_on}], by_quarter: [{quarter, visits, customers}], quarter,
    head_customers_not_visited: [{customer_id, customer_name, owner_id, last_visit_on}],
    position}`: visits in [from_, to] (open ends when None) of the customers `owner_id`
    owns (all when None); the head customers not visited this quarter (of `today`)."""
    r = Reader(conn, at, today)
    c, tp = r.table(CUSTOMERS), r.table(TOUCHPOINTS)
    customer_conds = [r.visible(c)] + ([c.c.owner_id == owner_id] if owner_id else [])
    customers = {row.id: row for row in conn.execute(select(
        c.c.id, c.c.name, c.c.name_folded, c.c.owner_id, c.c.tier).where(*customer_conds))}
    visit_conds = [r.visible(tp), tp.c.kind == VISIT_KIND]
    if from_ is not None:
        visit_conds.append(tp.c.occurred_on >= from_)
    if to is not None:
        visit_conds.append(tp.c.occurred_on <= to)
    per_customer: Counter[UUID] = Counter()
    last: dict[UUID, date] = {}
    per_quarter: Counter[str] = Counter()
    quarter_customers: dict[str, set[UUID]] = {}
    for customer_id, day in conn.execute(select(tp.c.customer_id, tp.c.occurred_on).where(
            *visit_conds)):
        if customer_id not in customers:
            continue
        per_customer[customer_id] += 1
        last[customer_id] = max(day, last.get(customer_id, day))
        label = quarter_label(day)
        per_quarter[label] += 1
        quarter_customers.setdefault(label, set()).add(customer_id)

    by_name = sorted(customers, key=lambda cid: (customers[cid].name_folded, str(cid)))
    return {
        "visits": sum(per_customer.values()),
        "by_customer": [VisitedCustomer(**_named(customers, cid), visits=per_customer[cid],
                                        last_visit_on=last[cid])
                        for cid in by_name if cid in per_customer],
        "by_quarter": [QuarterVisits(quarter=q, visits=per_quarter[q],
                                     customers=len(quarter_customers[q]))
                       for q in sorted(per_quarter)],
        "quarter": quarter_label(today),
        "head_customers_not_visited": _not_visited(r, customers, by_name, today),
        "position": r.position,
    }


def _named(customers: dict[UUID, Any], cid: UUID) -> Named:
    row = customers[cid]
    return {"customer_id": cid, "customer_name": row.name, "owner_id": row.owner_id}


def _not_visited(r: Reader, customers: dict[UUID, Any], by_name: list[UUID], today: date
                 ) -> list[HeadNotVisited]:
    k, tp = r.table(CONTRACTS), r.table(TOUCHPOINTS)
    heads = {cid for cid in by_name if customers[cid].tier == HEAD_TIER}
    live = set(r.conn.execute(select(k.c.customer_id).where(
        r.visible(k), k.c.status.in_(LIVE))).scalars())
    last = {row.customer_id: row.last_on for row in r.conn.execute(select(
        tp.c.customer_id, func.max(tp.c.occurred_on).label("last_on")).where(
        r.visible(tp), tp.c.kind == VISIT_KIND, tp.c.occurred_on <= today).group_by(
        tp.c.customer_id))}
    start = quarter_start(today)
    return [HeadNotVisited(**_named(customers, cid), last_visit_on=last.get(cid))
            for cid in by_name
            if cid in heads and cid in live and (last.get(cid) is None or last[cid] < start)]
