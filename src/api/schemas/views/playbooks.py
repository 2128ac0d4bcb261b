"""Playbook runs (per customer and one by one) and playbook effectiveness."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from api.schemas.views.common import Position, Ratio

RUN_EXAMPLE: dict[str, Any] = {
    "id": "5e6f7a8b-9c0d-5e1f-8a2b-3c4d5e6f7a8b", "playbook_id": "7a8b9c0d-1e2f-5a3b-8c4d-5e6f7a8b9c0d",
    "playbook_key": "onboarding", "playbook_name": "Onboarding", "playbook_version": 1,
    "customer_id": "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
    "occurrence_key": "contract:3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f:activated",
    "trigger_kind": "contract_activated", "triggered_on": "2026-01-05", "source_id": None,
    "status": "active", "ended_on": None, "steps_total": 8, "steps_done": 2,
    "steps_cancelled": 0, "metrics_total": 2, "metrics_measured": 0, "metrics_achieved": 0,
    "started_by": "system:playbooks", "started_position": 1042,
    "steps": [{"step": 0, "title": "Send the welcome message", "channel": "email",
               "owner_role": "owner_csm", "task_id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
               "assignee_id": "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e",
               "assignee_name": "Chen Jing", "due_date": "2026-01-05", "status": "done",
               "done_on": "2026-01-05", "task_status": "done"}],
    "outcomes": [{"metric": "kickoff held", "kind": "meeting_held", "within_days": 14,
                  "achieved": None, "measured_on": None, "detail": None}],
}


class RunStep(BaseModel):
    step: int
    title: str
    channel: str
    owner_role: str
    task_id: UUID
    assignee_id: UUID | None
    assignee_name: str | None
    due_date: date
    status: str
    done_on: date | None
    task_status: str | None


class RunOutcome(BaseModel):
    metric: str
    kind: str
    within_days: int | None
    achieved: bool | None
    measured_on: date | None
    detail: str | None


class PlaybookRun(BaseModel):
    id: UUID
    playbook_id: UUID
    playbook_key: str
    playbook_name: str | None
    playbook_version: int
    customer_id: UUID
    occurrence_key: str
    trigger_kind: str
    triggered_on: date
    source_id: UUID | None
    status: str
    ended_on: date | None
    steps_total: int | None
    steps_done: int | None
    steps_cancelled: int | None
    metrics_total: int | None
    metrics_measured: int | None
    metrics_achieved: int | None
    started_by: str | None
    started_position: int | None
    steps: list[RunStep]
    outcomes: list[RunOutcome]


class PlaybookRunList(BaseModel):
    items: list[PlaybookRun]
    position: Position
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [RUN_EXAMPLE], "position": 1107}]})


class PlaybookRunOne(PlaybookRun):
    position: Position
    model_config = ConfigDict(json_schema_extra={"examples": [{**RUN_EXAMPLE, "position": 1107}]})


class RunCounts(BaseModel):
    started: int
    active: int
    completed: int
    abandoned: int


class OutcomeRate(BaseModel):
    metric: str
    kind: str
    measured: int
    achieved: int
    missed: int
    pending: int
    rate: Ratio | None


class VersionEffectiveness(BaseModel):
    version: int
    name: str | None = None
    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[OutcomeRate]


class PlaybookEffectiveness(BaseModel):
    playbook_key: str
    name: str | None = None
    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[OutcomeRate]
    versions: list[VersionEffectiveness]


class EffectivenessReport(BaseModel):
    playbooks: list[PlaybookEffectiveness]
    position: Position
    model_config = ConfigDict(json_schema_extra={"examples": [{"playbooks": [{
        "playbook_key": "low_engagement_drop", "name": "Low engagement: usage drop",
        "runs": {"started": 12, "active": 3, "completed": 8, "abandoned": 1},
        "completion_rate": 0.6667, "abandon_rate": 0.0833,
        "outcomes": [{"metric": "usage recovered", "kind": "usage_recovered", "measured": 9,
                      "achieved": 6, "missed": 3, "pending": 3, "rate": 0.6667}],
        "versions": [{"version": 1, "name": "Low engagement: usage drop",
                      "runs": {"started": 12, "active": 3, "completed": 8, "abandoned": 1},
                      "completion_rate": 0.6667, "abandon_rate": 0.0833,
                      "outcomes": []}]}], "position": 1107}]})
