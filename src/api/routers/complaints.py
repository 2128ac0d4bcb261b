"""Complaint commands: receive, investigate, resolve, review."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.clock import at_or_now, on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, item_customer
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.complaints import (
    ComplaintInvestigate,
    ComplaintReceive,
    ComplaintResolve,
    ComplaintResolved,
    ComplaintReview,
)
from cs_domain.application import CommandResult
from cs_domain.complaint import Complaint

router = ledger_router(prefix="/complaints", tags=["complaints"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def receive_complaint(body: ComplaintReceive, w: Create) -> JSONResponse:
    """Receive a complaint; one that needs resources gets a 24-hour resolution target."""
    return w.run(
        Action.RAISE_ISSUES,
        lambda: w.app.receive_complaint(
            actor=w.actor, customer_id=body.customer_id, channel=body.channel.value,
            summary=body.summary, severity=body.severity.value,
            needs_resources=body.needs_resources, received_at=at_or_now(body.received_at)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


@router.post("/{complaint_id}/investigate", response_model=WriteResult, responses=WRITE_DOCS)
def investigate(complaint_id: UUID, body: ComplaintInvestigate, w: Write) -> JSONResponse:
    """Start investigating a received complaint."""
    return w.run(
        Action.HANDLE_COMPLAINT,
        lambda: w.app.start_complaint_investigation(
            actor=w.actor, complaint_id=complaint_id, started_at=at_or_now(body.started_at),
            note=body.note, expected_version=w.expected_version),
        WriteResult.of, resource=item_customer(w.app, Complaint, complaint_id),
    )


@router.post("/{complaint_id}/resolve", response_model=ComplaintResolved, responses=WRITE_DOCS)
def resolve(complaint_id: UUID, body: ComplaintResolve, w: Write) -> JSONResponse:
    """Resolve a complaint under investigation; the answer says whether it met its target."""

    def present(result: CommandResult) -> ComplaintResolved:
        return ComplaintResolved(id=result.id, version=result.version, position=result.position,
                                 within_target=result.extra["within_target"])

    return w.run(
        Action.HANDLE_COMPLAINT,
        lambda: w.app.resolve_complaint(
            actor=w.actor, complaint_id=complaint_id, resolution=body.resolution,
            compensation=body.compensation, resolved_at=at_or_now(body.resolved_at),
            expected_version=w.expected_version),
        present, resource=item_customer(w.app, Complaint, complaint_id),
    )


@router.post("/{complaint_id}/review", response_model=WriteResult, responses=WRITE_DOCS)
def review(complaint_id: UUID, body: ComplaintReview, w: Write) -> JSONResponse:
    """Review a resolved complaint: category, root cause and the improvement."""
    return w.run(
        Action.HANDLE_COMPLAINT,
        lambda: w.app.review_complaint(
            actor=w.actor, complaint_id=complaint_id, category=body.category.value,
            root_cause=body.root_cause, improvement=body.improvement,
            reviewed_on=on_or_today(body.reviewed_on), expected_version=w.expected_version),
        WriteResult.of, resource=item_customer(w.app, Complaint, complaint_id),
    )
