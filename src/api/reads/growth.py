"""Reads of seed 001's growth practices: activities (§二.4), benchmark cases (§二.6) and
referrals (§二.7)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.work import Cursor, CustomerId, Limit, values
from api.routing import ledger_router
from api.schemas.views.activities import ActivityOne, ActivityPage
from cs_domain.activity import ActivityStatus
from projections.views import activities

router = ledger_router()
ACTIVITY_VIEWS = views_named("activities")


@router.get("/activities", response_model=ActivityPage, responses=view_responses(),
            tags=["activities"])
def activity_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[ActivityStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Activities by business date of planning, with every step's date and the review."""
    return read.run(ACTIVITY_VIEWS, lambda conn: activities.activity_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/activities/{activity_id}", response_model=ActivityOne,
            responses=view_responses(404), tags=["activities"])
def get_activity(activity_id: UUID, read: ViewReadDep) -> Any:
    """One activity."""
    return read.one(ACTIVITY_VIEWS, lambda conn: activities.get_activity(
        conn, activity_id, at=read.at), "activity", activity_id)
