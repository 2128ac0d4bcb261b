"""Operations: where each consumer of the log stands and which events it parked."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ConsumerStatus(BaseModel):
    name: str = Field(description="A view's name, or `process:playbooks` (the automation).")
    position: int = Field(description="The last log position it has handled (or parked).")
    head: int = Field(description="The last position in the log.")
    lag_events: int = Field(description="head − position.")
    status: str = Field(description="`ok`, `parked` (it set events aside), `building` or "
                                    "`failed`.")


class ParkedEvent(BaseModel):
    id: int = Field(description="Pass to `POST /ops/parked/{id}/retry`.")
    consumer: str
    position: int = Field(description="The event's position in the log.")
    topic: str = Field(description="The event's class, `module:Class.Event`.")
    event_id: str | None = Field(default=None, description="The aggregate it belongs to.")
    event_version: int | None = None
    error: str = Field(description="The handler's error class and message (last attempt).")
    parked_at: str = Field(description="When it was (last) attempted, UTC.")
    attempts: int


class SnapshotChecks(BaseModel):
    rejected: int = Field(description="Snapshots this process found not to match their seal "
                                      "and ignored (loads replayed the events instead).")


class OpsStatusPublic(BaseModel):
    consumers: list[ConsumerStatus]
    parked: list[ParkedEvent]
    position: int = Field(description="The head of the log when this was read.")
    snapshots: SnapshotChecks | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "consumers": [
            {"name": "customers", "position": 1107, "head": 1107, "lag_events": 0,
             "status": "ok"},
            {"name": "health", "position": 1107, "head": 1107, "lag_events": 0,
             "status": "parked"},
            {"name": "process:playbooks", "position": 1100, "head": 1107, "lag_events": 7,
             "status": "ok"}],
        "parked": [{"id": 3, "consumer": "health", "position": 1042,
                    "topic": "cs_domain.usage:UsageReport.Reported",
                    "event_id": "3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f", "event_version": 1,
                    "error": "OverflowError: date value out of range (at health.py:128)",
                    "parked_at": "2026-12-07T15:30:00.000000Z", "attempts": 1}],
        "position": 1107, "snapshots": {"rejected": 0}}]})


class RetryResult(BaseModel):
    id: int
    retried: bool = Field(description="True: the event was handled; its parked row is gone.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"id": 3, "retried": True}]})
