"""Complaints: the commands (receive, investigate, resolve, review) and the reads (the list,
one complaint, `GET /metrics/complaints`)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import at_or_now, on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, item_customer
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import ViewRead, ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.complaints import (
    ComplaintInvestigate,
    ComplaintReceive,
    ComplaintResolve,
    ComplaintResolved,
    ComplaintReview,
)
from api.schemas.views.loops import ComplaintMetrics, ComplaintOne, ComplaintPage
from cs_domain.application import CommandResult
from cs_domain.complaint import Complaint, ComplaintStatus
from projections.views import (
    complaints,
)

router = ledger_router(prefix="/complaints", tags=["complaints"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])
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


@router.get("", response_model=ComplaintPage, responses=view_responses())
def complaint_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[ComplaintStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Complaints (投诉) by business date of receipt, with the moment of every step."""
    return read.run(views_named("complaints"), lambda conn: complaints.complaint_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor,
        limit=limit, at=read.at))


@router.get("/{complaint_id}", response_model=ComplaintOne,
            responses=view_responses(404))
def get_complaint(complaint_id: UUID, read: ViewReadDep) -> Any:
    """One complaint with the moment of every step and its review."""
    return read.one(views_named("complaints"), lambda conn: complaints.get_complaint(
        conn, complaint_id, at=read.at), "complaint", complaint_id)


def moment_of(read: ViewRead) -> datetime:
    """`now` for complaint targets: the clock, or the end of the `today` the client gave."""
    if read.today_given:
        return datetime.combine(read.today, time.max, UTC)
    return datetime.now(UTC)


@metrics.get("/complaints", response_model=ComplaintMetrics, responses=view_responses())
def complaint_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The complaints received in [from, to]: resolution within the 24 h target, resolution
    hours, reviews and their categories, open ones by step."""
    check_range(from_, to)
    now = moment_of(read)
    return read.run(views_named("complaints"), lambda conn: complaints.complaint_metrics(
        conn, from_, to, now=now, at=read.at))
