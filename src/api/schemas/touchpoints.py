"""Touchpoints: check-ins, calls, onsite visits, trainings (with their follow-up), QBRs,
weekly reports. Dates default to today (UTC)."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, IsoDate, LongNote, NameItems, Schema, StepItems
from cs_domain.touchpoint import TouchpointKind

TODAY = "Defaults to today (UTC)."


class TouchpointRecord(Schema):
    customer_id: UUID
    kind: TouchpointKind
    summary: LongNote
    occurred_on: IsoDate | None = Field(default=None, description=TODAY)
    participants: NameItems = Field(default_factory=list)
    next_steps: StepItems = Field(default_factory=list)
    week_start: IsoDate | None = Field(default=None, description="Only for a weekly_report: the "
                                                                 "Monday of the week it covers.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "kind": "training", "occurred_on": "2025-01-20",
        "summary": "Front-desk training on online booking, 12 attendees.",
        "participants": ["Dr. Wang Fang", "front desk team"],
        "next_steps": ["follow up in one week"]}]})


class FollowUpRecord(Schema):
    outcome: LongNote = Field(description="How the trained users are doing (培训回访).")
    follow_up_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "outcome": "All 12 take bookings online; two asked for a refresher.",
        "follow_up_on": "2025-01-27"}]})
