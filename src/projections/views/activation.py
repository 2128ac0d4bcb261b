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
- **Activated on**: the earliest of (a) the day it first reached the growth stage (or
  mature / renewal: stages past onboarding), from the customers view's row history, and
  (b) the first usage period with active usage — `active_days_per_week >= min_active_days`
  (default 1) — that reaches the start: max(period_start, start). A date before the start
  counts as the start.
- **Activated** (the numerator): activated on or before the deadline. Customers activated
  after it are counted as `activated_late`; the others as `not_activated`.

Business time (deadlines, stage dates, usage periods), readable as of a knowledge
position like every view: facts recorded after `at` are not known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select, true

from cs_domain.rules import csm_milestones
from projections.view import Reader
from projections.views.contracts import CONTRACTS, ratio
from projections.views.customers import CUSTOMERS
from projections.views.health import PERIODS

ACTIVATED_STAGES = ("growth", "mature", "renewal")
# A deadline is 27 to 30 days after its start: look for starts a little wider than that.
START_WINDOW = timedelta(days=31)
CHUNK = 500


def _chunks(ids: Iterable[UUID]) -> Iterator[list[UUID]]:
    items = sorted(ids)
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _deadline(start: date) -> date:
    return csm_milestones(start)[0].due_date


def _starts(r: Reader, from_: date, to: date) -> dict[UUID, dict[str, Any]]:
    """Customers whose start may put their deadline in [from_, to], with their start."""
    c, k = r.table(CUSTOMERS), r.table(CONTRACTS)
    low = from_ - START_WINDOW
    candidates = set(r.conn.execute(select(c.c.id).where(
        r.visible(c), c.c.onboarded_on >= low, c.c.onboarded_on <= to)).scalars())
    candidates |= set(r.conn.execute(select(k.c.customer_id).where(
        r.visible(k), k.c.activated_on >= low, k.c.activated_on <= to)).scalars())
    found: dict[UUID, dict[str, Any]] = {}
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


def _growth_dates(r: Reader, ids: list[UUID]) -> dict[UUID, date]:
    """The first day each customer reached a stage past onboarding, from its row history
    (every version known as of the read's position)."""
    c = r.table(CUSTOMERS)
    known = c.c.valid_from <= r.at if r.at is not None else true()
    out: dict[UUID, date] = {}
    for chunk in _chunks(ids):
        out.update({row[0]: row[1] for row in r.conn.execute(
            select(c.c.id, func.min(c.c.stage_since))
            .where(c.c.id.in_(chunk), c.c.stage.in_(ACTIVATED_STAGES), known)
            .group_by(c.c.id))})
    return out


def _usage_dates(r: Reader, due: dict[UUID, dict[str, Any]], min_active_days: Decimal
                 ) -> dict[UUID, date]:
    """The start of each customer's first active usage period that reaches its start."""
    h = r.table(PERIODS)
    out: dict[UUID, date] = {}
    for chunk in _chunks(due):
        rows = r.conn.execute(select(
            h.c.customer_id, h.c.period_start, h.c.period_end, h.c.active_days_per_week,
        ).where(r.visible(h), h.c.customer_id.in_(chunk)))
        for row in rows:
            start = due[row.customer_id]["start_date"]
            if row.active_days_per_week < min_active_days or row.period_end < start:
                continue
            on = max(row.period_start, start)
            if row.customer_id not in out or on < out[row.customer_id]:
                out[row.customer_id] = on
    return out


def activation_metrics(conn: Connection, from_: date, to: date, *,
                       min_active_days: Decimal = Decimal(1), at: int | None = None
                       ) -> dict[str, Any]:
    """`{from, to, due_customers, activated_customers, activation_rate (4 places, None
    when nothing is due), activated_late, not_activated, items: [{customer_id, name,
    owner_id, start_date, deadline, activated_on, activated_by: stage|usage|None,
    on_time}], position}` (definitions in the module docstring)."""
    r = Reader(conn, at)
    due = {cid: item for cid, item in _starts(r, from_, to).items()
           if from_ <= item["deadline"] <= to}
    r.table(PERIODS)  # the result reflects the health view too, even when nothing is due
    growth = _growth_dates(r, list(due))
    usage = _usage_dates(r, due, min_active_days)
    items = []
    for cid, item in due.items():
        start = item["start_date"]
        options = [(max(d, start), by) for d, by in ((growth.get(cid), "stage"),
                                                     (usage.get(cid), "usage")) if d is not None]
        on, by = min(options) if options else (None, None)
        items.append({**item, "activated_on": on, "activated_by": by,
                      "on_time": on is not None and on <= item["deadline"]})
    items.sort(key=lambda x: (x["deadline"], x["name"], str(x["customer_id"])))
    activated = sum(x["on_time"] for x in items)
    late = sum(x["activated_on"] is not None and not x["on_time"] for x in items)
    return {
        "from": from_, "to": to, "due_customers": len(items),
        "activated_customers": activated, "activation_rate": ratio(activated, len(items)),
        "activated_late": late, "not_activated": len(items) - activated - late,
        "items": items, "position": r.position,
    }

