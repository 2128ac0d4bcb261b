"""Playbook runs (each with its steps and outcomes) and playbook effectiveness."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_OWNER_ID, EXAMPLE_TASK_ID, Position, Ratio

EXAMPLE_RUN_ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
EXAMPLE_PLAYBOOK_ID = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c"


class RunStep(BaseModel):
    step: int
    title: str
    channel: str | None
    owner_role: str | None
    task_id: UUID
    assignee_id: UUID | None
    assignee_name: str | None
    due_date: date | None
    status: str
    done_on: date | None
    task_status: str | None


class RunOutcome(BaseModel):
    metric: str
    kind: str
    within_days: int | None
    achieved: bool | None = Field(description="null: not measured yet.")
    measured_on: date | None
    detail: str | None


class PlaybookRun(BaseModel):
    id: UUID
    playbook_id: UUID
    playbook_key: str
    playbook_version: int
    playbook_name: str | None
    customer_id: UUID
    occurrence_key: str = Field(description="What triggered it (one run per occurrence).")
    trigger_kind: str
    triggered_on: date
    source_id: UUID | None
    status: str = Field(description="active | completed | abandoned")
    ended_on: date | None
    steps_total: int
    steps_done: int
    steps_cancelled: int
    metrics_total: int
    metrics_measured: int
    metrics_achieved: int
    started_by: str | None
    started_position: int
    steps: list[RunStep]
    outcomes: list[RunOutcome]


RUN_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_RUN_ID, "playbook_id": EXAMPLE_PLAYBOOK_ID, "playbook_key": "usage-drop",
    "playbook_version": 1, "playbook_name": "Usage dropped", "customer_id": EXAMPLE_CUSTOMER_ID,
    "occurrence_key": "usage-drop:2026-10-05", "trigger_kind": "usage_drop",
    "triggered_on": "2026-10-05", "source_id": None, "status": "active", "ended_on": None,
    "steps_total": 2, "steps_done": 1, "steps_cancelled": 0, "metrics_total": 1,
    "metrics_measured": 0, "metrics_achieved": 0, "started_by": "automation",
    "started_position": 18012,
    "steps": [{"step": 1, "title": "Call the champion", "channel": "phone", "owner_role": "csm",
               "task_id": EXAMPLE_TASK_ID, "assignee_id": EXAMPLE_OWNER_ID,
               "assignee_name": "Chen Jing", "due_date": "2026-10-07", "status": "done",
               "done_on": "2026-10-06", "task_status": "done"}],
    "outcomes": [{"metric": "usage back", "kind": "usage_recovered", "within_days": 30,
                  "achieved": None, "measured_on": None, "detail": None}],
}


class PlaybookRunList(BaseModel):
    items: list[PlaybookRun] = Field(description="Newest trigger first.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [RUN_EXAMPLE], "position": 18020}]})


class PlaybookRunOne(PlaybookRun):
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{**RUN_EXAMPLE, "position": 18020}]})


class RunCounts(BaseModel):
    started: int
    active: int
    completed: int
    abandoned: int


class MetricOutcome(BaseModel):
    metric: str
    kind: str
    measured: int
    achieved: int
    missed: int
    pending: int
    rate: Ratio | None = Field(description="achieved / measured.")


class VersionEffectiveness(BaseModel):
    version: int
    name: str | None
    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[MetricOutcome]


class PlaybookEffectiveness(BaseModel):
    playbook_key: str
    name: str | None
    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[MetricOutcome]
    versions: list[VersionEffectiveness]


EFFECT: dict[str, Any] = {
    "runs": {"started": 12, "active": 3, "completed": 8, "abandoned": 1},
    "completion_rate": 0.6667, "abandon_rate": 0.0833,
    "outcomes": [{"metric": "usage back", "kind": "usage_recovered", "measured": 8,
                  "achieved": 6, "missed": 2, "pending": 4, "rate": 0.75}],
}


class Effectiveness(BaseModel):
    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date | None
    playbooks: list[PlaybookEffectiveness] = Field(description="By key.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "position": 20258,
        "playbooks": [{"playbook_key": "usage-drop", "name": "Usage dropped", **EFFECT,
                       "versions": [{"version": 1, "name": "Usage dropped", **EFFECT}]}]}]})
