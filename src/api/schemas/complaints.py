"""Complaints (投诉): receive, investigate, resolve (24 h target when resources are needed),
review. Steps are moments with a time zone; left out, the API uses the current time."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_CUSTOMER_ID,
    EXAMPLE_ID,
    Flag,
    IsoDate,
    Moment,
    Note,
    Schema,
    WriteResult,
)
from cs_domain.complaint import Channel, ComplaintCategory
from cs_domain.risk import Severity

NOW = "Defaults to the current time; may not precede the previous step."


class ComplaintReceive(Schema):
    customer_id: UUID
    channel: Channel
    summary: Note
    severity: Severity
    needs_resources: Flag = Field(description="True: must be resolved within 24 hours; false: "
                                              "solved at once, no hour target.")
    received_at: Moment | None = Field(default=None, description="Defaults to the current time.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "channel": "phone",
        "summary": "Front desk could not log in for two hours.", "severity": "high",
        "needs_resources": True, "received_at": "2025-03-01T09:30:00+08:00"}]})


class ComplaintInvestigate(Schema):
    note: Note | None = None
    started_at: Moment | None = Field(default=None, description=NOW)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "note": "Called the clinic back; checking the SSO logs.",
        "started_at": "2025-03-01T09:45:00+08:00"}]})


class ComplaintResolve(Schema):
    resolution: Note
    compensation: Note | None = None
    resolved_at: Moment | None = Field(default=None, description=NOW)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "resolution": "SSO certificate renewed.", "compensation": "One month of SMS credits.",
        "resolved_at": "2025-03-01T15:10:00+08:00"}]})


class ComplaintResolved(WriteResult):
    within_target: bool | None = Field(description="Resolved within 24 hours; null when the "
                                                   "complaint had no hour target.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 3, "position": 2210, "within_target": True}]})


class ComplaintReview(Schema):
    category: ComplaintCategory
    root_cause: Note
    improvement: Note
    reviewed_on: IsoDate | None = Field(default=None, description="Defaults to today (UTC).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "category": "product_defect", "root_cause": "Certificate expiry was not monitored.",
        "improvement": "Expiry alerts 30 days ahead.", "reviewed_on": "2025-03-05"}]})
