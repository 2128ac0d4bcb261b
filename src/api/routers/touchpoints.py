"""Touchpoints: record a contact with a customer, record a training's follow-up, and the
list (one customer's or across customers)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, item_customer
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.touchpoints import FollowUpRecord, TouchpointRecord
from api.schemas.views.delivery import (
    TouchpointList,
)
from cs_domain.touchpoint import Touchpoint, TouchpointKind
from projections.views import touchpoints

router = ledger_router(prefix="/touchpoints", tags=["touchpoints"])


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def record_touchpoint(body: TouchpointRecord, w: Create) -> JSONResponse:
    """Record a contact with a customer: check-in, call, onsite visit, training, QBR, weekly report."""
    return w.run(
        Action.RECORD_TOUCHPOINT,
        lambda: w.app.record_touchpoint(
            actor=w.actor, customer_id=body.customer_id, kind=body.kind.value,
            occurred_on=on_or_today(body.occurred_on), summary=body.summary,
            participants=body.participants, next_steps=body.next_steps,
            week_start=body.week_start),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


@router.post("/{touchpoint_id}/follow-up", response_model=WriteResult,
             responses=problems(*WRITE_ERRORS))
def record_follow_up(touchpoint_id: UUID, body: FollowUpRecord, w: Write) -> JSONResponse:
    """Record the follow-up of a training (once, on or after the training day)."""
    return w.run(
        Action.RECORD_TOUCHPOINT,
        lambda: w.app.record_training_follow_up(
            actor=w.actor, touchpoint_id=touchpoint_id, outcome=body.outcome,
            follow_up_on=on_or_today(body.follow_up_on), expected_version=w.expected_version),
        WriteResult.of, resource=item_customer(w.app, Touchpoint, touchpoint_id),
    )


@router.get("", response_model=TouchpointList, responses=view_responses())
def touchpoint_list(
    read: ViewReadDep,
    customer_id: Annotated[UUID | None, Query(
        description="One customer's touchpoints; leave out for all customers.")] = None,
    owner_id: Annotated[UUID | None, Query(
        description="Only customers this CSM owns (the customer's current owner).")] = None,
    kind: Annotated[TouchpointKind | None, Query()] = None,
    from_: OptionalFrom = None, to: OptionalTo = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 100,
) -> Any:
    """Touchpoints (calls, visits, trainings, QBRs, weekly reports), newest first: of one
    customer, or across customers (e.g. `kind=onsite_visit&from=&to=` counts a quarter's
    visits, `owner_id` a CSM's); `from`/`to` bound the day they occurred."""
    check_range(from_, to)
    names = ("touchpoints",) if owner_id is None else ("touchpoints", "customers")
    return read.run(views_named(*names), lambda conn: touchpoints.touchpoints_of(
        conn, customer_id, kind=None if kind is None else kind.value, from_=from_, to=to,
        limit=limit, owner_id=owner_id, at=read.at))
