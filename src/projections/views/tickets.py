"""Tickets view: each support ticket's step, its first reply (agent, moment) and its
accuracy review, for `GET /tickets` and the support-desk metric (seed 001 §三.1.2:
reply time and accuracy).

Moments are stored in UTC; `opened_on` is the business date of opening in the time
zone it was recorded with.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Boolean, Connection, Date, String, Uuid, select

from cs_domain.ticket import NOTE_MAX, SUBJECT_MAX, Ticket, TicketStatus
from projections.query import (
    TWO_PLACES,
    UtcDateTime,
    hours_between,
    one_row,
    ratio,
    status_rows,
)
from projections.shapes import Measure, Position, Ratio, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on

T = TicketStatus

TICKETS = VersionedTable(
    "tickets", "tickets",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("channel", String(16)), ("subject", String(SUBJECT_MAX)),
        ("status", String(16)), ("opened_by", String(200)), ("opened_at", UtcDateTime()),
        ("opened_on", Date()), ("agent", String(200)), ("replied_at", UtcDateTime()),
        ("resolved_at", UtcDateTime()), ("accurate", Boolean()), ("reviewer", String(200)),
        ("review_note", String(NOTE_MAX)), ("reviewed_at", UtcDateTime()),
    ],
    indexes=[("customer_id",), ("opened_on", "id")],
    current_indexes=[("customer_id",)],
)


class TicketsView(View):
    name = "tickets"
    tables = (TICKETS,)

    @on(Ticket.Opened)
    def opened(self, tx: ViewTx, e: Ticket.Opened) -> None:
        row: dict[str, Any] = {c: None for c in TICKETS.data_names}
        row.update(customer_id=e.customer_id, channel=e.channel, subject=e.subject,
                   status=T.OPEN.value, opened_by=e.actor, opened_at=e.opened_at,
                   opened_on=e.opened_at.date())
        tx[TICKETS].put(e.originator_id, row)

    @on(Ticket.FirstReplied)
    def replied(self, tx: ViewTx, e: Ticket.FirstReplied) -> None:
        tx[TICKETS].update(e.originator_id, status=T.REPLIED.value, agent=e.agent,
                           replied_at=e.replied_at)

    @on(Ticket.Resolved)
    def resolved(self, tx: ViewTx, e: Ticket.Resolved) -> None:
        tx[TICKETS].update(e.originator_id, status=T.RESOLVED.value, resolved_at=e.resolved_at)

    @on(Ticket.AccuracyReviewed)
    def reviewed(self, tx: ViewTx, e: Ticket.AccuracyReviewed) -> None:
        tx[TICKETS].update(e.originator_id, accurate=e.accurate, reviewer=e.reviewer,
                           review_note=e.note, reviewed_at=e.reviewed_at)


class TicketItem(TypedDict):
    """A support ticket with its first reply and its accuracy review."""

    id: UUID
    customer_id: UUID
    channel: str
    subject: str
    status: Annotated[str, Field(description="open | replied | resolved")]
    opened_by: str
    opened_at: datetime
    opened_on: Annotated[date, Field(description="Business date of opening (in the sender's "
                                                 "zone).")]
    agent: Annotated[str | None, Field(description="Who gave the first reply.")]
    replied_at: datetime | None
    first_reply_minutes: Annotated[Measure | None, Field(description="Minutes from opening to "
                                                                     "the first reply, 2 "
                                                                     "places.")]
    resolved_at: datetime | None
    accurate: Annotated[bool | None, Field(description="The accuracy review; null before it.")]
    reviewer: str | None
    review_note: str | None
    reviewed_at: datetime | None


class TicketOne(TicketItem):
    position: Position


class TicketPage(TypedDict):
    items: list[TicketItem]
    next_cursor: str | None
    position: int


class DeskFigures(TypedDict):
    replied: Annotated[int, Field(description="Tickets with a first reply.")]
    first_reply_minutes_p50: Annotated[Measure | None, Field(
        description="Nearest-rank median of the first-reply minutes of the replied tickets.")]
    first_reply_minutes_p90: Annotated[Measure | None, Field(
        description="Nearest-rank 90th percentile of the first-reply minutes.")]
    reviewed: int
    accurate: int
    accuracy: Annotated[Ratio | None, Field(description="accurate / reviewed; null when none "
                                                        "reviewed.")]


class AgentFigures(DeskFigures):
    agent: str


# `from` is a keyword: the functional form.
_Period = TypedDict("_Period", {"from": date, "to": date})


class SupportMetrics(DeskFigures, _Period):
    tickets: int
    open: int
    resolved: int
    by_agent: list[AgentFigures]
    position: int


def _item(x: Any) -> TicketItem:
    return TicketItem(
        id=x.id, customer_id=x.customer_id, channel=x.channel, subject=x.subject,
        status=x.status, opened_by=x.opened_by, opened_at=x.opened_at, opened_on=x.opened_on,
        agent=x.agent, replied_at=x.replied_at, first_reply_minutes=_minutes(x),
        resolved_at=x.resolved_at, accurate=x.accurate, reviewer=x.reviewer,
        review_note=x.review_note, reviewed_at=x.reviewed_at)


def _minutes(x: Any) -> Decimal | None:
    if x.replied_at is None:
        return None
    return (hours_between(x.opened_at, x.replied_at) * 60).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP)


def get_ticket(conn: Connection, ticket_id: UUID, at: int | None = None
               ) -> TicketOne | None:
    """One ticket with its reply and review, plus `position`; None if unknown."""
    row, position = one_row(conn, TICKETS, ticket_id, at)
    return None if row is None else TicketOne(**_item(row), position=position)


def ticket_list(
    conn: Connection, *, customer_id: UUID | None = None,
    status: str | Collection[str] | None = None, cursor: str | None = None, limit: int = 50,
    at: int | None = None,
) -> TicketPage:
    """Tickets by business date of opening (then id): `{items, next_cursor, position}`;
    `status`: open, replied, resolved (one or several)."""
    rows, next_cursor, position = status_rows(
        conn, TICKETS, day="opened_on", known=(s.value for s in TicketStatus), customer_id=customer_id,
        status=status, cursor=cursor, limit=limit, at=at)
    return {"items": [_item(x) for x in rows], "next_cursor": next_cursor, "position": position}


def percentile(values: Sequence[Decimal], p: int) -> Decimal | None:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or
    below it (the ⌈p/100·n⌉-th smallest); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered) / 100)) - 1]


def _figures(rows: Sequence[Any]) -> DeskFigures:
    minutes = [m for m in (_minutes(x) for x in rows) if m is not None]
    reviewed = [x for x in rows if x.accurate is not None]
    accurate = sum(1 for x in reviewed if x.accurate)
    return {"replied": len(minutes), "first_reply_minutes_p50": percentile(minutes, 50),
            "first_reply_minutes_p90": percentile(minutes, 90), "reviewed": len(reviewed),
            "accurate": accurate, "accuracy": ratio(accurate, len(reviewed))}


def support_metrics(conn: Connection, from_: date, to: date, *, at: int | None = None
                    ) -> SupportMetrics:
    """The support desk over the tickets opened in [from_, to] (by `opened_on`, both
    inclusive): `tickets`, first-reply minutes p50 / p90 (nearest rank, over the replied
    tickets), `accuracy` = accurate reviews / reviewed (None if none reviewed), and
    `by_agent` (the agent who gave the first reply) with the same figures."""
    r = Reader(conn, at)
    t = r.table(TICKETS)
    rows = conn.execute(select(t).where(r.visible(t), t.c.opened_on.between(from_, to))).all()
    agents: dict[str, list[Any]] = defaultdict(list)
    for x in rows:
        if x.agent is not None:
            agents[x.agent].append(x)
    return {
        "from": from_, "to": to, "tickets": len(rows),
        "open": sum(1 for x in rows if x.status == T.OPEN.value),
        "resolved": sum(1 for x in rows if x.status == T.RESOLVED.value),
        **_figures(rows),
        "by_agent": [AgentFigures(agent=a, **_figures(agents[a])) for a in sorted(agents)],
        "position": r.position,
    }
