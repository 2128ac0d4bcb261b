"""The risk register and the task workbench: items, pages, single items, risk metrics."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import (
    EXAMPLE_OWNER_ID,
    EXAMPLE_RISK_ID,
    EXAMPLE_TASK_ID,
    Measure,
    Position,
)
from projections.views import risks, tasks
from projections.views.risks import RiskItem
from projections.views.tasks import TaskCounts, TaskItem

CURSOR_DOC = "Pass as `cursor` for the next page; null on the last page."


RISK_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_RISK_ID, "customer_id": EXAMPLE_CUSTOMER_ID,
    "customer_name": "Acme Dental Group", "title": "Champion leaving", "category": "relationship",
    "severity": "high", "status": "mitigating", "owner_id": EXAMPLE_OWNER_ID,
    "owner_name": "Chen Jing", "raised_by": EXAMPLE_OWNER_ID, "raised_on": "2025-10-02",
    "due_date": "2025-11-30", "overdue": False, "marked_overdue": False, "escalation_level": 0,
    "escalated_to": None, "strategy": "Meet the new head of clinic with the manager",
    "strategy_set_on": "2025-10-04", "todos": 2, "mitigations": 1, "closed_on": None,
    "resolution": None, "reopened_on": None, "times_reopened": 0,
}


class RiskPage(BaseModel):
    items: list[RiskItem] = Field(description="By due date, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [RISK_EXAMPLE], "next_cursor": None, "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{**RISK_EXAMPLE, "position": 1107}]}))
class RiskOne(risks.RiskOne):
    """One risk as the register shows it, with the position it reflects."""


class RiskMetrics(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    opened: int = Field(description="Risks raised in the range.")
    reopened: int = Field(description="Reopenings dated in the range.")
    closed: int = Field(description="Closings dated in the range.")
    mean_days_to_close: Measure | None = Field(description="Days from the episode's start "
                                                           "(raised or reopened) to closing.")
    median_days_to_close: Measure | None
    open_now: int = Field(description="Risks not closed (as known at the read's position).")
    overdue_now: int = Field(description="Of those, due before `today`.")
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "opened": 137, "reopened": 1, "closed": 73,
        "mean_days_to_close": 40.47, "median_days_to_close": 35.0, "open_now": 75,
        "overdue_now": 34, "position": 20258}]})


TASK_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_TASK_ID, "title": "Meet the new champion", "status": "doing",
    "due_date": "2026-10-18", "overdue": True, "customer_id": EXAMPLE_CUSTOMER_ID,
    "customer_name": "Acme Dental Group", "assignee_id": EXAMPLE_OWNER_ID,
    "assignee_name": "Chen Jing", "source": {"kind": "risk", "id": EXAMPLE_RISK_ID},
    "started_on": "2026-10-10", "completed_on": None, "cancelled_on": None, "times_reopened": 0,
}


class TaskPage(BaseModel):
    items: list[TaskItem] = Field(description="By due date, then id.")
    next_cursor: str | None = Field(description=CURSOR_DOC)
    counts: TaskCounts = Field(description="Open tasks of the same assignee / customer per "
                                           "window (for tabs), whatever `due` and `status`.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [TASK_EXAMPLE], "next_cursor": None,
        "counts": {"overdue": 3, "today": 1, "week": 6}, "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{**TASK_EXAMPLE, "position": 1107}]}))
class TaskOne(tasks.TaskOne):
    """One task as the workbench shows it, with the position it reflects."""
