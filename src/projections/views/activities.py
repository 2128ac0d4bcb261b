"""Activities view (活动, seed 001 §二.4): each activity planned with a customer, its step and
the business date of every step, the review's outcome figures and the improvement, for
`GET /activities`, the customer 360's `activities` and the month-9 CSM milestone
("the customer runs its own activities": the first review, see `views/team.py`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, Integer, String, Uuid, func, select

from cs_domain.activity import NOTE_MAX, TITLE_MAX, Activity, ActivityStatus
from projections.query import one_row, status_rows
from projections.shapes import Money, Position, TypedDict
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


class ActivityItem(TypedDict):
    """An activity with every step's business date and the review."""

    id: UUID
    customer_id: UUID
    kind: Annotated[str, Field(description="influence | revenue")]
    title: str
    goal: str | None
    status: Annotated[str, Field(description="planned | prepared | launched | reviewed | "
                                             "improved | cancelled")]
    planned_by: str
    planned_on: date
    prepared_on: date | None
    launched_on: date | None
    reviewed_on: Annotated[date | None, Field(description="The review's business date: the "
                                                          "activity has run (evidence of "
                                                          "`own_activities`).")]
    improved_on: date | None
    cancelled_on: date | None
    prepare_note: str | None
    launch_note: str | None
    participants: int | None
    revenue: Money | None
    currency: str | None
    review_note: str | None
    improvement: str | None
    cancel_reason: str | None


class ActivityOne(ActivityItem):
    position: Position


class ActivityPage(TypedDict):
    items: list[ActivityItem]
    next_cursor: str | None
    position: int


def _item(x: Any) -> ActivityItem:
    return ActivityItem(
        id=x.id, customer_id=x.customer_id, kind=x.kind, title=x.title, goal=x.goal,
        status=x.status, planned_by=x.planned_by, planned_on=x.planned_on,
        prepared_on=x.prepared_on, launched_on=x.launched_on, reviewed_on=x.reviewed_on,
        improved_on=x.improved_on, cancelled_on=x.cancelled_on, prepare_note=x.prepare_note,
        launch_note=x.launch_note, participants=x.participants, revenue=x.revenue,
        currency=x.currency, review_note=x.review_note, improvement=x.improvement,
        cancel_reason=x.cancel_reason)


def activities_of_customer(r: Reader, customer_id: UUID, today: date) -> list[ActivityItem]:
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
                 ) -> ActivityOne | None:
    """One activity with every step's date and the review, plus `position`; None if
    unknown."""
    row, position = one_row(conn, ACTIVITIES, activity_id, at)
    return None if row is None else ActivityOne(**_item(row), position=position)


def activity_list(
    conn: Connection, *, customer_id: UUID | None = None,
    status: str | Collection[str] | None = None, cursor: str | None = None, limit: int = 50,
    at: int | None = None,
) -> ActivityPage:
    """Activities by business date of planning (then id): `{items, next_cursor, position}`;
    `status`: planned, prepared, launched, reviewed, improved, cancelled (one or several)."""
    rows, next_cursor, position = status_rows(
        conn, ACTIVITIES, day="planned_on", known=(s.value for s in ActivityStatus), customer_id=customer_id,
        status=status, cursor=cursor, limit=limit, at=at)
    return {"items": [_item(x) for x in rows], "next_cursor": next_cursor, "position": position}


def first_reviews(r: Reader, ids: list[UUID] | None) -> dict[UUID, date]:
    """Customer → the business date of its first reviewed activity (one that has run:
    the month-9 milestone's evidence)."""
    t = r.table(ACTIVITIES)
    stmt = (select(t.c.customer_id, func.min(t.c.reviewed_on).label("done_on"))
            .where(r.visible(t), t.c.reviewed_on.is_not(None)).group_by(t.c.customer_id))
    if ids is not None:
        stmt = stmt.where(t.c.customer_id.in_(ids))
    return {row.customer_id: row.done_on for row in r.conn.execute(stmt)}
