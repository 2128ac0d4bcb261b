"""The support desk's reads: tickets (list, one) and `GET /metrics/support` (seed 001
§三.1.2: first-reply time and accuracy); satisfaction: `GET /metrics/nps` (seed 004)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.reads.work import Cursor, CustomerId, Limit, values
from api.routing import ledger_router
from api.schemas.views.tickets import NpsMetrics, SupportMetrics, TicketOne, TicketPage
from cs_domain.ticket import TicketStatus
from projections.views import surveys, tickets

router = ledger_router()
VIEWS = views_named("tickets")


@router.get("/tickets", response_model=TicketPage, responses=view_responses(), tags=["tickets"])
def ticket_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[TicketStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Support tickets by business date of opening, with the first reply and the review."""
    return read.run(VIEWS, lambda conn: tickets.ticket_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor, limit=limit,
        at=read.at))


@router.get("/tickets/{ticket_id}", response_model=TicketOne, responses=view_responses(404),
            tags=["tickets"])
def get_ticket(ticket_id: UUID, read: ViewReadDep) -> Any:
    """One support ticket."""
    return read.one(VIEWS, lambda conn: tickets.get_ticket(conn, ticket_id, at=read.at),
                    "ticket", ticket_id)


@router.get("/metrics/support", response_model=SupportMetrics, responses=view_responses(),
            tags=["metrics"])
def support_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The tickets opened in [from, to]: first-reply minutes p50/p90 (nearest rank),
    accuracy (accurate reviews / reviewed), the same per agent."""
    check_range(from_, to)
    return read.run(VIEWS, lambda conn: tickets.support_metrics(conn, from_, to, at=read.at))


@router.get("/metrics/nps", response_model=NpsMetrics, responses=view_responses(),
            tags=["metrics"])
def nps_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """NPS over the responses answered in [from, to] (% promoters 9-10 − % detractors 0-6),
    by the customer's tier and owner, and the CSAT mean."""
    check_range(from_, to)
    return read.run(views_named("surveys", "customers"), lambda conn: surveys.nps_metrics(
        conn, from_, to, at=read.at))
