"""Activities (seed 001 §二.4): plan an activity with a customer, then one endpoint per
step (out-of-order steps are 409); the list and one activity."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.activities import (
    ActivityCancel,
    ActivityImprove,
    ActivityPlan,
    ActivityReview,
    ActivityStep,
)
from api.schemas.common import WriteResult
from api.schemas.views.activities import ActivityOne, ActivityPage
from api.writes import item_write
from cs_domain.activity import Activity, ActivityStatus
from projections.views import activities

router = ledger_router(prefix="/activities", tags=["activities"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def plan_activity(body: ActivityPlan, w: Create) -> JSONResponse:
    """Plan an influence- or revenue-raising activity with a customer."""
    return w.run(
        Action.WRITE_ACTIVITIES,
        lambda: w.app.plan_activity(
            actor=w.actor, customer_id=body.customer_id, kind=body.kind.value, title=body.title,
            goal=body.goal, on=on_or_today(body.on)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


_step = item_write(Action.WRITE_ACTIVITIES, Activity)


@router.post("/{activity_id}/prepare", response_model=WriteResult, responses=WRITE_DOCS)
def prepare(activity_id: UUID, body: ActivityStep, w: Write) -> JSONResponse:
    """Preparation done (plan, posters, offer): from planned only; 409 otherwise."""
    return _step(w, activity_id, lambda: w.app.prepare_activity(
        actor=w.actor, activity_id=activity_id, note=body.note, on=on_or_today(body.on),
        expected_version=w.expected_version))


@router.post("/{activity_id}/launch", response_model=WriteResult, responses=WRITE_DOCS)
def launch(activity_id: UUID, body: ActivityStep, w: Write) -> JSONResponse:
    """The activity went live: from prepared only; 409 otherwise."""
    return _step(w, activity_id, lambda: w.app.launch_activity(
        actor=w.actor, activity_id=activity_id, note=body.note, on=on_or_today(body.on),
        expected_version=w.expected_version))


@router.post("/{activity_id}/review", response_model=WriteResult, responses=WRITE_DOCS)
def review(activity_id: UUID, body: ActivityReview, w: Write) -> JSONResponse:
    """The review with its outcome figures: from launched only; 409 otherwise. A reviewed
    activity evidences the month-9 CSM milestone `own_activities`."""
    return _step(w, activity_id, lambda: w.app.review_activity(
        actor=w.actor, activity_id=activity_id, participants=body.participants,
        revenue=body.revenue, currency=body.currency, note=body.note,
        on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{activity_id}/improve", response_model=WriteResult, responses=WRITE_DOCS)
def improve(activity_id: UUID, body: ActivityImprove, w: Write) -> JSONResponse:
    """The improvement for next time: from reviewed only; 409 otherwise."""
    return _step(w, activity_id, lambda: w.app.improve_activity(
        actor=w.actor, activity_id=activity_id, improvement=body.improvement,
        on=on_or_today(body.on), expected_version=w.expected_version))


@router.post("/{activity_id}/cancel", response_model=WriteResult, responses=WRITE_DOCS)
def cancel(activity_id: UUID, body: ActivityCancel, w: Write) -> JSONResponse:
    """Cancel a planned or prepared activity; 409 once launched."""
    return _step(w, activity_id, lambda: w.app.cancel_activity(
        actor=w.actor, activity_id=activity_id, reason=body.reason, on=on_or_today(body.on),
        expected_version=w.expected_version))


ACTIVITY_VIEWS = views_named("activities")


@router.get("", response_model=ActivityPage, responses=view_responses())
def activity_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[ActivityStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Activities by business date of planning, with every step's date and the review."""
    return read.run(ACTIVITY_VIEWS, lambda conn: activities.activity_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/{activity_id}", response_model=ActivityOne,
            responses=view_responses(404))
def get_activity(activity_id: UUID, read: ViewReadDep) -> Any:
    """One activity."""
    return read.one(ACTIVITY_VIEWS, lambda conn: activities.get_activity(
        conn, activity_id, at=read.at), "activity", activity_id)
