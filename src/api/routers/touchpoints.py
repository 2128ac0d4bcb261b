"""Touchpoint commands: record a contact with a customer; record a training's follow-up."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, item_customer
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.touchpoints import FollowUpRecord, TouchpointRecord
from cs_domain.touchpoint import Touchpoint

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
