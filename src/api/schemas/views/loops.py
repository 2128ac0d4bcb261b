"""Requirement and complaint loops: items, pages, single items and loop metrics."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import Measure, Position, Ratio
from api.schemas.views.work import CURSOR_DOC
from projections.views import complaints, requirements
from projections.views.complaints import CategoryCount, ComplaintItem
from projections.views.requirements import RequirementItem, StepFigures, StepTimes

EXAMPLE_REQUIREMENT_ID = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"
EXAMPLE_COMPLAINT_ID = "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d"


REQUIREMENT_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_REQUIREMENT_ID, "customer_id": EXAMPLE_CUSTOMER_ID,
    "summary": "Dashboard totals differ from the export", "requested_by": "He Jing",
    "status": "scheduled", "category": "bug", "priority": "medium", "product_fit": "partial",
    "product_ref": "PRD-9325", "target_date": "2026-01-23", "release": "2026.4",
    "steps": {"collected": "2025-09-07", "classified": "2025-09-12", "analysed": "2025-09-21",
              "handed_over": "2025-09-24", "scheduled": "2025-10-06", "delivered": None,
              "rejected": None, "feedback_given": None},
}


class RequirementPage(BaseModel):
    items: list[RequirementItem] = Field(description="By collection date, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [REQUIREMENT_EXAMPLE], "next_cursor": None, "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [
    {**REQUIREMENT_EXAMPLE, "position": 1107}]}))
class RequirementOne(requirements.RequirementOne):
    """One requirement as the list shows it, with the position it reflects."""


class RequirementMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    collected: int = Field(description="The cohort: requirements collected in the range.")
    steps: list[StepFigures] = Field(description="Days from the step before, per step.")
    loop_days: StepTimes = Field(description="Collected → feedback given.")
    open_by_step: dict[str, int]
    open: int
    delivered: int
    rejected: int
    feedback_given: int
    feedback_ratio: Ratio | None = Field(description="Feedback given / (delivered + rejected).")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "collected": 62,
        "steps": [{"step": "classified", "count": 61, "mean_days": 2.98, "median_days": 3.0}],
        "loop_days": {"count": 50, "mean_days": 60.06, "median_days": 28.0},
        "open_by_step": {"collected": 1, "classified": 0, "analysed": 2, "handed_over": 1,
                         "scheduled": 8, "delivered": 0, "rejected": 0},
        "open": 12, "delivered": 19, "rejected": 31, "feedback_given": 50,
        "feedback_ratio": 1.0, "position": 20258}]})


COMPLAINT_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_COMPLAINT_ID, "customer_id": EXAMPLE_CUSTOMER_ID,
    "summary": "Report shows wrong totals after the update", "channel": "chat",
    "severity": "medium", "needs_resources": True, "status": "resolved",
    "received_at": "2026-09-20T02:22:00Z", "received_on": "2026-09-20",
    "resolve_by": "2026-09-21T02:22:00Z", "investigation_started_at": "2026-09-20T03:15:00Z",
    "resolved_at": "2026-09-20T06:47:05Z", "within_target": True,
    "investigation_note": "Reproduced with the clinic's September export.",
    "resolution": "Rounding fixed in 4.2.1; report regenerated.",
    "compensation": "One month of SMS credits.",
    "reviewed_on": None, "category": None, "root_cause": None, "improvement": None,
}


class ComplaintPage(BaseModel):
    items: list[ComplaintItem] = Field(description="By business date of receipt, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [COMPLAINT_EXAMPLE], "next_cursor": None, "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [
    {**COMPLAINT_EXAMPLE, "position": 1107}]}))
class ComplaintOne(complaints.ComplaintOne):
    """One complaint as the list shows it, with the position it reflects."""


class ComplaintMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    received: int
    needing_resources: int = Field(description="With the 24 h target.")
    resolved: int
    resolved_within_target: int
    resolved_late: int
    within_target_rate: Ratio | None
    unresolved_needing_resources: int
    past_target_unresolved: int | None = Field(description="Unresolved and past the 24 h "
                                                           "target at `today`'s end or now.")
    mean_resolution_hours: Measure | None
    median_resolution_hours: Measure | None
    reviewed: int
    reviewed_with_root_cause: int
    review_categories: list[CategoryCount]
    open_by_step: dict[str, int]
    open: int
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "received": 26, "needing_resources": 10,
        "resolved": 26, "resolved_within_target": 10, "resolved_late": 0,
        "within_target_rate": 1.0, "unresolved_needing_resources": 0,
        "past_target_unresolved": 0, "mean_resolution_hours": 7.12,
        "median_resolution_hours": 4.35, "reviewed": 25, "reviewed_with_root_cause": 25,
        "review_categories": [{"category": "service_attitude", "count": 7}],
        "open_by_step": {"received": 0, "investigating": 0, "resolved": 1}, "open": 1,
        "position": 20258}]})
