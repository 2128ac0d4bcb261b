"""Support tickets: the commands (open, first reply, resolve (support desk), accuracy review
(manager)) and the reads (the list, one ticket, `GET /metrics/support`: seed 001 §三.1.2's
first-reply time and accuracy)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import at_or_now
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.tickets import TicketOpen, TicketReply, TicketResolve, TicketReview
from api.schemas.views.tickets import SupportMetrics, TicketOne, TicketPage
from api.writes import item_write
from cs_domain.ticket import Ticket, TicketStatus
from projections.views import tickets

router = ledger_router(prefix="/tickets", tags=["tickets"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def open_ticket(body: TicketOpen, w: Create) -> JSONResponse:
    """Open a support ticket on a customer."""
    return w.run(
        Action.HANDLE_TICKET,
        lambda: w.app.open_ticket(
            actor=w.actor, customer_id=body.customer_id, channel=body.channel.value,
            subject=body.subject, opened_at=at_or_now(body.opened_at)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


_handle = item_write(Action.HANDLE_TICKET, Ticket)
_review = item_write(Action.REVIEW_TICKET, Ticket)


@router.post("/{ticket_id}/reply", response_model=WriteResult, responses=WRITE_DOCS)
def reply(ticket_id: UUID, body: TicketReply, w: Write) -> JSONResponse:
    """Record the first reply: the acting user is the agent (once; 409 after)."""
    return _handle(w, ticket_id, lambda: w.app.reply_ticket(
        actor=w.actor, ticket_id=ticket_id, replied_at=at_or_now(body.replied_at),
        expected_version=w.expected_version))


@router.post("/{ticket_id}/resolve", response_model=WriteResult, responses=WRITE_DOCS)
def resolve(ticket_id: UUID, body: TicketResolve, w: Write) -> JSONResponse:
    """Resolve a replied ticket (409 before the first reply or once resolved)."""
    return _handle(w, ticket_id, lambda: w.app.resolve_ticket(
        actor=w.actor, ticket_id=ticket_id, resolved_at=at_or_now(body.resolved_at),
        expected_version=w.expected_version))


@router.post("/{ticket_id}/review", response_model=WriteResult, responses=WRITE_DOCS)
def review(ticket_id: UUID, body: TicketReview, w: Write) -> JSONResponse:
    """Review whether the first reply was accurate (once, after the reply; 409 otherwise)."""
    return _review(w, ticket_id, lambda: w.app.review_ticket(
        actor=w.actor, ticket_id=ticket_id, accurate=body.accurate, note=body.note,
        reviewed_at=at_or_now(body.reviewed_at), expected_version=w.expected_version))


TICKET_VIEWS = views_named("tickets")


@router.get("", response_model=TicketPage, responses=view_responses())
def ticket_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[TicketStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Support tickets by business date of opening, with the first reply and the review."""
    return read.run(TICKET_VIEWS, lambda conn: tickets.ticket_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/{ticket_id}", response_model=TicketOne, responses=view_responses(404))
def get_ticket(ticket_id: UUID, read: ViewReadDep) -> Any:
    """One support ticket."""
    return read.one(TICKET_VIEWS, lambda conn: tickets.get_ticket(conn, ticket_id, at=read.at),
                    "ticket", ticket_id)


@metrics.get("/support", response_model=SupportMetrics, responses=view_responses())
def support_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The tickets opened in [from, to]: first-reply minutes p50/p90 (nearest rank),
    accuracy (accurate reviews / reviewed), the same per agent."""
    check_range(from_, to)
    return read.run(TICKET_VIEWS, lambda conn: tickets.support_metrics(conn, from_, to, at=read.at))
