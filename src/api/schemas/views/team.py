"""The team overview, the CSM milestones per customer and the lifecycle board."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import EXAMPLE_CONTRACT_ID, EXAMPLE_OWNER_ID, Position
from projections.queries import lifecycle
from projections.queries.lifecycle import Phase
from projections.views.team import CustomerMilestones, TeamMember

MILESTONES_EXAMPLE: dict[str, Any] = {"done_on_time": 41, "done_late": 9, "overdue": 3,
                                      "missed": 2, "pending": 4, "days_late_total": 212,
                                      "days_late_max": 61}


class Team(BaseModel):
    today: date
    items: list[TeamMember] = Field(description="One per CSM, by name.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "today": "2026-11-27", "position": 20258,
        "items": [{"owner_id": EXAMPLE_OWNER_ID, "owner_name": "Chen Jing", "customers": 151,
                   "customers_by_stage": {"onboarding": 25, "growth": 14, "mature": 46,
                                          "renewal": 43, "churned": 23},
                   "contract_value": [{"currency": "EUR", "amount": "941700.00"}],
                   "open_risks": 44, "overdue_risks": 13, "overdue_tasks": 47,
                   "milestones": {"activated": MILESTONES_EXAMPLE}}]}]})


class CsmMilestones(BaseModel):
    items: list[CustomerMilestones] = Field(description="Per customer, by name.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "position": 20258,
        "items": [{"customer_id": EXAMPLE_CUSTOMER_ID, "customer_name": "Acme Dental Group",
                   "owner_id": EXAMPLE_OWNER_ID, "start_date": "2026-01-01",
                   "term_end": "2026-12-31", "contract_id": EXAMPLE_CONTRACT_ID,
                   "milestones": [{"key": "activated",
                                   "title": "customer activated (完成客户启用)",
                                   "due_date": "2026-01-31", "done_on": "2026-01-20",
                                   "status": "done", "days_late": 0}]}]}]})


# Declared here too: another schema is named Checkpoint, so OpenAPI names this one by its
# module (`api__schemas__views__team__Checkpoint`), which must not change.
class Checkpoint(lifecycle.Checkpoint):
    """An onboarding check point with the customers working towards it and past it."""


ENTRY_EXAMPLE: dict[str, Any] = {
    "customer_id": EXAMPLE_CUSTOMER_ID, "customer_name": "Acme Dental Group",
    "owner_id": EXAMPLE_OWNER_ID, "owner_name": "Chen Jing", "stage": "onboarding",
    "phase": "onboarding", "contract_id": EXAMPLE_CONTRACT_ID, "contract_number": "C-2026-0267",
    "start_date": "2026-11-13", "end_date": "2027-11-12", "first_term": True, "day": 14,
    "days_to_end": 350,
    "checkpoint": 14, "checkpoint_due_on": "2026-11-27", "checkpoints_passed": [7],
}


class LifecycleBoard(BaseModel):
    today: date
    phases: list[Phase] = Field(description="Every phase, with its customers.")
    checkpoints: list[Checkpoint] = Field(description="Onboarding check points.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "today": "2026-11-27", "position": 20258,
        "phases": [{"phase": "onboarding", "count": 1, "customers": [ENTRY_EXAMPLE]}],
        "checkpoints": [{"day": 7, "title": "contact established, accounts initialised",
                         "upcoming": 3, "due_today": 1, "passed": 54}]}]})
