"""Activities view (活动, seed 001 §二.4): each activity planned with a customer, its step and
the business date of every step, the review's outcome figures and the improvement, for
`GET /activities`, the customer 360's `activities` and the month-9 CSM milestone
("the customer runs its own activities": the first review, see `views/team.py`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Date, Integer, String, Uuid, func, select

from cs_domain.activity import NOTE_MAX, TITLE_MAX, Activity, ActivityStatus
from projections.query import get_one, status_list
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on

A = ActivityStatus
STEP_COLUMNS = {A.PREPARED: "prepared_on", A.LAUNCHED: "launched_on",
                A.REVIEWED: "reviewed_on", A.IMPROVED: "improved_on",
                A.CANCELLED: "cancelled_on"}

ACTIVITIES = VersionedTable(
    "activities", "activities",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("kind", String(16)), ("title", String(TITLE_MAX)),
        ("goal", String(NOTE_MAX)), ("status", String(16)), ("planned_by", String(200)),
        ("planned_on", Date()), ("prepared_on", Date()), ("launched_on", Date()),
        ("reviewed_on", Date()), ("improved_on", Date()), ("cancelled_on", Date()),
        ("prepare_note", String(NOTE_MAX)), ("launch_note", String(NOTE_MAX)),
        ("participants", Integer()), ("revenue", DecimalText()), ("currency", String(3)),
        ("review_note", String(NOTE_MAX)), ("improvement", String(NOTE_MAX)),
        ("cancel_reason", String(NOTE_MAX)),
    ],
    indexes=[("customer_id",), ("planned_on", "id")],
    current_indexes=[("customer_id",)],
)
SECTION_LIMIT = 20


def _item(x: Any) -> dict[str, Any]:
    return {"id": x.id, **{c: getattr(x, c) for c in ACTIVITIES.data_names}}


def activities_of_customer(r: Reader, customer_id: UUID, today: date) -> list[dict[str, Any]]:
    """The customer 360's `activities`: the latest 20 by business date of planning,
    newest first."""
    t = r.table(ACTIVITIES)
    rows = r.conn.execute(select(t).where(r.visible(t), t.c.customer_id == customer_id)
                          .order_by(t.c.planned_on.desc(), t.c.id).limit(SECTION_LIMIT))
    return [_item(x) for x in rows]


class ActivitiesView(View):
    name = "activities"
    tables = (ACTIVITIES,)
    customer_sections = {"activities": activities_of_customer}

    @on(Activity.Planned)
    def planned(self, tx: ViewTx, e: Activity.Planned) -> None:
        row: dict[str, Any] = {c: None for c in ACTIVITIES.data_names}
        row.update(customer_id=e.customer_id, kind=e.kind, title=e.title, goal=e.goal,
                   status=A.PLANNED.value, planned_by=e.actor, planned_on=e.on)
        tx[ACTIVITIES].put(e.originator_id, row)

    @on(Activity.Prepared)
    def prepared(self, tx: ViewTx, e: Activity.Prepared) -> None:
        tx[ACTIVITIES].update(e.originator_id, status=A.PREPARED.value, prepared_on=e.on,
                              prepare_note=e.note)

    @on(Activity.Launched)
    def launched(self, tx: ViewTx, e: Activity.Launched) -> None:
        tx[ACTIVITIES].update(e.originator_id, status=A.LAUNCHED.value, launched_on=e.on,
                              launch_note=e.note)

    @on(Activity.Reviewed)
    def reviewed(self, tx: ViewTx, e: Activity.Reviewed) -> None:
        tx[ACTIVITIES].update(e.originator_id, status=A.REVIEWED.value, reviewed_on=e.on,
                              participants=e.participants, revenue=e.revenue,
                              currency=e.currency, review_note=e.note)

    @on(Activity.Improved)
    def improved(self, tx: ViewTx, e: Activity.Improved) -> None:
        tx[ACTIVITIES].update(e.originator_id, status=A.IMPROVED.value, improved_on=e.on,
                              improvement=e.improvement)

    @on(Activity.Cancelled)
    def cancelled(self, tx: ViewTx, e: Activity.Cancelled) -> None:
        tx[ACTIVITIES].update(e.originator_id, status=A.CANCELLED.value, cancelled_on=e.on,
                              cancel_reason=e.reason)


def get_activity(conn: Connection, activity_id: UUID, at: int | None = None
                 ) -> dict[str, Any] | None:
    """One activity with every step's date and the review, plus `position`; None if
    unknown."""
    return get_one(conn, ACTIVITIES, activity_id, _item, at)


def activity_list(
    conn: Connection, *, customer_id: UUID | None = None,
    status: str | Collection[str] | None = None, cursor: str | None = None, limit: int = 50,
    at: int | None = None,
) -> dict[str, Any]:
    """Activities by business date of planning (then id): `{items, next_cursor, position}`;
    `status`: planned, prepared, launched, reviewed, improved, cancelled (one or several)."""
    return status_list(conn, ACTIVITIES, day="planned_on", item=_item,
                       known=(s.value for s in ActivityStatus), customer_id=customer_id,
                       status=status, cursor=cursor, limit=limit, at=at)


def first_reviews(r: Reader, ids: list[UUID] | None) -> dict[UUID, date]:
    """Customer → the business date of its first reviewed activity (one that has run:
    the month-9 milestone's evidence)."""
    t = r.table(ACTIVITIES)
    stmt = (select(t.c.customer_id, func.min(t.c.reviewed_on).label("done_on"))
            .where(r.visible(t), t.c.reviewed_on.is_not(None)).group_by(t.c.customer_id))
    if ids is not None:
        stmt = stmt.where(t.c.customer_id.in_(ids))
    return {row.customer_id: row.done_on for row in r.conn.execute(stmt)}
