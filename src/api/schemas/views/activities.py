"""Activity reads (seed 001 §二.4): items, pages, one; the 360's `activities` section."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, Amount
from api.schemas.views.common import Position
from api.schemas.views.work import CURSOR_DOC

EXAMPLE_ACTIVITY_ID = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"


class ActivityItem(BaseModel):
    id: UUID
    customer_id: UUID
    kind: str = Field(description="influence | revenue")
    title: str
    goal: str | None
    status: str = Field(description="planned | prepared | launched | reviewed | improved | "
                                    "cancelled")
    planned_by: str
    planned_on: date
    prepared_on: date | None
    launched_on: date | None
    reviewed_on: date | None = Field(description="The review's business date: the activity "
                                                 "has run (evidence of `own_activities`).")
    improved_on: date | None
    cancelled_on: date | None
    prepare_note: str | None
    launch_note: str | None
    participants: int | None
    revenue: Amount | None
    currency: str | None
    review_note: str | None
    improvement: str | None
    cancel_reason: str | None


ACTIVITY_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_ACTIVITY_ID, "customer_id": EXAMPLE_CUSTOMER_ID, "kind": "revenue",
    "title": "Spring whitening week", "goal": "30 whitening packages sold through the shop",
    "status": "improved", "planned_by": "user:5c1d", "planned_on": "2025-03-03",
    "prepared_on": "2025-03-10", "launched_on": "2025-03-17", "reviewed_on": "2025-03-24",
    "improved_on": "2025-03-28", "cancelled_on": None,
    "prepare_note": "Posters printed; points rules set up in the shop.", "launch_note": None,
    "participants": 120, "revenue": "18600.00", "currency": "CNY",
    "review_note": "Sold 31 packages; the WeChat post brought most sign-ups.",
    "improvement": "Start the WeChat post a week earlier.", "cancel_reason": None,
}


class ActivityPage(BaseModel):
    items: list[ActivityItem] = Field(description="By business date of planning, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [ACTIVITY_EXAMPLE], "next_cursor": None, "position": 1107}]})


class ActivityOne(ActivityItem):
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {**ACTIVITY_EXAMPLE, "position": 1107}]})
