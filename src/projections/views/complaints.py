"""Complaints view: each complaint's current step and the moment of every step
(received → investigating → resolved → reviewed, seed 001), for the 360 and the
complaint metrics (24 h target when resources are needed, time to resolve, reviews).

Moments are stored in UTC; `received_on` is the business date of receipt in the
time zone it was recorded with (what the person who took the complaint saw).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Boolean, Connection, Date, String, Uuid, bindparam, select

from cs_domain.complaint import Complaint, ComplaintStatus
from projections.query import (
    UtcDateTime,
    hours_between,
    mean,
    median,
    status_list,
)
from projections.shapes import Measure, Position, Ratio, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.contracts import ratio

C = ComplaintStatus
OPEN_STEPS = (C.RECEIVED.value, C.INVESTIGATING.value, C.RESOLVED.value)

COMPLAINTS = VersionedTable(
    "complaints", "complaints",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("summary", String(5000)), ("channel", String(16)),
        ("severity", String(8)), ("needs_resources", Boolean()), ("status", String(16)),
        ("received_at", UtcDateTime()), ("received_on", Date()),
        ("resolve_by", UtcDateTime()), ("investigation_started_at", UtcDateTime()),
        ("resolved_at", UtcDateTime()), ("within_target", Boolean()),
        ("investigation_note", String(5000)), ("resolution", String(5000)),
        ("compensation", String(5000)), ("reviewed_on", Date()), ("category", String(32)),
        ("root_cause", String(5000)), ("improvement", String(5000)),
    ],
    indexes=[("customer_id",), ("received_on", "id")],
    current_indexes=[("customer_id",)],
)


class ComplaintLine(TypedDict):
    """A complaint as the customer 360 lists it (not yet reviewed)."""

    id: UUID
    summary: str
    severity: str
    status: Annotated[str, Field(description="received | investigating | resolved | reviewed")]
    needs_resources: bool
    received_at: datetime
    resolve_by: Annotated[datetime | None, Field(
        description="The 24 h target, when resources are needed.")]
    resolved_at: datetime | None
    resolution: Annotated[str | None, Field(
        description="How it was resolved (null until resolved).")]


class ComplaintItem(ComplaintLine):
    customer_id: UUID
    channel: str
    received_on: Annotated[date, Field(
        description="Business date of receipt (in the sender's zone).")]
    investigation_started_at: datetime | None
    investigation_note: Annotated[str | None, Field(
        description="The note recorded when the investigation started.")]
    within_target: bool | None
    compensation: Annotated[str | None, Field(
        description="Compensation given on resolution, if any.")]
    reviewed_on: date | None
    category: str | None
    root_cause: str | None
    improvement: str | None


class ComplaintOne(ComplaintItem):
    position: Position


class ComplaintList(TypedDict):
    items: list[ComplaintItem]
    next_cursor: str | None
    position: int


class CategoryCount(TypedDict):
    category: str
    count: int


# `from` is a keyword: the functional form (the API's ComplaintMetrics documents it).
ComplaintMetrics = TypedDict("ComplaintMetrics", {
    "from": date, "to": date, "received": int, "needing_resources": int, "resolved": int,
    "resolved_within_target": int, "resolved_late": int, "within_target_rate": Ratio | None,
    "unresolved_needing_resources": int, "past_target_unresolved": int | None,
    "mean_resolution_hours": Measure | None, "median_resolution_hours": Measure | None,
    "reviewed": int, "reviewed_with_root_cause": int, "review_categories": list[CategoryCount],
    "open_by_step": dict[str, int], "open": int, "position": int,
})


def complaints_of_customer(r: Reader, customer_id: UUID, today: date) -> list[ComplaintLine]:
    """The 360's `complaints`: those not yet reviewed, oldest first: `[{id, summary,
    severity, status, needs_resources, received_at, resolve_by, resolved_at, resolution}]`."""
    stmt = r.prepared("complaints_of_customer", [COMPLAINTS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), t.c.status.in_(OPEN_STEPS),
        r.visible_bound(t),
    ).order_by(t.c.received_at, t.c.id))
    rows = r.run(stmt, {"customer_id": customer_id}).all()
    return [{"id": x.id, "summary": x.summary, "severity": x.severity, "status": x.status,
             "needs_resources": x.needs_resources, "received_at": x.received_at,
             "resolve_by": x.resolve_by, "resolved_at": x.resolved_at,
             "resolution": x.resolution} for x in rows]


class ComplaintsView(View):
    name = "complaints"
    tables = (COMPLAINTS,)
    customer_sections = {"complaints": complaints_of_customer}

    @on(Complaint.Received)
    def received(self, tx: ViewTx, e: Complaint.Received) -> None:
        row: dict[str, Any] = {c: None for c in COMPLAINTS.data_names}
        row.update(customer_id=e.customer_id, summary=e.summary, channel=e.channel,
                   severity=e.severity, needs_resources=e.needs_resources,
                   status=C.RECEIVED.value, received_at=e.received_at,
                   received_on=e.received_at.date(), resolve_by=e.resolve_by)
        tx[COMPLAINTS].put(e.originator_id, row)

    @on(Complaint.InvestigationStarted)
    def investigating(self, tx: ViewTx, e: Complaint.InvestigationStarted) -> None:
        tx[COMPLAINTS].update(e.originator_id, status=C.INVESTIGATING.value,
                              investigation_started_at=e.started_at,
                              investigation_note=e.note)

    @on(Complaint.Resolved)
    def resolved(self, tx: ViewTx, e: Complaint.Resolved) -> None:
        tx[COMPLAINTS].update(e.originator_id, status=C.RESOLVED.value,
                              resolved_at=e.resolved_at, within_target=e.within_target,
                              resolution=e.resolution, compensation=e.compensation)

    @on(Complaint.Reviewed)
    def reviewed(self, tx: ViewTx, e: Complaint.Reviewed) -> None:
        tx[COMPLAINTS].update(e.originator_id, status=C.REVIEWED.value,
                              reviewed_on=e.reviewed_on, category=e.category,
                              root_cause=e.root_cause, improvement=e.improvement)


def _item(x: Any) -> ComplaintItem:
    return {
        "id": x.id, "customer_id": x.customer_id, "summary": x.summary, "channel": x.channel,
        "severity": x.severity, "needs_resources": x.needs_resources, "status": x.status,
        "received_at": x.received_at, "received_on": x.received_on,
        "resolve_by": x.resolve_by, "investigation_started_at": x.investigation_started_at,
        "resolved_at": x.resolved_at, "within_target": x.within_target,
        "investigation_note": x.investigation_note, "resolution": x.resolution,
        "compensation": x.compensation, "reviewed_on": x.reviewed_on, "category": x.category,
        "root_cause": x.root_cause, "improvement": x.improvement,
    }


def get_complaint(conn: Connection, complaint_id: UUID, at: int | None = None
                  ) -> ComplaintOne | None:
    """One complaint with every step's moment, plus `position`; None if unknown."""
    r = Reader(conn, at)
    t = r.table(COMPLAINTS)
    row = conn.execute(select(t).where(t.c.id == complaint_id, r.visible(t))).first()
    return None if row is None else ComplaintOne(**_item(row), position=r.position)


def complaint_list(
    conn: Connection, *, customer_id: UUID | None = None,
    status: str | Collection[str] | None = None, cursor: str | None = None, limit: int = 50,
    at: int | None = None,
) -> ComplaintList:
    """Complaints by business date of receipt (then id): `{items, next_cursor, position}`;
    `status`: received, investigating, resolved, reviewed (one or several)."""
    page = status_list(conn, COMPLAINTS, day="received_on", item=_item,
                       known=(s.value for s in ComplaintStatus), customer_id=customer_id,
                       status=status, cursor=cursor, limit=limit, at=at)
    # status_list is shared by several views; its items are `_item`'s (checked above).
    return ComplaintList(items=page["items"], next_cursor=page["next_cursor"],
                         position=page["position"])


def complaint_metrics(conn: Connection, from_: date, to: date, *, now: datetime | None = None,
                      at: int | None = None) -> ComplaintMetrics:
    """Figures of the complaints received in [from_, to] (by `received_on`, both inclusive).

    `needing_resources`: those with the 24 h target; `resolved_within_target` /
    `resolved_late`: of those, resolved by / after their `resolve_by`;
    `within_target_rate`: within / resolved needing resources (None if none resolved);
    `unresolved_needing_resources`, and with `now` given `past_target_unresolved`;
    `mean_resolution_hours` / `median_resolution_hours`: over every resolved complaint
    of the range, hours from receipt to resolution (2 places); `reviewed`,
    `reviewed_with_root_cause`, `review_categories [{category, count}]`;
    `open_by_step`: not yet reviewed, by current step.
    """
    r = Reader(conn, at)
    t = r.table(COMPLAINTS)
    rows = conn.execute(select(t).where(r.visible(t), t.c.received_on.between(from_, to))).all()
    needing = [x for x in rows if x.needs_resources]
    within = sum(1 for x in needing if x.within_target is True)
    late = sum(1 for x in needing if x.within_target is False)
    unresolved = [x for x in needing if x.resolved_at is None]
    hours = [hours_between(x.received_at, x.resolved_at) for x in rows
             if x.resolved_at is not None]
    reviewed = [x for x in rows if x.reviewed_on is not None]
    categories = Counter(x.category for x in reviewed)
    open_by_step = {s: 0 for s in OPEN_STEPS}
    for x in rows:
        if x.status in open_by_step:
            open_by_step[x.status] += 1
    return {
        "from": from_, "to": to, "received": len(rows), "needing_resources": len(needing),
        "resolved": len(hours), "resolved_within_target": within, "resolved_late": late,
        "within_target_rate": ratio(within, within + late),
        "unresolved_needing_resources": len(unresolved),
        "past_target_unresolved": None if now is None else sum(
            1 for x in unresolved if now > x.resolve_by),
        "mean_resolution_hours": mean(hours), "median_resolution_hours": median(hours),
        "reviewed": len(reviewed),
        "reviewed_with_root_cause": sum(1 for x in reviewed if (x.root_cause or "").strip()),
        "review_categories": [{"category": k, "count": n} for k, n in
                              sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))],
        "open_by_step": open_by_step, "open": sum(open_by_step.values()),
        "position": r.position,
    }
