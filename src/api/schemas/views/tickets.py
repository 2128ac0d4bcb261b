"""Support desk and satisfaction reads: tickets (items, pages, one), the support metric
and the NPS metric."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import Measure, Position, Ratio
from api.schemas.views.work import CURSOR_DOC
from projections.views import tickets
from projections.views.surveys import NpsByOwner, NpsByTier
from projections.views.tickets import AgentFigures, TicketItem

EXAMPLE_TICKET_ID = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"


TICKET_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_TICKET_ID, "customer_id": EXAMPLE_CUSTOMER_ID, "channel": "chat",
    "subject": "How do I export last month's appointments?", "status": "resolved",
    "opened_by": "user:5c1d", "opened_at": "2026-09-20T01:30:00Z", "opened_on": "2026-09-20",
    "agent": "user:5c1d", "replied_at": "2026-09-20T01:42:00Z", "first_reply_minutes": 12.0,
    "resolved_at": "2026-09-20T02:05:00Z", "accurate": True, "reviewer": "user:9a0b",
    "review_note": None, "reviewed_at": "2026-09-21T08:00:00Z",
}


class TicketPage(BaseModel):
    items: list[TicketItem] = Field(description="By business date of opening, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [TICKET_EXAMPLE], "next_cursor": None, "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{**TICKET_EXAMPLE, "position": 1107}]}))
class TicketOne(tickets.TicketOne):
    """One support ticket, with the position it reflects."""


class SupportMetrics(BaseModel):
    # The figures of tickets.DeskFigures (a TypedDict: a model cannot inherit it).
    replied: int = Field(description="Tickets with a first reply.")
    first_reply_minutes_p50: Measure | None = Field(
        description="Nearest-rank median of the first-reply minutes of the replied tickets.")
    first_reply_minutes_p90: Measure | None = Field(
        description="Nearest-rank 90th percentile of the first-reply minutes.")
    reviewed: int
    accurate: int
    accuracy: Ratio | None = Field(description="accurate / reviewed; null when none reviewed.")
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    tickets: int = Field(description="Tickets opened in [from, to].")
    open: int
    resolved: int
    by_agent: list[AgentFigures] = Field(description="By the agent of the first reply.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-03-31", "tickets": 40, "open": 2, "resolved": 35,
        "replied": 38, "first_reply_minutes_p50": 14.0, "first_reply_minutes_p90": 52.5,
        "reviewed": 20, "accurate": 18, "accuracy": 0.9,
        "by_agent": [{"agent": "user:5c1d", "replied": 38, "first_reply_minutes_p50": 14.0,
                      "first_reply_minutes_p90": 52.5, "reviewed": 20, "accurate": 18,
                      "accuracy": 0.9}],
        "position": 20258}]})


class NpsMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    responses: int = Field(description="NPS responses answered in [from, to].")
    nps: Measure | None = Field(description="% promoters (9-10) − % detractors (0-6), from −100 "
                                            "to 100, half-up to 2 places; null without "
                                            "responses.")
    promoters: int
    passives: int
    detractors: int
    by_tier: list[NpsByTier]
    by_owner: list[NpsByOwner]
    csat_responses: int
    csat_mean: Measure | None = Field(description="Mean CSAT score (1..5), 2 places.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-06-30", "responses": 3, "nps": 33.33,
        "promoters": 2, "passives": 0, "detractors": 1,
        "by_tier": [{"tier": "growth", "responses": 3, "nps": 33.33}],
        "by_owner": [{"owner_id": EXAMPLE_CUSTOMER_ID, "responses": 3, "nps": 33.33}],
        "csat_responses": 4, "csat_mean": 4.25, "position": 20258}]})
