"""Activity reads (seed 001 §二.4): items, pages, one; the 360's `activities` section."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import Position
from api.schemas.views.work import CURSOR_DOC
from projections.views import activities
from projections.views.activities import ActivityItem

EXAMPLE_ACTIVITY_ID = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"


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


@with_config(ConfigDict(json_schema_extra={"examples": [
    {**ACTIVITY_EXAMPLE, "position": 1107}]}))
class ActivityOne(activities.ActivityOne):
    """One activity with its steps and review, with the position it reflects."""
