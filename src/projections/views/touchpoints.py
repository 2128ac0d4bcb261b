"""Touchpoints view: every recorded contact with a customer, newest first.

Answers "when did we last talk to this customer, how and about what" (the customer
360's `last_touchpoints`: the last five, by the day they happened) and lists a
customer's touchpoints with filters (kind, date range) for its timeline.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Connection, Date, Integer, String, Text, Uuid, bindparam, select

from cs_domain.touchpoint import Touchpoint as TouchpointAggregate
from projections import jsontext
from projections.shapes import TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.customers import CUSTOMERS

TOUCHPOINTS = VersionedTable(
    "touchpoints", "touchpoints",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("kind", String(32)), ("occurred_on", Date()),
        ("summary", Text()), ("participants", Text()), ("next_steps", Text()),
        ("week_start", Date()), ("follow_up_on", Date()), ("follow_up_outcome", Text()),
        ("recorded_by", String(200)), ("recorded_position", BigInteger()),
    ],
    indexes=[("customer_id", "occurred_on")], current_indexes=[("customer_id", "occurred_on")],
)
LAST = 5


class Touchpoint(TypedDict):
    id: UUID
    customer_id: UUID
    kind: str
    occurred_on: date
    summary: str
    participants: list[str]
    next_steps: list[str]
    week_start: date | None
    follow_up_on: date | None
    follow_up_outcome: str | None
    recorded_by: str | None


class TouchpointList(TypedDict):
    items: list[Touchpoint]
    position: int


def last_touchpoints(r: Reader, customer_id: UUID, today: date) -> list[Touchpoint]:
    """The customer 360's `last_touchpoints`: the five latest by occurred_on."""
    return _touchpoints(r, customer_id, limit=LAST)


class TouchpointsView(View):
    name = "touchpoints"
    tables = (TOUCHPOINTS,)
    customer_sections = {"last_touchpoints": last_touchpoints}

    @on(TouchpointAggregate.Recorded)
    def recorded(self, tx: ViewTx, e: TouchpointAggregate.Recorded) -> None:
        tx[TOUCHPOINTS].put(e.originator_id, {
            "customer_id": e.customer_id, "kind": e.kind, "occurred_on": e.occurred_on,
            "summary": e.summary, "participants": jsontext.dumps(list(e.participants)),
            "next_steps": jsontext.dumps(list(e.next_steps)), "week_start": e.week_start,
            "follow_up_on": None, "follow_up_outcome": None, "recorded_by": e.actor,
            "recorded_position": tx.position,
        })

    @on(TouchpointAggregate.FollowUpRecorded)
    def followed_up(self, tx: ViewTx, e: TouchpointAggregate.FollowUpRecorded) -> None:
        tx[TOUCHPOINTS].update(e.originator_id, follow_up_on=e.follow_up_on,
                               follow_up_outcome=e.outcome)


def touchpoint_of(row: Any) -> Touchpoint:
    return {
        "id": row.id, "customer_id": row.customer_id, "kind": row.kind,
        "occurred_on": row.occurred_on, "summary": row.summary,
        "participants": jsontext.loads(row.participants),
        "next_steps": jsontext.loads(row.next_steps), "week_start": row.week_start,
        "follow_up_on": row.follow_up_on, "follow_up_outcome": row.follow_up_outcome,
        "recorded_by": row.recorded_by,
    }


def _touchpoints(r: Reader, customer_id: UUID | None, *, kind: str | None = None,
                 from_: date | None = None, to: date | None = None, limit: int | None = None,
                 owner_id: UUID | None = None) -> list[Touchpoint]:
    """Touchpoints newest first; of one customer, or across customers (of those owned by
    `owner_id` when given: the customer's owner CSM as the views know it)."""
    def build(t: Any, *owners: Any) -> Any:
        stmt = select(t).where(r.visible_bound(t))
        if customer_id is not None:
            stmt = stmt.where(t.c.customer_id == bindparam("customer_id"))
        if owners:
            c = owners[0]
            stmt = stmt.join(c, c.c.id == t.c.customer_id).where(
                r.visible_bound(c), c.c.owner_id == bindparam("owner_id"))
        if kind is not None:
            stmt = stmt.where(t.c.kind == bindparam("kind"))
        if from_ is not None:
            stmt = stmt.where(t.c.occurred_on >= bindparam("from_"))
        if to is not None:
            stmt = stmt.where(t.c.occurred_on <= bindparam("to"))
        # Same day: the one recorded later first.
        stmt = stmt.order_by(t.c.occurred_on.desc(), t.c.recorded_position.desc())
        return stmt if limit is None else stmt.limit(bindparam("limit", type_=Integer))

    shape = ("touchpoints", customer_id is not None, owner_id is not None, kind is not None,
             from_ is not None, to is not None, limit is None)
    values = {"customer_id": customer_id, "owner_id": owner_id, "kind": kind, "from_": from_,
              "to": to, "limit": limit}
    specs = [TOUCHPOINTS, CUSTOMERS] if owner_id is not None else [TOUCHPOINTS]
    stmt = r.prepared(shape, specs, build)
    return [touchpoint_of(row) for row in r.run(stmt, {k: v for k, v in values.items()
                                                       if v is not None})]


def touchpoints_of(conn: Connection, customer_id: UUID | None, *, kind: str | None = None,
                   from_: date | None = None, to: date | None = None, limit: int = 100,
                   owner_id: UUID | None = None, at: int | None = None) -> TouchpointList:
    """Touchpoints, newest first, of one customer or (customer_id None) across customers,
    optionally of the customers `owner_id` owns, occurred_on in [from_, to] (optional,
    inclusive): `{items: [{id, customer_id, kind, occurred_on, summary, participants,
    next_steps, week_start, follow_up_on, follow_up_outcome, recorded_by}], position}`."""
    r = Reader(conn, at)
    items = _touchpoints(r, customer_id, kind=kind, from_=from_, to=to, limit=limit,
                         owner_id=owner_id)
    return {"items": items, "position": r.position}
