"""The event feed and the audit check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EventPublic(BaseModel):
    position: int = Field(description="Global position in the log (the feed's cursor).")
    recorded_at: datetime = Field(description="When the store recorded it (from the hash chain).")
    originator_id: str = Field(description="The id of the item the event belongs to.")
    version: int = Field(description="The item's version after this event.")
    type: str = Field(description="The event type, e.g. `Contract.Renewed`.")
    actor: str | None = Field(description="Who did it: a user id, `admin-bootstrap`, `system`...")
    data: dict[str, Any] = Field(description="The event's fields; amounts as decimal strings, "
                                             "dates ISO. Token hashes are not shown.")


class EventPage(BaseModel):
    events: list[EventPublic]
    next_after: int = Field(description="Pass as `after` to get the next page.")
    head: int = Field(description="The last position in the log when this page was read.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "events": [{
            "position": 42, "recorded_at": "2025-11-15T09:30:12.123456Z",
            "originator_id": "3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f", "version": 5,
            "type": "Contract.Renewed", "actor": "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e",
            "data": {"renewed_on": "2025-11-15", "new_amount": "13500.00",
                     "new_end_date": "2026-12-31",
                     "successor_id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"}}],
        "next_after": 42, "head": 1107}]})


class AuditResult(BaseModel):
    ok: bool
    events_checked: int
    head: str = Field(description="The hash at the head of the chain (anchor it elsewhere).")
    first_bad_position: int | None = Field(default=None, description="Only when not ok.")
    reason: str | None = Field(default=None, description="Only when not ok.")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"ok": True, "events_checked": 1107,
         "head": "9c2f0b7e5d1a4c3b8e6f7a9d0c1b2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"},
        {"ok": False, "events_checked": 41,
         "head": "1b2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d9c2f0b7e5d1a4c3b8e6f7a9d0c",
         "first_bad_position": 42, "reason": "hash does not match"}]})
