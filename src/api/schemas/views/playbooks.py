"""Playbook runs (each with its steps and outcomes) and playbook effectiveness."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_OWNER_ID, EXAMPLE_TASK_ID, Position
from projections.queries.playbook_effectiveness import PlaybookEffectiveness
from projections.views import playbook_runs
from projections.views.playbook_runs import PlaybookRun

EXAMPLE_RUN_ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
EXAMPLE_PLAYBOOK_ID = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c"


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


@with_config(ConfigDict(json_schema_extra={"examples": [{**RUN_EXAMPLE, "position": 18020}]}))
class PlaybookRunOne(playbook_runs.PlaybookRunOne):
    """One playbook run with its steps and outcomes, with the position it reflects."""


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
