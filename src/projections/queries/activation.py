"""Activation rate 启用率 (seed 001): activated customers / customers due to activate.

A query over the customers, contracts and health views (no tables of its own).

- **Start** of a customer: the earlier of the day it entered onboarding (the customers
  view's `onboarded_on`, its first move to onboarding) and the day its first contract
  was activated (the earliest `activated_on` of its contracts). A reactivated customer
  keeps its first start.
- **Deadline**: seed 001 "activated within month 1", as :func:`cs_domain.rules.csm_milestones`
  defines it — the day before the same day one month later (start 1 Jan → 31 Jan; about
  30 days). The team view's "activated" milestone uses the same date.
- **Due to activate in [from, to]**: the deadline falls in the range (both inclusive).
- **Activated on**: the one definition, `cs_domain.lifecycle.activated_on` (seed 001 启用:
  the customer uses the product): the first usage period with active usage —
  `active_days_per_week >= min_active_days` (default 1) — that reaches the start, on
  max(period_start, start). `/team/milestones` ("activated") and the stage rules
  (onboarding → growth) use the same definition.
- **Activated** (the numerator): activated on or before the deadline. Customers activated
  after it are counted as `activated_late`; the others as `not_activated`.

Business time (deadlines, stage dates, usage periods), readable as of a knowledge
position like every view: facts recorded after `at` are not known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, func, select

from cs_domain.lifecycle import MIN_ACTIVE_DAYS, UsagePeriod, activated_on
from cs_domain.rules import csm_milestones
from projections.shapes import Ratio, TypedDict
from projections.view import Reader
from projections.views.contracts import CONTRACTS, ratio
from projections.views.customers import CUSTOMERS
from projections.views.health import PERIODS

# A deadline is 27 to 30 days after its start: look for starts a little wider than that.
START_WINDOW = timedelta(days=31)
CHUNK = 500


class ActivationStart(TypedDict):
    customer_id: UUID
    name: str
    owner_id: UUID | None
    start_date: date
    deadline: date


class ActivationItem(ActivationStart):
    activated_on: date | None
    activated_by: Annotated[str | None, Field(description="stage | usage | null")]
    on_time: bool


# `from` is a keyword: the functional form (the API's ActivationMetrics documents it).
ActivationMetrics = TypedDict("ActivationMetrics", {
    "from": date, "to": date, "due_customers": int, "activated_customers": int,
    "activation_rate": Ratio | None, "activated_late": int, "not_activated": int,
    "items": list[ActivationItem], "position": int,
})


def _chunks(ids: Iterable[UUID]) -> Iterator[list[UUID]]:
    items = sorted(ids)
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _deadline(start: date) -> date:
    return csm_milestones(start)[0].due_date


def _starts(r: Reader, from_: date, to: date) -> dict[UUID, ActivationStart]:
    """Customers whose start may put their deadline in [from_, to], with their start."""
    c, k = r.table(CUSTOMERS), r.table(CONTRACTS)
    low = from_ - START_WINDOW
    candidates = set(r.conn.execute(select(c.c.id).where(
        r.visible(c), c.c.onboarded_on >= low, c.c.onboarded_on <= to)).scalars())
    candidates |= set(r.conn.execute(select(k.c.customer_id).where(
        r.visible(k), k.c.activated_on >= low, k.c.activated_on <= to)).scalars())
    found: dict[UUID, ActivationStart] = {}
    for ids in _chunks(candidates):
        first: dict[UUID, date] = {row[0]: row[1] for row in r.conn.execute(
            select(k.c.customer_id, func.min(k.c.activated_on))
            .where(r.visible(k), k.c.customer_id.in_(ids), k.c.activated_on.is_not(None))
            .group_by(k.c.customer_id))}
        for row in r.conn.execute(select(c.c.id, c.c.name, c.c.owner_id, c.c.onboarded_on)
                                  .where(r.visible(c), c.c.id.in_(ids))):
            start = min(d for d in (row.onboarded_on, first.get(row.id)) if d is not None)
            found[row.id] = {"customer_id": row.id, "name": row.name,
                             "owner_id": row.owner_id, "start_date": start,
                             "deadline": _deadline(start)}
    return found


def usage_periods(r: Reader, ids: Iterable[UUID]) -> dict[UUID, list[UsagePeriod]]:
    """Each customer's usage periods (health view), as the lifecycle rules take them."""
    h = r.table(PERIODS)
    out: dict[UUID, list[UsagePeriod]] = defaultdict(list)
    for chunk in _chunks(ids):
        for row in r.conn.execute(select(
                h.c.customer_id, h.c.period_start, h.c.period_end, h.c.active_days_per_week,
                h.c.feature_adoption).where(r.visible(h), h.c.customer_id.in_(chunk))):
            out[row.customer_id].append(UsagePeriod(
                row.period_start, row.period_end, row.active_days_per_week,
                row.feature_adoption))
    return out


def activation_dates(r: Reader, starts: dict[UUID, date],
                     min_active_days: Decimal = MIN_ACTIVE_DAYS) -> dict[UUID, date]:
    """customer → the day it was activated from `starts[customer]` (`lifecycle.activated_on`);
    customers not activated are left out."""
    out: dict[UUID, date] = {}
    for cid, periods in usage_periods(r, starts).items():
        on = activated_on(starts[cid], periods, min_active_days)
        if on is not None:
            out[cid] = on
    return out


def activation_metrics(conn: Connection, from_: date, to: date, *,
                       min_active_days: Decimal = Decimal(1), at: int | None = None
                       ) -> ActivationMetrics:
    """`{from, to, due_customers, activated_customers, activation_rate (4 places, None
    when nothing is due), activated_late, not_activated, items: [{customer_id, name,
    owner_id, start_date, deadline, activated_on, activated_by: usage|None,
    on_time}], position}` (definitions in the module docstring)."""
    r = Reader(conn, at)
    due = {cid: item for cid, item in _starts(r, from_, to).items()
           if from_ <= item["deadline"] <= to}
    r.table(PERIODS)  # the result reflects the health view too, even when nothing is due
    usage = activation_dates(r, {cid: item["start_date"] for cid, item in due.items()},
                             min_active_days)
    items: list[ActivationItem] = []
    for cid, item in due.items():
        on = usage.get(cid)
        items.append(ActivationItem(
            **item, activated_on=on, activated_by=None if on is None else "usage",
            on_time=on is not None and on <= item["deadline"]))
    items.sort(key=lambda x: (x["deadline"], x["name"], str(x["customer_id"])))
    activated = sum(x["on_time"] for x in items)
    late = sum(x["activated_on"] is not None and not x["on_time"] for x in items)
    return {
        "from": from_, "to": to, "due_customers": len(items),
        "activated_customers": activated, "activation_rate": ratio(activated, len(items)),
        "activated_late": late, "not_activated": len(items) - activated - late,
        "items": items, "position": r.position,
    }

