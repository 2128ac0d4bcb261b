"""Support tickets (客服工单, seed 001 §三.1.2): open, first reply, resolve, accuracy review.
Steps are moments with a time zone; left out, the API uses the current time."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, Flag, Moment, Schema
from cs_domain.complaint import Channel

NOW = "Defaults to the current time; may not precede the previous step."


class TicketOpen(Schema):
    customer_id: UUID
    channel: Channel
    subject: str = Field(description="At most 500 characters.")
    opened_at: Moment | None = Field(default=None, description="Defaults to the current time.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "channel": "chat",
        "subject": "How do I export last month's appointments?",
        "opened_at": "2025-03-01T09:30:00+08:00"}]})


class TicketReply(Schema):
    replied_at: Moment | None = Field(default=None, description=NOW + " The acting user is "
                                                                      "recorded as the agent.")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"replied_at": "2025-03-01T09:42:00+08:00"}]})


class TicketResolve(Schema):
    resolved_at: Moment | None = Field(default=None, description=NOW)

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"resolved_at": "2025-03-01T10:05:00+08:00"}]})


class TicketReview(Schema):
    accurate: Flag = Field(description="Was the first reply accurate?")
    note: str | None = Field(default=None, description="At most 5000 characters.")
    reviewed_at: Moment | None = Field(default=None, description=NOW)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "accurate": False, "note": "Pointed to the old export menu.",
        "reviewed_at": "2025-03-02T16:00:00+08:00"}]})
