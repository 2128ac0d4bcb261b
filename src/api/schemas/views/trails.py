"""Audit trails: every step of one item, from the event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.views.common import EXAMPLE_OWNER_ID, EXAMPLE_RISK_ID, Position


class TrailStep(BaseModel):
    position: int = Field(description="The event's position in the log.")
    recorded_at: datetime = Field(description="When the store recorded it (UTC).")
    version: int = Field(description="The item's version after this step.")
    actor: str | None = Field(description="Who did it: a user id, `admin-bootstrap`, `system`…")
    type: str = Field(description="The event type, e.g. `Risk.Closed`.")
    data: dict[str, Any] = Field(description="The event's own fields (amounts as strings).")
    task_id: UUID | None = Field(default=None, description="With `with_tasks`: the task this "
                                                           "step belongs to (null: the risk).")


class Trail(BaseModel):
    id: UUID
    items: list[TrailStep] = Field(description="Every step, oldest first.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_RISK_ID, "position": 1107,
        "items": [
            {"position": 980, "recorded_at": "2025-10-02T08:12:45.120000Z", "version": 1,
             "actor": EXAMPLE_OWNER_ID, "type": "Risk.Raised",
             "data": {"customer_id": "5a7b9c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d",
                      "title": "Champion leaving", "category": "relationship",
                      "severity": "high", "due_date": "2025-11-30", "raised_on": "2025-10-02"}},
            {"position": 1101, "recorded_at": "2025-11-20T16:40:03.881000Z", "version": 4,
             "actor": EXAMPLE_OWNER_ID, "type": "Risk.Closed",
             "data": {"resolution": "new champion onboarded", "closed_on": "2025-11-20"}},
        ]}]})
